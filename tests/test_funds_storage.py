"""The storage of competitive funds (`storage/funds/`): rounds, their texts, applications
with budget lines and legal personalities come back as they went in, on either backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from comunidad_cli.storage import dbapi
from comunidad_cli.storage.funds import applications, rounds
from tests.helpers import database_of, ok

AT = datetime(2026, 4, 17, 23, 59, 1, 250000, tzinfo=UTC)


@contextmanager
def _db(url: str) -> Iterator[dbapi.Db]:
    with dbapi.transaction(url, write=True, check=lambda _: None, limit=5) as db:
        yield db


def test_a_round_its_texts_and_an_application_round_trip(in_tmp: Path) -> None:
    ok("init", "w")
    ok(
        "--workspace",
        "w",
        "org",
        "add",
        "Junta de Vecinos Nº 12 «Villa Esperanza»",
        "--kind",
        "community",
    )
    url = database_of(in_tmp / "w")
    with _db(url) as db:
        org = int(db.value("SELECT id FROM organisation"))
        rid = rounds.add_round(
            db,
            key="2026-barrio-activo",
            bylaws_id="directorio-local",
            body="directorio",
            grant_id=None,
            opened_at=AT,
        )
        first = rounds.add_text(
            db, round_id=rid, sha256="a" * 64, content="schema = 1\n", loaded_at=AT
        )
        second = rounds.add_text(
            db,
            round_id=rid,
            sha256="b" * 64,
            content="schema = 1\n# ñ\n",
            loaded_at=AT + timedelta(days=1),
        )
        rounds_seen = rounds.rounds(db)
        aid = applications.add_application(
            db,
            key="villa-esperanza-plaza",
            round_id=rid,
            organisation_id=org,
            project="Plaza «Los Aromos»",
            amount=Decimal("3499999.99"),
            own_contribution=Decimal("350000"),
            priority="espacios-publicos",
            submitted_at=AT,
            lines={"materiales": Decimal("2000000.49"), "honorarios": Decimal("1499999.50")},
        )
        applications.add_legal_personality(
            db,
            organisation_id=org,
            number="PJ-1234",
            valid_from=date(2024, 5, 2),
            valid_until=date(2027, 5, 1),
            recorded_at=AT,
            by="Ana",
        )
    with _db(url) as db:
        found = rounds.round_by_key(db, "2026-barrio-activo")
        assert found is not None and found.id == rid and found.grant is None
        assert found.opened_at == AT and [r.key for r in rounds_seen] == ["2026-barrio-activo"]
        latest = rounds.latest_text(db, rid)
        assert latest is not None and latest.id == second and latest.content.endswith("ñ\n")
        assert rounds.text_by_id(db, first).sha256 == "a" * 64
        [app] = applications.applications(db, rid)
        assert app.id == aid and app.project == "Plaza «Los Aromos»"
        assert app.organisation_name == "Junta de Vecinos Nº 12 «Villa Esperanza»"
        assert (app.amount, app.own_contribution) == (Decimal("3499999.99"), Decimal("350000.00"))
        assert app.submitted_at == AT and app.organisation_kind == "community"
        assert applications.application_by_key(db, "villa-esperanza-plaza") == app
        assert applications.application_by_key(db, "nope") is None
        assert applications.application_lines(db, rid) == {
            aid: {"honorarios": Decimal("1499999.50"), "materiales": Decimal("2000000.49")}
        }
        [legal] = applications.legal_personalities(db).values()
        assert (legal.number, legal.valid_until, legal.by) == ("PJ-1234", date(2027, 5, 1), "Ana")
