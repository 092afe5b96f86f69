"""Choices in the words of the user's language: `--choice sí`, `--level bajo`, `--kind
comunitària` are accepted (English always), shown back in the reader's words in text, and
kept as the stable English value in JSON and the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comunidad_cli import i18n
from comunidad_cli.core import choices
from comunidad_cli.core.grants.payments import PAYMENT_STATUSES
from comunidad_cli.core.grants.subcontracts import RISK_LEVELS, SUBCONTRACT_STATUSES
from comunidad_cli.core.messages import Msg
from tests.helpers import connect, ok, refused, run
from tests.test_grants import new_subcontract, ws  # noqa: F401 (a fixture)

VOTE = ("yes", "no", "abstain")
ORG_KINDS = ("agency", "community", "business", "public", "funder")


@pytest.mark.parametrize(
    ("typed", "allowed", "value"),
    [
        ("sí", VOTE, "yes"),
        ("SI", VOTE, "yes"),
        ("yes", VOTE, "yes"),
        ("Abstención", VOTE, "abstain"),
        ("abstenció", VOTE, "abstain"),
        ("activo", SUBCONTRACT_STATUSES, "active"),
        ("actiu", SUBCONTRACT_STATUSES, "active"),
        ("en tancament", SUBCONTRACT_STATUSES, "closing"),
        ("bajo", RISK_LEVELS, "low"),
        ("baix", RISK_LEVELS, "low"),
        ("MITJA", RISK_LEVELS, "medium"),
        ("rechazado", PAYMENT_STATUSES, "declined"),
        ("comunitària", ORG_KINDS, "community"),
        ("in-kind", ("funding", "donation", "in_kind", "volunteer_hours"), "in_kind"),
        ("en especie", ("funding", "donation", "in_kind", "volunteer_hours"), "in_kind"),
    ],
)
def test_a_choice_is_read_in_any_language(typed: str, allowed: tuple[str, ...], value: str) -> None:
    assert choices.parse(typed, allowed) == value


def test_an_unknown_word_lists_the_choices_in_the_readers_words() -> None:
    problem = choices.parse("quizás", VOTE)
    assert isinstance(problem, Msg)
    assert problem.render() == '"quizás" is not one of: yes, no, abstain'
    i18n.activate("es")
    assert problem.render(i18n._, i18n.format_value) == (
        '"quizás" no es uno de estos valores: sí, no, abstención'
    )


def test_a_word_that_names_two_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never guess: a word two values share is refused, naming both."""
    monkeypatch.setitem(choices.WORDS, "draft", {"es": ("cerrado",)})
    problem = choices.parse("Cerrado", SUBCONTRACT_STATUSES)
    assert isinstance(problem, Msg)
    assert problem.render() == '"Cerrado" could be draft, closed: write one of them in full'


@pytest.mark.parametrize(("language", "shown"), [("es", "bajo"), ("ca", "baix"), ("en", "low")])
def test_a_value_is_shown_in_the_readers_words(language: str, shown: str) -> None:
    i18n.activate(language)
    assert i18n.choice_word("low") == shown


def test_a_vote_typed_in_spanish_is_recorded_as_yes(meeting: str, workspace: Path) -> None:
    motion = ok(
        "motion", "new", "--meeting", meeting, "--decision", "award_subcontract",
        "--title", "Subcontract to Agency A", "--at", "18:15",
    ).strip()  # fmt: skip
    ok(
        "--locale",
        "es",
        "motion",
        "vote",
        motion,
        "--person",
        "r1",
        "--choice",
        "sí",
        "--at",
        "18:21",
    )
    ok("motion", "vote", motion, "--person", "r2", "--choice", "Abstenció", "--at", "18:22")
    with connect(workspace) as db:
        stored = [c for (c,) in db.execute("select choice from vote order by id")]
    assert stored == ["yes", "abstain"]
    err = refused(
        workspace,
        "--locale", "es", "motion", "vote", motion, "--person", "r3", "--choice", "quizás",
        "--at", "18:23",
        code=2,
    )  # fmt: skip
    assert "sí, no, abstención" in err


def test_an_org_kind_in_catalan_is_stored_in_english_and_shown_in_catalan(in_tmp: Path) -> None:
    assert run("init", "w", "--locale", "ca")[0] == 0
    ok(
        "--workspace",
        "w",
        "org",
        "add",
        "Casal del barri",
        "--kind",
        "comunitària",
        "--id",
        "casal",
    )
    listed = ok("--workspace", "w", "--locale", "ca", "org", "list")
    assert "comunitària" in listed
    assert "community" not in listed
    as_json = json.loads(ok("--workspace", "w", "org", "list", "--json"))
    assert as_json[0]["kind"] == "community"


@pytest.mark.usefixtures("ws")
def test_a_status_typed_and_refused_in_spanish() -> None:
    """`subcontract status casa-1 activo` moves it on; a second time the refusal names the
    status in Spanish (`activo`), not the stored `active`."""
    new_subcontract()
    ok("subcontract", "risk", "casa-1", "--level", "bajo", "--by", "Ana", "--on", "2025-01-15")
    ok("--locale", "es", "subcontract", "status", "casa-1", "activo")
    shown = json.loads(ok("subcontract", "show", "casa-1", "--json"))
    assert shown["status"] == "active"
    assert shown["risk"]["level"] == "low"
    code, _out, err = run("--locale", "es", "subcontract", "status", "casa-1", "activo")
    assert code == 1 and "activo" in err and "active" not in err, err
    text = ok("--locale", "ca", "subcontract", "show", "casa-1")
    assert "baix" in text and "low" not in text
