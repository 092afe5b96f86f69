"""`comunidad capacity ...`: capacity instruments, assessments and their scores.

`capacity_app` is registered by cli/app.py as `capacity`. Scores are exact fractions until
here, where they are rounded to two decimals (half up) to be shown; `--json` prints them
both rounded ("2.67") and exact ("8/3").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    AsOfOption,
    ComunidadCommand,
    ComunidadGroup,
    as_of_day,
    current_workspace,
    database_url,
    day_option,
    error,
    fail,
    info,
    render,
    stdout_console,
    write_stdout,
)
from comunidad_cli.i18n import _, current_language, format_date, format_number, ngettext

if TYPE_CHECKING:
    from comunidad_cli.core.capacity.instrument import Domain, Instrument
    from comunidad_cli.core.capacity.scoring import RoundResult
    from comunidad_cli.services.capacity import InstrumentFile

capacity_app = typer.Typer(
    cls=ComunidadGroup,
    help=_(
        "Capacity assessments of the lead agency and its partners: instruments, answers by"
        " several raters, scores by domain, change and the network view."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only."))]
InstrumentOption = Annotated[
    str | None,
    typer.Option(
        "--instrument",
        metavar="ID",
        help=_("The instrument (default: the one of the latest assessment)."),
        show_default=False,
    ),
]
OrgArgument = Annotated[
    str, typer.Argument(metavar="ORG", help=_("The organisation's id."), show_default=False)
]
DASH = "–"


# --- helpers ---------------------------------------------------------------------------------


def _folder() -> Path | None:
    from comunidad_cli.services.capacity import instruments_dir

    return instruments_dir(current_workspace(required=False))


def _print_json(data: Any) -> None:
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _score(value: Fraction | None) -> str:
    from comunidad_cli.core.capacity.scoring import rounded

    return DASH if value is None else format_number(rounded(value), 2)


def _change(value: Fraction | None) -> str:
    if value is None:
        return DASH
    text = _score(value)
    return f"+{text}" if value > 0 else text


def _fixed(value: Fraction | None) -> str | None:
    from comunidad_cli.core.capacity.scoring import rounded

    return None if value is None else str(rounded(value))


def _exact(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _name(texts: Any) -> str:
    from comunidad_cli.core.capacity.instrument import localized

    return localized(texts, current_language())


def _day(value: date) -> str:
    return format_date(value, "medium")


def _round_json(result: RoundResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "raters": [
            {"rater": a.rater, "date": a.assessed_on.isoformat()} for a in result.assessments
        ],
        "domains": [
            {
                "id": d.domain.id,
                "name": _name(d.domain.name),
                "score": _fixed(d.score),
                "score_exact": _exact(d.score),
                "spread": _fixed(d.spread),
                "raters": {rater: _fixed(score) for rater, score in d.by_rater},
            }
            for d in result.domains
        ],
        "weakest": [d.domain.id for d in result.weakest()],
    }


def _raters_line(result: RoundResult) -> str:
    return ", ".join(f"{a.rater} ({_day(a.assessed_on)})" for a in result.assessments)


def _period(result: RoundResult) -> str:
    if result.start == result.end:
        return _day(result.start)
    return f"{_day(result.start)} {DASH} {_day(result.end)}"


def _weakest_line(pairs: list[tuple[Domain, Fraction | None]]) -> str:
    if not pairs:
        return _("Weakest domains: none scored yet.")
    shown = ", ".join(f"{_name(d.name)} ({_score(s)})" for d, s in pairs)
    return _("Weakest domains: {domains}.").format(domains=shown)


def _table(*headers: str, left: int = 1, ids: Sequence[str] = ()) -> Any:
    """A table; when `ids` are given, the first column holds them and is never wrapped or cut
    (a person copies an id from it), the other columns wrap instead."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for index, header in enumerate(headers):
        whole = index == 0 and bool(ids)
        table.add_column(
            Text(header),
            justify="left" if index < left else "right",
            no_wrap=whole,
            min_width=max(len(i) for i in ids) if whole else None,
        )
    return table


def _row(table: Any, *cells: str) -> None:
    """A row of plain text: names and texts are data, never Rich markup."""
    from rich.text import Text

    table.add_row(*(Text(cell) for cell in cells))


def _bold(text: str) -> str:
    from rich.markup import escape

    return f"[bold]{escape(text)}[/bold]"


# --- instruments -----------------------------------------------------------------------------


def _instrument_json(found: InstrumentFile, *, full: bool) -> dict[str, Any]:
    instrument = found.instrument
    assert instrument is not None
    language = current_language()
    data: dict[str, Any] = {
        "id": instrument.id,
        "name": _name(instrument.name),
        "source": found.source,
        "path": found.path,
        "sha256": found.sha256,
        "domains": len(instrument.domains),
        "items": len(instrument.item_ids),
    }
    if full:
        from comunidad_cli.core.capacity.instrument import localized

        data["na"] = instrument.na
        data["scale"] = [
            {
                "score": level.score,
                "label": localized(level.label, language),
                "description": localized(level.description, language),
            }
            for level in instrument.levels
        ]
        data["domains"] = [
            {
                "id": d.id,
                "name": localized(d.name, language),
                "items": [
                    {"id": i.id, "text": localized(i.text, language), "na": i.na} for i in d.items
                ],
            }
            for d in instrument.domains
        ]
    return data


@capacity_app.command(
    "instruments",
    cls=ComunidadCommand,
    help=_(
        "List the capacity instruments (the workspace's instruments/ folder first, then the"
        " shipped ones), or show one in your language: scale, domains and items."
    ),
)
def instruments(
    instrument_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help=_("An instrument to show in full."), show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from comunidad_cli.services.capacity import available, find_instrument

    folder = _folder()
    if instrument_id is not None:
        found = find_instrument(instrument_id, folder)
        _show_instrument(found, as_json)
        return
    listed = available(folder)
    usable = [f for f in listed if f.instrument is not None and not f.errors]
    for broken in (f for f in listed if f not in usable):
        info(_('{path} has errors: run "comunidad capacity check {path}"').format(path=broken.path))
    if as_json:
        _print_json([_instrument_json(f, full=False) for f in usable])
        return
    table = _table(
        _("ID"),
        _("Name"),
        _("Domains"),
        _("Items"),
        _("Source"),
        left=2,
        ids=[f.instrument.id for f in usable if f.instrument is not None],
    )
    for found in usable:
        assert found.instrument is not None
        _row(
            table,
            found.instrument.id,
            _name(found.instrument.name),
            str(len(found.instrument.domains)),
            str(len(found.instrument.item_ids)),
            _("shipped") if found.source == "shipped" else found.path,
        )
    stdout_console().print(table)


def _show_instrument(found: InstrumentFile, as_json: bool) -> None:
    if as_json:
        _print_json(_instrument_json(found, full=True))
        return
    instrument = found.instrument
    assert instrument is not None
    from comunidad_cli.core.capacity.instrument import localized

    language = current_language()
    console = stdout_console()
    console.print(f"{_bold(_name(instrument.name))} · {instrument.id}", markup=True)
    if instrument.description:
        console.print(localized(instrument.description, language), markup=False)
    console.print()
    scale = _table(_("Score"), _("Level"), _("Description"), left=3)
    for level in instrument.levels:
        _row(
            scale,
            str(level.score),
            localized(level.label, language),
            localized(level.description, language),
        )
    console.print(scale)
    for domain in instrument.domains:
        console.print(f"{_bold(localized(domain.name, language))} ({domain.id})", markup=True)
        items = _table(_("Item"), _("Text"), left=2, ids=[f"{item.id} *" for item in domain.items])
        for item in domain.items:
            _row(items, item.id if item.na else f"{item.id} *", localized(item.text, language))
        console.print(items)
    if any(not i.na for d in instrument.domains for i in d.items):
        console.print(_("* N/A is not allowed for this item: score it 1 to 4."), markup=False)


@capacity_app.command(
    "check",
    cls=ComunidadCommand,
    help=_(
        "Check capacity instrument files: every finding as path:line:col. Exit 0 clean (warnings"
        " allowed), 1 findings, 2 usage error."
    ),
)
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH...",
            help=_("Instrument files or folders (default: the workspace's instruments/)."),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Warnings fail too (exit 1)."))
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the findings as JSON only."))
    ] = False,
) -> None:
    from comunidad_cli import formats
    from comunidad_cli.services.capacity import check_paths

    if not paths:
        folder = _folder()
        if folder is None or not folder.is_dir():
            fail(_("no paths given and no instruments/ folder here: name the files to check"), 2)
        paths = [folder]
    results = check_paths(paths)
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    if as_json:
        write_stdout(formats.format_json(findings, _, len(results), ngettext) + "\n")
    else:
        write_stdout(formats.format_text(findings, _, ngettext))
    errors = sum(1 for f in findings if f.severity == "error")
    failing = errors + (len(findings) - errors if strict else 0)
    if findings:
        info(formats.summary_line(findings, len(results), _, ngettext, number=format_number))
    if failing:
        raise typer.Exit(1)


# --- assess ----------------------------------------------------------------------------------


@capacity_app.command(
    "assess",
    cls=ComunidadCommand,
    help=_(
        "Record one rater's assessment of an organisation: every item scored 1 to 4, or na where"
        " the instrument allows it (--answer ITEM=SCORE, repeated, or --file answers.csv with the"
        " columns item and score)."
    ),
)
def assess(
    org: OrgArgument,
    instrument: Annotated[
        str,
        typer.Option(
            "--instrument", metavar="ID", help=_("The instrument answered."), show_default=False
        ),
    ],
    rater: Annotated[
        str,
        typer.Option(
            "--rater", metavar="NAME", help=_("Who assessed (a name)."), show_default=False
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help=_("The day of the assessment, YYYY-MM-DD (default: today)."),
            show_default=False,
        ),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            metavar="ITEM=SCORE",
            help=_("One answer: an item id and 1, 2, 3, 4 or na. Repeat for every item."),
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help=_("The answers in a CSV, JSON or NDJSON file with the columns item and score."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.capacity import (
        AnswersRefused,
        parse_answer_options,
        read_answers_file,
        record_assessment,
    )

    day = day_option(on, "--on") if on is not None else clock.today()
    if not answer and file is None:
        fail(_("give the answers: --answer ITEM=SCORE for each item, or --file FILE"), 2)
    try:
        answers = [*(parse_answer_options(answer) if answer else [])]
        if file is not None:
            answers += read_answers_file(file)
        done = record_assessment(
            database_url(),
            org=org,
            instrument_id=instrument,
            rater=rater,
            on=day,
            answers=answers,
            folder=_folder(),
            today=clock.today(),
            at=clock.now(),
        )
    except AnswersRefused as refused:
        for problem in refused.problems:
            error(render(problem))
        info(_("Nothing was recorded."))
        raise typer.Exit(1) from None
    info(
        _(
            "Recorded the assessment of {org} by {rater} on {date}: {count} answers, {na} N/A."
        ).format(
            org=done.org,
            rater=done.rater,
            date=_day(done.assessed_on),
            count=done.answers,
            na=done.not_applicable,
        )
    )


# --- show, compare, network -------------------------------------------------------------------


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
    from comunidad_cli.services.capacity import organisation_capacity

    view = organisation_capacity(
        database_url(), org, instrument_id=instrument, folder=_folder(), as_of=as_of_day(as_of)
    )
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
        _("Latest round: {period}. Raters: {raters}.").format(
            period=_period(latest), raters=_raters_line(latest)
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
    from comunidad_cli.services.capacity import organisation_capacity

    view = organisation_capacity(
        database_url(), org, instrument_id=instrument, folder=_folder(), as_of=as_of_day(as_of)
    )
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
            _("Only one round of assessments so far ({period}): nothing to compare yet.").format(
                period=_period(latest)
            )
        )
        return
    console.print(
        _("Previous round: {period}. Raters: {raters}.").format(
            period=_period(previous), raters=_raters_line(previous)
        ),
        markup=False,
    )
    console.print(
        _("Latest round: {period}. Raters: {raters}.").format(
            period=_period(latest), raters=_raters_line(latest)
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
        typer.Option(
            "--grant",
            metavar="ID",
            help=_("Only the partners of this grant's subcontracts."),
            show_default=False,
        ),
    ] = None,
    instrument: InstrumentOption = None,
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
) -> None:
    from comunidad_cli.services.capacity import network_capacity

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
