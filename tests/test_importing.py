"""`comunidad import KIND FILE`: formats, every problem with its row, all or nothing, re-runs."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from comunidad_cli.core.importing import columnar, values
from comunidad_cli.core.importing.columns import Column, Row
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.rows import find_duplicates, parse_records
from comunidad_cli.core.importing.text import parse_text
from comunidad_cli.core.importing.values import money
from comunidad_cli.services.imports import engine as importing
from comunidad_cli.services.imports import readers, registry
from comunidad_cli.services.imports.kinds import ImportContext, ImportKind, Plan
from tests.conftest import ROOT
from tests.helpers import connect, dump
from tests.test_directory import audit_rows, db_url, make_workspace, ok, run

EXAMPLES = ROOT / "examples"


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    return make_workspace(in_tmp / "w")


def write(path: Path, text: str, *, bom: bool = False, encoding: str = "utf-8") -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def imported(*args: str) -> tuple[int, str, str]:
    """`comunidad import ARGS`; global options (--locale) first, as a user types them."""
    options = list(args[:2]) if args and args[0] == "--locale" else []
    return run(*options, "import", *args[len(options) :])


def refused(folder: Path, *args: str) -> list[str]:
    """`import ARGS` exits 1 and writes nothing; returns the error lines."""
    before = dump(folder)
    code, _, err = imported(*args)
    assert code == 1, err
    assert "Traceback" not in err
    assert "nothing was imported" in err or "no se importó nada" in err  # en or es workspaces
    assert dump(folder) == before
    return [line.removeprefix("error: ") for line in err.splitlines() if line.startswith("error: ")]


def names(folder: Path, table: str) -> list[tuple[Any, ...]]:
    with connect(folder) as db:
        return db.execute(f"select key, name from {table} order by key").fetchall()


# --- value parsers (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mark", "text", "value"),
    [
        (".", "1234.56", "1234.56"),
        (".", "1,234.56", "1234.56"),
        (".", "1,234,567", "1234567"),
        (".", "-0.5", "-0.5"),
        (".", "1.234", "1.234"),
        (",", "1234,56", "1234.56"),
        (",", "1.234,56", "1234.56"),
        (",", "1.234.567", "1234567"),
        (",", "1,234", "1.234"),
        (None, "1234.56", "1234.56"),
        (None, "-12", "-12"),
    ],
)
def test_money_by_locale(mark: str | None, text: str, value: str) -> None:
    parsed = money(mark)(text)
    assert isinstance(parsed, Decimal) and parsed == Decimal(value)


@pytest.mark.parametrize(
    ("mark", "text", "message"),
    [
        (
            ".",
            "1.234,56",
            '"1.234,56" is written with the other decimal separator: numbers in this file are expected as 1234.56 / 1,234.56',
        ),
        (".", "12,5", "expected as 1234.56 / 1,234.56"),
        (
            ",",
            "1,234.56",
            '"1,234.56" is written with the other decimal separator: numbers in this file are expected as 1234,56 / 1.234,56',
        ),
        (
            ".",
            "$12",
            '"$12" is not an amount: write it as 1234.56 / 1,234.56, without a currency sign',
        ),
        (".", "1,23,4", "is not an amount"),
        (None, "1,234.56", '"1,234.56" is not an amount: write it as 1234.56'),
        (",", "12 €", "is not an amount"),
    ],
)
def test_money_in_the_wrong_convention_is_refused(
    mark: str | None, text: str, message: str
) -> None:
    with pytest.raises(Invalid) as refused_value:
        money(mark)(text)
    assert message in refused_value.value.msg.render()


def test_dates_and_times() -> None:
    assert values.parse_date("2024-02-29") == date(2024, 2, 29)
    for text, message in [
        ("2023-02-29", 'there is no such date as "2023-02-29"'),
        ("29/02/2024", '"29/02/2024" is not a date: write it as YYYY-MM-DD'),
        ("20240229", "is not a date"),
    ]:
        with pytest.raises(Invalid) as error:
            values.parse_date(text)
        assert message in error.value.msg.render()
    assert values.parse_datetime("2024-03-14T18:30-03:00") == datetime(
        2024, 3, 14, 21, 30, tzinfo=UTC
    )
    assert values.parse_datetime("2024-03-14 21:30:15.5Z") == datetime(
        2024, 3, 14, 21, 30, 15, 500000, tzinfo=UTC
    )
    assert values.parse_datetime("2024-03-14T22:30:00+0100") == datetime(
        2024, 3, 14, 21, 30, tzinfo=UTC
    )
    with pytest.raises(Invalid) as error:
        values.parse_datetime("2024-03-14T18:30")
    assert error.value.msg.render() == (
        '"2024-03-14T18:30" has no time zone: add the offset (e.g. 2024-03-14T18:30-03:00,'
        " 2024-03-14T18:30+01:00) or Z for UTC"
    )
    for text in ("2024-03-14", "2024-03-14T25:00Z", "ayer"):
        with pytest.raises(Invalid):
            values.parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("Yes", True),
        ("sí", True),
        ("SI", True),
        ("1", True),
        ("false", False),
        ("no", False),
        ("0", False),
    ],
)
def test_booleans(text: str, value: bool) -> None:
    assert values.parse_bool(text) is value


def test_other_parsers_refuse_with_the_value() -> None:
    for parse, text in [
        (values.parse_bool, "quizás"),
        (values.parse_int, "12.5"),
        (values.choice("a", "b"), "c"),
        (parse_key, "Ñu"),
    ]:
        with pytest.raises(Invalid) as error:
            parse(text)
        assert text in error.value.msg.render()
    assert values.parse_int("-42") == -42
    assert values.choice("agency", "funder")("Funder") == "funder"


def test_header_and_duplicates_pure() -> None:
    columns = [
        Column("id", parse_key, required=True),
        Column("name", parse_text, required=True),
        Column("note", parse_text),
    ]
    parsed = parse_records(
        columns, ["ID", "colour", "colour"], [(2, ["a", "red", "blue"]), (3, ["b", "", ""])]
    )
    assert not parsed.header_ok
    assert [p.msg.render() for p in parsed.problems] == [
        'unknown column "colour": the columns are id, name, note',
        'unknown column "colour": the columns are id, name, note',
        'missing column "name"',
    ]
    rows = [Row(2, {"id": "a"}), Row(3, {"id": "b"}), Row(7, {"id": "a"}), Row(9, {"id": "a"})]
    kept, problems = find_duplicates(rows, lambda r: r["id"], "id")
    assert [r.number for r in kept] == [2, 3]
    assert [(p.row, p.msg.render()) for p in problems] == [
        (7, "duplicate of row 2: the same id (a)"),
        (9, "duplicate of row 2: the same id (a)"),
    ]


# --- the examples: CSV with a BOM and semicolons, re-imports ---------------------------------------


@freeze_time("2025-01-15 12:00:00")
def test_the_examples_import_and_reimport_changes_nothing(ws: Path) -> None:
    assert (EXAMPLES / "people.csv").read_bytes().startswith(b"\xef\xbb\xbfid;name;org;")
    expected = {"orgs": 7, "people": 13, "members": 28}
    for kind, count in expected.items():
        code, out, err = imported(kind, str(EXAMPLES / f"{kind}.csv"))
        assert code == 0, err
        assert out == "" and err == f"{count} created, 0 unchanged\n"
    assert ("maria-jose-nunez", "María José Núñez") in names(ws, "person")
    lucia = json.loads(ok("person", "show", "lucia-fernandez", "--json"))
    assert lucia["org"] == "eastside-family-center" and len(lucia["seats"]) == 2
    assert (
        len(json.loads(ok("member", "list", "--body", "nlg", "--on", "2025-01-01", "--json"))) == 12
    )
    before = dump(ws)
    for kind, count in expected.items():
        code, _, err = imported(kind, str(EXAMPLES / f"{kind}.csv"))
        assert code == 0 and err == f"0 created, {count} unchanged\n"
    assert dump(ws) == before
    # The example fills the NLG to its caps.
    code, _, err = run(
        "member",
        "add",
        "--body",
        "nlg",
        "--person",
        "oscar-ruiz",
        "--class",
        "resident",
        "--from",
        "2025-01-01",
    )
    assert code == 1 and '"nlg" has 7 seats for class "resident"' in err


def test_json_and_ndjson(ws: Path) -> None:
    orgs = [
        {"id": "casa", "name": "Casa de la Comunidad", "kind": "community", "phone": 5550101},
        {"name": "Panadería La Esperanza", "kind": "business", "email": None},
    ]
    write(ws / "orgs.json", json.dumps(orgs, ensure_ascii=False))
    assert imported("orgs", "orgs.json") == (0, "", "2 created, 0 unchanged\n")
    lines = [
        json.dumps({"id": "ines", "name": "Inés Ibáñez", "org": "casa"}, ensure_ascii=False),
        "",
        json.dumps({"name": "Raúl Muñoz", "email": "raul@example.org"}, ensure_ascii=False),
    ]
    write(ws / "people.ndjson", "\n".join(lines) + "\n")
    assert imported("people", "people.ndjson")[0] == 0
    assert names(ws, "organisation") == [
        ("casa", "Casa de la Comunidad"),
        ("panaderia-la-esperanza", "Panadería La Esperanza"),
    ]
    assert json.loads(ok("org", "show", "casa", "--json"))["phone"] == "5550101"
    assert json.loads(ok("person", "show", "raul-munoz", "--json"))["email"] == "raul@example.org"
    # --format for another extension; the same rows again are unchanged.
    shutil.copy(ws / "people.ndjson", ws / "people.txt")
    assert imported("people", "people.txt", "--format", "ndjson") == (
        0,
        "",
        "0 created, 2 unchanged\n",
    )


def test_json_problems_are_numbered_by_item(ws: Path) -> None:
    write(
        ws / "o.json",
        json.dumps(
            [
                {"id": "a", "name": "A", "kind": "agency"},
                7,
                {"id": "b", "name": ["B"], "kind": "spy"},
            ]
        ),
    )
    assert refused(ws, "orgs", "o.json") == [
        "o.json:2: expected an object ({...}), found a single value",
        'o.json:3: kind: "spy" is not one of: agency, community, business, public, funder',
        "o.json:3: name: expected a single value, found a list",
    ]
    write(ws / "o.json", '{"id": "a"}')
    assert refused(ws, "orgs", "o.json") == [
        "o.json: expected an array of objects ([{...}, {...}]), found an object"
    ]
    write(ws / "o.json", '[{"id": "a",\n  "name": }]')
    assert refused(ws, "orgs", "o.json") == [
        "o.json: not valid JSON at line 2, column 11: Expecting value"
    ]
    write(
        ws / "o.ndjson",
        '{"id": "a", "name": "A", "kind": "agency"}\n{"id": "b"\n\n{"id": "c", "name": "C", "kind": "x"}\n',
    )
    assert refused(ws, "orgs", "o.ndjson") == [
        "o.ndjson:2: not valid JSON at column 11: Expecting ',' delimiter",
        'o.ndjson:4: kind: "x" is not one of: agency, community, business, public, funder',
    ]


# --- every problem, with its row ---------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_line(ws: Path) -> None:
    text = (
        "id;name;kind;email\r\n"
        "casa;Casa;community;\r\n"
        'amigos;"Amigos del Parque;\r\nInc.";community;nope\r\n'  # a quoted field over two lines
        "Bad Key;X;agency;\r\n"
        "\r\n"
        "casa;Casa otra vez;agency;\r\n"
        ";;business;\r\n"
        "ok;Ok;funder;;extra\r\n"
    )
    write(ws / "orgs.csv", text, bom=True)
    assert refused(ws, "orgs", "orgs.csv") == [
        'orgs.csv:3: email: "nope" is not an email address',
        # A name over two lines is a question, not a name with a space in it.
        "orgs.csv:3: name: character 19 is a tab or a line break (U+000D): a name or title is written on one line",
        'orgs.csv:5: id: key "Bad Key" is not valid: use lower-case letters, digits, "-" and "_", starting with a letter (e.g. maria-jose)',
        "orgs.csv:7: duplicate of row 2: the same id (casa)",
        "orgs.csv:8: name: a value is required",
        "orgs.csv:9: 5 values, but the header names 4 columns",
    ]


def test_a_missing_column_is_reported_once(ws: Path) -> None:
    write(ws / "orgs.csv", "id,name,colour\na,A,red\nb,B,blue\nc,C,green\n")
    assert refused(ws, "orgs", "orgs.csv") == [
        'orgs.csv: unknown column "colour": the columns are id, name, kind, email, phone',
        'orgs.csv: missing column "kind"',
    ]


def test_excel_trailing_separators_are_tolerated(ws: Path) -> None:
    write(ws / "orgs.csv", "id;name;kind;;\ncasa;Casa;community;;\n;;;;\n")
    assert imported("orgs", "orgs.csv") == (0, "", "1 created, 0 unchanged\n")


def test_a_file_that_is_not_utf8(ws: Path) -> None:
    write(ws / "orgs.csv", "id,name,kind\ncafe,Café Niño,business\n", encoding="latin-1")
    assert refused(ws, "orgs", "orgs.csv") == [
        'orgs.csv: not UTF-8: byte 0xe9 at byte 21 (line 2, column 9) is not valid UTF-8: save the file as UTF-8 (in Excel: "CSV UTF-8"; in LibreOffice: character set Unicode (UTF-8))'
    ]
    write(ws / "orgs.csv", "id,name,kind\n", encoding="utf-16")
    assert "the file is UTF-16, not UTF-8" in refused(ws, "orgs", "orgs.csv")[0]
    write(ws / "orgs.csv", "")
    assert refused(ws, "orgs", "orgs.csv") == [
        "orgs.csv: the file is empty: its first line must name the columns"
    ]


def test_members_dates_duplicates_and_references(ws: Path) -> None:
    ok("person", "add", "Ana", "--id", "ana")
    ok("person", "add", "Bea", "--id", "bea")
    write(
        ws / "m.csv",
        "bylaws,body,person,class,role,from,to\n"
        "bsmla,nlg,ana,resident,,2024-13-01,\n"
        ",nlg,bea,resident,,01/07/2024,\n"
        "bsmla,nlg,bea,resident,,2024-07-01,2024-06-30\n"
        "bsmla,nlg,bea,resident,,2024-07-01,\n"
        "bsmla,nlg,nadie,resident,,2024-07-01,\n"
        "otro,nlg,ana,resident,,2024-07-01,\n"
        "bsmla,board,ana,resident,,2024-07-01,\n",
    )
    assert refused(ws, "members", "m.csv") == [
        'm.csv:2: from: there is no such date as "2024-13-01"',
        'm.csv:3: from: "01/07/2024" is not a date: write it as YYYY-MM-DD, e.g. 2024-03-14',
        "m.csv:4: to: the seat would end (June 30, 2024) before it starts (July 1, 2024)",
        "m.csv:5: duplicate of row 4: the same bylaws, body, person, from (bsmla/nlg/bea/July 1, 2024)",
        'm.csv:6: person: no person with id "nadie": import the people first, or add them with "comunidad person add"',
        f'm.csv:7: bylaws: no by-laws with id "otro" in {ws / "bylaws"}',
        'm.csv:8: body: by-laws "bsmla" have no body "board"; their bodies are: finance, nlg, outreach, parent_leadership, partnership',
    ]


def test_members_are_checked_against_the_other_rows_and_the_database(ws: Path) -> None:
    from comunidad_cli.services.directory import add_person

    for n in range(1, 10):
        add_person(db_url(ws), name=f"R{n}", key=f"r{n}")
    ok(
        "member",
        "add",
        "--body",
        "partnership",
        "--person",
        "r9",
        "--class",
        "resident",
        "--role",
        "co_chairs",
        "--from",
        "2024-01-01",
    )
    rows = [f"nlg,r{n},resident,,2024-07-01," for n in range(1, 9)]
    rows += [
        "partnership,r1,resident,co_chairs,2024-01-01,",
        "partnership,r2,resident,co_chairs,2024-06-01,",
    ]
    write(ws / "m.csv", "body,person,class,role,from,to\n" + "\n".join(rows) + "\n")
    assert refused(ws, "members", "m.csv") == [
        'm.csv:9: class: "nlg" has 7 seats for class "resident" and all are held on July 1, 2024: end a seat first',
        'm.csv:11: role: role "co_chairs" has 2 holders and is already held on June 1, 2024 by r1, r9',
    ]
    del rows[7]
    del rows[-1]
    write(ws / "m.csv", "body,person,class,role,from,to\n" + "\n".join(rows) + "\n")
    assert imported("members", "m.csv") == (0, "", "8 created, 0 unchanged\n")


# --- amounts by locale, with a test-only kind -------------------------------------------------------


@pytest.fixture
def amounts(monkeypatch: pytest.MonkeyPatch) -> list[Decimal]:
    """Registers the kind "test-amounts" (id, amount); collects the amounts it is given."""
    seen: list[Decimal] = []

    def columns(ctx: ImportContext) -> tuple[Column, ...]:
        return (
            Column("id", parse_key, required=True),
            Column("amount", money(ctx.decimal_mark), required=True),
        )

    def plan(conn: Any, rows: list[Row], present: frozenset[str], ctx: ImportContext) -> Plan:
        seen.extend(r["amount"] for r in rows)
        return Plan(unchanged=len(rows))

    kind = ImportKind("test-amounts", "test", columns, lambda row: row["id"], "id", plan)
    monkeypatch.setitem(registry.KINDS, kind.name, kind)
    return seen


def test_amounts_follow_the_locale(ws: Path, amounts: list[Decimal]) -> None:
    write(ws / "en.csv", 'id,amount\na,1234.56\nb,"1,234.56"\nc,"1.234,56"\nd,7\n')
    assert refused(ws, "--locale", "en", "test-amounts", "en.csv") == [
        'en.csv:4: amount: "1.234,56" is written with the other decimal separator: numbers in this file are expected as 1234.56 / 1,234.56; did you mean 1,234.56?'
    ]
    assert amounts == [Decimal("1234.56"), Decimal("1234.56"), Decimal(7)]  # the good rows
    amounts.clear()
    write(ws / "es.csv", "id;amount\na;1234,56\nb;1.234,56\nc;7\n")
    code, _, err = imported("--locale", "es", "test-amounts", "es.csv")
    assert code == 0, err
    assert amounts == [Decimal("1234.56")] * 2 + [Decimal(7)]
    write(ws / "es.csv", 'id;amount\na;"1,234.56"\n')
    assert refused(ws, "--locale", "es", "test-amounts", "es.csv") == [
        'es.csv:2: amount: "1,234.56" está escrito con el otro separador decimal: en este archivo los números se esperan como 1234,56 / 1.234,56; ¿quisiste decir 1.234,56?'
    ]  # in Spanish: the workspace's locale is es
    write(ws / "es.json", '[{"id": "a", "amount": 1234.56}, {"id": "b", "amount": "0.10"}]')
    amounts.clear()
    assert imported("--locale", "es", "test-amounts", "es.json")[0] == 0
    assert amounts == [Decimal("1234.56"), Decimal("0.10")]  # JSON numbers: exact, any locale


# --- dry runs, updates, the audit log ---------------------------------------------------------------


def test_a_dry_run_writes_nothing(ws: Path) -> None:
    before = dump(ws)
    code, out, err = imported("orgs", str(EXAMPLES / "orgs.csv"), "--dry-run")
    assert code == 0 and out == ""
    assert err == "Dry run: 7 to create, 0 unchanged; nothing was written.\n"
    assert dump(ws) == before
    write(ws / "bad.csv", "id,name,kind\na,A,spy\n")
    assert refused(ws, "orgs", "bad.csv", "--dry-run") == [
        'bad.csv:2: kind: "spy" is not one of: agency, community, business, public, funder'
    ]


@freeze_time("2030-02-28 10:00:00")
def test_changed_rows_are_updated_counted_and_audited(ws: Path) -> None:
    ok(
        "org",
        "add",
        "Casa",
        "--kind",
        "community",
        "--id",
        "casa",
        "--email",
        "a@casa.org",
        "--phone",
        "555 0101",
    )
    write(
        ws / "orgs.csv",
        "id,name,kind,email\ncasa,Casa de la Comunidad,community,\nnueva,Nueva,public,n@n.org\n",
    )
    code, _, err = imported("orgs", "orgs.csv")
    assert code == 0 and err == "1 created, 1 updated, 0 unchanged\n"
    org = json.loads(ok("org", "show", "casa", "--json"))
    # The columns the file has are written (an empty cell clears); the others are left alone.
    assert (org["name"], org["email"], org["phone"]) == ("Casa de la Comunidad", None, "555 0101")
    rows = audit_rows(ws)[1:]
    assert [r[:4] for r in rows] == [
        ("import orgs", "update", "organisation", "casa"),
        ("import orgs", "create", "organisation", "nueva"),
        ("import orgs", "import", "organisation", "orgs.csv"),
    ]
    assert json.loads(rows[0][4]) == {
        "file": "orgs.csv",
        "row": 2,
        "changed": {"name": ["Casa", "Casa de la Comunidad"], "email": ["a@casa.org", None]},
    }
    summary = json.loads(rows[2][4])
    assert {k: summary[k] for k in ("rows", "created", "updated", "unchanged", "format")} == {
        "rows": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "format": "csv",
    }
    assert len(summary["sha256"]) == 64
    before = dump(ws)
    assert imported("orgs", "orgs.csv") == (0, "", "0 created, 2 unchanged\n")
    assert dump(ws) == before  # not even an audit row


def test_a_seat_row_with_new_dates_updates_the_seat(ws: Path) -> None:
    ok("person", "add", "Ana", "--id", "ana")
    ok(
        "member",
        "add",
        "--body",
        "nlg",
        "--person",
        "ana",
        "--class",
        "resident",
        "--from",
        "2024-01-01",
    )
    write(
        ws / "m.csv",
        "body,person,class,role,from,to\nnlg,ana,resident,nlg_facilitator,2024-01-01,2024-12-31\n",
    )
    assert imported("members", "m.csv") == (0, "", "0 created, 1 updated, 0 unchanged\n")
    seat = json.loads(ok("person", "show", "ana", "--json"))["seats"][0]
    assert (seat["role"], seat["to"]) == ("nlg_facilitator", "2024-12-31")
    write(
        ws / "m.csv",
        "body,person,class,role,from,to\nnlg,ana,resident,nlg_facilitator,2024-01-01,2027-12-31\n",
    )
    assert refused(ws, "members", "m.csv")[0].startswith(
        'm.csv:2: role: role "nlg_facilitator" allows 2 consecutive terms'
    )


def test_the_audit_rows_share_the_transaction(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from comunidad_cli.services.imports import kinds

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kinds, "write_audit", broken)
    before = dump(ws)
    with pytest.raises(RuntimeError):
        importing.run_import(
            db_url(ws), "orgs", EXAMPLES / "orgs.csv", today=date(2025, 1, 1), at=datetime.now(UTC)
        )
    assert dump(ws) == before


def test_json_summary(ws: Path) -> None:
    code, out, _ = imported("orgs", str(EXAMPLES / "orgs.csv"), "--json")
    assert code == 0
    summary = json.loads(out)
    assert {
        k: summary[k]
        for k in ("kind", "format", "ok", "rows", "created", "updated", "unchanged", "errors")
    } == {
        "kind": "orgs",
        "format": "csv",
        "ok": True,
        "rows": 7,
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    write(ws / "bad.csv", "id,name,kind\na,A,spy\n")
    code, out, err = imported("orgs", "bad.csv", "--json")
    assert code == 1 and "bad.csv:2: kind:" in err
    assert json.loads(out)["errors"] == [
        {
            "row": 2,
            "column": "kind",
            "message": '"spy" is not one of: agency, community, business, public, funder',
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["spaceships", "x.csv"], 'unknown kind "spaceships": choose one of '),
        (
            ["orgs", "orgs.xlsx"],
            "cannot tell the format of orgs.xlsx from its extension: add --format csv, json or ndjson",
        ),
        (["orgs", "orgs.csv", "--format", "xml"], 'unknown format "xml"'),
        (["orgs", "missing.csv"], "cannot read missing.csv: there is no such file or folder"),
    ],
)
def test_usage_errors(ws: Path, args: list[str], message: str) -> None:
    write(ws / "orgs.xlsx", "")
    write(ws / "orgs.csv", "id,name,kind\n")
    code, _, err = imported(*args)
    assert code == 2 and message in err


def test_an_unknown_kind_lists_every_registered_kind(ws: Path) -> None:
    from comunidad_cli.services.imports.registry import KINDS

    code, _, err = imported("spaceships", "x.csv")
    assert code == 2
    listed = err.split("choose one of ")[1].strip().split(", ")
    assert listed == sorted(KINDS)
    assert {"people", "orgs", "members", "votes", "payments", "assessments"} <= set(listed)


def test_the_help_lists_every_kind_of_the_one_registry() -> None:
    """`import --help` reads the registry the command runs from: a new kind is listed at once."""
    import re

    code, out, _ = imported("--help")
    assert code == 0
    squeezed = re.sub(r"\s+", "", out)  # the help wraps lines, and may break at a hyphen
    listed = squeezed.split("oneof:")[1].split(".")[0].split(",")
    assert listed == list(registry.KINDS)
    assert len(listed) == 28


def test_every_kind_of_the_registry_loads_under_its_name() -> None:
    """A registry line pointing at the wrong module or attribute fails here, not at a user."""
    for name in list(registry.KINDS):
        assert registry.get_kind(name).name == name


def test_listing_the_kinds_imports_none_of_them() -> None:
    """`import --help` lists the registry without importing a kind's module (nor SQLAlchemy)."""
    from tests.test_storage import _run_python

    result = _run_python(
        "import sys; import comunidad_cli.cli.importing as cli;"
        " from comunidad_cli.services.imports import registry; registry.kind_names();"
        " print('sqlalchemy' in sys.modules,"
        " all(isinstance(entry, str) for entry in registry.KINDS.values()))"
    )
    assert result.stdout.split() == ["False", "True"]  # no SQLAlchemy; every kind still unloaded


# --- large files ----------------------------------------------------------------------------------


def test_progress_only_for_large_files(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []

    class Sink:
        def advance(self, rows: int) -> None:
            calls.append(("advance", rows))

        def close(self) -> None:
            calls.append(("close", 0))

    def factory(total: int) -> Sink:
        calls.append(("start", total))
        return Sink()

    monkeypatch.setattr(importing, "PROGRESS_MIN_ROWS", 5)
    monkeypatch.setattr(importing, "PROGRESS_STEP", 2)
    small = write(
        ws / "small.csv", "id,name,kind\n" + "".join(f"o{n},O{n},agency\n" for n in range(4))
    )
    large = write(
        ws / "large.csv", "id,name,kind\n" + "".join(f"o{n},O{n},agency\n" for n in range(7))
    )
    for path in (small, large):
        report = importing.run_import(
            db_url(ws),
            "orgs",
            path,
            dry_run=True,
            today=date(2025, 1, 1),
            at=datetime.now(UTC),
            progress=factory,
        )
        assert report.ok
    assert calls == [
        ("start", 8),
        ("advance", 2),
        ("advance", 2),
        ("advance", 2),
        ("advance", 1),
        ("close", 0),
    ]


def test_twenty_thousand_rows_in_one_transaction(ws: Path) -> None:
    rows = "".join(f"org-{n},Organización {n},community,o{n}@example.org,\n" for n in range(20_000))
    write(ws / "big.csv", "id,name,kind,email,phone\n" + rows)
    started = time.perf_counter()
    assert imported("orgs", "big.csv") == (0, "", "20000 created, 0 unchanged\n")
    assert time.perf_counter() - started < 30
    with connect(ws) as db:
        assert db.execute("select count(*) from organisation").fetchone() == (20_000,)
        assert db.execute(
            "select count(*) from audit_event where command = 'import orgs'"
        ).fetchone() == (20_001,)


def test_members_without_a_bylaws_column_need_a_single_bylaws_file(ws: Path) -> None:
    ok("person", "add", "Ana", "--id", "ana")
    write(ws / "m.csv", "body,person,class,from\nnlg,ana,resident,2024-07-01\n")
    shutil.copy(ROOT / "bylaws" / "directorio-local.toml", ws / "bylaws")
    assert refused(ws, "members", "m.csv") == [
        'm.csv:2: bylaws: the workspace has 2 by-laws files: fill in the "bylaws" column with the id of one'
    ]
    (ws / "bylaws" / "directorio-local.toml").unlink()
    assert imported("members", "m.csv") == (0, "", "1 created, 0 unchanged\n")


def test_a_bom_before_a_quoted_header(ws: Path) -> None:
    """Excel quotes header cells now and then: the BOM must go before the CSV is parsed."""
    assert readers.decode(b"\xef\xbb\xbfid") == ("id", None)
    write(
        ws / "orgs.csv",
        '"id";"name";"kind"\r\n"casa";"Casa; la de todos";"community"\r\n',
        bom=True,
    )
    assert imported("orgs", "orgs.csv") == (0, "", "1 created, 0 unchanged\n")
    assert names(ws, "organisation") == [("casa", "Casa; la de todos")]


# --- the fast lane ------------------------------------------------------------------------------

LANE_COLUMNS = (
    Column("id", parse_key, required=True),
    Column("when", values.parse_date, required=True),
    Column("note", parse_text),
)


def lane(header: list[str], *records: list[Any]) -> list[list[Any]]:
    found = columnar.Columnar.of(LANE_COLUMNS, header)
    assert found is not None
    return found.columns([list(records)])


def test_the_fast_lane_gives_columns_in_the_kinds_order() -> None:
    header = ["note", " ID ", "when"]
    assert lane(header, ["a", "k1", "2026-01-02"], ["", " k2", "2026-01-02"]) == [
        ["k1", "k2"],
        [date(2026, 1, 2), date(2026, 1, 2)],
        ["a", None],
    ]
    # An optional column the file does not have reads as empty.
    assert lane(["id", "when"], ["k1", "2026-01-02"]) == [["k1"], [date(2026, 1, 2)], [None]]
    parsed = columnar.Columnar.of(LANE_COLUMNS, ["id", "when"])
    assert parsed is not None and parsed.present == frozenset({"id", "when"})


@pytest.mark.parametrize(
    "record",
    [
        ["k1", ""],  # a required value missing
        ["k1", "2026-02-30"],  # a value the parser refuses
        ["bad key", "2026-01-02"],
        ["k1"],  # a short record
        ["k1", "2026-01-02", ""],  # a long one (Excel's trailing separator)
        [],  # a blank line
        ["k1", Invalid.of("a list")],  # a cell the JSON reader refused
    ],
)
def test_the_fast_lane_stops_at_anything_irregular(record: list[Any]) -> None:
    with pytest.raises(columnar.Irregular):
        lane(["id", "when"], ["k0", "2026-01-01"], record)


def test_headers_the_fast_lane_leaves_to_the_careful_path() -> None:
    for header in (["id"], ["id", "when", "extra"], ["id", "when", "id"], ["id", "when", " "]):
        assert columnar.Columnar.of(LANE_COLUMNS, header) is None


def test_an_import_pauses_the_cyclic_gc_and_restores_it(ws: Path) -> None:
    import gc

    assert gc.isenabled()
    seen: list[bool] = []
    original = readers.READERS["csv"]

    def spy(text: str) -> readers.Source:
        seen.append(gc.isenabled())
        return original(text)

    readers.READERS["csv"] = spy
    try:
        assert run("import", "orgs", str(ROOT / "examples" / "orgs.csv"))[0] == 0
    finally:
        readers.READERS["csv"] = original
    assert seen == [False] and gc.isenabled()
