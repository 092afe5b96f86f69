"""`comunidad capacity instruments` and `capacity check`: the instruments available and the
checks of instrument files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comunidad_cli.cli._common import (
    ComunidadCommand,
    StrictOption,
    info,
    paths_argument,
    stdout_console,
)
from comunidad_cli.cli.capacity.common import (
    JsonOption,
    _bold,
    _folder,
    _name,
    _print_json,
    _row,
    _table,
    capacity_app,
)
from comunidad_cli.i18n import _, current_language

if TYPE_CHECKING:
    from comunidad_cli.services.capacity.instruments import InstrumentFile


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
    from comunidad_cli.services.capacity.instruments import available, find_instrument

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
        paths_argument(_("Instrument files or folders (default: the workspace's instruments/).")),
    ] = None,
    strict: StrictOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the findings as JSON only."))
    ] = False,
) -> None:
    from comunidad_cli.cli.bylaws import CheckFormat, check_files, given_or_folder
    from comunidad_cli.services.capacity.instruments import check_paths

    missing = _("no paths given and no instruments/ folder here: name the files to check")
    given = given_or_folder(paths, _folder, missing)
    chosen = CheckFormat.json if as_json else CheckFormat.text
    check_files(given, check_paths, chosen, strict, verbose=False)
