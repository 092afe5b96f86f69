"""`comunidad demo`: a throwaway workspace walked through, chapter by chapter: by-laws
checked, shown and amended, a meeting with its quorum, votes and minutes, a grant passed on
to a partner, a competitive fund's round (typed in Spanish, `demo_fund.py`), the Catalan
entity's network work (typed in Catalan), the regional view and the database. Every line goes through the catalogs: `comunidad --locale ca demo` is the
whole demo in Catalan."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer

from comunidad_cli import clock, i18n
from comunidad_cli.cli._common import info, render, stdout_console
from comunidad_cli.i18n import _, fill, ngettext


def _step(number: int, title: str, command: str) -> None:
    from rich.markup import escape

    console = stdout_console()
    console.print()
    console.rule(f"[bold]{number}. {escape(title)}[/bold]")
    console.print(f"[dim]$ {escape(command)}[/dim]")


def _amend(source: Path, target: Path) -> None:
    """The demo's amendment: a stricter quorum for the first body and longer notice."""
    import tomllib

    import tomli_w

    data: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
    first_body = next(iter(data["bodies"].values()))
    first_body["quorum"] = {"fraction": "2/3", "of": "voting_members"}
    first_body["notice_days"] = int(first_body.get("notice_days", 7)) + 7
    data["amended"] = clock.today()
    target.write_text(tomli_w.dumps(data), encoding="utf-8")


# A fictional Neighborhood Leadership Group for the demo: (id, name, class).
_DEMO_PEOPLE = (
    ("rosa", "Rosa Martínez", "resident"),
    ("darnell", "Darnell Brooks", "resident"),
    ("mei", "Mei Chen", "resident"),
    ("lupe", "Guadalupe Ortiz", "resident"),
    ("tom", "Tom Nguyen", "resident"),
    ("ana", "Ana Ruiz (Familias Unidas)", "agency"),
    ("james", "James Carter (Eastside Clinic)", "agency"),
    ("laura", "Laura Kim (Head Start Center)", "agency"),
    ("pat", "Pat Lee (funder liaison)", "funder"),
)


def _demo_meeting(url: str, bylaws_dir: Path, bylaws_id: str) -> None:
    """Steps 5 to 7: seats, a meeting with its quorum and votes, and its minutes."""
    from datetime import timedelta

    from rich.markdown import Markdown

    from comunidad_cli.cli.meetings.motion import _print_result
    from comunidad_cli.render import minutes as doc
    from comunidad_cli.services import directory, meetings, members, minutes, motions
    from comunidad_cli.services.errors import ServiceError
    from comunidad_cli.services.facts import local_zone

    console = stdout_console()
    today = clock.today()
    _step(
        5,
        _("Seats on the Neighborhood Leadership Group"),
        "comunidad person add ... ; comunidad member add --body nlg ...",
    )
    for key, name, member_class in _DEMO_PEOPLE:
        directory.add_person(url, name=name, key=key, command="demo")
        members.add_member(
            url,
            bylaws_dir,
            body="nlg",
            person=key,
            member_class=member_class,
            start=today - timedelta(days=365),
            bylaws_id=bylaws_id,
            today=today,
            command="demo",
        )
    console.print(
        _(
            "{count} people seated: 5 residents, 3 agencies, 1 funder liaison without a vote."
        ).format(count=len(_DEMO_PEOPLE))
    )

    start = datetime.combine(today, time(18, 0), tzinfo=local_zone())
    _step(
        6,
        _("A meeting: quorum and votes, judged by the by-laws"),
        "comunidad meeting new --body nlg --at ...",
    )
    created = meetings.new_meeting(
        url,
        bylaws_dir,
        body="nlg",
        at=start,
        notice_sent=today - timedelta(days=10),
        bylaws_id=bylaws_id,
    )
    key = created.key
    for person, *_rest in _DEMO_PEOPLE[:-2]:
        meetings.record_presence(url, key, person, arrived=True, at=start)
    meetings.record_presence(url, key, "pat", arrived=True, at=start)
    view = meetings.show_meeting(url, key, start + timedelta(minutes=5))
    console.print(
        ngettext(
            "$ comunidad meeting show {meeting}: {present} present; quorum: {count} voting member present, {required} needed: {state}.",
            "$ comunidad meeting show {meeting}: {present} present; quorum: {count} voting members present, {required} needed: {state}.",
            view.quorum.present,
        ).format(
            meeting=key,
            present=len(view.present),
            count=view.quorum.present,
            required=view.quorum.required,
            state=_("met") if view.quorum.met else _("not met"),
        ),
        markup=False,
    )
    first = motions.new_motion(
        url,
        key,
        decision="award_subcontract",
        title=_("Subcontract to Familias Unidas for parent workshops"),
        at=start + timedelta(minutes=10),
    ).key
    motions.recuse(
        url, first, "ana", _("Familias Unidas is the applicant"), start + timedelta(minutes=11)
    )
    for person, choice in (
        ("rosa", "yes"),
        ("darnell", "yes"),
        ("mei", "yes"),
        ("lupe", "no"),
        ("tom", "yes"),
        ("james", "abstain"),
    ):
        motions.cast_vote(url, first, person, choice, at=start + timedelta(minutes=15))
    try:
        motions.cast_vote(url, first, "pat", "yes", at=start + timedelta(minutes=15))
    except ServiceError as refusal:
        console.print(
            _("$ comunidad motion vote ... --person pat: refused: {reason}").format(
                reason=render(refusal.msg)
            ),
            markup=False,
        )
    _print_result(motions.close_motion(url, first, at=start + timedelta(minutes=20)))
    for person in ("mei", "lupe", "tom"):
        meetings.record_presence(url, key, person, arrived=False, at=start + timedelta(minutes=60))
    console.print(
        _("Three residents leave at {time}.").format(
            time=i18n.format_time(start + timedelta(minutes=60))
        )
    )
    second = motions.new_motion(
        url,
        key,
        decision="nlg_business",
        title=_("Move the next meeting to Saturday morning"),
        at=start + timedelta(minutes=65),
    ).key
    for person in ("rosa", "darnell"):
        motions.cast_vote(url, second, person, "yes", at=start + timedelta(minutes=66))
    _print_result(motions.close_motion(url, second, at=start + timedelta(minutes=70)))
    meetings.close_meeting(url, key, start + timedelta(minutes=75))

    _step(7, _("The minutes, in your language"), f"comunidad meeting minutes {key}")
    console.print(Markdown(doc.to_markdown(doc.blocks(minutes.minutes_data(url, key)))))


def _demo_grant(url: str, root: Path) -> None:
    """Step 8: a grant passed on to a partner, half-way through, and the summary of it all."""
    from datetime import timedelta
    from decimal import Decimal

    from comunidad_cli.cli.summary import _print_summary
    from comunidad_cli.services import directory, resources
    from comunidad_cli.services.grants import deliverables, grants, payments
    from comunidad_cli.services.summary import build_summary
    from comunidad_cli.services.workspace import load

    workspace = load(root)
    currency = workspace.currency or "USD"
    today = clock.today()
    start, end = today - timedelta(days=180), today + timedelta(days=184)
    _step(8, _("A grant passed on to a partner, and where things stand"), "comunidad summary")
    directory.add_org(url, name="First 5 Demo Fund", kind="funder", key="demo-fund", command="demo")
    directory.add_org(
        url, name="Familias Unidas", kind="agency", key="familias-unidas", command="demo"
    )
    grants.add_grant(
        url,
        funder="demo-fund",
        title="Best Start 2026",
        amount=Decimal(500000),
        currency=currency,
        start=start,
        end=end,
        match=Decimal(50000),
        key="best-start",
        command="demo",
    )
    grants.add_subcontract(
        url,
        grant="best-start",
        partner="familias-unidas",
        kind="subaward",
        start=start,
        end=end,
        lines=[("personnel", Decimal(120000)), ("workshops", Decimal(40000))],
        key="familias-2026",
        today=today,
        command="demo",
    )
    grants.assess_risk(
        url,
        "familias-2026",
        level="low",
        by="Network coordinator",
        on=start,
        today=today,
        command="demo",
    )
    grants.set_subcontract_status(url, "familias-2026", "active", command="demo")
    deliverables.add_deliverable(
        url,
        subcontract="familias-2026",
        title="Monthly report",
        first_due=start + timedelta(days=40),
        every=1,
        unit="months",
        key="familias-report",
        today=today,
        command="demo",
    )
    for month in range(5):
        first = start + timedelta(days=30 * month)
        payments.add_payment(
            url,
            subcontract="familias-2026",
            period_start=first,
            period_end=first + timedelta(days=29),
            invoice_date=first + timedelta(days=35),
            status="paid",
            lines=[("personnel", Decimal(9000)), ("workshops", Decimal(2500))],
            command="demo",
        )
    resources.log_resource(
        url,
        kind="donation",
        description="Local bank: parent workshop supplies",
        grant="best-start",
        received=Decimal(12000),
        on=today - timedelta(days=30),
        rate=None,
        today=today,
        at=clock.now(),
        command="demo",
    )
    console = stdout_console()
    console.print(
        _(
            "A grant of {amount}, a subaward to Familias Unidas, five paid invoices, monthly reports never handed in."
        ).format(amount=i18n.format_money(Decimal(500000), currency))
    )
    _print_summary(workspace.name, currency, build_summary(url, root / "instruments"))


# The Catalan entity's network work, typed in Catalan as its coordinator would type it.
_ENTITY = ("accio-comunitaria-sants", "Acció Comunitària Sants")
_XARXA = ("xarxa-infancia-sants", "Xarxa d'Infància de Sants", "xarxa", None)
_SPACES = (
    _XARXA,
    ("grup-motor", "Grup Motor", "comissió", "xarxa-infancia-sants"),
    ("comissio-comunicacio", "Comissió de comunicació", "comissió", "xarxa-infancia-sants"),
    ("taula-salut-mental", "Taula de Salut Mental de Sants – Montjuïc", "taula", None),
)


def _previous_quarter(day: Any) -> str:
    """The quarter before the one `day` falls in, as a referral period (2026-Q3)."""
    quarter = (day.month - 1) // 3 + 1
    return f"{day.year - 1}-Q4" if quarter == 1 else f"{day.year}-Q{quarter - 1}"


def _demo_networks(url: str) -> None:
    """Step 9: the entity's spaces and a commission, who represents it since when, a
    session, commitments and their follow-up, information brought back, referrals and the
    overdue list."""
    from datetime import timedelta

    from comunidad_cli.cli.networks.network import STATUS_LABELS
    from comunidad_cli.render.table import plain_table, terminal_width
    from comunidad_cli.services import directory, networks

    console = stdout_console()
    today, now = clock.today(), clock.now()
    _step(
        10,
        _("The entity's work in networks and territorial spaces"),
        "comunidad network add ... ; comunidad network represent ... ; comunidad network commit ...",
    )
    key, name = _ENTITY
    directory.add_org(url, name=name, kind="community", key=key, command="demo")
    for person, person_name in (("nuria-puig", "Núria Puig"), ("jordi-vila", "Jordi Vila")):
        directory.add_person(url, name=person_name, key=person, org=key, command="demo")
    for space, space_name, kind, parent in _SPACES:
        networks.add_space(
            url,
            name=space_name,
            kind=kind,
            parent=parent,
            territory=None if parent else "Sants",
            key=space,
            at=now,
        )
    since = today - timedelta(days=400)
    for space, person, start in (
        ("xarxa-infancia-sants", "nuria-puig", since),
        ("grup-motor", "jordi-vila", today - timedelta(days=200)),
        ("taula-salut-mental", "nuria-puig", since),
    ):
        networks.represent(
            url, space, person=person, org=key, start=start, end=None, today=today, at=now
        )
    networks.add_session(
        url,
        "xarxa-infancia-sants",
        on=today - timedelta(days=40),
        attendees="Núria Puig, Jordi Vila",
        notes="Calendari del casal d'estiu i jornada de famílies",
        today=today,
        at=now,
    )
    for commitment, text, owner, due in (
        ("calendari", "Enviar el calendari d'activitats a la xarxa", "jordi-vila", 20),
        ("jornada", "Preparar la jornada de famílies", "nuria-puig", 10),
    ):
        networks.add_commitment(
            url,
            "xarxa-infancia-sants",
            text=text,
            owner=owner,
            due=today - timedelta(days=due),
            on=today - timedelta(days=40),
            key=commitment,
            today=today,
            at=now,
        )
    networks.follow_up(
        url,
        "calendari",
        status="done",
        on=today - timedelta(days=22),
        by="Jordi Vila",
        note="Enviat a la llista de la xarxa",
        today=today,
        at=now,
    )
    networks.report_back(
        url,
        "xarxa-infancia-sants",
        on=today - timedelta(days=30),
        audience="Famílies del casal",
        summary="Calendari i activitats de la xarxa",
        today=today,
        at=now,
    )
    period = _previous_quarter(today)
    networks.referrals(url, "taula-salut-mental", period=period, made=3, received=5, at=now)

    width = terminal_width()
    console.print(
        _("$ comunidad network list: the spaces and who represents the entity there today"),
        markup=False,
    )
    spaces = networks.list_spaces(url, today)
    console.print(
        plain_table(
            [_("ID"), _("KIND"), _("PARENT"), _("REPRESENTED BY"), _("NAME")],
            [[s.key, s.kind, s.parent or "", ", ".join(s.representatives), s.name] for s in spaces],
            width=width,
        ),
        markup=False,
        soft_wrap=True,
        end="",
    )
    detail = networks.show_space(url, "xarxa-infancia-sants", today)
    console.print(
        fill(
            _("{space}: represented by {who} since {day}."),
            space=detail.space.name,
            who="Núria Puig",
            day=i18n.format_date(since),
        ),
        markup=False,
    )
    for held_on, who, notes in detail.sessions:
        console.print(
            fill(
                _("Session of {day}: {who}. {notes}"),
                day=i18n.format_date(held_on),
                who=who,
                notes=notes,
            ),
            markup=False,
        )
    console.print(
        plain_table(
            [_("ID"), _("DUE"), _("STATUS"), _("OWNER"), _("TEXT")],
            [
                [
                    c.key,
                    i18n.format_date(c.due, "short"),
                    _(STATUS_LABELS[c.status]),
                    c.owner,
                    c.text,
                ]
                for c in detail.commitments
            ],
            whole=(0, 1),
            width=width,
        ),
        markup=False,
        soft_wrap=True,
        end="",
    )
    for on, audience, summary in detail.report_backs:
        console.print(
            fill(
                _("Information brought back on {day} to {audience}: {summary}."),
                day=i18n.format_date(on),
                audience=audience,
                summary=summary,
            ),
            markup=False,
        )
    console.print(
        _("Referrals through {space} in {period}: {made} made, {received} received.").format(
            space="taula-salut-mental",
            period=period,
            made=i18n.format_number(3),
            received=i18n.format_number(5),
        ),
        markup=False,
    )
    late = networks.overdue(url, today)
    console.print(
        ngettext(
            "$ comunidad network overdue: {count} commitment past its due day",
            "$ comunidad network overdue: {count} commitments past their due day",
            len(late),
        ).format(count=len(late)),
        markup=False,
    )
    for c in late:
        console.print(
            fill(
                _("{id} ({space}), due {day}, {owner}: {text}"),
                id=c.key,
                space=c.space,
                day=i18n.format_date(c.due),
                owner=c.owner,
                text=c.text,
            ),
            markup=False,
        )


def _demo_region(url: str, root: Path) -> None:
    """Step 11: the regional view over the workspace's three by-laws."""
    from comunidad_cli.cli.region.summary import summary_text
    from comunidad_cli.render.table import terminal_width
    from comunidad_cli.services.region import region_summary
    from comunidad_cli.services.report import default_period

    today = clock.today()
    _step(11, _("The regional view: every partnership side by side"), "comunidad region summary")
    result = region_summary(url, root / "bylaws", default_period(today), today)
    stdout_console().print(
        summary_text(result, terminal_width()), markup=False, soft_wrap=True, end=""
    )


def demo(
    keep: Annotated[
        bool, typer.Option("--keep", help=_("Keep the demo workspace instead of deleting it."))
    ] = False,
) -> None:
    from comunidad_cli.core.bylaws.diff import diff
    from comunidad_cli.formats import summary_line
    from comunidad_cli.render.bylaws_doc import bylaws_markdown, changes_text
    from comunidad_cli.services.bylaws import check_paths, load_valid
    from comunidad_cli.services.database import check_database
    from comunidad_cli.services.workspace import TEMPLATES, template_text
    from comunidad_cli.services.workspace import init as init_workspace

    root = Path(tempfile.mkdtemp(prefix="comunidad-demo-"))
    try:
        locale = i18n.current_locale()
        _step(1, _("A new workspace"), f"comunidad init {root} --template partnership")
        report = init_workspace(
            root,
            template="partnership",
            locale=locale,
            currency=i18n.default_currency(locale),
            command="demo",
        )
        for template in TEMPLATES:
            path = root / "bylaws" / f"{template}.toml"
            if not path.exists():
                path.write_text(template_text(template), encoding="utf-8")
        stdout_console().print(
            _(
                "Created {root} with the by-laws of a partnership, a directorio local and a xarxa."
            ).format(root=root),
            markup=False,
        )

        _step(2, _("Checking the by-laws, as CI would"), "comunidad bylaws check bylaws/")
        checked = check_paths([root / "bylaws"], clock.today())
        stdout_console().print(
            summary_line(
                list(checked.findings),
                checked.files_checked,
                _,
                ngettext,
                number=i18n.format_number,
            )
        )

        _step(
            3, _("The partnership's by-laws, in your language"), "comunidad bylaws show partnership"
        )
        result = load_valid(report.bylaws_file, clock.today())
        assert result.model is not None
        from rich.markdown import Markdown

        stdout_console().print(
            Markdown(bylaws_markdown(result.model, "bylaws/partnership.toml", result.sha256))
        )

        _step(
            4,
            _("An amendment, in words"),
            "comunidad bylaws diff bylaws/partnership.toml amended.toml",
        )
        amended_path = root / "amended.toml"
        _amend(report.bylaws_file, amended_path)
        amended = load_valid(amended_path, clock.today())
        assert amended.model is not None
        stdout_console().print(changes_text(diff(result.model, amended.model)), markup=False)

        _demo_meeting(report.database, root / "bylaws", result.model.id)
        _demo_grant(report.database, root)
        from comunidad_cli.cli import demo_fund

        demo_fund.chapter(9, report.database, root, _step)
        _demo_networks(report.database)
        _demo_region(report.database, root)

        _step(12, _("The database"), "comunidad db check")
        db_report = check_database(report.database)
        stdout_console().print(
            _("Schema {revision}: {state}.").format(
                revision=db_report.revision, state=_("ok") if db_report.ok else _("problems found")
            )
        )
        for problem in db_report.problems:
            stdout_console().print(render(problem))
    finally:
        if keep:
            info(_("The demo workspace stays in {root}.").format(root=root))
        else:
            shutil.rmtree(root, ignore_errors=True)
