"""Minutes as a document in the user's language: Markdown or HTML from one block list.

Blocks (heading, paragraph, list, table) are rendered to either format, so the two can't
drift apart and no Markdown-to-HTML dependency is needed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from comunidad_cli.core.messages import Msg
from comunidad_cli.i18n import (
    _,
    fill,
    format_date,
    format_datetime,
    format_time,
    message_text,
    ngettext,
    translated,
)
from comunidad_cli.render.tally import explain_tally, outcome_label
from comunidad_cli.render.text import markdown
from comunidad_cli.services.minutes import MinutesData, SignedMinutes


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Para | Bullets | Table


def _t(msg: Msg) -> str:
    return message_text(msg)


def _time(value: Any) -> str:
    return format_datetime(value, "short") if value is not None else "—"


def _clock(value: Any, day: Any) -> str:
    """A time of day: within one meeting's minutes the date goes without saying, but for a
    time on another day than the meeting's `day` (after midnight), which carries its date."""
    if value is None:
        return "—"
    return format_time(value) if value.date() == day else format_datetime(value, "short")


def blocks(data: MinutesData) -> list[Block]:
    out: list[Block] = [
        Heading(
            1,
            fill(
                _("Minutes of {body}, {date}"),
                body=data.body_name,
                date=format_date(data.scheduled_at),
            ),
        ),
        Para(
            _('Meeting {meeting} ({kind}) under the by-laws "{bylaws}" (sha256 {digest}).').format(
                meeting=data.meeting,
                kind=translated(data.kind),
                bylaws=data.bylaws_name,
                digest=data.bylaws_sha256[:12],
            )
        ),
    ]
    if data.title:
        out.append(Para(data.title, strong=True))
    out.append(Para(fill(_("Opened at {time}."), time=_time(data.scheduled_at))))
    out.append(Heading(2, _("Attendance")))
    day = data.scheduled_at.date()
    if data.attendees:
        out.append(
            Table(
                (_("Name"), _("Voting member"), _("Arrived"), _("Left")),
                tuple(
                    (name, _("yes") if voting else _("no"), _clock(came, day), _clock(left, day))
                    for name, _k, voting, came, left in data.attendees
                ),
            )
        )
        out.append(
            Bullets(
                tuple(
                    fill(
                        _("{time}: {name} arrived") if arrived else _("{time}: {name} left"),
                        time=_clock(at, day),
                        name=name,
                    )
                    for at, name, arrived in data.events
                )
            )
        )
    else:
        out.append(Para(_("No attendance was recorded.")))
    if data.proxies:
        out.append(Heading(2, _("Proxies")))
        out.append(
            Bullets(
                tuple(
                    _("{holder} holds the proxy of {giver}").format(holder=h, giver=g)
                    for h, g in data.proxies
                )
            )
        )
    out.append(Heading(2, _("Motions")))
    if not data.motions:
        out.append(Para(_("No motions were put.")))
    for number, motion in enumerate(data.motions, start=1):
        out.append(Heading(3, f"{number}. {motion.title}"))
        items = [
            _("Decision: {decision}; rule: {rule}.").format(
                decision=motion.decision, rule=_t(motion.rule)
            ),
            fill(
                _("Put at {opened}; closed at {closed}."),
                opened=_clock(motion.opened_at, day),
                closed=_clock(motion.closed_at, day),
            ),
        ]
        result = motion.result
        if result is not None:
            explained = explain_tally(result, "document")
            items.append(explained.quorum)
            items.append(explained.votes)
            if explained.dual is not None:
                items.append(explained.dual)
            if explained.chair is not None:
                items.append(explained.chair)
            items.extend(explained.recusals)
        if motion.notice_unrecorded is not None:
            items.append(
                ngettext(
                    "Notice of this business was not recorded (the by-laws require {days} day).",
                    "Notice of this business was not recorded (the by-laws require {days} days).",
                    motion.notice_unrecorded,
                ).format(days=motion.notice_unrecorded)
            )
        out.append(Bullets(tuple(items)))
        if result is not None:
            out.append(
                Para(
                    _("Outcome: {outcome}").format(outcome=outcome_label(result["outcome"])),
                    strong=True,
                )
            )
        else:
            out.append(Para(_("Still open."), strong=True))
    if data.ended_at is not None:
        out.append(Para(fill(_("The meeting ended at {time}."), time=_clock(data.ended_at, day))))
    if data.corrections:
        out.append(
            Heading(
                2,
                ngettext(
                    "Correction to the record",
                    "Corrections to the record",
                    len(data.corrections),
                ),
            )
        )
        out.append(Bullets(tuple(_correction(at, by, text) for at, by, text in data.corrections)))
    return out


def _correction(at: Any, by: str, text: str) -> str:
    return fill(_("{date}, {name}: {text}"), date=_time(at), name=by, text=text)


def _md_cell(text: str) -> str:
    return markdown(text, line_start=False).replace("\n", " ")


def to_markdown(document: list[Block]) -> str:
    """The blocks as Markdown; their text is data (names, titles, reasons), escaped so it reads
    as typed, in the file and in the terminal (which draws this same Markdown)."""
    lines: list[str] = []
    for block in document:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + markdown(block.text, line_start=False), ""]
        elif isinstance(block, Para):
            text = markdown(block.text)
            lines += [f"**{text}**" if block.strong else text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {markdown(item)}" for item in block.items] + [""]
        else:
            lines.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines)


#: A small print stylesheet, embedded so the one file prints (or saves as PDF) from a browser
#: on A4 with nothing else to fetch.
_STYLE = """\
@page { size: A4; margin: 2cm 2cm 2.2cm; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45;
  color: #111; max-width: 17cm; margin: 1.5em auto; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.2;
  page-break-after: avoid; break-after: avoid; }
h1 { font-size: 17pt; border-bottom: 1.5pt solid #111; padding-bottom: .2em; }
h2 { font-size: 13pt; margin-top: 1.4em; }
h3 { font-size: 11.5pt; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { border: .75pt solid #555; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, li { page-break-inside: avoid; break-inside: avoid; }
.signatures { display: flex; gap: 2cm; margin-top: 2.5em; page-break-inside: avoid;
  break-inside: avoid; }
.signature { flex: 1; }
.signature .line { border-bottom: .75pt solid #111; height: 2.2cm; }
.signature p { margin: .3em 0 0; font-size: 10pt; }
@media print { body { margin: 0; max-width: none; } th { background: none; } }
"""


def _signature_block(esc: Any) -> str:
    """Lines for the secretary and the chair to sign the printed minutes by hand."""
    note = esc(_("Name, signature and date"))
    boxes = "".join(
        '<div class="signature"><div class="line"></div>'
        f"<p><strong>{esc(role)}</strong></p><p>{note}</p></div>\n"
        for role in (_("The secretary"), _("The chair"))
    )
    return f'<div class="signatures">\n{boxes}</div>\n'


def to_html(document: list[Block], language: str) -> str:
    """One self-contained page: the blocks escaped (people's text is data, never markup),
    a print stylesheet and a signature block."""
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{esc(language)}">\n<head><meta charset="utf-8"><title>']
    first = next((b.text for b in document if isinstance(b, Heading)), "")
    parts.append(esc(first) + "</title>\n<style>\n" + _STYLE + "</style>\n</head>\n<body>\n")
    for block in document:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>\n")
        elif isinstance(block, Para):
            text = esc(block.text)
            parts.append(
                f"<p><strong>{text}</strong></p>\n" if block.strong else f"<p>{text}</p>\n"
            )
        elif isinstance(block, Bullets):
            parts.append(
                "<ul>\n" + "".join(f"<li>{esc(i)}</li>\n" for i in block.items) + "</ul>\n"
            )
        else:
            head = "".join(f"<th>{esc(h)}</th>" for h in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>\n"
                for row in block.rows
            )
            parts.append(
                f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
            )
    parts.append(_signature_block(esc))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def blocks_to_json(document: list[Block]) -> str:
    """The frozen form of signed minutes: the blocks, already in the signing language."""
    import json

    return json.dumps(_blocks_data(document), ensure_ascii=False, indent=1)


def _blocks_data(document: list[Block]) -> list[dict[str, Any]]:
    """The blocks as plain data: the one encoding of signed text and of `--format json`."""
    encoded: list[dict[str, Any]] = []
    for block in document:
        if isinstance(block, Heading):
            encoded.append({"heading": block.text, "level": block.level})
        elif isinstance(block, Para):
            encoded.append({"para": block.text, "strong": block.strong})
        elif isinstance(block, Bullets):
            encoded.append({"bullets": list(block.items)})
        else:
            encoded.append({"header": list(block.header), "rows": [list(r) for r in block.rows]})
    return encoded


def _iso(value: Any) -> str | None:
    """A moment for machines: ISO 8601 with its UTC offset, so it means one instant."""
    return value.isoformat() if value is not None else None


def to_json(
    data: MinutesData, document: list[Block], signed: SignedMinutes | None, language: str
) -> str:
    """The minutes for scripts: the record as structured data (times with offsets, names and
    titles as typed, codes untranslated) beside the document exactly as the other formats
    print it (the frozen text when signed), so a script can use either without parsing."""
    import json

    motions = [
        {
            "motion": m.key,
            "title": m.title,
            "decision": m.decision,
            "rule": _t(m.rule),
            "opened_at": _iso(m.opened_at),
            "closed_at": _iso(m.closed_at),
            "tally": m.result,
            "outcome": m.result["outcome"] if m.result is not None else None,
            "notice_unrecorded_days": m.notice_unrecorded,
        }
        for m in data.motions
    ]
    record = {
        "meeting": data.meeting,
        "title": data.title,
        "body": data.body_name,
        "kind": data.kind,
        "bylaws": {"name": data.bylaws_name, "sha256": data.bylaws_sha256},
        "scheduled_at": _iso(data.scheduled_at),
        "ended_at": _iso(data.ended_at),
        "attendance": [
            {
                "name": name,
                "person": key,
                "voting_member": voting,
                "arrived_at": _iso(came),
                "left_at": _iso(left),
            }
            for name, key, voting, came, left in data.attendees
        ],
        "events": [
            {"at": _iso(at), "name": name, "event": "arrived" if arrived else "left"}
            for at, name, arrived in data.events
        ],
        "proxies": [{"holder": h, "giver": g} for h, g in data.proxies],
        "motions": motions,
        "corrections": [
            {"at": _iso(at), "by": by, "text": text} for at, by, text in data.corrections
        ],
    }
    signature = None
    if signed is not None:
        signature = {
            "version": signed.version,
            "signed_by": signed.signed_by,
            "signed_at": _iso(signed.signed_at),
            "sha256": signed.sha256,
            "locale": signed.locale,
            "corrects": signed.corrects,
            "corrections": [
                {"at": _iso(at), "by": by, "text": text} for at, by, text in signed.corrections
            ],
        }
    return (
        json.dumps(
            {
                "status": "signed" if signed is not None else "draft",
                "language": language,
                **record,
                "signature": signature,
                "document": _blocks_data(document),
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def blocks_from_json(text: str) -> list[Block]:
    import json

    document: list[Block] = []
    for item in json.loads(text):
        if "heading" in item:
            document.append(Heading(int(item["level"]), item["heading"]))
        elif "para" in item:
            document.append(Para(item["para"], bool(item["strong"])))
        elif "bullets" in item:
            document.append(Bullets(tuple(item["bullets"])))
        else:
            document.append(Table(tuple(item["header"]), tuple(tuple(r) for r in item["rows"])))
    return document


def signed_document(signed: SignedMinutes) -> list[Block]:
    """The frozen text, then its sign-off and any corrections: never edited in place."""
    document = blocks_from_json(signed.content)
    if signed.corrects is None:
        template = _("Signed off by {name} on {date} (version {version}, sha256 {digest}).")
    else:
        template = _(
            "Signed off by {name} on {date} (version {version}, correcting version {corrects};"
            " sha256 {digest})."
        )
    document.append(
        Para(
            fill(
                template,
                name=signed.signed_by,
                date=_time(signed.signed_at),
                version=signed.version,
                corrects=signed.corrects,
                digest=signed.sha256[:12],
            )
        )
    )
    if signed.corrections:
        document.append(
            Heading(
                2,
                ngettext(
                    "Correction recorded after signing",
                    "Corrections recorded after signing",
                    len(signed.corrections),
                ),
            )
        )
        document.append(
            Bullets(tuple(_correction(at, by, text) for at, by, text in signed.corrections))
        )
    return document


def corrected(previous: SignedMinutes, at: Any, by: str, text: str) -> list[Block]:
    """A new signed version's text: the version it corrects as signed, then the correction
    (who, when, why), in the language the minutes were signed in (activate it first)."""
    document = signed_document(previous)
    document.append(
        Heading(2, _("Correction of version {version}").format(version=previous.version))
    )
    document.append(Para(_correction(at, by, text)))
    return document
