"""By-laws and amendments as documents in the user's language (Markdown, JSON, text).

One Markdown renderer serves both `--format markdown` and the terminal (Rich draws the
same Markdown), so the printed and the shared document never drift apart.
"""

from __future__ import annotations

from typing import Any

from comunidad_cli.core.bylaws.describe import describe_quorum, describe_rule
from comunidad_cli.core.bylaws.diff import Change, ChangeKind
from comunidad_cli.core.bylaws.model import Body, Bylaws
from comunidad_cli.core.fractions import format_fraction
from comunidad_cli.core.messages import Msg
from comunidad_cli.i18n import (
    _,
    fill,
    format_date,
    format_number,
    message_text,
    ngettext,
)
from comunidad_cli.render.text import markdown


def _t(msg: Msg) -> str:
    return message_text(msg)


def _md(text: str) -> str:
    """The by-laws' own text (names, rules) as typed, not as Markdown; on one line, so it also
    fits a table cell (pipes escaped, no newlines)."""
    return markdown(text, line_start=False).replace("\n", " ")


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _days(days: int | None) -> str:
    if days is None:
        return _("not stated")
    return ngettext("{n} day", "{n} days", days).format(n=format_number(days))


def _body_name(bylaws: Bylaws, body_id: str | None) -> str:
    if body_id is None:
        return "—"
    body = bylaws.bodies.get(body_id)
    return _md(body.name if body else body_id)


def _class_name(bylaws: Bylaws, class_id: str) -> str:
    member_class = bylaws.classes.get(class_id)
    return _md(member_class.name if member_class else class_id)


def _composition(bylaws: Bylaws, body: Body) -> str:
    if body.seats:
        parts = [f"{_class_name(bylaws, c)} {format_number(n)}" for c, n in body.seats.items()]
        total = body.total_seats or 0
        listed = [c for c in body.classes if c not in body.seats]
        parts += [_class_name(bylaws, c) for c in listed]
        return ngettext("{seats} ({total} seat)", "{seats} ({total} seats)", total).format(
            seats=", ".join(parts), total=format_number(total)
        )
    return ", ".join(_class_name(bylaws, c) for c in body.class_ids)


def bylaws_markdown(bylaws: Bylaws, source: str, sha256: str) -> str:
    """The whole by-laws as a Markdown document in the active language."""
    out: list[str] = [f"# {_md(bylaws.name)}", ""]
    facts = [f"`{bylaws.id}`"]
    if bylaws.adopted:
        facts.append(fill(_("adopted {date}"), date=format_date(bylaws.adopted)))
    if bylaws.amended:
        facts.append(fill(_("amended {date}"), date=format_date(bylaws.amended)))
    out += ["*" + " · ".join(facts) + "*", ""]
    if bylaws.description:
        out += [markdown(bylaws.description), ""]

    out += ["## " + _("Membership classes"), ""]
    out += ["| " + _("Class") + " | " + _("Id") + " | " + _("Votes") + " |", "|---|---|---|"]
    for c in bylaws.classes.values():
        out.append(f"| {_md(c.name)} | `{c.id}` | {_yes_no(c.votes)} |")
    out.append("")

    out += ["## " + _("Bodies"), ""]
    for body in bylaws.bodies.values():
        out += [f"### {_md(body.name)} (`{body.id}`)", ""]
        if body.parent:
            out.append("- **" + _("Committee of") + f":** {_body_name(bylaws, body.parent)}")
        out.append("- **" + _("Members") + f":** {_composition(bylaws, body)}")
        out.append("- **" + _("Quorum") + f":** {_md(_t(describe_quorum(body.quorum, bylaws)))}")
        out.append("- **" + _("Notice of meetings") + f":** {_days(body.notice_days)}")
        if body.chair:
            role = bylaws.roles.get(body.chair)
            out.append("- **" + _("Chaired by") + f":** {_md(role.name if role else body.chair)}")
        out.append("")

    out += ["## " + _("Decisions"), ""]
    out += [
        "| "
        + _("Decision")
        + " | "
        + _("Decided by")
        + " | "
        + _("Rule")
        + " | "
        + _("Notice")
        + " | "
        + _("Recusal")
        + " |",
        "|---|---|---|---|---|",
    ]
    for d in bylaws.decisions.values():
        rule = bylaws.rules.get(d.rule or "")
        rule_text = _t(describe_rule(rule)) if rule else (d.rule or "—")
        label = _md(d.name or d.id)
        if d.awards:
            label += " " + _("(awards money)")
        if d.plan:
            label += " " + _("(adopts the improvement plan)")
        out.append(
            f"| {label} | {_body_name(bylaws, d.body)} | {_md(rule_text)}"
            f" | {_days(bylaws.notice_for(d))} | {_yes_no(d.recusal)} |"
        )
    out.append("")

    if bylaws.roles:
        out += ["## " + _("Roles"), ""]
        for role in bylaws.roles.values():
            out += [f"### {_md(role.name)}", ""]
            out.append("- **" + _("Body") + f":** {_body_name(bylaws, role.body)}")
            if role.elected_by:
                out.append("- **" + _("Elected by") + f":** {_body_name(bylaws, role.elected_by)}")
            if role.holders > 1:
                out.append("- **" + _("Holders") + f":** {format_number(role.holders)}")
            if role.term_months:
                term = ngettext("{n} month", "{n} months", role.term_months).format(
                    n=format_number(role.term_months)
                )
                out.append("- **" + _("Term") + f":** {term}")
            if role.max_terms:
                limit = ngettext("at most {n} term", "at most {n} terms", role.max_terms).format(
                    n=format_number(role.max_terms)
                )
                out.append("- **" + _("Term limit") + f":** {limit}")
            for duty in role.duties:
                out.append(f"- {markdown(duty)}")
            out.append("")

    out += ["## " + _("Proxies and conflicts of interest"), ""]
    if bylaws.proxies_allowed:
        if bylaws.proxies_max_per_holder:
            out.append(
                "- "
                + ngettext(
                    "Proxies are allowed: a member may hold at most {n} proxy.",
                    "Proxies are allowed: a member may hold at most {n} proxies.",
                    bylaws.proxies_max_per_holder,
                ).format(n=format_number(bylaws.proxies_max_per_holder))
            )
        else:
            out.append("- " + _("Proxies are allowed."))
    else:
        out.append("- " + _("Proxies are not allowed."))
    if bylaws.recused_count_for_quorum:
        out.append("- " + _("A member who recuses still counts towards quorum."))
    else:
        out.append("- " + _("A member who recuses does not count towards quorum."))
    out.append("")

    if bylaws.conflict_resolution:
        out += ["## " + _("Conflict resolution"), ""]
        out += [
            f"{n}. {markdown(step)}" for n, step in enumerate(bylaws.conflict_resolution, start=1)
        ]
        out.append("")

    out += [
        "---",
        "",
        _("Source: {file} (sha256 {digest}).").format(file=markdown(source), digest=sha256[:12]),
        "",
    ]
    return "\n".join(out)


def bylaws_json(bylaws: Bylaws, source: str, sha256: str) -> dict[str, Any]:
    """The model as JSON data for scripts: exact fractions as strings, dates as ISO."""

    def fraction(value: Any) -> str | None:
        return format_fraction(value) if value is not None else None

    return {
        "id": bylaws.id,
        "name": bylaws.name,
        "source": source,
        "sha256": sha256,
        "adopted": bylaws.adopted.isoformat() if bylaws.adopted else None,
        "amended": bylaws.amended.isoformat() if bylaws.amended else None,
        "classes": {
            c.id: {"name": c.name, "votes": c.votes, "kind": c.kind}
            for c in bylaws.classes.values()
        },
        "bodies": {
            b.id: {
                "name": b.name,
                "parent": b.parent,
                "classes": list(b.class_ids),
                "seats": dict(b.seats),
                "notice_days": b.notice_days,
                "chair": b.chair,
                "quorum": None
                if b.quorum is None
                else {
                    "fraction": fraction(b.quorum.fraction),
                    "count": b.quorum.count,
                    "strict": b.quorum.strict,
                    "of": b.quorum.of,
                    "min": dict(b.quorum.minimums),
                    "text": _t(describe_quorum(b.quorum, bylaws)),
                },
            }
            for b in bylaws.bodies.values()
        },
        "rules": {
            r.id: {
                "threshold": fraction(r.threshold),
                "strict": r.strict,
                "base": r.base,
                "tie": r.tie,
                "dual": None
                if r.dual is None
                else {
                    "class": r.dual.member_class,
                    "threshold": fraction(r.dual.threshold),
                    "strict": r.dual.strict,
                    "base": r.dual.base,
                },
                "text": _t(describe_rule(r)),
            }
            for r in bylaws.rules.values()
        },
        "decisions": {
            d.id: {
                "name": d.name,
                "body": d.body,
                "rule": d.rule,
                "notice_days": bylaws.notice_for(d),
                "recusal": d.recusal,
                "awards": d.awards,
                "plan": d.plan,
            }
            for d in bylaws.decisions.values()
        },
        "roles": {
            r.id: {
                "name": r.name,
                "body": r.body,
                "elected_by": r.elected_by,
                "holders": r.holders,
                "term_months": r.term_months,
                "max_terms": r.max_terms,
                "duties": list(r.duties),
            }
            for r in bylaws.roles.values()
        },
        "proxies": {
            "allowed": bylaws.proxies_allowed,
            "max_per_holder": bylaws.proxies_max_per_holder,
        },
        "conflict_of_interest": {"counts_for_quorum": bylaws.recused_count_for_quorum},
        "conflict_resolution": list(bylaws.conflict_resolution or ()),
    }


def change_line(change: Change) -> str:
    """ "quorum of "Community Partnership": more than 1/2 ... -> at least 2/3 ..." """
    subject = _t(change.subject)
    if change.kind is ChangeKind.ADDED:
        return _("added: {subject}").format(subject=subject)
    if change.kind is ChangeKind.REMOVED:
        return _("removed: {subject}").format(subject=subject)
    old = _t(change.old) if change.old else ""
    new = _t(change.new) if change.new else ""
    return f"{subject}: {old} -> {new}"


def changes_text(changes: list[Change], *, markdown: bool = False) -> str:
    prefix = {"added": "+ ", "removed": "- ", "changed": "~ "}
    if markdown:
        return "".join(f"- {_md(change_line(c))}\n" for c in changes)
    return "".join(f"{prefix[c.kind]}{change_line(c)}\n" for c in changes)


def changes_json(changes: list[Change]) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind.value,
            "path": c.path,
            "subject": _t(c.subject),
            "old": _t(c.old) if c.old else None,
            "new": _t(c.new) if c.new else None,
            "text": change_line(c),
        }
        for c in changes
    ]
