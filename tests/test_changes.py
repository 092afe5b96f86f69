"""Systems change: every kind of record tagged by its id (a funded project by its
application's), conditions and qualities typed in es/ca/en, unknown ones refused with the list,
untag keeping the history, the change-tags import (all or nothing, row numbers), and the report
by condition and quality figured by hand (a motion adopted against one rejected, a payment
outside the period), on either backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from comunidad_cli.core.changes import (
    CONDITIONS,
    QUALITIES,
    Activity,
    Commitment,
    Records,
    Tag,
    parse_values,
    report,
)
from comunidad_cli.core.messages import Msg
from comunidad_cli.storage import grants
from tests.helpers import ok, query, refused, run, write
from tests.test_funds_contracts import PLAZA, _adopted_round, _db

W: tuple[str, ...] = ()


def cmd(*args: str) -> str:
    return ok(*W, *args)


def as_json(*args: str) -> Any:
    return json.loads(cmd(*args, "--json"))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Path]:
    """A workspace with: motion adjudicar (adopted on 2026-06-12), rechazo (rejected the same
    day) and tarde (adopted on 2026-10-05); funded project plaza and its subcontract (CLP
    3,000,000 from 2026-07-01) with three payments (submitted 500,000 on 2026-07-15, declined
    100,000 on 2026-08-01, paid 700,000 on 2026-10-01); learning activities taller (2026-07-10,
    3.5 h, two people) and otono (2026-10-15, 2 h); network commitments c1 (taken 2026-07-01,
    done 2026-07-20), c2 (taken 2026-08-01, due 2026-09-01, open) and c3 (taken 2026-10-10)."""
    global W
    folder = tmp_path / "ws"
    _adopted_round(folder, awards=(PLAZA,))
    W = ("--workspace", str(folder))
    cmd("fund", "contract", "2026-barrio-activo")
    for key, title in (("rechazo", "Rechazar"), ("tarde", "Más tarde")):
        cmd(
            "motion", "new", "--meeting", "adjudicacion", "--decision", "adjudicar_fondos",
            "--title", title, "--id", key, "--at", "2026-06-12 19:40",
        )  # fmt: skip
    cmd("org", "add", "Associació de Sants", "--kind", "community", "--id", "assoc")
    cmd("person", "add", "Núria Puig", "--org", "assoc")
    cmd("person", "add", "Jordi Vila", "--org", "assoc")
    cmd("network", "add", "Xarxa d'Infància", "--kind", "xarxa", "--id", "xis")
    for key, on, due in (
        ("c1", "2026-07-01", "2026-08-01"),
        ("c2", "2026-08-01", "2026-09-01"),
        ("c3", "2026-10-10", "2026-11-01"),
    ):
        cmd(
            "network", "commit", "xis", "--text", f"Compromís {key}", "--owner", "nuria-puig",
            "--on", on, "--due", due, "--id", key,
        )  # fmt: skip
    cmd("network", "follow-up", "c1", "--status", "done", "--on", "2026-07-20", "--by", "Núria")
    at = datetime(2026, 6, 1, tzinfo=UTC)
    with _db(folder) as db:
        for key, outcome, closed in (
            ("rechazo", "rejected", datetime(2026, 6, 12, 20, 0, tzinfo=UTC)),
            ("tarde", "adopted", datetime(2026, 10, 5, 12, 0, tzinfo=UTC)),
        ):
            db.execute(
                "UPDATE motion SET outcome = :o, closed_at = :at WHERE key = :k",
                {"o": outcome, "at": db.instant(closed), "k": key},
            )
        sub = int(db.value("SELECT id FROM subcontract"))
        for key, day, status, amount in (
            ("p1", date(2026, 7, 15), "submitted", "500000"),
            ("p2", date(2026, 8, 1), "declined", "100000"),
            ("p3", date(2026, 10, 1), "paid", "700000"),
        ):
            grants.add_payment(
                db,
                key=key,
                subcontract_id=sub,
                period_start=date(2026, 7, 1),
                period_end=date(2026, 7, 31),
                invoice_date=day,
                status=status,
                total=Decimal(amount),
                created_at=at,
                lines=[("materiales", Decimal(amount))],
            )
        people = [int(i) for (i,) in db.rows("SELECT id FROM person ORDER BY id")]
        for key, day, hours, who in (
            ("taller", date(2026, 7, 10), "3.5", people),
            ("otono", date(2026, 10, 15), "2", people[:1]),
        ):
            activity = db.insert(
                "learning_activity",
                {
                    "key": key,
                    "title": f"Taller {key}",
                    "topic": "participació",
                    "cycle": "1",
                    "facilitator": "Laia",
                    "held_on": db.day(day),
                    "hours": float(hours) if db.dialect == "sqlite" else Decimal(hours),
                    "bylaws_id": None,
                    "created_at": db.instant(at),
                },
            )
            for person in who:
                db.insert(
                    "learning_participant",
                    {"activity_id": activity, "person_id": person, "org_id": None, "hours": None},
                )
    yield folder
    W = ()


def subcontract_key(folder: Path) -> str:
    return str(query(folder, "SELECT key FROM subcontract")[0][0])


def test_every_kind_is_tagged_by_its_id(ws: Path) -> None:
    sub = subcontract_key(ws)
    for kind, key in (
        ("motion", "adjudicar"),
        ("subcontract", sub),
        ("project", "plaza"),
        ("activity", "taller"),
        ("commitment", "c1"),
    ):
        cmd("change", "tag", kind, key, "--condition", "policies", "--by", "Ana")
        assert as_json("change", "tags", kind, key)["tags"][0]["value"] == "policies"
    listed = as_json("change", "list")
    assert [(r["kind"], r["id"]) for r in listed] == [
        ("motion", "adjudicar"),
        ("subcontract", sub),
        ("project", "plaza"),
        ("activity", "taller"),
        ("commitment", "c1"),
    ]
    assert listed[2]["description"] == "Plaza Los Aromos"
    assert [r["id"] for r in as_json("change", "list", "--kind", "projecte")] == ["plaza"]
    rows = query(ws, 'SELECT subject_kind, dimension, value, "by" FROM change_tag ORDER BY id')
    assert rows[0] == ("motion", "condition", "policies", "Ana") and len(rows) == 5


def test_unknown_records_kinds_and_values_are_refused_with_the_list(ws: Path) -> None:
    err = refused(ws, *W, "change", "tag", "motion", "nowhere", "--condition", "policies",
                  "--by", "Ana")  # fmt: skip
    assert 'no motion with id "nowhere": see "comunidad motion list"' in err
    err = refused(ws, *W, "change", "tag", "project", "taller", "--quality", "aligned",
                  "--by", "Ana")  # fmt: skip
    assert 'no funded project from application "taller"' in err
    err = refused(ws, *W, "change", "tag", "activity", "nowhere", "--quality", "aligned",
                  "--by", "Ana")  # fmt: skip
    assert 'no learning activity with id "nowhere": see "comunidad learning list"' in err
    err = refused(ws, *W, "change", "tag", "meeting", "adjudicacion", "--condition", "policies",
                  "--by", "Ana", code=2)  # fmt: skip
    assert (
        'KIND: "meeting" is not one of: motion, subcontract, project, activity, commitment' in err
    )
    err = refused(ws, *W, "change", "tag", "motion", "adjudicar", "--condition", "policies",
                  "--condition", "economy", "--by", "Ana", code=2)  # fmt: skip
    assert (
        '--condition: "economy" is not one of: policies, practices, resource flows,'
        " relationships and connections, power dynamics, mental models"
    ) in err
    err = refused(ws, *W, "change", "tag", "motion", "adjudicar", "--quality", "cheap",
                  "--by", "Ana", "--locale", "es", code=2)  # fmt: skip
    assert '"cheap" no es' in err and "accesibles, de calidad, alineados, sostenibles" in err
    err = refused(ws, *W, "change", "tag", "motion", "adjudicar", "--by", "Ana", code=2)
    assert "give at least one --condition or --quality" in err
    cmd("change", "tag", "motion", "adjudicar", "--condition", "policies", "--by", "Ana")
    err = refused(ws, *W, "change", "tag", "motion", "adjudicar", "--condition", "practices",
                  "--condition", "policies", "--by", "Ana")  # fmt: skip
    assert 'motion "adjudicar" is already tagged policies: nothing was written' in err
    err = refused(ws, *W, "change", "tag", "motion", "adjudicar", "--condition", "policies",
                  "--by", "Ana", "--locale", "es")  # fmt: skip
    assert 'moción "adjudicar" ya tiene la etiqueta políticas: no se ha escrito nada' in err


@pytest.mark.parametrize(
    ("locale", "kind", "condition", "quality", "expected"),
    [
        ("es", "moción", "Flujos de recursos", "de calidad", ("resource_flows", "quality")),
        ("ca", "moció", "relacions i connexions", "Sostenibles", ("relationships", "sustainable")),
        ("en", "motion", "Power Dynamics", "ALIGNED", ("power_dynamics", "aligned")),
        ("ca", "motion", "models mentals", "accessible", ("mental_models", "accessible")),
    ],
)
def test_names_in_every_language_are_accepted_and_shown_in_the_readers(
    ws: Path, locale: str, kind: str, condition: str, quality: str, expected: tuple[str, str]
) -> None:
    cmd("change", "tag", kind, "adjudicar", "--condition", condition, "--quality", quality,
        "--by", "Ana", "--locale", locale)  # fmt: skip
    [row] = as_json("change", "list")
    assert (row["conditions"], row["qualities"]) == ([expected[0]], [expected[1]])
    shown = cmd("change", "list", "--locale", locale)
    assert condition.casefold() in shown.casefold() or locale == "en"


def test_catalan_and_spanish_lists(ws: Path) -> None:
    cmd("change", "tag", "moció", "adjudicar", "--condition", "fluxos de recursos",
        "--quality", "accessible", "--by", "Ana")  # fmt: skip
    out = cmd("change", "list", "--locale", "ca")
    assert "moció" in out and "fluxos de recursos" in out and "accessibles" in out
    out = cmd("change", "list", "--locale", "es")
    assert "moción" in out and "flujos de recursos" in out and "accesibles" in out


def test_untag_keeps_the_history(ws: Path) -> None:
    cmd("change", "tag", "commitment", "c2", "--condition", "relationships", "--condition",
        "policies", "--by", "Ana")  # fmt: skip
    err = refused(ws, *W, "change", "untag", "commitment", "c2", "--condition", "practices",
                  "--by", "Jordi")  # fmt: skip
    assert 'commitment "c2" is not tagged practices' in err
    err = refused(ws, *W, "change", "untag", "commitment", "c2", "--condition", "practices",
                  "--by", "Jordi", "--locale", "ca")  # fmt: skip
    assert 'compromís "c2" no té l\'etiqueta pràctiques' in err
    cmd("change", "untag", "compromiso", "c2", "--condition", "políticas", "--by", "Jordi")
    tags = as_json("change", "tags", "commitment", "c2")["tags"]
    assert [(t["value"], t["by"], t["removed_by"]) for t in tags] == [
        ("relationships", "Ana", None),
        ("policies", "Ana", "Jordi"),
    ]
    assert tags[1]["removed_at"] is not None and tags[0]["removed_at"] is None
    assert as_json("change", "list")[0]["conditions"] == ["relationships"]
    assert as_json("change", "list", "--condition", "policies") == []
    # untagged, it can be tagged again: a new row, the old one stays as it was
    cmd("change", "tag", "commitment", "c2", "--condition", "policies", "--by", "Laia")
    assert query(ws, "SELECT COUNT(*) FROM change_tag WHERE value = 'policies'") == [(2,)]
    shown = cmd("change", "tags", "commitment", "c2")
    assert "Jordi" in shown and "Laia" in shown and "Compromís c2" in shown
    audit = query(ws, "SELECT command, entity_id FROM audit_event WHERE entity = 'change_tag'")
    assert ("change untag", "commitment:c2") in audit


def _tag_all(ws: Path) -> None:
    sub = subcontract_key(ws)
    for kind, key, values in (
        ("motion", "adjudicar", ("--condition", "policies", "--condition", "power dynamics",
                                 "--quality", "aligned")),
        ("motion", "rechazo", ("--condition", "policies",)),
        ("motion", "tarde", ("--condition", "policies",)),
        ("subcontract", sub, ("--condition", "resource flows", "--quality", "sustainable")),
        ("project", "plaza", ("--condition", "resource flows", "--condition", "relationships")),
        ("activity", "taller", ("--condition", "practices", "--condition", "relationships",
                                "--quality", "accessible")),
        ("activity", "otono", ("--condition", "practices",)),
        ("commitment", "c1", ("--condition", "relationships",)),
        ("commitment", "c2", ("--condition", "relationships",)),
        ("commitment", "c3", ("--condition", "relationships",)),
    ):  # fmt: skip
        cmd("change", "tag", kind, key, *values, "--by", "Ana")


def _by_value(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["value"]: r for r in data["conditions"] + data["qualities"]}


def test_the_report_figured_by_hand(ws: Path) -> None:
    _tag_all(ws)
    period = ("--from", "2026-06-01", "--to", "2026-09-30")
    data = as_json("change", "report", *period)
    assert [r["value"] for r in data["conditions"]] == list(CONDITIONS)
    assert [r["value"] for r in data["qualities"]] == list(QUALITIES)
    rows = _by_value(data)
    # adjudicar adopted in the period; rechazo closed in it but rejected; tarde adopted after
    assert rows["policies"]["decisions"] == 1 and rows["policies"]["tagged"] == 3
    assert rows["power_dynamics"]["decisions"] == 1 and rows["aligned"]["decisions"] == 1
    # the subcontract and its funded project are one contract: counted once; it starts on
    # 2026-07-01; spent: the submitted payment of 2026-07-15, not the declined one nor the
    # one of 2026-10-01
    flows = rows["resource_flows"]
    assert flows["committed"] == {"CLP": 3000000} and flows["spent"] == {"CLP": 500000}
    assert rows["sustainable"]["committed"] == {"CLP": 3000000}
    relations = rows["relationships"]
    assert relations["committed"] == {"CLP": 3000000}
    assert (relations["activities"], relations["hours"], relations["participants"]) == (1, 3.5, 2)
    assert (
        relations["commitments_taken"],
        relations["commitments_done"],
        relations["commitments_overdue"],
    ) == (2, 1, 1)  # c1 taken and done, c2 taken and overdue on 2026-09-30, c3 later
    practices = rows["practices"]
    assert (practices["activities"], practices["hours"], practices["participants"]) == (1, 3.5, 2)
    assert rows["accessible"]["activities"] == 1
    assert rows["mental_models"] == {
        "dimension": "condition",
        "value": "mental_models",
        "tagged": 0,
        "decisions": 0,
        "committed": {},
        "spent": {},
        "activities": 0,
        "hours": 0,
        "participants": 0,
        "commitments_taken": 0,
        "commitments_done": 0,
        "commitments_overdue": 0,
    }
    # the whole year: tarde's decision, the October payment, otono and c3 come in
    year = _by_value(as_json("change", "report", "--from", "2026-01-01", "--to", "2026-10-31"))
    assert year["policies"]["decisions"] == 2
    assert year["resource_flows"]["spent"] == {"CLP": 1200000}
    assert (year["practices"]["activities"], year["practices"]["hours"]) == (2, 5.5)
    assert year["relationships"]["commitments_taken"] == 3
    # a removed tag no longer counts
    cmd("change", "untag", "motion", "adjudicar", "--condition", "policies", "--by", "Ana")
    assert _by_value(as_json("change", "report", *period))["policies"]["decisions"] == 0


def test_the_report_of_one_condition_and_its_qualities(ws: Path) -> None:
    _tag_all(ws)
    data = as_json("change", "report", "--from", "2026-06-01", "--to", "2026-09-30",
                   "--condition", "relacions")  # fmt: skip
    assert data["condition"] == "relationships"
    assert [r["value"] for r in data["conditions"]] == ["relationships"]
    rows = _by_value(data)
    assert rows["accessible"]["activities"] == 1  # taller is under relationships too
    assert rows["sustainable"]["committed"] == {}  # the subcontract is not; its project is


def test_the_report_in_the_readers_locale(ws: Path) -> None:
    _tag_all(ws)
    out = cmd("change", "report", "--from", "2026-06-01", "--to", "2026-09-30", "--locale", "es")
    assert "fluxos" not in out and "flujos de recursos" in out and "relaciones y conexiones" in out
    assert "3.000.000" in out and "500.000" in out and "3,50" in out
    assert "1 de junio de 2026" in out
    out = cmd("change", "report", "--from", "2026-06-01", "--to", "2026-09-30", "--locale", "ca")
    assert "fluxos de recursos" in out and "de l’1 de juny" in out.replace("'", "’")
    code, _, err = run(*W, "change", "report", "--from", "2026-09-30", "--to", "2026-06-01")
    assert code == 2 and "--to (2026-06-01) is before --from (2026-09-30)" in err
    code, _, err = run(*W, "change", "report", "--from", "2026-06-01", "--to", "2026-09-31")
    assert code == 2 and "--to" in err and "Traceback" not in err


def test_the_change_tags_import_is_all_or_nothing_with_row_numbers(ws: Path) -> None:
    good = write(
        ws,
        "etiquetes.csv",
        "tipus,id,condició,qualitat,per\n"
        "moció,adjudicar,polítiques,,Laia\n"
        "activitat,taller,pràctiques,accessibles,Laia\n"
        "compromís,c1,,alineats,Laia\n",
    )
    ok(*W, "import", "change-tags", str(good))
    assert {(r["kind"], r["id"]) for r in as_json("change", "list")} == {
        ("motion", "adjudicar"),
        ("activity", "taller"),
        ("commitment", "c1"),
    }
    count = query(ws, "SELECT COUNT(*) FROM change_tag")
    assert count == [(4,)]
    ok(*W, "import", "change-tags", str(good))  # again: nothing changes
    assert query(ws, "SELECT COUNT(*) FROM change_tag") == count
    bad = write(
        ws,
        "bad.ndjson",
        '{"kind": "motion", "id": "tarde", "condition": "policies", "by": "Laia"}\n'
        '{"kind": "motion", "id": "nowhere", "condition": "policies", "by": "Laia"}\n'
        '{"kind": "project", "id": "plaza", "condition": "economy", "by": "Laia"}\n'
        '{"kind": "project", "id": "plaza", "by": "Laia"}\n',
    )
    err = refused(ws, *W, "import", "change-tags", str(bad))
    assert 'bad.ndjson:2: id: no motion with id "nowhere"' in err
    assert 'bad.ndjson:3: condition: "economy" is not one of' in err
    assert "bad.ndjson:4: give a condition, a quality or both" in err


def test_the_report_core_counts_a_contract_once_and_people_once() -> None:
    records = Records(
        activities={
            1: Activity(date(2026, 3, 1), Decimal("2.00"), frozenset({7, 8})),
            2: Activity(date(2026, 3, 2), Decimal("1.50"), frozenset({8, 9})),
        },
        commitments={
            3: Commitment(date(2026, 3, 1), date(2026, 3, 10), ("done", date(2026, 4, 1)))
        },
    )
    tags = [
        Tag("activity", 1, "condition", "practices"),
        Tag("activity", 2, "condition", "practices"),
        Tag("commitment", 3, "condition", "practices"),
    ]
    [practices] = [
        f
        for f in report(tags, records, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31))
        if f.value == "practices"
    ]
    assert (practices.activities, practices.hours, practices.participants) == (
        2,
        Decimal("3.50"),
        3,
    )
    # done only on 2026-04-01: overdue at the period's end, not done in it
    assert (practices.taken, practices.done, practices.overdue) == (1, 0, 1)
    assert isinstance(parse_values(["nope"], "quality"), Msg)
    assert parse_values(["Relaciones", "relationships & connections"], "condition") == (
        "relationships",
    )


def test_change_commands_do_not_import_sqlalchemy(ws: Path) -> None:
    """Everyday commands run on the DB-API path: `change tag|untag|tags|list|report` and the
    change-tags import load no SQLAlchemy (nor Rich), checked in a fresh process."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    write(ws, "tags.csv", "kind,id,quality,by\nactivity,taller,aligned,Laia\n")
    code = (
        "import sys\n"
        "from comunidad_cli.cli import main\n"
        "for args in (\n"
        "    ['change', 'tag', 'motion', 'adjudicar', '--condition', 'policies', '--by', 'A'],\n"
        "    ['change', 'untag', 'motion', 'adjudicar', '--condition', 'policies', '--by', 'A'],\n"
        "    ['change', 'tags', 'motion', 'adjudicar'],\n"
        "    ['import', 'change-tags', 'tags.csv'],\n"
        "    ['change', 'list'],\n"
        "    ['change', 'report', '--from', '2026-01-01', '--to', '2026-12-31'],\n"
        "):\n"
        "    sys.argv = ['comunidad', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as stop:\n"
        "        assert not stop.code, stop.code\n"
        "print(sorted(m for m in ('sqlalchemy', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ws,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
    assert query(ws, "SELECT COUNT(*) FROM change_tag WHERE removed_at IS NOT NULL") == [(1,)]


def test_the_readmes_systems_change_tour_runs_as_written_after_the_network_tour(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's "Systems change" lines work typed as written in the workspace of the
    Catalan network tour; the report counts its commitments by hand: calendari taken and
    done in the period, jornada taken and overdue on the day asked (due 2026-11-15)."""
    import shutil

    from freezegun import freeze_time

    from tests.conftest import ROOT
    from tests.test_docs import _run_tour, _tour

    for folder in ("xarxes", "canvi"):
        shutil.copytree(ROOT / "examples" / folder, in_tmp / "examples" / folder)
    with freeze_time("2026-11-19 10:00"):
        _run_tour(
            _tour("Networks and territorial spaces (xarxes i espais territorials)"), monkeypatch
        )
        _run_tour(_tour("Systems change (canvi de sistemes)"), monkeypatch)
        rows = _by_value(json.loads(ok("change", "report", "--from", "2026-10-01", "--to",
                                       "2026-12-31", "--json")))  # fmt: skip
        shown = ok("change", "report", "--from", "2026-10-01", "--to", "2026-12-31")
        one = json.loads(ok("change", "report", "--from", "2026-10-01", "--to", "2026-12-31",
                            "--condition", "relacions", "--json"))  # fmt: skip
        tags = json.loads(ok("change", "tags", "commitment", "jornada", "--json"))["tags"]

    def commitments(row: dict[str, Any]) -> tuple[int, int, int]:
        return (row["commitments_taken"], row["commitments_done"], row["commitments_overdue"])

    assert commitments(rows["relationships"]) == (1, 1, 0)
    assert commitments(rows["resource_flows"]) == (1, 1, 0)  # from the imported file
    assert commitments(rows["power_dynamics"]) == (1, 0, 1)
    assert rows["practices"]["tagged"] == 0  # untagged: no longer counted
    assert commitments(rows["accessible"]) == (1, 0, 1)
    assert commitments(rows["quality"]) == (1, 0, 1)
    assert commitments(rows["aligned"]) == (1, 1, 0)
    assert "Canvi de sistemes de l" in shown.replace("’", "'") and "dinàmiques de poder" in shown
    assert [r["value"] for r in one["conditions"]] == ["relationships"]
    assert {r["value"]: r["tagged"] for r in one["qualities"]} == {
        "accessible": 0,
        "quality": 0,
        "aligned": 1,
        "sustainable": 0,
    }
    assert [(t["value"], t["removed_by"]) for t in tags] == [
        ("practices", "Núria Puig"),
        ("power_dynamics", None),
        ("accessible", None),
        ("quality", None),
    ]
