"""The demo's chapter on a competitive fund (fondo concursable) of the directorio local:
a round opened from its file, four applications, admissibility, three reviewers' scores
and the award explained. The data is typed in Spanish, as a Chilean directorio's
secretary would type it; every sentence around it goes through the catalogs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.cli._common import render, stdout_console
from comunidad_cli.i18n import _

ROUND = "2026-barrio-activo"
BYLAWS = "mi-directorio"
#: The evaluation commission: (id, name, member class).
REVIEWERS = (
    ("maria-jose", "María José Pérez", "comunitaria"),
    ("beto", "Alberto «Beto» Contreras", "publico"),
    ("carla", "Carla Núñez", "aportante"),
)
#: (organisation id, name, project, amount asked, own contribution, points per reviewer).
APPLICANTS = (
    (
        "jv-villa-esperanza",
        "Junta de Vecinos Villa Esperanza",
        "Plaza Los Aromos: juegos y bancas",
        3_500_000,
        400_000,
        ((3, 3), (3, 2), (3, 3)),
    ),
    (
        "club-los-aromos",
        "Club Deportivo Los Aromos",
        "Multicancha iluminada",
        4_000_000,
        450_000,
        ((3, 2), (2, 2), (3, 2)),
    ),
    (
        "centro-cultural-nunoa",
        "Centro Cultural Ñuñoa",
        "Talleres de muralismo con jóvenes",
        2_000_000,
        250_000,
        ((2, 3), (3, 3), (2, 3)),
    ),
    (
        "comite-el-roble",
        "Comité de Adelanto El Roble",
        "Huerta comunitaria del pasaje",
        1_500_000,
        200_000,
        ((2, 2), (3, 2), (2, 2)),
    ),
    (
        "renacer",
        "Agrupación de Adultos Mayores Renacer",
        "Paseo de lectura en la sede",
        1_000_000,
        120_000,
        ((1, 2), (2, 1), (1, 1)),
    ),
)


def round_text(today: date) -> str:
    """The round's file: the shipped starting round with its dates set around `today` (the
    window closed, the evaluation done, the award due next week)."""
    import tomllib

    import tomli_w

    from comunidad_cli.services.funds.round_files import starting_text

    data: dict[str, Any] = tomllib.loads(starting_text(ROUND, "Fondo Barrio Activo 2026"))
    data.update(
        budget=8_000_000,
        serves=["espacios-publicos"],
        max_amount=4_000_000,
        min_score="2",
        reviewers_body="comision_evaluadora",
        tie_break=["criterion:pertinencia", "smaller_amount", "earlier_submission"],
    )
    data["dates"] = {
        "call": today - timedelta(days=70),
        "applications_open": today - timedelta(days=60),
        "applications_close": today - timedelta(days=40),
        "admissibility": today - timedelta(days=35),
        "appeals_until": today - timedelta(days=28),
        "evaluation": today - timedelta(days=7),
        "award": today + timedelta(days=7),
    }
    data["accountability"]["start"] = today + timedelta(days=14)
    data["accountability"]["end"] = today + timedelta(days=200)
    data["accountability"]["reports"][0]["due"] = today + timedelta(days=230)
    return tomli_w.dumps(data)


def chapter(number: int, url: str, root: Path, step: Any) -> None:
    """Step `number`: the round from its file to the award explained (`step` prints the
    chapter's heading, as the demo's other chapters do)."""
    from comunidad_cli.cli.funds.award import _print_award, award_data
    from comunidad_cli.services import directory, members
    from comunidad_cli.services.facts import local_zone
    from comunidad_cli.services.funds import admissibility, applications, awards, evaluation
    from comunidad_cli.services.funds.views import show_round

    today = clock.today()
    zone = local_zone()
    bylaws_dir = root / "bylaws"
    step(
        number,
        _("A competitive fund, from the call to the award"),
        f"comunidad fund open fondos/{ROUND}.toml; comunidad fund apply ...;"
        f" comunidad fund score ...; comunidad fund award {ROUND} --explain",
    )
    for key, name, member_class in REVIEWERS:
        directory.add_person(url, name=name, key=key, command="demo")
        members.add_member(
            url,
            bylaws_dir,
            body="comision_evaluadora",
            person=key,
            member_class=member_class,
            start=today - timedelta(days=365),
            bylaws_id=BYLAWS,
            today=today,
            command="demo",
        )
    path = root / "fondos" / f"{ROUND}.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(round_text(today), encoding="utf-8")
    applications.open_round(url, path, bylaws_dir, bylaws=BYLAWS, by="Secretaría")
    for n, (org, name, project, amount, own, _points) in enumerate(APPLICANTS):
        directory.add_org(url, name=name, kind="community", key=org, command="demo")
        applications.record_legal(
            url,
            org,
            number=f"PJ-{1200 + n}",
            valid_until=today + timedelta(days=365),
            valid_from=today - timedelta(days=700),
            by="Secretaría",
        )
        applications.apply(
            url,
            ROUND,
            org=org,
            project=project,
            amount=Decimal(amount),
            own=Decimal(own),
            priority="espacios-publicos",
            at=datetime.combine(today - timedelta(days=50 - n), time(11, 30), tzinfo=zone),
            key=org,
        )
    admissibility.judge_round(url, ROUND, on=today - timedelta(days=35), by="Secretaría")
    for org, *_rest, points in APPLICANTS:
        for (reviewer, _name, _class), (fit, residents) in zip(REVIEWERS, points, strict=True):
            evaluation.score(
                url,
                bylaws_dir,
                org,
                reviewer,
                [("pertinencia", fit), ("participacion", residents)],
                by=reviewer,
                on=today - timedelta(days=10),
            )
    console = stdout_console()
    console.print(
        _(
            "Five neighbourhood organisations applied for {asked} against a budget of"
            " {budget}; the three reviewers of the evaluation commission scored each"
            " project on fit with the plan and residents' participation (1 to 3)."
        ).format(
            asked=_money(sum((Decimal(a[3]) for a in APPLICANTS), Decimal(0))),
            budget=_money(Decimal(8_000_000)),
        ),
        markup=False,
    )
    console.print(f"[dim]$ comunidad fund award {ROUND} --explain[/dim]")
    _print_award(award_data(awards.award_round(url, ROUND, None, bylaws_dir)), True)
    stage = show_round(url, ROUND, bylaws_dir).stage
    if stage is not None:  # where the round stands, and what the secretary types next
        console.print(f"[dim]$ comunidad fund show {ROUND}[/dim]")
        console.print(render(stage.text), markup=False, highlight=False)
        if stage.next is not None:
            console.print(render(stage.next), markup=False, highlight=False)


def _money(amount: Decimal) -> str:
    from comunidad_cli.i18n import format_money

    return format_money(amount, "CLP")
