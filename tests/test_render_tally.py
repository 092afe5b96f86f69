"""One explanation of a tally and one name for each outcome, for every output: `motion
close|show`, `meeting show`, `summary` and the minutes (render/tally.py)."""

from __future__ import annotations

from typing import Any

from comunidad_cli.render.tally import explain_tally, outcome_label, outcome_name

RESULT: dict[str, Any] = {
    "yes": 5,
    "no": 1,
    "abstain": 1,
    "base": "cast",
    "base_total": 6,
    "required": 4,
    "quorum": {"present": 8, "required": 6, "met": True},
    "decided_by_chair": True,
    "recused": [{"person": "a1", "name": "Ana *Ruiz*", "reason": "Agency A applies"}],
}


def test_outcome_names_and_labels() -> None:
    assert [outcome_name(o) for o in ("adopted", "rejected", "no_quorum", None)] == [
        "adopted",
        "rejected",
        "no quorum",
        "open",
    ]
    assert outcome_label("no_quorum") == "NOT DECIDED: no quorum"
    assert outcome_label("adopted") == "ADOPTED"


def test_one_explanation_in_two_registers() -> None:
    terminal = explain_tally(RESULT, "terminal")
    assert terminal.votes == "Yes 5, no 1, abstain 1; base cast: 6; 4 yes needed."
    assert terminal.quorum == "Quorum: 8 present, 6 needed: met."
    assert terminal.chair == "A tie, decided by the chair's casting vote."
    assert terminal.recusals == ("  Ana *Ruiz* recused: Agency A applies",)
    document = explain_tally({**RESULT, "decided_by_chair": False}, "document")
    assert document.votes == "Votes: yes 5, no 1, abstain 1 (base cast: 6; 4 yes needed)."
    assert document.quorum == "Quorum at the vote: 8 present, 6 needed: met."
    assert document.chair is None
    assert document.recusals == ("Ana *Ruiz* recused: Agency A applies",)
