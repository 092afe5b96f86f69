"""Names are data: printed as typed everywhere, control characters refused, generated ids
short and readable, and every list whole at 80 columns with no id cut or wrapped."""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.render.table import cell_width, plain_table
from tests.helpers import connect, ok, run

LONG_PARTNER = "Junta de Vecinos Villa Los Aromos"
LONG_FUNDER = "Fondo Nacional para el Desarrollo Regional de las Comunidades Organizadas"


def made(*args: str) -> str:
    """Run a command that creates something; its id, as it said it (stderr) or printed it."""
    code, out, err = run(*args)
    assert code == 0, err
    said = re.search(r"(?:with id|subcontract|payment) ([a-z][a-z0-9_-]*)", err)
    return said.group(1) if said else out.strip()


def _lines_fit(out: str, width: int = 80) -> None:
    for line in out.splitlines():
        assert cell_width(line) <= width, f"{cell_width(line)} columns: {line!r}"


def _ids_whole(out: str, ids: list[str]) -> None:
    """Each id appears whole on one line (a person can copy it)."""
    for key in ids:
        assert re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", out), (key, out)


@pytest.fixture
def busy(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The governance workspace plus long-named organisations, people, a grant passed on to a
    partner with payments and a deliverable, a meeting with a motion: every id generated."""
    monkeypatch.setenv("COLUMNS", "80")
    ids: dict[str, list[str]] = {}
    with freeze_time("2026-03-20 12:00:00"):
        ids["org"] = [
            made("org", "add", LONG_FUNDER, "--kind", "funder"),
            made("org", "add", LONG_PARTNER, "--kind", "community"),
        ]
        funder, partner = ids["org"]
        ids["person"] = [
            made(
                "person", "add", "María José Núñez de la Fuente y Aránguiz-Valdivieso",
                "--org", partner, "--email", "maria.jose.nunez.delafuente@juntavillalosaromos.cl",
                "--phone", "+56 9 8765 4321",
            )
        ]  # fmt: skip
        ok(
            "member", "add", "--body", "partnership", "--person", ids["person"][0],
            "--class", "resident", "--from", "2025-01-01", "--role", "secretary",
        )  # fmt: skip
        ids["grant"] = [
            made(
                "grant", "new", "--funder", funder, "--title", "Fondo Barrio Activo 2026",
                "--amount", "1,500,000.00", "--from", "2026-01-01", "--to", "2026-12-31",
            )
        ]  # fmt: skip
        ids["subcontract"] = [
            made(
                "subcontract", "new", "--grant", ids["grant"][0], "--partner", partner,
                "--kind", "subaward", "--from", "2026-01-15", "--to", "2026-12-15",
                "--line", "personnel=650,000.00", "--line", "supplies=150,000.00",
            )
        ]  # fmt: skip
        sub = ids["subcontract"][0]
        ok("subcontract", "risk", sub, "--level", "low", "--by", "Ana", "--on", "2026-01-10")
        ok("subcontract", "status", sub, "active")
        ids["payment"] = [
            made(
                "payment", "add", "--subcontract", sub, "--period-from", "2026-02-01",
                "--period-to", "2026-02-28", "--date", "2026-03-05", "--status", "paid",
                "--line", f"personnel={amount}",
            )
            for amount in ("50,000.00", "25,000.00")
        ]  # fmt: skip
        ids["deliverable"] = [
            made(
                "deliverable", "add", "--subcontract", sub,
                "--title", "Informe trimestral de avance técnico y financiero", "--due",
                "2026-03-31",
            )
        ]  # fmt: skip
        ids["resource"] = [
            made(
                "resource", "log", "--kind", "donation", "--description",
                "Pan amasado para las once comunitarias de los viernes en la sede vecinal",
                "--received", "180,000.00", "--source", partner, "--grant", ids["grant"][0],
                "--on", "2026-03-01",
            )
        ]  # fmt: skip
        ids["meeting"] = [
            made("meeting", "new", "--body", "nlg", "--at", "2026-03-18 18:00"),
            made("meeting", "new", "--body", "nlg", "--at", "2026-03-18 20:00"),
        ]
        ids["motion"] = [
            made(
                "motion", "new", "--meeting", ids["meeting"][0], "--decision",
                "award_subcontract", "--title", f"Subcontrato a la {LONG_PARTNER}",
                "--at", "2026-03-18 18:10",
            )
        ]  # fmt: skip
    return ids


def test_generated_ids_are_short_and_readable(busy: dict[str, list[str]]) -> None:
    every = [key for keys in busy.values() for key in keys]
    assert all(len(key) <= 32 for key in every), every
    assert busy["grant"] == ["fondo-barrio-activo-2026"]
    assert busy["subcontract"] == ["fondo-barrio-junta-de-vecinos"]
    assert busy["payment"] == [
        "fondo-barrio-junta-2026-03-05",
        "fondo-barrio-junta-2026-03-05-b",
    ]
    assert busy["meeting"] == ["nlg-2026-03-18", "nlg-2026-03-18-b"]
    assert not any(key.endswith("-2-2") for key in every)


LISTS = [
    ("org", "list"),
    ("person", "list"),
    ("member", "list", "--body", "partnership", "--on", "2026-03-18"),
    ("meeting", "list"),
    ("grant", "list"),
    ("subcontract", "list"),
    ("payment", "list"),
    ("deliverable", "list"),
    ("summary",),
    ("spend-down",),
    ("resource", "list"),
    ("capacity", "instruments"),
]


@pytest.mark.parametrize("command", LISTS, ids=lambda c: " ".join(c[:2]))
def test_lists_are_whole_at_80_columns(
    busy: dict[str, list[str]], command: tuple[str, ...]
) -> None:
    with freeze_time("2026-03-20 12:00:00"):
        out = ok(*command)
    _lines_fit(out)
    kinds = {
        "org": ["org"],
        "person": ["person", "org"],
        "member": ["person"],
        "meeting": ["meeting"],
        "grant": ["grant", "org"],
        "subcontract": ["subcontract"],
        "payment": ["payment", "subcontract"],
        "deliverable": ["deliverable", "subcontract"],
        "summary": ["grant", "subcontract", "meeting"],
        "spend-down": ["grant", "subcontract"],
        "resource": ["resource", "grant"],
        "capacity": [],
    }[command[0]]
    wanted = [key for kind in kinds for key in busy[kind]]
    if command[0] == "person":
        wanted.remove(busy["org"][0])  # the funder has no people
    if command[0] == "grant":
        wanted.remove(busy["org"][1])  # the partner is not a funder
    if command[0] == "resource":
        wanted.append(busy["org"][1])  # the source
    if command[0] == "capacity":
        wanted.append("capacidad-organizacional")
    _ids_whole(out, wanted)
    _bars_whole(out)


def _bars_whole(out: str) -> None:
    """The spend table's "Money spent" cell on one line: a bar, then its percentage."""
    for line in out.splitlines():
        if "░" in line or "█" in line:
            assert line.rstrip().endswith("%"), line
        assert not re.fullmatch(r"\s*[\d.,]*\s*%", line), line


def _in_a_terminal(args: list[str], cwd: Path, columns: int = 80) -> str:
    """`comunidad ARGS` as a person runs it in a real terminal of `columns` (no COLUMNS)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from tests.conftest import subprocess_env

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = subprocess_env(COMUNIDAD_AS_OF="2026-03-20", TERM="dumb")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    with subprocess.Popen(
        [sys.executable, "-m", "comunidad_cli", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the command ends (EIO on Linux)
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait() == 0
    os.close(leader)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # colours, should Rich draw them


@pytest.fixture
def spending(busy: dict[str, list[str]]) -> dict[str, list[str]]:
    """`busy` with six figures spent: the spend table's amounts leave the bar 13 columns."""
    with freeze_time("2026-03-20 12:00:00"):
        ok("payment", "add", "--subcontract", busy["subcontract"][0], "--period-from",
           "2026-03-01", "--period-to", "2026-03-15", "--date", "2026-03-18", "--status",
           "paid", "--line", "personnel=100,000.00")  # fmt: skip
    return busy


@pytest.mark.parametrize("command", ["summary", "spend-down"])
def test_the_spend_bar_stays_whole_at_80_columns(
    spending: dict[str, list[str]], command: str
) -> None:
    with freeze_time("2026-03-20 12:00:00"):
        out = ok(command)  # COLUMNS=80
    assert spending["subcontract"][0] in out and "█" in out
    _lines_fit(out)
    _bars_whole(out)
    out = _in_a_terminal([command], Path.cwd())
    assert spending["subcontract"][0] in out and "█" in out
    _lines_fit(out)
    _bars_whole(out)


@pytest.mark.parametrize("command", [("org", "list"), ("person", "list")], ids=" ".join)
def test_piped_plain_tables_follow_columns(
    busy: dict[str, list[str]], command: tuple[str, ...]
) -> None:
    """Piped (not a terminal) with COLUMNS=80: the lists fit 80, as Rich's text does."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    done = subprocess.run(
        [sys.executable, "-m", "comunidad_cli", *command],
        env=subprocess_env(COLUMNS="80"),
        capture_output=True,
        text=True,
        check=True,
    )
    _lines_fit(done.stdout)
    _ids_whole(done.stdout, busy[command[0]])
    wide = subprocess.run(
        [sys.executable, "-m", "comunidad_cli", *command],
        env={k: v for k, v in subprocess_env().items() if k != "COLUMNS"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert max(cell_width(line) for line in wide.stdout.splitlines()) > 80  # grep's one line


@pytest.mark.parametrize(
    "command",
    [("person", "show"), ("grant", "show"), ("subcontract", "show"), ("meeting", "show")],
    ids=" ".join,
)
def test_shows_are_whole_at_80_columns(
    busy: dict[str, list[str]], command: tuple[str, ...]
) -> None:
    key = busy[command[0]][0]
    with freeze_time("2026-03-20 12:00:00"):
        out = ok(*command, key)
    _lines_fit(out)
    _ids_whole(out, [key])


def test_a_plain_table_wraps_free_text_and_keeps_ids_and_amounts_whole() -> None:
    key = "fondo-barrio-junta-de-vecinos-x"
    text = plain_table(
        ["ID", "NAME", "TOTAL"],
        [[key, "word " * 30, "$1,500,000.00"]],
        right=(2,),
        width=60,
    )
    lines = text.splitlines()
    assert all(cell_width(line) <= 60 for line in lines)
    assert key in lines[1] and "$1,500,000.00" in lines[1]
    assert len(lines) > 3


def test_a_table_too_wide_for_the_terminal_becomes_records_with_whole_ids() -> None:
    rows = [["familias-2026-2026-07-13", "familias-2026", "Jul 13, 2026", "$11,500.00"]]
    text = plain_table(["ID", "SUBCONTRACT", "DATE", "TOTAL"], rows, right=(3,), width=40)
    assert text.splitlines() == [
        "familias-2026-2026-07-13",
        "  SUBCONTRACT  familias-2026",
        "  DATE         Jul 13, 2026",
        "  TOTAL        $11,500.00",
    ]


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Ana\x00Pérez", "Ana\x1b[31mPérez", "Ana\u202ePérez", "Ana\x7f"])
def test_control_characters_are_refused_in_names_by_command(workspace: Path, bad: str) -> None:
    code, out, err = run("person", "add", bad)
    assert code == 1 and out == "" and "Traceback" not in err
    assert "NAME: character 4 is an invisible control character" in err
    code, _, err = run("org", "add", bad, "--kind", "community")
    assert code == 1 and "control character" in err
    code, _, err = run("person", "edit", "r1", "--name", bad)
    assert code == 1 and "--name: character 4" in err
    with connect(workspace) as db:
        names = [name for (name,) in db.execute("select name from person")]
    assert not any("Ana" in name for name in names)


def test_control_characters_are_refused_in_titles_and_reasons(workspace: Path) -> None:
    meeting = made(
        "meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10"
    )
    code, _, err = run("meeting", "new", "--body", "nlg", "--at", "2026-11-19 18:00",
                       "--title", "Sesión\x00")  # fmt: skip
    assert code == 1 and "--title: character 7 is an invisible control character" in err
    ok("meeting", "attend", meeting, "--person", "r1", "--at", "18:00")
    code, _, err = run("motion", "new", "--meeting", meeting, "--decision",
                       "award_subcontract", "--title", "A\x07", "--at", "18:05")  # fmt: skip
    assert code == 1 and "--title: character 2" in err and "U+0007" in err


def test_people_imports_refuse_control_characters_naming_row_and_column(
    workspace: Path,
) -> None:
    (workspace / "people.csv").write_text(
        "id,name\nana,Ana Pérez\nluis,Luis\x00Peña\n", encoding="utf-8"
    )
    code, _out, err = run("import", "people", "people.csv")
    assert code == 1 and "Traceback" not in err
    assert "people.csv:3: name: character 5 is an invisible control character (U+0000)" in err
    with connect(workspace) as db:
        assert (
            db.execute("select count(*) from person where key in ('ana', 'luis')").fetchone()[0]
            == 0
        )


def test_printable_format_characters_are_kept(workspace: Path) -> None:
    """ZWJ in emoji and RLM in Arabic and Hebrew are writing, not control."""
    name = "Família 👩\u200d👩\u200d👧 \u05e9\u05e8\u05d4\u200f"
    key = made("person", "add", name)
    assert json.loads(ok("person", "show", key, "--json"))["name"] == name


# --- names printed as typed -----------------------------------------------------------------


TRICKY = [
    "Luis [/] Peña",
    "Ana Pérez [suplente]",
    "<script>alert(1)</script>",
    "*asterisks* and _under_ `code`",
    "2026. Año & &amp; | # ~~x~~",
    "- dash [bold]x[/bold] :sun:",
]


def _unmarkdown(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _minutes(meeting: str, fmt: str) -> str:
    return ok("meeting", "minutes", meeting, "--format", fmt)


def _meeting_with(names: list[str], titles: list[str]) -> tuple[str, list[str]]:
    """A meeting where each name arrives; the first moves each title, the second recuses."""
    meeting = made(
        "meeting", "new", "--body", "partnership", "--at", "2026-11-18 18:00",
        "--notice-sent", "2026-11-10",
    )  # fmt: skip
    keys = []
    for name in names:
        key = made("person", "add", "--", name)
        ok("member", "add", "--body", "partnership", "--person", key, "--class", "resident",
           "--from", "2025-01-01")  # fmt: skip
        ok("meeting", "attend", meeting, "--person", key, "--at", "18:00")
        keys.append(key)
    for title in titles:
        motion = made("motion", "new", "--meeting", meeting, "--decision", "ordinary",
                    "--title", title, "--at", "18:05")  # fmt: skip
        ok("motion", "recuse", motion, "--person", keys[-1], "--reason", title, "--at", "18:06")
        ok("motion", "close", motion, "--at", "18:07")
    return meeting, keys


def test_tricky_names_print_as_typed_everywhere(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    meeting, keys = _meeting_with(TRICKY, TRICKY[:2])
    listed = ok("person", "list")
    shown = ok("meeting", "show", meeting, "--at", "2026-11-18 18:30")
    for name, key in zip(TRICKY, keys, strict=True):
        assert name in listed
        assert name in ok("person", "show", key)
        assert f"{name} ({key})" in shown
    terminal = _minutes(meeting, "text")
    markdown = _minutes(meeting, "markdown")
    page = _minutes(meeting, "html")
    assert "<script>" not in markdown and "<script>" not in page.split("</title>", 1)[1]
    for name in TRICKY:
        assert name in terminal, name
        assert name in _unmarkdown(markdown), name
        assert name in html.unescape(page), name


# --- the property: any printable text, through every output --------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from comunidad_cli.core.importing.text import text_problem  # noqa: E402

typed = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=30)
    .filter(lambda text: text_problem(text) is None and text.split() != [])
    .map(lambda text: " ".join(text.split()))
)


_EXAMPLES = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=typed, title=typed, reason=typed)
def test_any_printable_text_is_printed_as_typed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, name: str, title: str, reason: str
) -> None:
    """person add -> person list/show, meeting show -> minutes as text, Markdown and HTML."""
    monkeypatch.setenv("COLUMNS", "1000")
    # One workspace for every example: each its own ids, for a name or a meeting time typed
    # again is refused without one (the same command run twice).
    n = next(_EXAMPLES)
    meeting = made(
        "meeting", "new", "--body", "partnership", "--at", "2026-11-18 18:00",
        "--notice-sent", "2026-11-10", "--id", f"m-{n}",
    )  # fmt: skip
    key = made("person", "add", "--id", f"p-{n}", "--", name)
    ok("member", "add", "--body", "partnership", "--person", key, "--class", "resident",
       "--from", "2025-01-01")  # fmt: skip
    ok("meeting", "attend", meeting, "--person", key, "--at", "18:00")
    motion = made("motion", "new", "--meeting", meeting, "--decision", "ordinary",
                  f"--title={title}", "--at", "18:05")  # fmt: skip
    ok("motion", "recuse", motion, "--person", key, f"--reason={reason}", "--at", "18:06")
    ok("motion", "close", motion, "--at", "18:10")
    assert name in ok("person", "list")
    assert name in ok("person", "show", key)
    assert f"{name} ({key})" in ok("meeting", "show", meeting, "--at", "2026-11-18 18:30")
    terminal = _minutes(meeting, "text")
    markdown = _unmarkdown(_minutes(meeting, "markdown"))
    page = html.unescape(_minutes(meeting, "html"))
    for text in (name, title, reason):
        assert text in terminal, (text, terminal)
        assert text in markdown, (text, markdown)
        assert text in page, (text, page)


def test_a_long_chosen_id_is_whole_in_rich_tables(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    key = "asamblea-extraordinaria-de-la-junta-de-vecinos-villa-aromos"
    ok("meeting", "new", "--body", "partnership", "--at", "2026-11-18 18:00", "--id", key,
       "--notice-sent", "2026-11-10")  # fmt: skip
    out = ok("meeting", "list")
    _lines_fit(out)
    _ids_whole(out, [key])


def test_reimport_without_ids_finds_rows_stored_under_an_earlier_longer_key(
    workspace: Path,
) -> None:
    """Ids already in a database stay as they are; a file without ids still matches them."""
    earlier = "associacio-veinal-de-sants-montjuic"  # what versions before make_id made
    with connect(workspace) as db:
        db.execute(
            "insert into organisation (key, name, kind, created_at)"
            " values (?, 'Associació Veïnal de Sants-Montjuïc', 'community', '2024-01-01')",
            (earlier,),
        )
    (workspace / "orgs.csv").write_text(
        "name,kind,email\nAssociació Veïnal de Sants-Montjuïc,community,av@example.org\n",
        encoding="utf-8",
    )
    ok("import", "orgs", "orgs.csv")
    with connect(workspace) as db:
        rows = db.execute(
            "select key, email from organisation where name like 'Associ%'"
        ).fetchall()
    assert rows == [(earlier, "av@example.org")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Marcel·lí Ferrer", "marcelli-ferrer"),
        ("Tallers de col·lectius", "tallers-de-collectius"),
        ("Coŀlectiu Sant Antoni", "collectiu-sant-antoni"),  # the old single character
    ],
)
def test_catalans_geminate_l_is_one_word_in_an_id(name: str, expected: str) -> None:
    """A Catalan tester got `marcel-li-ferrer` and a project id cut at `...-de-col`."""
    from comunidad_cli.core.importing.ids import slugify

    assert slugify(name, prefix="person") == expected


def test_reimport_finds_a_row_stored_when_the_middle_dot_was_a_word_break(
    workspace: Path,
) -> None:
    """Ids already in a database stay as they are: a file without ids still matches the
    person an earlier version stored as `marcel-li-ferrer`, and adds nobody."""
    with connect(workspace) as db:
        db.execute(
            "insert into person (key, name, created_at)"
            " values ('marcel-li-ferrer', 'Marcel·lí Ferrer', '2024-01-01')"
        )
    (workspace / "people.csv").write_text(
        "name,email\nMarcel·lí Ferrer,marcel@example.org\n", encoding="utf-8"
    )
    ok("import", "people", "people.csv")
    with connect(workspace) as db:
        rows = db.execute("select key, email from person where name like 'Marcel%'").fetchall()
    assert rows == [("marcel-li-ferrer", "marcel@example.org")]
    ok("person", "add", "Núria Col·lell")
    with connect(workspace) as db:
        assert db.execute("select key from person where name like 'N%'").fetchall() == [
            ("nuria-collell",)
        ]


def test_bylaws_markdown_and_terminal_print_their_names_as_typed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    path = workspace / "bylaws" / "best-start-partnership.toml"
    tricky = "Junta <b>[Vecinos]</b> *Activa* & _Unida_ | 2026"
    body = "Asamblea [/] `General`"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'name = "Best Start Metro LA Community Partnership"', f'name = "{tricky}"', 1
    ).replace('name = "Community Partnership"', f'name = "{body}"', 1)
    path.write_text(text, encoding="utf-8")
    markdown = ok("bylaws", "show", "bsmla", "--format", "markdown")
    assert "<b>" not in markdown
    assert f"# {tricky}" in _unmarkdown(markdown) and body in _unmarkdown(markdown)
    terminal = ok("bylaws", "show", "bsmla")
    assert tricky in terminal and body in terminal


def test_an_email_with_a_control_character_is_refused(workspace: Path) -> None:
    code, _out, err = run("person", "add", "Ana", "--email", "ana\x00@example.org")
    assert code == 1 and "--email: character 4 is an invisible control character" in err


def test_a_control_character_at_the_end_of_a_name_is_refused_not_stripped(
    workspace: Path,
) -> None:
    code, _out, err = run("person", "add", "Ana Pérez\x1f")
    assert code == 1 and "NAME: character 10 is an invisible control character (U+001F)" in err


def test_a_tab_or_line_break_in_a_name_is_refused_not_made_a_space(workspace: Path) -> None:
    """A quoted CSV cell with a line break, or a tab, was quietly turned into a space."""
    (workspace / "people.csv").write_text(
        'id,name\nana,"Ana\nPérez"\nluis,"Luis\tPeña"\n', encoding="utf-8"
    )
    code, _out, err = run("import", "people", "people.csv")
    assert code == 1 and "Traceback" not in err
    assert "people.csv:2: name: character 4 is a tab or a line break (U+000A)" in err
    assert "name: character 5 is a tab or a line break (U+0009)" in err
    code, _, err = run("person", "add", "Marta\n")
    assert code == 1 and "NAME: character 6 is a tab or a line break" in err
    with connect(workspace) as db:
        names = [name for (name,) in db.execute("select name from person")]
    assert not any(n.startswith(("Ana", "Luis", "Marta")) for n in names)


def test_a_deliverable_holding_payments_says_so_in_words(
    busy: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No mark after the title (a title may end with "*"): a HOLDS PAYMENTS column."""
    sub = busy["subcontract"][0]
    ok("deliverable", "add", "--subcontract", sub, "--title", "Informe mensual",
       "--due", "2026-04-30", "--holds-payments")  # fmt: skip
    ok("deliverable", "add", "--subcontract", sub, "--title", "Rendición *",
       "--due", "2026-05-31")  # fmt: skip
    monkeypatch.setenv("COLUMNS", "200")
    with freeze_time("2026-03-20 12:00:00"):
        lines = ok("deliverable", "list").splitlines()
        spanish = ok("--locale", "es", "deliverable", "list")
    assert lines[0].split()[-2:] == ["HOLDS", "PAYMENTS"]
    (held,) = [line for line in lines if "Informe mensual" in line]
    assert held.endswith("yes") and "Informe mensual *" not in held
    (starred,) = [line for line in lines if "Rendición *" in line]
    assert not starred.endswith("yes")
    assert "RETIENE PAGOS" in spanish and "Informe mensual *" not in spanish
    (held,) = [line for line in spanish.splitlines() if "Informe mensual" in line]
    assert held.endswith("sí")


def test_the_spend_table_in_catalan_keeps_amounts_and_headers_whole_at_80_columns(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long ids and millions of euros left 9 columns for "Diners gastats": Rich cut the
    header to "Diners gasta…" and the amounts to "1.180.000,00…"; the header wraps now."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("COMUNIDAD_LOCALE", "ca_ES")
    assert run("init", "w", "--template", "xarxa", "--currency", "EUR")[0] == 0
    monkeypatch.chdir(in_tmp / "w")
    ok("org", "add", "Fundació", "--kind", "funder", "--id", "fundacio")
    ok("org", "add", "AV Sants", "--kind", "community", "--id", "av-sants")
    ok("grant", "new", "--funder", "fundacio", "--title", "Llarga", "--amount", "1.180.000,00",
       "--id", "una-subvencio-amb-un-titol-llarg", "--from", "2025-01-01", "--to", "2026-06-30")  # fmt: skip
    ok("subcontract", "new", "--grant", "una-subvencio-amb-un-titol-llarg", "--partner",
       "av-sants", "--id", "associacio-de-veins-i-veines-2025", "--kind", "subaward",
       "--from", "2025-02-01", "--to", "2026-01-31", "--line", "personal=1.142.000")  # fmt: skip
    for command in (["summary", "--as-of", "2025-03-31"], ["spend-down", "--as-of", "2025-03-31"]):
        out = ok(*command)
        _lines_fit(out)
        assert "…" not in out, out
        assert "1.180.000,00\u00a0€" in out and "1.142.000,00\u00a0€" in out
        assert "Diners" in out and "gastats" in out
        _ids_whole(out, ["una-subvencio-amb-un-titol-llarg", "associacio-de-veins-i-veines-2025"])
