"""`comunidad bylaws ...`: check, show, diff, schema, new."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from comunidad_cli import clock
from comunidad_cli.cli._common import (
    ComunidadCommand,
    StrictOption,
    command_group,
    current_workspace,
    fail,
    info,
    paths_argument,
    render,
    stdout_console,
    write_stdout,
)
from comunidad_cli.i18n import _, format_number, ngettext

app = command_group(
    _("By-laws: check them (locally and in CI), show them in your language, compare amendments.")
)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


#: The options every `... check` command takes (bylaws, fund, outcome), declared once (with
#: `StrictOption` and `paths_argument` in cli/_common.py, which `capacity check` takes too).
FormatOption = Annotated[
    CheckFormat | None,
    typer.Option(
        "--format",
        help=_(
            "Output: text, json, github (workflow annotations; the default under GitHub Actions) or sarif."
        ),
        show_default=False,
    ),
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help=_("Say so when everything is clean."))
]
#: `--json` beside `--format` (check, show, diff).
CheckJsonOption = Annotated[
    bool, typer.Option("--json", help=_("Print JSON only (the same as --format json)."))
]


def given_or_folder(
    paths: list[Path] | None, folder_of: Callable[[], Path | None], missing: str
) -> list[Path]:
    """The paths a check was given, else the workspace's folder of such files (`folder_of`,
    asked only then); neither is a usage error (`missing` says what to do)."""
    if paths:
        return paths
    folder = folder_of()
    if folder is None or not folder.is_dir():
        fail(missing, 2)
    return [folder]


def check_files(
    paths: list[Path],
    check: Callable[[list[Path]], Sequence[Any]],
    chosen: CheckFormat,
    strict: bool,
    verbose: bool,
    codes: Any = None,
) -> None:
    """Check files with `check` (one result per file, each with its `path` and `findings`)
    and print the findings in order the way every `... check` does."""
    results = check(paths)
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    emit_findings(findings, [r.path for r in results], len(results), chosen, strict, verbose, codes)


class DocFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


F = TypeVar("F", CheckFormat, DocFormat)


def _json_or(chosen: F | None, as_json: bool, json_format: F) -> F | None:
    """`--json` is shorthand for `--format json`; asking for both JSON and another format is a usage error."""
    if not as_json:
        return chosen
    if chosen is not None and chosen != json_format and chosen != "text":
        fail(
            _("--json and --format {format} contradict each other: choose one").format(
                format=chosen.value
            ),
            2,
        )
    return json_format


def _default_paths() -> list[Path]:
    workspace = current_workspace(required=False)
    if workspace is not None:
        return [workspace.bylaws_dir]
    if Path("bylaws").is_dir():
        return [Path("bylaws")]
    fail(_("no paths given and no bylaws/ folder here: name the files or folders to check"), 2)


@app.command(
    "check",
    cls=ComunidadCommand,
    help=_(
        "Check by-laws files and folders: every finding in every file, as path:line:col. Exit 0"
        " clean (warnings allowed), 1 findings, 2 usage error."
    ),
)
def check(
    paths: Annotated[
        list[Path] | None, paths_argument(_("Files or folders (default: the workspace's bylaws/)."))
    ] = None,
    output_format: FormatOption = None,
    strict: StrictOption = False,
    verbose: VerboseOption = False,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli.services.bylaws import check_paths

    chosen = check_format(output_format, as_json)
    report = check_paths(paths or _default_paths(), clock.today())
    files = [r.path for r in report.files]
    emit_findings(list(report.findings), files, report.files_checked, chosen, strict, verbose)


def check_format(output_format: CheckFormat | None, as_json: bool) -> CheckFormat:
    """The format a check prints: --format, else --json, else GitHub's annotations under
    GitHub Actions, else text (shared by `bylaws check` and `fund check`)."""
    chosen = _json_or(output_format, as_json, CheckFormat.json)
    if chosen is not None:
        return chosen
    return CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text


def emit_findings(
    findings: list[Any],
    files: list[str],
    files_checked: int,
    chosen: CheckFormat,
    strict: bool,
    verbose: bool,
    codes: Any = None,
) -> None:
    """Print a check's findings in `chosen`, the summary line on stderr, and exit 1 when
    they fail (errors, or warnings too under `strict`). `codes`: the checker's own codes
    (the by-laws' by default) for JSON and SARIF."""
    from comunidad_cli import __version__, formats

    own = {} if codes is None else {"codes": codes}
    if chosen is CheckFormat.text:
        write_stdout(formats.format_text(findings, _, ngettext))
    elif chosen is CheckFormat.json:
        write_stdout(formats.format_json(findings, _, files_checked, ngettext, **own) + "\n")
    elif chosen is CheckFormat.github:
        write_stdout(formats.format_github(findings, _, ngettext))
    else:
        write_stdout(
            formats.format_sarif(
                findings, _, tool_version=__version__, files=files, plural=ngettext, **own
            )
            + "\n"
        )
    errors = sum(1 for f in findings if f.severity == "error")
    failing = errors + (len(findings) - errors if strict else 0)
    if findings or verbose:
        info(formats.summary_line(findings, files_checked, _, ngettext, number=format_number))
    if failing:
        raise typer.Exit(1)


def _resolve_bylaws(ref: str) -> Path:
    """A path to a file, or the id of by-laws in the workspace's bylaws/ folder."""
    from comunidad_cli.services.bylaws import find_by_id, link_problem

    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.is_file():
        if not candidate.is_file():
            link = link_problem(candidate)
            if link is not None:
                fail(render(link), 2)
            fail(_("no such file: {path}").format(path=ref), 2)
        return candidate
    workspace = current_workspace(required=False)
    folder = workspace.bylaws_dir if workspace is not None else Path("bylaws")
    found = find_by_id(folder, ref)
    if found is None:
        fail(
            _(
                'no by-laws with id "{id}" in {folder}: give a file path or one of the ids there'
            ).format(id=ref, folder=folder),
            1,
        )
    return found


@app.command(
    "show",
    cls=ComunidadCommand,
    help=_("Show by-laws in your language: a file path or the id of by-laws in the workspace."),
)
def show(
    ref: Annotated[
        str, typer.Argument(metavar="BYLAWS", help=_("By-laws id or file."), show_default=False)
    ],
    output_format: Annotated[
        DocFormat, typer.Option("--format", help=_("text (drawn in a terminal), markdown or json."))
    ] = DocFormat.text,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli.render.bylaws_doc import bylaws_json, bylaws_markdown

    output_format = _json_or(output_format, as_json, DocFormat.json) or output_format
    from comunidad_cli.services.bylaws import load_valid

    result = load_valid(_resolve_bylaws(ref), clock.today())
    assert result.model is not None
    if output_format is DocFormat.json:
        write_stdout(
            json.dumps(
                bylaws_json(result.model, result.path, result.sha256), ensure_ascii=False, indent=2
            )
            + "\n"
        )
        return
    document = bylaws_markdown(result.model, result.path, result.sha256)
    if output_format is DocFormat.markdown:
        write_stdout(document)
        return
    from rich.markdown import Markdown

    stdout_console().print(Markdown(document))


@app.command(
    "diff",
    cls=ComunidadCommand,
    help=_("What an amendment changes, in words: compare two versions of by-laws."),
)
def diff(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help=_("The by-laws in force (id or file)."), show_default=False
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            metavar="NEW", help=_("The amended by-laws (id or file)."), show_default=False
        ),
    ],
    output_format: Annotated[
        DocFormat, typer.Option("--format", help=_("text, markdown or json."))
    ] = DocFormat.text,
    as_json: CheckJsonOption = False,
) -> None:
    from comunidad_cli.core.bylaws.diff import diff as diff_bylaws

    output_format = _json_or(output_format, as_json, DocFormat.json) or output_format
    from comunidad_cli.render.bylaws_doc import changes_json, changes_text
    from comunidad_cli.services.bylaws import load_valid

    before = load_valid(_resolve_bylaws(old), clock.today())
    after = load_valid(_resolve_bylaws(new), clock.today())
    assert before.model is not None and after.model is not None
    changes = diff_bylaws(before.model, after.model)
    if output_format is DocFormat.json:
        write_stdout(json.dumps(changes_json(changes), ensure_ascii=False, indent=2) + "\n")
        return
    write_stdout(changes_text(changes, markdown=output_format is DocFormat.markdown))
    if not changes:
        info(
            _("No changes in substance between {old} and {new}.").format(
                old=before.path, new=after.path
            )
        )


@app.command(
    "schema",
    cls=ComunidadCommand,
    help=_("Print the JSON Schema of by-laws files, for editors (taplo, Even Better TOML)."),
)
def schema() -> None:
    from comunidad_cli.core.bylaws.spec import json_schema

    write_stdout(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command(
    "upgrade",
    cls=ComunidadCommand,
    help=_(
        "Rewrite a schema-1 by-laws file as schema 2 (dual majorities), changing only the"
        " schema line: every comment stays."
    ),
)
def upgrade(
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help=_("The schema-1 by-laws file."), show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Write the upgraded file here (never over an existing file); - for standard output."
            ),
            show_default=False,
        ),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option("--in-place", help=_("Rewrite FILE itself (its schema-1 text is not kept).")),
    ] = False,
) -> None:
    from comunidad_cli.services.bylaws import upgrade_file

    if in_place == (output is not None):
        fail(
            _(
                "say where the upgraded file goes: --output NEW (or - ), or --in-place to rewrite {path}"
            ).format(path=path),
            code=2,
        )
    to_stdout = output is not None and str(output) == "-"
    text, already = upgrade_file(path, None if to_stdout else output, in_place)
    if to_stdout:
        write_stdout(text)
    if already:
        info(_("{path} is schema 2 already: nothing to change.").format(path=path))
    elif not to_stdout:
        info(
            _('Wrote {path} (schema 2); check it with "comunidad bylaws check {path}".').format(
                path=path if in_place else output
            )
        )


@app.command(
    "new",
    cls=ComunidadCommand,
    help=_("Write a new by-laws file from a template (partnership, directorio, xarxa)."),
)
def new(
    template: Annotated[
        str, typer.Option("--template", "-t", help=_("partnership, directorio or xarxa."))
    ] = "partnership",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Where to write it; - for standard output (default: bylaws/<template>.toml)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from comunidad_cli.services.workspace import template_text

    text = template_text(template)
    if output is not None and str(output) == "-":
        write_stdout(text)
        return
    if output is None:
        workspace = current_workspace(required=False)
        folder = workspace.bylaws_dir if workspace is not None else Path("bylaws")
        output = folder / f"{template}.toml"
    if output.exists():
        fail(_("{path} already exists: not overwriting it (use --output)").format(path=output))
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(output)
    info(_('Wrote {path}: edit it, then run "comunidad bylaws check {path}".').format(path=output))
