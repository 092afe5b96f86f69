"""`comunidad init` and `comunidad demo`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli import clock, i18n
from comunidad_cli.cli._common import info, render, stdout_console
from comunidad_cli.core.messages import N_
from comunidad_cli.i18n import _, ngettext


def init(
    directory: Annotated[
        Path, typer.Argument(help=_("Folder for the workspace (created if missing)."))
    ] = Path("."),
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", help=_("By-laws to start from: partnership, directorio or xarxa.")
        ),
    ] = "partnership",
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            help=_("The workspace's language and formats (default: the current one)."),
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help=_("ISO currency code, e.g. EUR, CLP, USD (default: the locale's)."),
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help=_("Name of the workspace (default: the folder's)."), show_default=False
        ),
    ] = None,
) -> None:
    from comunidad_cli.cli._common import STATE
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.workspace import init as init_workspace

    chosen_locale = i18n.current_locale()
    if locale is not None:
        normalized = i18n.normalize(locale)
        if normalized is None or i18n.language_of(normalized) != locale.strip()[:2].lower():
            raise ServiceError.of(
                N_(
                    '"{locale}" is not a locale comunidad speaks: use es, en or ca, e.g. es_CL, ca_ES, en_US'
                ),
                exit_code=2,
                locale=locale,
            )
        chosen_locale = normalized
    report = init_workspace(
        directory,
        template=template,
        locale=chosen_locale,
        currency=(currency or i18n.default_currency(chosen_locale)).upper(),
        name=name,
        db_url=STATE.db,
    )
    info(_("Created workspace {root}").format(root=report.root))
    info(_("  settings:  {path}").format(path=report.config))
    info(_("  by-laws:   {path}").format(path=report.bylaws_file))
    info(
        _("  database:  {url} (schema {revision})").format(
            url=report.database, revision=report.revision
        )
    )
    info(_('Next: edit the by-laws, then run "comunidad bylaws check".'))


def _step(number: int, title: str, command: str) -> None:
    console = stdout_console()
    console.print()
    console.rule(f"[bold]{number}. {title}[/bold]")
    console.print(f"[dim]$ {command}[/dim]")


def _amend(source: Path, target: Path) -> None:
    """The demo's amendment: a stricter quorum for the first body and longer notice."""
    import tomllib

    import tomli_w

    data: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
    first_body = next(iter(data["bodies"].values()))
    first_body["quorum"] = {"fraction": "2/3", "of": "voting_members"}
    first_body["notice_days"] = int(first_body.get("notice_days", 7)) + 7
    data["amended"] = clock.today()
    target.write_text(tomli_w.dumps(data), encoding="utf-8")


def demo(
    keep: Annotated[
        bool, typer.Option("--keep", help=_("Keep the demo workspace instead of deleting it."))
    ] = False,
) -> None:
    from comunidad_cli.core.bylaws.diff import diff
    from comunidad_cli.formats import summary_line
    from comunidad_cli.render.bylaws_doc import bylaws_markdown, changes_text
    from comunidad_cli.services.bylaws import check_paths, load_valid
    from comunidad_cli.services.database import check_database
    from comunidad_cli.services.workspace import TEMPLATES, template_text
    from comunidad_cli.services.workspace import init as init_workspace

    root = Path(tempfile.mkdtemp(prefix="comunidad-demo-"))
    try:
        locale = i18n.current_locale()
        _step(1, _("A new workspace"), f"comunidad init {root} --template partnership")
        report = init_workspace(
            root,
            template="partnership",
            locale=locale,
            currency=i18n.default_currency(locale),
            command="demo",
        )
        for template in TEMPLATES:
            path = root / "bylaws" / f"{template}.toml"
            if not path.exists():
                path.write_text(template_text(template), encoding="utf-8")
        stdout_console().print(
            _(
                "Created {root} with the by-laws of a partnership, a directorio local and a xarxa."
            ).format(root=root)
        )

        _step(2, _("Checking the by-laws, as CI would"), "comunidad bylaws check bylaws/")
        checked = check_paths([root / "bylaws"], clock.today())
        stdout_console().print(
            summary_line(
                list(checked.findings),
                checked.files_checked,
                _,
                ngettext,
                number=i18n.format_number,
            )
        )

        _step(
            3, _("The partnership's by-laws, in your language"), "comunidad bylaws show partnership"
        )
        result = load_valid(report.bylaws_file, clock.today())
        assert result.model is not None
        from rich.markdown import Markdown

        stdout_console().print(
            Markdown(bylaws_markdown(result.model, "bylaws/partnership.toml", result.sha256))
        )

        _step(
            4,
            _("An amendment, in words"),
            "comunidad bylaws diff bylaws/partnership.toml amended.toml",
        )
        amended_path = root / "amended.toml"
        _amend(report.bylaws_file, amended_path)
        amended = load_valid(amended_path, clock.today())
        assert amended.model is not None
        stdout_console().print(changes_text(diff(result.model, amended.model)), markup=False)

        _step(5, _("The database"), "comunidad db check")
        db_report = check_database(report.database)
        stdout_console().print(
            _("Schema {revision}: {state}.").format(
                revision=db_report.revision, state=_("ok") if db_report.ok else _("problems found")
            )
        )
        for problem in db_report.problems:
            stdout_console().print(render(problem))
    finally:
        if keep:
            info(_("The demo workspace stays in {root}.").format(root=root))
        else:
            shutil.rmtree(root, ignore_errors=True)
