"""`comunidad capacity show|compare|network`: scores by domain, change between rounds and the
network view."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Annotated

from comunidad_cli.cli._common import (
    AsOfOption,
    ComunidadCommand,
    as_of_day,
    database_url,
    info,
    stdout_console,
    value_option,
)
from comunidad_cli.cli.capacity.common import (
    DASH,
    InstrumentOption,
    JsonOption,
    OrgArgument,
    _bold,
    _change,
    _exact,
    _fixed,
    _folder,
    _name,
    _period,
    _print_json,
    _raters_line,
    _round_json,
    _row,
    _score,
    _table,
    _weakest_line,
    capacity_app,
)
from comunidad_cli.i18n import _, fill

if TYPE_CHECKING:
    from comunidad_cli.core.capacity.instrument import Instrument
    from comunidad_cli.services.capacity.assessments import OrgCapacity


# --- show, compare, network -------------------------------------------------------------------


def _capacity_of(org: str, instrument: str | None, as_of: str | None) -> OrgCapacity:
    """An organisation's assessments as `show` and `compare` read them (--instrument, --as-of)."""
    from comunidad_cli.services.capacity.assessments import organisation_capacity

    return organisation_capacity(
        database_url(), org, instrument_id=instrument, folder=_folder(), as_of=as_of_day(as_of)
    )


@capacity_app.command(
    "show",
    cls=ComunidadCommand,
    help=_(
        "An organisation's capacity now: the latest round of assessments by domain, each"
        " rater's score, the spread between raters, and the weakest domains."
    ),
)
def show(
    org: OrgArgument,
    instrument: InstrumentOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    view = _capacity_of(org, instrument, as_of)
    latest = view.comparison.latest
    assert latest is not None
    if as_json:
        _print_json(
            {
                "org": view.org,
                "name": view.org_name,
                "instrument": view.instrument.id,
                "instrument_name": _name(view.instrument.name),
                "latest": _round_json(latest),
            }
        )
        return
    console = stdout_console()
    console.print(
        f"{_bold(view.org_name)} ({view.org}) · {_bold(_name(view.instrument.name))}", markup=True
    )
    console.print(
        fill(
            _("Latest round: {period}. Raters: {raters}."),
            period=_period(latest),
            raters=_raters_line(latest),
        ),
        markup=False,
    )
    raters = [a.rater for a in latest.assessments]
    table = _table(_("Domain"), _("Score"), _("Spread"), *raters)
    for result in latest.domains:
        _row(
            table,
            _name(result.domain.name),
            _score(result.score),
            _score(result.spread),
            *(_score(score) for _r, score in result.by_rater),
        )
    console.print(table)
    console.print(_weakest_line([(d.domain, d.score) for d in latest.weakest()]), markup=False)
    _notes(
        view.instrument,
        [r.score for r in latest.domains],
        view.other_versions,
        view.other_instruments,
    )


def _notes(
    instrument: Instrument,
    scores: list[Fraction | None],
    other_versions: bool,
    other_instruments: tuple[str, ...],
) -> None:
    if any(s is None for s in scores):
        info(
            _("{dash}: no score (fewer than half of the domain's items answered).").format(
                dash=DASH
            )
        )
    if other_versions:
        info(
            _(
                "Some assessments were answered with another version of {instrument}: they are"
                " scored with the current one."
            ).format(instrument=instrument.id)
        )
    if other_instruments:
        info(
            _("Also assessed with: {instruments} (choose with --instrument).").format(
                instruments=", ".join(other_instruments)
            )
        )


@capacity_app.command(
    "compare",
    cls=ComunidadCommand,
    help=_(
        "Change by domain since the previous round of assessments (a round: the assessments"
        " made within 30 days of its first one)."
    ),
)
def compare(
    org: OrgArgument,
    instrument: InstrumentOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    view = _capacity_of(org, instrument, as_of)
    comparison = view.comparison
    if as_json:
        _print_json(
            {
                "org": view.org,
                "name": view.org_name,
                "instrument": view.instrument.id,
                "previous": _round_json(comparison.previous),
                "latest": _round_json(comparison.latest),
                "changes": [
                    {
                        "id": c.domain.id,
                        "name": _name(c.domain.name),
                        "previous": _fixed(c.previous),
                        "latest": _fixed(c.latest),
                        "change": _fixed(c.change),
                        "change_exact": _exact(c.change),
                    }
                    for c in comparison.changes
                ],
            }
        )
        return
    console = stdout_console()
    console.print(
        f"{_bold(view.org_name)} ({view.org}) · {_bold(_name(view.instrument.name))}", markup=True
    )
    latest, previous = comparison.latest, comparison.previous
    assert latest is not None
    if previous is None:
        info(
            fill(
                _("Only one round of assessments so far ({period}): nothing to compare yet."),
                period=_period(latest),
            )
        )
        return
    console.print(
        fill(
            _("Previous round: {period}. Raters: {raters}."),
            period=_period(previous),
            raters=_raters_line(previous),
        ),
        markup=False,
    )
    console.print(
        fill(
            _("Latest round: {period}. Raters: {raters}."),
            period=_period(latest),
            raters=_raters_line(latest),
        ),
        markup=False,
    )
    table = _table(_("Domain"), _("Previous"), _("Latest"), _("Change"))
    for change in comparison.changes:
        _row(
            table,
            _name(change.domain.name),
            _score(change.previous),
            _score(change.latest),
            _change(change.change),
        )
    console.print(table)


@capacity_app.command(
    "network",
    cls=ComunidadCommand,
    help=_(
        "Capacity across the network: every organisation assessed (or the partners of a grant's"
        " subcontracts) by domain, the network's mean and the weakest domains."
    ),
)
def network(
    grant: Annotated[
        str | None,
        value_option("--grant", "ID", _("Only the partners of this grant's subcontracts.")),
    ] = None,
    instrument: InstrumentOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.capacity.assessments import network_capacity

    found = network_capacity(
        database_url(),
        grant=grant,
        instrument_id=instrument,
        folder=_folder(),
        as_of=as_of_day(as_of),
    )
    view = found.view
    if as_json:
        _print_json(
            {
                "instrument": found.instrument.id,
                "instrument_name": _name(found.instrument.name),
                "grant": found.grant,
                "organisations": [
                    {
                        "id": org,
                        "name": found.names.get(org, org),
                        "assessed": result is not None,
                        "from": result.start.isoformat() if result else None,
                        "to": result.end.isoformat() if result else None,
                    }
                    for org, result in zip(view.organisations, view.rounds, strict=True)
                ],
                "domains": [
                    {
                        "id": d.domain.id,
                        "name": _name(d.domain.name),
                        "scores": {
                            org: _fixed(score)
                            for org, score in zip(view.organisations, d.scores, strict=True)
                        },
                        "mean": _fixed(d.mean),
                        "mean_exact": _exact(d.mean),
                        "spread": _fixed(d.spread),
                    }
                    for d in view.domains
                ],
                "weakest": [d.domain.id for d in view.weakest()],
            }
        )
        return
    console = stdout_console()
    console.print(_bold(_name(found.instrument.name)), markup=True)
    if grant is not None:
        console.print(
            _("Partners of the subcontracts of grant {grant}.").format(grant=grant), markup=False
        )
    table = _table(_("Domain"), *view.organisations, _("Network"), _("Spread"))
    for domain in view.domains:
        _row(
            table,
            _name(domain.domain.name),
            *(_score(s) for s in domain.scores),
            _score(domain.mean),
            _score(domain.spread),
        )
    console.print(table)
    console.print(_weakest_line([(d.domain, d.mean) for d in view.weakest()]), markup=False)
    missing = [o for o, r in zip(view.organisations, view.rounds, strict=True) if r is None]
    if missing:
        info(
            _("Not assessed yet with {instrument}: {orgs}.").format(
                instrument=found.instrument.id, orgs=", ".join(missing)
            )
        )
