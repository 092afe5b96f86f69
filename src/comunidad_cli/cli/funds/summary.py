"""`comunidad summary`'s section on the competitive funds and the plan: the rounds open and
awaiting a step (with the next command, from `core/funds/stage.py`) and, per body, the plan
in force. Its own module so that the summary of a workspace without rounds reads none of it."""

from __future__ import annotations

from typing import Any

from comunidad_cli.cli._common import stdout_console
from comunidad_cli.i18n import _, fill, format_date, ngettext


def funds_json(funds: Any) -> dict[str, Any]:
    """The rounds whose window is open (closing day), those awaiting a step (their stage's
    code, counts, words and next command), and per body the plan in force or null."""
    from comunidad_cli.i18n import message_text

    def awaiting(line: Any) -> dict[str, Any]:
        found = line.stage
        return {
            "round": line.key,
            "body": line.body,
            "stage": found.code,
            **found.counts,
            "text": message_text(found.text),
            "next": None if found.next is None else message_text(found.next),
        }

    if funds is None:
        return {"open": [], "awaiting": [], "plans": []}
    return {
        "open": [
            {"round": r.key, "body": r.body, "closes": r.closes.isoformat()} for r in funds.open
        ],
        "awaiting": [awaiting(r) for r in funds.awaiting],
        "plans": [
            {
                "bylaws": p.bylaws,
                "body": p.body,
                "plan": p.plan,
                "from": None if p.start is None else p.start.isoformat(),
                "to": None if p.end is None else p.end.isoformat(),
                "needs": p.needs if p.plan is not None else None,
            }
            for p in funds.plans
        ],
    }


def print_funds(funds: Any) -> None:
    """The rounds open (until their closing day) and awaiting a step, one line each with the
    next command, and per body the plan in force: said only when there are rounds or plans."""
    from comunidad_cli.i18n import message_text

    if funds is None or not (funds.rounds or funds.plans):
        return
    console = stdout_console()
    console.print("\n[bold]" + _("Competitive funds and the plan") + "[/bold]")

    def say(text: str) -> None:
        console.print(text, highlight=False, markup=False)

    for line in funds.open:
        say(
            fill(
                _("  • {round}: applications open until {date}"),
                round=line.key,
                date=format_date(line.closes),
            )
        )
    for line in funds.awaiting:
        text = message_text(line.stage.text)
        say(f"  • {line.key}: {text}")
        if line.stage.next is not None:
            say("    " + _("next: {command}").format(command=message_text(line.stage.next)))
    if not funds.open and not funds.awaiting:
        say(_("  No round awaits a step."))
    for plan in funds.plans:
        if plan.plan is None:
            say(_("  {body}: no plan in force").format(body=plan.body))
            continue
        say(
            fill(
                ngettext(
                    "  {body}: plan {plan} in force, {start} to {end}, {count} need",
                    "  {body}: plan {plan} in force, {start} to {end}, {count} needs",
                    plan.needs,
                ),
                body=plan.body,
                plan=plan.plan,
                start=format_date(plan.start),
                end=format_date(plan.end),
                count=plan.needs,
            )
        )
