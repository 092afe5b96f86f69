"""Partner agreements: a signed agreement refuses change (a change is an amendment or a
renewal beside it, and the history shows every version), reviews and renewals due or
overdue on the right day, the partnership-quality instrument in es/en/ca, quality change
and the sides' differences worked by hand, the `agreements` import (row numbers, nothing
written), --json and the messages in es/ca, on either backend."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from comunidad_cli.core.agreements import (
    AMENDMENT,
    DUE,
    ENDING,
    ORIGINAL,
    OVERDUE,
    RENEWAL,
    REVIEW,
    TERM_END,
    Version,
    due_items,
    pending_reviews,
    term_in_force,
    term_on,
    terms,
)
from comunidad_cli.core.agreements.quality import quality
from comunidad_cli.core.capacity.instrument import LANGUAGES
from comunidad_cli.core.capacity.scoring import Assessment
from comunidad_cli.services.capacity.instruments import check_bytes
from tests.helpers import dump, ok, query, refused, run, write

ITEMS = {
    "vision": ["vis-goals", "vis-families", "vis-progress"],
    "communication": ["com-regular", "com-responsive", "com-language"],
    "trust": ["tru-strengths", "tru-commitments", "tru-conflicts"],
    "decisions": ["dec-leadership", "dec-families", "dec-roles"],
    "data": ["dat-agreed", "dat-privacy", "dat-improvement"],
    "benefit": ["ben-goals", "ben-resources", "ben-strengthen"],
}
KEY = "conveni"


@pytest.fixture
def ws(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = in_tmp / "aliances"
    assert run("init", str(folder), "--locale", "en_US")[0] == 0
    monkeypatch.chdir(folder)
    ok("org", "add", "Casa de la Comunitat", "--kind", "community", "--id", "casa")
    ok("org", "add", "Biblioteca Sants", "--kind", "community", "--id", "biblio")
    return folder


def said(*args: str) -> str:
    code, _, err = run(*args)
    assert code == 0, err
    return err


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def _add(*extra: str) -> None:
    ok(
        "agreement",
        "add",
        "Conveni de lectura <b>*  familiar",
        "--partner",
        "biblio",
        "--lead",
        "casa",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--review",
        "2026-06-30",
        "--review",
        "2026-11-30",
        "--id",
        KEY,
        *extra,
    )


# --- the core, by hand ----------------------------------------------------------------------------


def test_the_status_on_a_day_follows_the_signed_terms() -> None:
    first, renewal = (date(2026, 1, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 12, 31))
    assert term_on([], date(2026, 6, 1)) == ("draft", None)
    assert term_on([first, renewal], date(2025, 12, 31)) == ("pending", first)
    assert term_on([first, renewal], date(2026, 12, 31)) == ("in_force", first)
    assert term_on([first, renewal], date(2027, 1, 1)) == ("in_force", renewal)
    assert term_on([first, renewal], date(2028, 1, 1)) == ("ended", renewal)


def test_the_term_in_force_follows_signed_versions_only() -> None:
    jan, dec = date(2026, 1, 1), date(2026, 12, 31)
    original = Version(0, ORIGINAL, jan, dec, date(2025, 12, 20))
    assert term_in_force([Version(0, ORIGINAL, jan, dec, None)]) is None
    assert term_in_force([original]) == (jan, dec)
    extended = Version(1, AMENDMENT, None, date(2027, 3, 31), date(2026, 2, 1))
    assert term_in_force([original, extended]) == (jan, date(2027, 3, 31))
    draft = Version(2, RENEWAL, date(2027, 4, 1), date(2028, 3, 31), None)
    assert term_in_force([original, extended, draft]) == (jan, date(2027, 3, 31))
    signed = Version(2, RENEWAL, date(2027, 4, 1), date(2028, 3, 31), date(2027, 3, 1))
    assert term_in_force([signed, extended, original]) == (date(2027, 4, 1), date(2028, 3, 31))


def test_due_and_overdue_on_the_right_day() -> None:
    june, dec = date(2026, 6, 30), date(2026, 12, 31)
    term = (date(2026, 1, 1), dec)
    assert pending_reviews([dec, june], 1) == [dec]
    on_the_day = due_items(term, [june], june, 0)
    assert [(i.what, i.status, i.days) for i in on_the_day] == [(REVIEW, DUE, 0)]
    day_after = due_items(term, [june], date(2026, 7, 1), 0)
    assert [(i.what, i.status, i.days) for i in day_after] == [(REVIEW, OVERDUE, 1)]
    # the term's end shows from `within` days before it, not a day earlier
    assert [i.what for i in due_items(term, [], date(2026, 11, 1), 60)] == [TERM_END]
    assert due_items(term, [], date(2026, 11, 1), 59) == []


def _instrument() -> Any:
    data = resources.files("comunidad_cli.instruments").joinpath("calidad-alianza.toml")
    found = check_bytes(data.read_bytes(), "calidad-alianza.toml")
    assert found.findings == ()  # no warning either: every text in es, en and ca
    assert found.instrument is not None
    return found.instrument


def test_the_partnership_instrument_loads_in_every_language() -> None:
    instrument = _instrument()
    assert instrument.id == "calidad-alianza"
    assert [d.id for d in instrument.domains] == list(ITEMS)
    assert [[i.id for i in d.items] for d in instrument.domains] == list(ITEMS.values())
    texts = [instrument.name] + [d.name for d in instrument.domains]
    texts += [i.text for d in instrument.domains for i in d.items]
    for text in texts:
        assert sorted(text) == sorted(LANGUAGES) and all(text.values())
    assert instrument.domains[0].name["ca"] == "Visió i objectius compartits"


def _answers(score: dict[str, int | None]) -> dict[str, int | None]:
    """Every item of a domain answered with the domain's score."""
    return {item: score[domain] for domain, items in ITEMS.items() for item in items}


def test_quality_change_and_differences_by_hand() -> None:
    instrument = _instrument()
    flat = dict.fromkeys(ITEMS, 2)
    later = {**flat, "vision": 3, "trust": 4}
    partner = {**flat, "vision": 1, "data": 3}
    result = quality(
        instrument,
        {
            "lead": [
                Assessment("Ana", date(2026, 1, 10), _answers(flat)),
                Assessment("Ana", date(2026, 6, 10), _answers(later)),
            ],
            "partner": [Assessment("Pere", date(2026, 6, 12), _answers(partner))],
        },
    )
    lead, other = result.sides
    assert len(lead.rounds) == 2 and len(other.rounds) == 1
    changes = {c.domain.id: c.change for c in lead.comparison.changes}
    assert changes["vision"] == 1 and changes["trust"] == 2 and changes["data"] == 0
    assert all(c.change is None for c in other.comparison.changes)  # one round: no change
    # latest rounds: lead vision 3, trust 4; partner vision 1, trust 2, data 3
    gaps = [(d.domain.id, d.gap) for d in result.differences]
    assert gaps[:3] == [("vision", Fraction(2)), ("trust", Fraction(2)), ("data", Fraction(1))]
    assert gaps[-1][1] == 0


# --- the commands ---------------------------------------------------------------------------------


@freeze_time("2026-12-06 10:00:00")
def test_a_signed_agreement_refuses_change_and_keeps_its_history(ws: Path) -> None:
    _add()
    ok("agreement", "goal", KEY, "Més famílies <i>llegint</i>")
    ok("agreement", "data", KEY, "--what", "assistència", "--direction", "in", "--purpose", "x")
    ok("agreement", "sign", KEY, "--on", "2025-12-20", "--by", "Directora")
    err = refused(ws, "agreement", "goal", KEY, "Una altra meta")
    assert "was signed on December 20, 2025 by Directora" in err and "agreement amend" in err
    refused(ws, "agreement", "data", KEY, "--what", "y", "--direction", "out", "--purpose", "z")
    refused(ws, "agreement", "sign", KEY, "--by", "Algú")  # nothing left to sign
    # a change is a new version beside it, attributed when signed
    ok("agreement", "amend", KEY, "--text", "S'afegeix un taller", "--to", "2027-03-31")
    err = refused(ws, "agreement", "renew", KEY, "--from", "2027-04-01", "--to", "2028-03-31")
    assert "draft (an amendment) not signed yet" in err
    ok("agreement", "goal", KEY, "Un taller més")
    refused(ws, "agreement", "sign", KEY, "--on", "2025-12-01", "--by", "Jo")  # before v0
    ok("agreement", "sign", KEY, "--on", "2026-02-01", "--by", "Jo")
    ok(
        "agreement",
        "renew",
        KEY,
        "--from",
        "2027-04-01",
        "--to",
        "2028-03-31",
        "--review",
        "2027-10-01",
    )
    ok("agreement", "sign", KEY, "--on", "2026-12-01", "--by", "Presidenta")
    shown = as_json("agreement", "show", KEY)
    assert shown["title"] == "Conveni de lectura <b>* familiar"
    assert (shown["from"], shown["to"], shown["status"]) == ("2026-01-01", "2027-03-31", "in_force")
    assert shown["renewed_to"] == "2028-03-31"  # the renewal begins when this term ends
    history = shown["history"]
    assert [(v["number"], v["kind"], v["signed_by"]) for v in history] == [
        (0, "original", "Directora"),
        (1, "amendment", "Jo"),
        (2, "renewal", "Presidenta"),
    ]
    assert history[0]["goals"] == ["Més famílies <i>llegint</i>"]  # as typed
    assert history[0]["data"] == [{"what": "assistència", "direction": "in", "purpose": "x"}]
    assert (history[0]["from"], history[0]["to"]) == ("2026-01-01", "2026-12-31")  # as signed
    assert history[1]["goals"] == ["Un taller més"] and history[1]["to"] == "2027-03-31"
    text = ok("agreement", "show", KEY)
    assert "Version 1: amendment" in text and "Signed Feb 1, 2026 by Jo" in text
    rows = query(ws, "SELECT number, kind FROM agreement_version ORDER BY number")
    assert rows == [(0, "original"), (1, "amendment"), (2, "renewal")]


@freeze_time("2026-12-06 10:00:00")
def test_refusals_write_nothing(ws: Path) -> None:
    base = ["agreement", "add", "T", "--partner", "biblio", "--lead", "casa"]
    refused(ws, *base, "--from", "2026-01-01", "--to", "2026-01-01")  # not after
    refused(
        ws,
        "agreement",
        "add",
        "T",
        "--partner",
        "casa",
        "--lead",
        "casa",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    )
    refused(ws, *base, "--from", "2026-01-01", "--to", "2026-12-31", "--partner", "nobody")
    refused(
        ws,
        *base,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--signed",
        "2026-12-07",
        "--signed-by",
        "X",
    )
    refused(
        ws, *base, "--from", "2026-01-01", "--to", "2026-12-31", "--signed", "2026-12-01", code=2
    )
    refused(
        ws, *base, "--from", "2026-01-01", "--to", "2026-12-31", "--review", "2026-13-01", code=2
    )
    _add()
    err = refused(
        ws, "agreement", "data", KEY, "--what", "x", "--direction", "sideways", "--purpose", "y"
    )
    assert '"sideways" is not one of: out, in, both' in err
    refused(ws, "agreement", "goal", KEY, "bad \x1b[31m")
    refused(ws, "agreement", "amend", KEY, "--text", "x")  # the original is a draft still
    refused(ws, "agreement", "review", KEY, "--by", "X")  # not signed: nothing to review
    refused(ws, "agreement", "show", "nowhere")


@freeze_time("2026-12-06 10:00:00")
def test_due_lists_reviews_and_renewals_like_overdue_reports(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    assert as_json("agreement", "due", "--within", "0") == [
        {
            "id": KEY,
            "title": "Conveni de lectura <b>* familiar",
            "partner": "biblio",
            "what": "review",
            "date": "2026-06-30",
            "status": "overdue",
            "days": 159,
        },
        {
            "id": KEY,
            "title": "Conveni de lectura <b>* familiar",
            "partner": "biblio",
            "what": "review",
            "date": "2026-11-30",
            "status": "overdue",
            "days": 6,
        },
    ]
    due = as_json("agreement", "due")  # 60 days by default: the term's end too
    assert [(d["what"], d["status"], d["days"]) for d in due][-1] == ("renewal", "due", 25)
    # a review held settles the earliest review date
    assert "the review due Jun 30, 2026 is settled" in said(
        "agreement", "review", KEY, "--by", "Comissió", "--note", "ok"
    )
    assert [d["date"] for d in as_json("agreement", "due", "--within", "0")] == ["2026-11-30"]
    listed = as_json("agreement", "list")
    assert listed[0]["next_review"] == "2026-11-30" and listed[0]["status"] == "in_force"
    summary = json.loads(ok("summary", "--json"))
    assert [d["date"] for d in summary["agreements_overdue"]] == ["2026-11-30"]
    assert "Partner agreements: reviews and renewals overdue" in ok("summary")
    # the renewal, once signed, moves the term's end: nothing about it is due any more
    ok("agreement", "renew", KEY, "--from", "2027-01-01", "--to", "2027-12-31")
    assert as_json("agreement", "due")[-1]["what"] == "renewal"  # a draft does not count
    ok("agreement", "sign", KEY, "--by", "Directora")
    assert [d["what"] for d in as_json("agreement", "due")] == ["review"]
    with freeze_time("2028-01-01"):
        late = as_json("agreement", "due", "--within", "0")
    assert (late[-1]["what"], late[-1]["status"], late[-1]["days"]) == ("renewal", "overdue", 1)


@freeze_time("2026-12-06 10:00:00")
def test_due_in_spanish_and_catalan(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    es = ok("--locale", "es", "agreement", "due")
    assert "revisión" in es and "venció hace 159 días" in es and "vence en 25 días" in es
    ca = ok("--locale", "ca", "agreement", "show", KEY)
    assert "Organització sòcia: Biblioteca Sants (biblio)" in ca and "va vèncer fa 6 dies" in ca
    err = refused(ws, "--locale", "ca", "agreement", "goal", KEY, "x")
    assert "queda com estava" in err


def _answers_file(folder: Path, name: str, score: dict[str, int | str]) -> str:
    lines = [f"{i},{score[d]}" for d, items in ITEMS.items() for i in items]
    return str(write(folder, name, "item,score\n" + "\n".join(lines) + "\n"))


@freeze_time("2026-12-06 10:00:00")
def test_each_side_assesses_and_quality_shows_change_and_differences(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    flat = dict.fromkeys(ITEMS, 2)
    first = _answers_file(ws, "a.csv", flat)
    second = _answers_file(ws, "b.csv", {**flat, "vision": 3})
    theirs = _answers_file(ws, "c.csv", {**flat, "vision": 1, "benefit": "na"})
    ok(
        "agreement",
        "assess",
        KEY,
        "--side",
        "lead",
        "--by",
        "Ana",
        "--on",
        "2026-01-15",
        "--file",
        first,
    )
    ok(
        "agreement",
        "assess",
        KEY,
        "--side",
        "casa",
        "--by",
        "Ana",
        "--on",
        "2026-06-15",
        "--file",
        second,
    )
    said(
        "agreement",
        "assess",
        KEY,
        "--side",
        "biblio",
        "--by",
        "Pere",
        "--on",
        "2026-06-20",
        "--file",
        theirs,
    )
    shown = as_json("agreement", "quality", KEY)
    assert shown["instrument"] == "calidad-alianza"
    lead = shown["sides"]["lead"]
    assert [r["to"] for r in lead["rounds"]] == ["2026-01-15", "2026-06-15"]
    change = {c["id"]: c["change"] for c in lead["change"]}
    assert change["vision"] == "1.00" and change["trust"] == "0.00"
    assert shown["sides"]["partner"]["rounds"][0]["domains"][5]["score"] is None  # all N/A
    assert shown["differences"][0] == {
        "id": "vision",
        "lead": "3.00",
        "partner": "1.00",
        "gap": "2.00",
    }
    assert "benefit" not in [d["id"] for d in shown["differences"]]
    text = ok("--locale", "ca", "agreement", "quality", KEY)
    assert "Visió i objectius compartits" in text and "+1,00" in text
    # the same rater, side and day twice; an unknown side; answers incomplete: nothing written
    refused(
        ws,
        "agreement",
        "assess",
        KEY,
        "--side",
        "lead",
        "--by",
        "ana",
        "--on",
        "2026-06-15",
        "--file",
        second,
    )
    refused(
        ws, "agreement", "assess", KEY, "--side", "nobody", "--by", "X", "--file", first, code=2
    )
    err = refused(
        ws, "agreement", "assess", KEY, "--side", "lead", "--by", "X", "--answer", "vis-goals=3"
    )
    assert "no answer for 17 items" in err
    refused(
        ws,
        "agreement",
        "assess",
        KEY,
        "--side",
        "lead",
        "--by",
        "X",
        "--on",
        "2026-12-07",
        "--file",
        first,
    )
    # partnership assessments never mix with an organisation's capacity
    assert query(ws, "SELECT COUNT(*) FROM capacity_assessment") == [(0,)]


# --- the import -----------------------------------------------------------------------------------

HEADER = "id,title,partner,lead,from,to,reviews,signed,signed_by\n"


@freeze_time("2026-12-06 10:00:00")
def test_import_agreements_all_or_nothing_with_row_numbers(ws: Path) -> None:
    bad = write(
        ws,
        "bad.csv",
        HEADER
        + "escola,Conveni escola,biblio,casa,2026-01-01,2026-12-31,2026-06-30;2026-09-30,2025-12-01,Jo\n"
        + "x,X,nobody,casa,2026-01-01,2025-12-31,,2026-01-01,\n"
        + "y,Y,biblio,biblio,2026-01-01,2026-12-31,2026-02-30,,\n",
    )
    code, out, err = run("import", "agreements", str(bad))
    assert code == 1 and out == ""
    assert f'{bad}:3: partner: no organisation with id "nobody"' in err
    assert f"{bad}:3: signed_by: give signed and signed_by together, or neither" in err
    assert f"{bad}:3: to: the term ends on" in err
    assert f"{bad}:4: reviews:" in err
    assert query(ws, "SELECT COUNT(*) FROM agreement") == [(0,)]
    good = write(
        ws,
        "good.json",
        json.dumps(
            [
                {
                    "id": "escola",
                    "title": "Conveni escola",
                    "partner": "biblio",
                    "lead": "casa",
                    "from": "2026-01-01",
                    "to": "2026-12-31",
                    "reviews": "2026-09-30 2026-06-30",
                    "signed": "2025-12-01",
                    "signed_by": "Jo",
                },
                {
                    "id": "esborrany",
                    "title": "Un esborrany",
                    "partner": "biblio",
                    "lead": "casa",
                    "from": "2027-01-01",
                    "to": "2027-12-31",
                },
            ]
        ),
    )
    assert "2 created" in said("import", "agreements", str(good))
    before = dump(ws)
    assert "2 unchanged" in said("import", "agreements", str(good))
    assert dump(ws) == before
    listed = {a["id"]: a for a in as_json("agreement", "list")}
    assert listed["escola"]["status"] == "in_force" and listed["esborrany"]["status"] == "draft"
    assert as_json("agreement", "show", "escola")["history"][0]["reviews"] == [
        "2026-06-30",
        "2026-09-30",
    ]
    changed = write(
        ws,
        "changed.csv",
        HEADER + "escola,Conveni escola,biblio,casa,2026-01-01,2027-06-30,,2025-12-01,Jo\n",
    )
    err = refused(ws, "import", "agreements", str(changed))
    assert f'{changed}:2: id: agreement "escola" is already recorded with other values' in err


@freeze_time("2026-12-06 10:00:00")
def test_agreement_commands_do_not_import_sqlalchemy(ws: Path) -> None:
    """Everyday commands run on the DB-API path: `agreement list|show|due|quality` load no
    SQLAlchemy nor Rich, checked in a fresh process."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    answers = _answers_file(ws, "a.csv", dict.fromkeys(ITEMS, 2))
    ok(
        "agreement",
        "assess",
        KEY,
        "--side",
        "lead",
        "--by",
        "Ana",
        "--on",
        "2026-01-15",
        "--file",
        answers,
    )
    code = (
        "import sys\n"
        "from comunidad_cli.cli import main\n"
        f"for args in (['agreement', 'list'], ['agreement', 'show', '{KEY}'],"
        f" ['agreement', 'due'], ['agreement', 'quality', '{KEY}']):\n"
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


def test_the_readmes_agreement_tour_runs_as_written_in_spanish(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's Spanish tour (examples/acuerdos/) works typed as written: the imported
    agreement, amended, reviewed once, and assessed by both sides."""
    import shutil

    from tests.conftest import ROOT
    from tests.test_docs import _run_tour, _tour

    shutil.copytree(ROOT / "examples" / "acuerdos", in_tmp / "examples" / "acuerdos")
    with freeze_time("2026-12-06 10:00"):
        _run_tour(_tour("Partner agreements (acuerdos con organizaciones socias)"), monkeypatch)
        shown = ok("agreement", "show", "lectura-familias", "--locale", "es")
        due = as_json("agreement", "due", "--within", "90")
        crianza = as_json("agreement", "show", "crianza")
        quality_view = as_json("agreement", "quality", "lectura-familias")
    assert "Versión 1: modificación" in shown and "Un taller mensual de cuentos" in shown
    assert "Revisiones hechas" in shown
    assert [(d["id"], d["date"], d["status"]) for d in due] == [
        ("lectura-familias", "2026-11-30", "overdue"),
        ("crianza", "2027-02-28", "due"),
    ]
    assert (crianza["from"], crianza["to"]) == ("2026-09-01", "2027-08-31")
    assert (crianza["status"], crianza["renewed_to"]) == ("in_force", "2028-08-31")
    assert [v["kind"] for v in crianza["history"]] == ["original", "renewal"]
    assert [d["id"] for d in quality_view["differences"][:2]] == ["communication", "decisions"]


# --- ending an agreement, directions in every language, reviews after the signing -----------


def test_an_ending_cuts_the_terms_and_nothing_is_due_after_it() -> None:
    jan, dec = date(2026, 1, 1), date(2026, 12, 31)
    original = Version(0, ORIGINAL, jan, dec, date(2025, 12, 20))
    renewal = Version(1, RENEWAL, date(2027, 1, 1), date(2027, 12, 31), date(2026, 11, 1))
    ending = Version(2, ENDING, None, date(2026, 9, 30), date(2026, 9, 30))
    assert terms([original, renewal, ending]) == [(jan, date(2026, 9, 30))]
    assert terms([original, Version(2, ENDING, None, date(2026, 9, 30), None)]) == [(jan, dec)]
    june = date(2026, 6, 30)
    assert due_items((jan, dec), [june], date(2027, 3, 1), 0, date(2027, 1, 15)) == []
    # a review dated after the term's end is not due: no term covers it
    after = date(2027, 2, 1)
    assert [i.day for i in due_items((jan, dec), [june, after], date(2027, 3, 1), 0)] == [
        june,
        dec,
    ]


@freeze_time("2026-12-06 10:00:00")
def test_end_an_agreement_without_renewing_it(ws: Path) -> None:
    _add()
    err = refused(ws, "agreement", "end", KEY, "--by", "Jo", "--reason", "r")
    assert "is not signed yet" in err and "agreement sign" in err
    ok("agreement", "sign", KEY, "--on", "2025-12-20", "--by", "Directora")
    with freeze_time("2027-03-01"):
        assert [d["what"] for d in as_json("agreement", "due", "--within", "0")] == [
            "review",
            "review",
            "renewal",
        ]
        overdue = json.loads(ok("summary", "--json"))["agreements_overdue"]
        assert len(overdue) == 3
        refused(ws, "agreement", "end", KEY, "--on", "2025-12-19", "--by", "Jo", "--reason", "r")
        refused(ws, "agreement", "end", KEY, "--on", "2027-03-02", "--by", "Jo", "--reason", "r")
        refused(ws, "agreement", "end", KEY, "--by", "Jo", "--reason", " ", code=1)
        assert "ended on Feb 15, 2027" in said(
            "agreement",
            "end",
            KEY,
            "--on",
            "2027-02-15",
            "--by",
            "Presidenta <b>",
            "--reason",
            "No  renovem: *prioritats*",
        )
        assert as_json("agreement", "due", "--within", "0") == []
        assert json.loads(ok("summary", "--json"))["agreements_overdue"] == []
        listed = as_json("agreement", "list")[0]
        assert listed["ended"] == {
            "on": "2027-02-15",
            "by": "Presidenta <b>",
            "reason": "No  renovem: *prioritats*",
        }
        assert listed["status"] == "ended" and listed["next_review"] is None
        line = "ended on Feb 15, 2027 by Presidenta <b>: No  renovem: *prioritats*"
        assert line in ok("agreement", "list")
        shown = ok("agreement", "show", KEY)
        assert f"Status: {line}" in shown and "Version 1: ending" in shown
        assert "  Ended on Feb 15, 2027 by Presidenta <b>: No  renovem: *prioritats*" in shown
        history = as_json("agreement", "show", KEY)["history"]
        assert [(v["kind"], v["signed_on"], v["to"]) for v in history] == [
            ("original", "2025-12-20", "2026-12-31"),
            ("ending", "2027-02-15", "2027-02-15"),
        ]
        # ended: it stays as it was, and says what to do instead
        for args in (
            ("amend", KEY, "--text", "x"),
            ("renew", KEY, "--from", "2027-03-01", "--to", "2027-12-31"),
            ("review", KEY, "--by", "X"),
            ("goal", KEY, "x"),
            ("end", KEY, "--by", "X", "--reason", "again"),
        ):
            err = refused(ws, "agreement", *args)
            assert "ended on February 15, 2027" in err and "agreement add" in err, args
        es = ok("--locale", "es", "agreement", "list")
        assert "terminado el 15 feb 2027 por Presidenta <b>: No  renovem: *prioritats*" in es
        ca = refused(ws, "--locale", "ca", "agreement", "review", KEY, "--by", "X")
        assert "va acabar el" in ca and "queda com estava" in ca
    rows = query(ws, "SELECT number, kind, signed_by FROM agreement_version ORDER BY number")
    assert rows == [(0, "original", "Directora"), (1, "ending", "Presidenta <b>")]


@freeze_time("2026-12-06 10:00:00")
def test_an_ending_during_a_term_cuts_it_and_a_draft_left_cannot_be_signed(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    ok("agreement", "renew", KEY, "--from", "2027-01-01", "--to", "2027-12-31")
    ok("agreement", "end", KEY, "--on", "2026-09-30", "--by", "Jo", "--reason", "tancament")
    shown = as_json("agreement", "show", KEY)
    assert (shown["from"], shown["to"], shown["status"]) == ("2026-01-01", "2026-09-30", "ended")
    assert shown["due"] == [] and shown["renewed_to"] is None
    assert [v["kind"] for v in shown["history"]] == ["original", "renewal", "ending"]
    assert "ended on" in refused(ws, "agreement", "sign", KEY, "--by", "Jo")


@freeze_time("2026-12-06 10:00:00")
def test_due_leaves_out_reviews_dated_after_the_end(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora", "--review", "2027-02-01")
    with freeze_time("2027-03-01"):
        due = as_json("agreement", "due", "--within", "0")
    assert [(d["what"], d["date"]) for d in due] == [
        ("review", "2026-06-30"),
        ("review", "2026-11-30"),
        ("renewal", "2026-12-31"),
    ]


@freeze_time("2026-12-06 10:00:00")
def test_directions_in_spanish_and_catalan_shown_in_the_readers_language(ws: Path) -> None:
    _add()
    for word in ("salida", "Entrada", "ambdues", "ambas", "sortida", "both"):
        ok("agreement", "data", KEY, "--what", word, "--direction", word, "--purpose", "p")
    data = as_json("agreement", "show", KEY)["history"][0]["data"]
    assert [d["direction"] for d in data] == ["out", "in", "both", "both", "out", "both"]
    es = ok("--locale", "es", "agreement", "show", KEY)
    assert "Datos: salida (compartimos nosotros): p" in es  # shown in the reader's words
    assert "Datos: Entrada (comparte la organización socia): p" in es
    assert "Datos: ambdues (en ambos sentidos): p" in es
    err = refused(
        ws,
        "--locale",
        "es",
        "agreement",
        "data",
        KEY,
        "--what",
        "x",
        "--direction",
        "arriba",
        "--purpose",
        "y",
    )
    assert '"arriba" no es' in err and "salida" in err and "entrada" in err and "ambas" in err
    err = refused(
        ws,
        "--locale",
        "ca",
        "agreement",
        "data",
        KEY,
        "--what",
        "x",
        "--direction",
        "amunt",
        "--purpose",
        "y",
    )
    assert "sortida" in err and "ambdues" in err


@freeze_time("2026-12-06 10:00:00")
def test_a_review_before_the_signing_is_refused(ws: Path) -> None:
    _add("--signed", "2025-12-20", "--signed-by", "Directora")
    err = refused(ws, "agreement", "review", KEY, "--on", "2025-12-19", "--by", "Comissió")
    assert "before the agreement was signed on December 20, 2025" in err
    err = refused(
        ws, "--locale", "es", "agreement", "review", KEY, "--on", "2025-12-19", "--by", "C"
    )
    assert "anterior a la firma" in err
    said("agreement", "review", KEY, "--on", "2025-12-20", "--by", "Comissió")


@freeze_time("2026-12-06 10:00:00")
def test_import_goals_and_data_to_the_draft_all_or_nothing(ws: Path) -> None:
    _add()
    ok(
        "agreement",
        "add",
        "Signat",
        "--partner",
        "biblio",
        "--lead",
        "casa",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--id",
        "signat",
        "--signed",
        "2025-12-01",
        "--signed-by",
        "Jo",
    )
    bad = write(
        ws,
        "metes.csv",
        f"acord;meta\n{KEY};Més famílies <i>llegint</i>\nsignat;Una meta\nenlloc;x\n{KEY};  \n",
    )
    code, out, err = run("--locale", "ca", "import", "agreement-goals", str(bad))
    assert code == 1 and out == ""
    # each row's column named as the file's header names it (acord, meta)
    assert f'{bad}:3: acord: l\'acord "signat" ' in err and "agreement amend" in err
    assert f"{bad}:4: acord: " in err and '"enlloc"' in err
    assert f"{bad}:5: meta:" in err
    assert query(ws, "SELECT COUNT(*) FROM agreement_goal") == [(0,)]
    good = write(
        ws, "metes.csv", f"acord;meta\n{KEY};Més famílies <i>llegint</i>\n{KEY};Dues  metes\n"
    )
    assert "2 created" in said("import", "agreement-goals", str(good))
    before = dump(ws)
    assert "2 unchanged" in said("import", "agreement-goals", str(good))
    assert dump(ws) == before
    data = write(
        ws,
        "dades.csv",
        "acuerdo,dato,sentido,finalidad\n"
        f"{KEY},assistència,entrada,seguiment\n"
        f"{KEY},materials,ambdues,millorar-los\n"
        f"{KEY},inscripcions,amunt,x\n",
    )
    code, out, err = run("import", "agreement-data", str(data))
    assert code == 1 and f'{data}:4: sentido: "amunt" is not one of: out, in, both' in err
    assert query(ws, "SELECT COUNT(*) FROM agreement_data") == [(0,)]
    data = write(
        ws,
        "dades.csv",
        "acuerdo,dato,sentido,finalidad\n"
        f"{KEY},assistència,entrada,seguiment\n"
        f"{KEY},materials,AMBDUES,millorar-los\n",
    )
    assert "2 created" in said("import", "agreement-data", str(data))
    assert "2 unchanged" in said("import", "agreement-data", str(data))
    other = write(ws, "altre.csv", f"agreement,what,direction,purpose\n{KEY},materials,both,x\n")
    err = refused(ws, "import", "agreement-data", str(other))
    assert f"{other}:2: purpose:" in err and "another purpose (millorar-los)" in err
    shown = as_json("agreement", "show", KEY)["history"][0]
    assert shown["goals"] == ["Més famílies <i>llegint</i>", "Dues  metes"]  # as typed
    assert shown["data"] == [
        {"what": "assistència", "direction": "in", "purpose": "seguiment"},
        {"what": "materials", "direction": "both", "purpose": "millorar-los"},
    ]
    # signed, then ended: refused with the commands' words
    ok("agreement", "sign", KEY, "--on", "2025-12-20", "--by", "Directora")
    err = refused(ws, "import", "agreement-goals", str(good))
    assert 'agreement "conveni" was signed on December 20, 2025 by Directora' in err
    ok("agreement", "end", KEY, "--by", "Jo", "--reason", "fi")
    err = refused(ws, "--locale", "es", "import", "agreement-data", str(data))
    assert f'{data}:2: acuerdo: el acuerdo "conveni" terminó el' in err
