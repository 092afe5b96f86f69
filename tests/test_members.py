"""Seats: `comunidad member add|end|list` under the Best Start by-laws, and the pure rules.

bsmla: the NLG has seats {resident 7, agency 3, business 1, funder 1}; the partnership has
open classes and the roles co_chairs (2 holders, 2 x 24 months) and secretary; the NLG
facilitator serves at most 2 consecutive terms of 12 months.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from freezegun import freeze_time

from comunidad_cli.core.bylaws.model import Bylaws
from comunidad_cli.core.governance.model import Seat
from comunidad_cli.core.governance.seats import check_seat, most_at_once, tenure
from comunidad_cli.services.bylaws import load_valid
from comunidad_cli.services.directory import add_person
from tests.helpers import dump
from tests.test_directory import BYLAWS, audit_rows, db_url, ok, run

PEOPLE = [f"p{n}" for n in range(1, 13)]


@pytest.fixture
def ws(in_tmp: Path) -> Path:
    from tests.test_directory import make_workspace

    folder = make_workspace(in_tmp / "w")
    for key in PEOPLE:
        add_person(db_url(folder), name=key.upper(), key=key)
    return folder


@pytest.fixture(scope="module")
def bsmla() -> Bylaws:
    model = load_valid(BYLAWS, date(2025, 1, 1)).model
    assert model is not None
    return model


def seat(*args: str) -> tuple[int, str, str]:
    return run("member", "add", *args)


def add(
    person: str, body: str, cls: str, start: str, end: str | None = None, role: str | None = None
) -> tuple[int, str]:
    args = ["--body", body, "--person", person, "--class", cls, "--from", start]
    if end:
        args += ["--to", end]
    if role:
        args += ["--role", role]
    code, _, err = seat(*args)
    return code, err


def refused(folder: Path, message: str, *args: str) -> str:
    """`member add ARGS` is refused with `message`, exit 1, and the database is unchanged."""
    before = dump(folder)
    code, out, err = seat(*args)
    assert code == 1, err
    assert message in err, err
    assert out == "" and "Traceback" not in err
    assert dump(folder) == before
    return err


# --- seat caps ---------------------------------------------------------------------------------


def test_a_class_cap_exactly_reached_is_allowed_one_more_is_refused(ws: Path) -> None:
    for person in PEOPLE[:7]:
        assert add(person, "nlg", "resident", "2024-07-01", "2026-06-30") == (
            0,
            f"Seated {person} on nlg (resident) from Jul 1, 2024 to Jun 30, 2026.\n",
        )
    err = refused(
        ws,
        '"nlg" has 7 seats for class "resident" and all are held on July 1, 2024',
        "--body",
        "nlg",
        "--person",
        "p8",
        "--class",
        "resident",
        "--from",
        "2024-07-01",
    )
    assert err.startswith("error: ")
    # Full on any one day of the new seat is full: starting later, it is still refused.
    refused(
        ws,
        "all are held on March 1, 2026",
        "--body",
        "nlg",
        "--person",
        "p8",
        "--class",
        "resident",
        "--from",
        "2026-03-01",
    )
    # Another class of the same body has its own cap.
    assert add("p8", "nlg", "agency", "2024-07-01")[0] == 0
    # From the day after a seat ends, the seat is free again (dates are inclusive).
    assert add("p9", "nlg", "resident", "2026-07-01")[0] == 0
    refused(
        ws,
        "all are held on June 30, 2026",
        "--body",
        "nlg",
        "--person",
        "p10",
        "--class",
        "resident",
        "--from",
        "2026-06-30",
        "--to",
        "2026-06-30",
    )


def test_the_cap_counts_seats_held_at_once_not_seats_ever_held(ws: Path) -> None:
    # Five residents on parent_leadership (cap 5): two of them one after the other.
    for person in PEOPLE[:4]:
        assert add(person, "parent_leadership", "resident", "2024-01-01")[0] == 0
    assert add("p5", "parent_leadership", "resident", "2024-01-01", "2024-06-30")[0] == 0
    assert add("p6", "parent_leadership", "resident", "2024-07-01", "2024-12-31")[0] == 0
    # A seat over the whole year would be the 6th on the 1st of January: refused.
    refused(
        ws,
        '"parent_leadership" has 5 seats',
        "--body",
        "parent_leadership",
        "--person",
        "p7",
        "--class",
        "resident",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    )
    assert add("p7", "parent_leadership", "resident", "2025-01-01")[0] == 0


def test_one_seat_per_person_and_body_at_a_time(ws: Path) -> None:
    assert add("p1", "nlg", "resident", "2024-01-01", "2024-12-31")[0] == 0
    refused(
        ws,
        'p1 already holds a seat on "nlg" from January 1, 2024 to December 31, 2024',
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "agency",
        "--from",
        "2024-12-31",
    )
    assert add("p1", "nlg", "agency", "2025-01-01")[0] == 0
    refused(
        ws,
        'p1 already holds a seat on "nlg" since January 1, 2025',
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "resident",
        "--from",
        "2030-01-01",
    )
    assert add("p1", "partnership", "resident", "2024-06-01")[0] == 0  # another body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--body", "board", "--class", "resident"],
            'by-laws "bsmla" have no body "board"; their bodies are: finance, nlg, outreach, parent_leadership, partnership',
        ),
        (["--body", "nlg", "--class", "neighbour"], 'by-laws "bsmla" have no class "neighbour"'),
        (
            ["--body", "parent_leadership", "--class", "agency"],
            'class "agency" has no seats on "parent_leadership"',
        ),
        (
            ["--body", "nlg", "--class", "contract_admin"],
            'class "contract_admin" has no seats on "nlg"',
        ),
        (
            ["--body", "nlg", "--class", "resident", "--role", "president"],
            'by-laws "bsmla" have no role "president"',
        ),
        (
            ["--body", "nlg", "--class", "resident", "--role", "co_chairs"],
            'role "co_chairs" belongs to body "partnership", not to "nlg"',
        ),
        (
            ["--body", "nlg", "--class", "resident", "--to", "2023-12-31"],
            "the seat would end (December 31, 2023) before it starts (January 1, 2024)",
        ),
        (
            ["--body", "nlg", "--class", "resident", "--person", "nadie"],
            'no person with id "nadie"',
        ),
        (
            ["--body", "nlg", "--class", "resident", "--bylaws", "other"],
            'no by-laws with id "other"',
        ),
    ],
)
def test_refusals(ws: Path, args: list[str], message: str) -> None:
    person = [] if "--person" in args else ["--person", "p1"]
    refused(ws, message, *person, "--from", "2024-01-01", *args)


def test_every_reason_is_listed(ws: Path) -> None:
    for person in PEOPLE[:2]:
        assert add(person, "partnership", "resident", "2024-01-01", role="co_chairs")[0] == 0
    for person in PEOPLE[2:7]:
        assert add(person, "parent_leadership", "resident", "2024-01-01")[0] == 0
    err = refused(
        ws,
        "",
        "--body",
        "partnership",
        "--person",
        "p3",
        "--class",
        "resident",
        "--role",
        "co_chairs",
        "--from",
        "2024-01-01",
        "--to",
        "2029-01-01",
    )
    assert 'role "co_chairs" has 2 holders and is already held on January 1, 2024 by p1, p2' in err
    assert 'role "co_chairs" allows 2 consecutive terms of 24 months (48 months' in err
    assert err.count("error: ") == 2


def test_bad_dates_are_usage_errors(ws: Path) -> None:
    code, _, err = seat(
        "--body", "nlg", "--person", "p1", "--class", "resident", "--from", "1/7/2024"
    )
    assert code == 2 and '--from: "1/7/2024" is not a date: write it as YYYY-MM-DD' in err
    code, _, err = run("member", "list", "--body", "nlg", "--on", "2024-02-30")
    assert code == 2 and 'there is no such date as "2024-02-30"' in err


# --- roles ---------------------------------------------------------------------------------------


def test_role_holders_at_the_edge(ws: Path) -> None:
    assert add("p1", "partnership", "resident", "2024-01-01", "2024-12-31", "co_chairs")[0] == 0
    assert add("p2", "partnership", "agency", "2024-01-01", role="co_chairs")[0] == 0  # 2 of 2
    refused(
        ws,
        'role "co_chairs" has 2 holders and is already held on June 1, 2024 by p1, p2',
        "--body",
        "partnership",
        "--person",
        "p3",
        "--class",
        "resident",
        "--role",
        "co_chairs",
        "--from",
        "2024-06-01",
    )
    assert add("p3", "partnership", "resident", "2025-01-01", role="co_chairs")[0] == 0
    assert add("p4", "partnership", "resident", "2024-01-01", role="secretary")[0] == 0  # 1 of 1
    refused(
        ws,
        'role "secretary" has 1 holder',
        "--body",
        "partnership",
        "--person",
        "p5",
        "--class",
        "resident",
        "--role",
        "secretary",
        "--from",
        "2026-01-01",
    )


def test_term_limits_at_the_edge(ws: Path) -> None:
    # nlg_facilitator: at most 2 consecutive terms of 12 months, so up to 24 months.
    refused(
        ws,
        'role "nlg_facilitator" allows 2 consecutive terms of 12 months (24 months, up to'
        " December 31, 2025): p1 would hold it from January 1, 2024 to January 1, 2026",
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "resident",
        "--role",
        "nlg_facilitator",
        "--from",
        "2024-01-01",
        "--to",
        "2026-01-01",
    )
    assert add("p1", "nlg", "resident", "2024-01-01", "2024-12-31", "nlg_facilitator")[0] == 0
    assert add("p1", "nlg", "resident", "2025-01-01", "2025-12-31", "nlg_facilitator")[0] == 0
    # A third consecutive term is refused, open-ended or not; after a break it is allowed.
    refused(
        ws,
        "p1 would hold it from January 1, 2024 to December 31, 2026",
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "resident",
        "--role",
        "nlg_facilitator",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    )
    refused(
        ws,
        "p1 would hold it from January 1, 2024 to January 1, 2026",
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "resident",
        "--role",
        "nlg_facilitator",
        "--from",
        "2026-01-01",
    )
    assert (
        add("p1", "nlg", "resident", "2026-01-01", "2026-12-31")[0] == 0
    )  # a seat without the role
    assert add("p1", "nlg", "resident", "2027-01-01", "2027-12-31", "nlg_facilitator")[0] == 0


# --- ending seats and dated lists ----------------------------------------------------------------


@freeze_time("2024-08-15 12:00:00")
def test_membership_is_dated(ws: Path) -> None:
    assert add("p1", "nlg", "resident", "2024-01-01")[0] == 0
    assert add("p2", "nlg", "agency", "2024-03-01", "2024-12-31")[0] == 0
    code, _, err = run("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-06-30")
    assert code == 0 and "p1's seat on nlg now ends on Jun 30, 2024." in err
    assert add("p3", "nlg", "resident", "2024-07-01", role="nlg_facilitator")[0] == 0

    def on(day: str) -> list[str]:
        return [
            s["person"]
            for s in json.loads(ok("member", "list", "--body", "nlg", "--on", day, "--json"))
        ]

    assert on("2023-12-31") == []
    assert on("2024-01-01") == ["p1"]
    assert on("2024-03-01") == ["p2", "p1"]  # by class, then person
    assert on("2024-06-30") == ["p2", "p1"]
    assert on("2024-07-01") == ["p2", "p3"]
    assert on("2025-01-01") == ["p3"]
    today = json.loads(ok("member", "list", "--body", "nlg", "--json"))  # 2024-08-15
    assert today == [
        {
            "person": "p2",
            "name": "P2",
            "bylaws": "bsmla",
            "body": "nlg",
            "class": "agency",
            "role": None,
            "from": "2024-03-01",
            "to": "2024-12-31",
            "votes": True,
        },
        {
            "person": "p3",
            "name": "P3",
            "bylaws": "bsmla",
            "body": "nlg",
            "class": "resident",
            "role": "nlg_facilitator",
            "from": "2024-07-01",
            "to": None,
            "votes": True,
        },
    ]
    code, out, err = run("member", "list", "--body", "nlg", "--on", "2024-07-01")
    assert code == 0 and "p3      P3    resident  yes    nlg_facilitator  Jul 1, 2024\n" in out
    assert "2 seats held on nlg on Jul 1, 2024." in err
    code, out, err = run("member", "list", "--body", "nlg", "--on", "2023-01-01")
    assert code == 0 and out == "" and "Nobody held a seat on nlg" in err
    code, _, err = run("member", "list", "--body", "board")
    assert code == 1 and 'no body "board"' in err


def test_ending_a_seat(ws: Path) -> None:
    assert add("p1", "nlg", "resident", "2024-01-01")[0] == 0
    before = dump(ws)
    code, _, err = run("member", "end", "--body", "nlg", "--person", "p1", "--on", "2023-12-31")
    assert code == 1 and 'p1 holds no seat on "nlg" on December 31, 2023' in err
    code, _, err = run(
        "member", "end", "--body", "outreach", "--person", "p1", "--on", "2024-05-01"
    )
    assert code == 1 and 'holds no seat on "outreach"' in err
    assert dump(ws) == before
    ok("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-05-01")
    after = dump(ws)
    code, _, err = run("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-05-01")
    assert code == 0 and "already ends on" in err
    assert dump(ws) == after
    # Ending earlier than planned is allowed; a later date is a day the seat is not held.
    ok("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-04-01")
    code, _, _ = run("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-05-01")
    assert code == 1


@freeze_time("2030-02-28 10:00:00")
def test_seat_changes_are_audited(ws: Path) -> None:
    assert add("p1", "nlg", "resident", "2024-01-01", role="nlg_facilitator")[0] == 0
    ok("member", "end", "--body", "nlg", "--person", "p1", "--on", "2024-12-31")
    rows = [r for r in audit_rows(ws) if r[2] == "seat"]
    assert [r[:4] for r in rows] == [
        ("member add", "create", "seat", "bsmla/nlg/p1/2024-01-01"),
        ("member end", "update", "seat", "bsmla/nlg/p1/2024-01-01"),
    ]
    assert json.loads(rows[0][4]) == {
        "class": "resident",
        "role": "nlg_facilitator",
        "from": "2024-01-01",
        "to": None,
    }
    assert json.loads(rows[1][4]) == {"to": [None, "2024-12-31"]}


def test_several_bylaws_need_bylaws_id(ws: Path) -> None:
    shutil.copy(ROOT_BYLAWS / "directorio-local.toml", ws / "bylaws" / "directorio-local.toml")
    code, _, err = seat(
        "--body", "nlg", "--person", "p1", "--class", "resident", "--from", "2024-01-01"
    )
    assert code == 1 and "2 by-laws files in" in err and "--bylaws ID" in err
    code, _, err = seat(
        "--body",
        "nlg",
        "--person",
        "p1",
        "--class",
        "resident",
        "--from",
        "2024-01-01",
        "--bylaws",
        "bsmla",
    )
    assert code == 0, err


ROOT_BYLAWS = BYLAWS.parent


# --- the pure rules ---------------------------------------------------------------------------------


def test_most_at_once() -> None:
    seats = [
        Seat("a", "nlg", "resident", date(2024, 1, 1), date(2024, 3, 31)),
        Seat("b", "nlg", "resident", date(2024, 4, 1), None),
        Seat("c", "nlg", "resident", date(2024, 3, 15), date(2024, 4, 15)),
    ]
    assert most_at_once(seats, date(2024, 1, 1), None) == (2, date(2024, 3, 15))
    assert most_at_once(seats, date(2024, 5, 1), date(2024, 5, 31)) == (1, date(2024, 5, 1))
    assert most_at_once([], date(2024, 5, 1), None) == (0, date(2024, 5, 1))


def test_tenure_joins_consecutive_seats_only() -> None:
    first = Seat("a", "nlg", "resident", date(2024, 1, 1), date(2024, 12, 31), "nlg_facilitator")
    second = Seat("a", "nlg", "resident", date(2025, 1, 1), date(2025, 12, 31), "nlg_facilitator")
    later = Seat("a", "nlg", "resident", date(2026, 1, 2), None, "nlg_facilitator")
    assert tenure([first], second) == (date(2024, 1, 1), date(2025, 12, 31))
    assert tenure([first, second], later) == (date(2026, 1, 2), date(2026, 1, 2))
    other_role = Seat("a", "nlg", "resident", date(2025, 1, 1), None, None)
    assert tenure([other_role], first) == (date(2024, 1, 1), date(2024, 12, 31))


def test_check_seat_orders_nothing_and_reports_fields(bsmla: Bylaws) -> None:
    held = [Seat(f"r{n}", "nlg", "resident", date(2024, 1, 1), None) for n in range(7)]
    new = Seat("x", "nlg", "resident", date(2025, 1, 1), None)
    assert [p.field for p in check_seat(bsmla, held, new)] == ["class"]
    assert check_seat(bsmla, held[:6], new) == []
    assert check_seat(bsmla, reversed(held[:6]), new) == []
    twice = Seat("r0", "nlg", "resident", date(2024, 1, 1), None)
    assert [p.field for p in check_seat(bsmla, held[:6], twice)] == ["person"]


# --- judging one seat reads only the seats that count; an import judges each row once -------------


def test_member_add_reads_only_the_seats_that_judge_it(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not every seat of the body: the person's own, and the overlapping ones of a capped
    class or of the role (`seats_that_count`), in the order stored."""
    from comunidad_cli.services import members

    for person in PEOPLE[:6]:  # open class on the partnership: none of these counts
        assert add(person, "partnership", "resident", "2024-01-01")[0] == 0
    assert add("p7", "partnership", "agency", "2024-01-01", role="co_chairs")[0] == 0
    assert add("p8", "partnership", "agency", "2020-01-01", "2021-12-31", role="co_chairs")[0] == 0
    assert add("p9", "partnership", "agency", "2020-01-01", "2021-12-31")[0] == 0
    assert add("p1", "nlg", "resident", "2023-01-01", "2023-12-31")[0] == 0
    assert add("p2", "nlg", "resident", "2024-01-01")[0] == 0
    assert add("p3", "nlg", "agency", "2024-01-01")[0] == 0
    judged: list[list[Seat]] = []
    real = members.check_seat

    def spy(bylaws: Bylaws, seats: list[Seat], new: Seat) -> list[object]:
        judged.append(list(seats))
        return list(real(bylaws, seats, new))

    monkeypatch.setattr(members, "check_seat", spy)

    def people(*args: str, role: str | None = None) -> list[tuple[str, date]]:
        judged.clear()
        assert add(*args, role=role)[0] == 0
        (seats,) = judged
        return [(s.person, s.start) for s in seats]

    # p9's own old seat on the partnership, and p7, the co-chair holding the role meanwhile.
    assert people("p9", "partnership", "resident", "2025-01-01", role="co_chairs") == [
        ("p9", date(2020, 1, 1)),
        ("p7", date(2024, 1, 1)),
    ]
    # A capped class: its seats overlapping the new one (not p1's, ended before, nor p3's).
    assert people("p10", "nlg", "resident", "2024-06-01") == [("p2", date(2024, 1, 1))]
    assert people("p11", "partnership", "business", "2024-06-01") == []


@freeze_time("2024-08-15 12:00:00")
def test_an_import_judges_each_row_against_the_rows_before_it(ws: Path) -> None:
    """A row updating a stored seat frees its place for a later row; a refusal names the
    seat as updated, with its row number."""
    from tests.test_importing import imported, refused, write

    for person in PEOPLE[:7]:
        assert add(person, "nlg", "resident", "2024-01-01", "2026-06-30")[0] == 0
    header = "body,person,class,role,from,to\n"
    rows = [
        "nlg,p8,resident,,2025-07-01,",  # 2: the class is full until p1's seat is ended
        "nlg,p1,resident,,2024-01-01,2025-06-30",  # 3: p1 leaves a year early
        "nlg,p8,resident,,2025-07-02,",  # 4: now there is room
        "nlg,p9,resident,,2025-07-01,",  # 5: not for two
        "nlg,p1,agency,,2025-01-01,",  # 6: p1 still sits on nlg until the end of June
    ]
    write(ws / "m.csv", header + "\n".join(rows) + "\n")
    assert refused(ws, "members", "m.csv") == [
        'm.csv:2: class: "nlg" has 7 seats for class "resident" and all are held on July 1, 2025: end a seat first',
        'm.csv:5: class: "nlg" has 7 seats for class "resident" and all are held on July 2, 2025: end a seat first',
        'm.csv:6: person: p1 already holds a seat on "nlg" from January 1, 2024 to June 30, 2025',
    ]
    write(ws / "m.csv", header + "\n".join(rows[1:3]) + "\n")
    assert imported("members", "m.csv") == (0, "", "1 created, 1 updated, 0 unchanged\n")
