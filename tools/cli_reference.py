"""Write docs/cli.md, the CLI reference, from the Typer app itself.

    python tools/cli_reference.py            # write docs/cli.md
    python tools/cli_reference.py --check    # exit 1 if docs/cli.md is stale or a help is missing

Every command and sub-command (the lazy groups of `cli/app.py` are all built), its help,
usage, arguments and options with their help, in English. The file is generated, so it
cannot drift from what `--help` says; CI runs `--check` and a test does too. A command or
parameter without help text is a failure, as in sqlite-utils: the reference would be empty
where a user looks for an answer.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "cli.md"
HEADER = """\
# CLI reference

Every command of `comunidad`, its arguments and options, as `--help` shows them in English.
Generated from the Typer app by `python tools/cli_reference.py`: do not edit by hand; CI
(`python tools/cli_reference.py --check`) and `tests/test_cli_reference.py` fail when it is
stale. Every command also takes `-h`/`--help`, in the user's language.
"""


@dataclass(frozen=True)
class Entry:
    """One command as the reference shows it: its path, its Click command and context."""

    path: tuple[str, ...]
    command: Any
    context: Any


def walk(
    command: Any, path: tuple[str, ...] = ("comunidad",), parent: Any = None
) -> Iterator[Entry]:
    """Every command under `command`, depth first, building lazy sub-apps as a user's call would."""
    context = command.context_class(command, info_name=path[-1], parent=parent)
    yield Entry(path, command, context)
    if hasattr(command, "list_commands"):
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, (*path, name), context)


def root_command() -> Any:
    """The real app's Click command, its help in English whatever the environment says."""
    sys.path.insert(0, str(ROOT / "src"))
    from comunidad_cli import i18n

    i18n.activate("en")
    import typer.main

    from comunidad_cli.cli.app import app

    return typer.main.get_command(app)


def _help(command: Any) -> str:
    return inspect.cleandoc(command.help or command.short_help or "").split("\f")[0].strip()


def _params(entry: Entry) -> list[Any]:
    return [p for p in entry.command.params if not getattr(p, "hidden", False) and p.name != "help"]


def missing_help(entries: list[Entry]) -> list[str]:
    """Each command or parameter that has no help text, as `comunidad x y: --option`."""
    missing = []
    for entry in entries:
        name = " ".join(entry.path)
        if not _help(entry.command):
            missing.append(f"{name}: no help text")
        for param in _params(entry):
            if not (getattr(param, "help", None) or "").strip():
                missing.append(f"{name}: {param.opts[0] if param.opts else param.name} has no help")
    return missing


def _escape(text: str) -> str:
    """Help text as Markdown shows it literally (a metavar such as <str> is not a tag)."""
    return text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>").replace("*", "\\*")


def _paragraphs(text: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _section(entry: Entry) -> str:
    command, context = entry.command, entry.context
    level = "#" * min(len(entry.path) + 1, 4)
    lines = [f"{level} `{' '.join(entry.path)}`", "", _escape(_paragraphs(_help(command))), ""]
    usage = " ".join(command.collect_usage_pieces(context))
    lines += [f"Usage: `{context.command_path} {usage}`".rstrip(), ""]
    arguments = [p for p in _params(entry) if p.param_type_name == "argument"]
    options = [p for p in _params(entry) if p.param_type_name == "option"]
    for title, params in (("Arguments", arguments), ("Options", options)):
        records = [r for r in (p.get_help_record(context) for p in params) if r is not None]
        if records:
            lines += [f"{title}:", ""]
            lines += [
                f"- `{first}`: {_escape(' '.join(second.split()))}" for first, second in records
            ]
            lines.append("")
    if hasattr(command, "list_commands"):
        names = [n for n in command.list_commands(context)]
        subs = [(n, command.get_command(context, n)) for n in names]
        rows = [
            f"- [`{n}`](#{_anchor((*entry.path, n))}): {_escape(sub.get_short_help_str(limit=300))}"
            for n, sub in subs
            if sub is not None and not sub.hidden
        ]
        if rows:
            lines += ["Commands:", "", *rows, ""]
    return "\n".join(lines)


def _anchor(path: tuple[str, ...]) -> str:
    """GitHub's anchor for a heading `comunidad x y` in backticks."""
    return "-".join(path)


def reference(entries: list[Entry]) -> str:
    """The whole reference, one section per command in the order `--help` lists them."""
    return HEADER + "\n" + "\n".join(_section(entry) for entry in entries).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: docs/cli.md")
    args = parser.parse_args(argv)
    entries = list(walk(root_command()))
    problems = missing_help(entries)
    for problem in problems:
        print(f"cli_reference: {problem}", file=sys.stderr)
    text = reference(entries)
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(
                f"cli_reference: {output} is stale; run python tools/cli_reference.py",
                file=sys.stderr,
            )
            return 1
        return 1 if problems else 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
