"""A mistyped id names the one meant, for every kind of record a person types the id of
(`services/suggest.py` `no_such`, `core/suggest.py`): the refusal asks "did you mean ...?"
when an id is close, and says where to look otherwise; exit 1, nothing written. And a file
the system would not write says why in the reader's words (`core/os_errors.py`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import ok, refused, run, write


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    """An English workspace with one record of every kind whose id a person types."""
    assert (
        run("init", "w", "--locale", "en", "--currency", "EUR", "--template", "partnership")[0] == 0
    )
    root = in_tmp / "w"
    os.chdir(root)
    ok("org", "add", "Fundació Barri Viu", "--kind", "funder", "--id", "fundacio-barri-viu")
    ok(
        "org",
        "add",
        "Associació de Veïns",
        "--kind",
        "community",
        "--id",
        "associacio-de-veins-lesquerra",
    )
    ok("org", "add", "AMPA Joan Miró", "--kind", "community", "--id", "ampa-joan-miro")
    ok("person", "add", "Arnau Solé", "--org", "ampa-joan-miro")
    ok(
        "grant", "new", "--funder", "fundacio-barri-viu", "--title", "Best Start",
        "--amount", "100,000.00", "--from", "2025-01-01", "--to", "2025-12-31",
        "--id", "best-start",
    )  # fmt: skip
    ok(
        "subcontract", "new", "--grant", "best-start", "--partner", "ampa-joan-miro",
        "--kind", "subaward", "--from", "2025-02-01", "--to", "2025-11-30",
        "--id", "ampa-2025", "--line", "personnel=1,000.00",
    )  # fmt: skip
    ok("subcontract", "risk", "ampa-2025", "--level", "low", "--by", "Ana", "--on", "2025-01-15")
    ok("subcontract", "status", "ampa-2025", "active")
    ok(
        "payment", "add", "--subcontract", "ampa-2025", "--period-from", "2025-02-01",
        "--period-to", "2025-02-28", "--date", "2025-03-05", "--status", "submitted",
        "--line", "personnel=100.00", "--id", "factura-febrer",
    )  # fmt: skip
    ok(
        "deliverable", "add", "--subcontract", "ampa-2025", "--title", "Informe",
        "--due", "2025-03-01", "--id", "informe-trimestral",
    )  # fmt: skip
    ok(
        "agreement", "add", "Conveni", "--partner", "ampa-joan-miro",
        "--lead", "associacio-de-veins-lesquerra", "--from", "2026-01-01",
        "--to", "2026-12-31", "--id", "conveni-ampa",
    )  # fmt: skip
    ok(
        "learning", "add", "Lideratge", "--topic", "t", "--facilitator", "F", "--hours", "2",
        "--on", "2026-04-18", "--id", "lideratge-comunitari",
    )  # fmt: skip
    ok("network", "add", "Xarxa d'Infància", "--kind", "xarxa", "--id", "xarxa-infancia-sants")
    ok(
        "network", "commit", "xarxa-infancia-sants", "--text", "Calendari", "--owner",
        "arnau-sole", "--on", "2026-11-05", "--due", "2026-11-20", "--id", "calendari-festa",
    )  # fmt: skip
    ok("meeting", "new", "--body", "nlg", "--at", "2026-11-18 18:00", "--notice-sent", "2026-11-10")
    ok(
        "motion", "new", "--meeting", "nlg-2026-11-18", "--decision", "award_subcontract",
        "--title", "Festa major", "--at", "18:15", "--id", "nlg-2026-11-18-festa-major",
    )  # fmt: skip
    return root


#: A command naming an id, a typo of a stored one, the one meant and the text with nothing close.
CASES = [
    (
        ["org", "show"],
        "associacio-de-veins-lesquerr",
        "associacio-de-veins-lesquerra",
        '"comunidad org list"',
    ),
    (["person", "show"], "arnau-sol", "arnau-sole", '"comunidad person list"'),
    (["meeting", "show"], "nlg-2026-11-1", "nlg-2026-11-18", '"comunidad meeting list"'),
    (
        ["motion", "show"],
        "nlg-2026-11-18-festa-majo",
        "nlg-2026-11-18-festa-major",
        '"comunidad meeting show"',
    ),
    (["grant", "show"], "best-strat", "best-start", '"comunidad grant list"'),
    (["subcontract", "show"], "ampa-2052", "ampa-2025", '"comunidad subcontract list"'),
    (
        ["payment", "status", "--", "approved"],
        "factura-febre",
        "factura-febrer",
        '"comunidad payment list"',
    ),
    (
        ["deliverable", "submit", "--due", "2025-03-01", "--on", "2025-03-02", "--"],
        "informe-trimestal",
        "informe-trimestral",
        '"comunidad deliverable list"',
    ),
    (["agreement", "show"], "conveni-amp", "conveni-ampa", '"comunidad agreement list"'),
    (
        ["learning", "show"],
        "lideratge-comunitar",
        "lideratge-comunitari",
        '"comunidad learning list"',
    ),
    (
        ["network", "show"],
        "xarxa-infancia-sans",
        "xarxa-infancia-sants",
        '"comunidad network list"',
    ),
]


def _args(command: list[str], key: str) -> list[str]:
    """`command` with `key` in its place: last, or before the value after a "--" marker."""
    if "--" not in command:
        return [*command, key]
    at = command.index("--")
    before, after = command[:at], command[at + 1 :]
    if after:  # payment status KEY STATUS
        return [*before, key, *after]
    return [*before, key]


@pytest.mark.parametrize(("command", "typo", "meant", "where"), CASES)
def test_a_typo_names_the_id_meant(
    ws: Path, command: list[str], typo: str, meant: str, where: str
) -> None:
    err = refused(ws, *_args(command, typo))
    assert f'"{typo}"; did you mean "{meant}"?' in err
    err = refused(ws, *_args(command, "zzzzzz"))
    assert "did you mean" not in err and where in err


def test_a_commitment_and_a_tagged_record(ws: Path) -> None:
    """A commitment followed up, and a record tagged by kind and id: the same suggestion."""
    err = refused(ws, "network", "follow-up", "calendari-fest", "--status", "done", "--by", "X")
    assert 'no commitment with id "calendari-fest"; did you mean "calendari-festa"?' in err
    err = refused(ws, "network", "follow-up", "zzzzzz", "--status", "done", "--by", "X")
    assert '"comunidad network overdue"' in err and "did you mean" not in err
    tag = ["--condition", "policies", "--by", "Ana"]
    err = refused(ws, "change", "tag", "subcontract", "ampa-2052", *tag)
    assert 'no subcontract with id "ampa-2052"; did you mean "ampa-2025"?' in err
    err = refused(ws, "change", "tag", "project", "ampa-2052", *tag)
    assert "did you mean" not in err  # a funded project goes by its application's id


def test_the_catalan_tester_s_typos(ws: Path) -> None:
    """The tester's exact cases, in Catalan."""
    err = refused(ws, "--locale", "ca", "motion", "show", "nlg-2026-11-18-festa-majo")
    assert 'volíeu dir "nlg-2026-11-18-festa-major"?' in err
    err = refused(ws, "--locale", "ca", "meeting", "show", "nlg-2026-11-1")
    assert 'no hi ha cap sessió amb l\'id "nlg-2026-11-1"; volíeu dir "nlg-2026-11-18"?' in err
    err = refused(ws, "--locale", "es", "org", "show", "associacio-de-veins-lesquerr")
    assert '¿quisiste decir "associacio-de-veins-lesquerra"?' in err


def test_an_import_row_names_the_organisation_meant(ws: Path) -> None:
    people = write(ws, "people.csv", "name,org\nMarta Puig,ampa-joan-mir\nPere Roca,zzzzzz\n")
    err = refused(ws, "import", "people", str(people))
    assert 'no organisation with id "ampa-joan-mir"; did you mean "ampa-joan-miro"?' in err
    assert 'no organisation with id "zzzzzz": import the organisations first' in err


def test_a_vote_import_names_the_person_and_motion_meant(ws: Path) -> None:
    votes = write(
        ws,
        "votes.csv",
        "motion,person,choice,at\n"
        "nlg-2026-11-18-festa-major,arnau-sol,yes,2026-11-18 18:20\n"
        "nlg-2026-11-18-festa-majo,arnau-sole,yes,2026-11-18 18:21\n",
    )
    err = refused(ws, "--locale", "ca", "import", "votes", str(votes))
    assert "votes.csv:2: " in err and 'amb l\'id "arnau-sol"; volíeu dir "arnau-sole"?' in err
    assert "votes.csv:3: " in err
    assert 'amb l\'id "nlg-2026-11-18-festa-majo"; volíeu dir "nlg-2026-11-18-festa-major"?' in err


def test_an_unwritable_export_says_why_in_spanish(ws: Path) -> None:
    target = ws / "no-such-folder" / "pagos.csv"
    code, out, err = run("--locale", "es", "export", "payments", "-o", str(target))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert f"no se puede escribir {target}: no existe ese archivo o carpeta" in err
    assert "No such file" not in err


def test_a_file_of_unknown_ids_is_matched_a_bounded_number_of_times(ws: Path) -> None:
    """Votes imported before the people: past `SEARCHES` distinct ids, no more matching."""
    from comunidad_cli.services.suggest import SEARCHES

    rows = "".join(
        f"nlg-2026-11-18-festa-major,arnau-sol{n},yes,2026-11-18 18:20\n"
        for n in range(SEARCHES + 5)
    )
    votes = write(ws, "votes.csv", "motion,person,choice,at\n" + rows)
    err = refused(ws, "import", "votes", str(votes))
    assert err.count('did you mean "arnau-sole"?') == SEARCHES
    assert err.count('add them with "comunidad person add"') == 5
