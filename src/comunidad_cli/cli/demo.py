"""`comunidad demo`: a throwaway workspace walked through, chapter by chapter: by-laws
checked, shown and amended, a meeting with its quorum, votes and minutes, a grant passed on
to a partner, the Catalan entity's network work (typed in Catalan), the regional view and
the database. Every line goes through the catalogs: `comunidad --locale ca demo` is the
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
from comunidad_cli.i18n import _, ngettext


def _step(number: int, title: str, command: str) -> None:
    console = stdout_console()
    console.print()
    console.rule(f"[bold]{number}. {title}[/bold]")
    console.print(f"[dim]$ {command}[/dim]")


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

        _step(9, _("The database"), "comunidad db check")
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
