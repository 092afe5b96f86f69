"""Capacity assessments: instruments from disk, assessments in the database, their scores.

Instruments are looked up by id in the workspace's `instruments/` folder (beside `bylaws/`)
first, then among the instruments shipped in the package (`comunidad_cli/instruments`): a
workspace file with the id of a shipped one replaces it. An instrument with errors cannot
be used (`comunidad capacity check FILE` shows them at `file:line:col`).

Each assessment stores the SHA-256 of the instrument text it was answered with; scores are
always computed with the instrument as it is now (items it no longer has are ignored).
An assessment must answer every item of the instrument: a score 1-4, or N/A where the
instrument allows it. The scoring rules are in `comunidad_cli.core.capacity`.

For the summary: `weakest_domains(session_or_url, limit=3)`. SQLAlchemy is imported inside
the functions: the CLI imports this module to start up.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comunidad_cli.core import tomlpos
from comunidad_cli.core.capacity.comparison import Comparison, NetworkView, compare, network
from comunidad_cli.core.capacity.instrument import CODES, Instrument, Texts, localized
from comunidad_cli.core.capacity.scoring import (
    Assessment,
    answer_problem,
    parse_score,
    rater_key,
    unanswered,
)
from comunidad_cli.core.findings import Finding, Severity
from comunidad_cli.core.importing.ids import parse_key
from comunidad_cli.core.importing.invalid import Invalid
from comunidad_cli.core.importing.text import one_line
from comunidad_cli.core.messages import N_, NP_, Msg
from comunidad_cli.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from comunidad_cli.services.workspace import Workspace

MAX_BYTES = 1024 * 1024
SUFFIX = ".toml"
FOLDER = "instruments"
RATER_MAX = 200
ASSESSMENT_ENTITY = "capacity_assessment"
SHIPPED = "shipped"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_DETAIL = re.compile(r"\s*\(at (?:line \d+, column \d+|end of document)\)\s*$")


# --- instruments on disk ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstrumentFile:
    """One instrument file checked: its findings, and the model when it has no errors."""

    path: str
    findings: tuple[Finding, ...]
    instrument: Instrument | None
    sha256: str
    source: str = "file"  # "workspace", "shipped" or "file"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def _file_finding(
    code: str, file: str, text: str, line: int = 1, col: int = 1, **params: Any
) -> Finding:
    return Finding(code, CODES[code][0], Msg.of(text, **params)).located(file, line, col)


def _position_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    return line, len(before[line_start:].decode("utf-8", errors="replace")) + 1


def check_bytes(data: bytes, display: str, source: str = "file") -> InstrumentFile:
    """Every finding of one instrument file's content, located at `file:line:col`."""
    from comunidad_cli.core.capacity.instrument import check_instrument

    digest = hashlib.sha256(data).hexdigest()

    def only(finding: Finding) -> InstrumentFile:
        return InstrumentFile(display, (finding,), None, digest, source)

    if len(data) > MAX_BYTES:
        return only(
            _file_finding(
                "CI004",
                display,
                N_("file is too large ({size} bytes): instrument files are limited to {limit}"),
                size=len(data),
                limit=MAX_BYTES,
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _position_of_offset(data, error.start)
        return only(
            _file_finding(
                "CI002",
                display,
                N_("not valid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8"),
                line,
                col,
                byte=data[error.start],
            )
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return only(
            _file_finding(
                "CI003",
                display,
                N_("file is empty: an instrument needs schema, id, name, scale and domains"),
            )
        )
    try:
        document = tomlpos.loads(text)
    except tomlpos.TooDeep as error:
        return only(
            _file_finding(
                "CI005",
                display,
                N_("nested more than {limit} levels deep: tables and arrays this deep are refused"),
                error.pos.line,
                error.pos.col,
                limit=tomlpos.MAX_DEPTH,
            )
        )
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        return only(
            _file_finding(
                "CI001",
                display,
                N_("TOML syntax error: {detail}"),
                line,
                col,
                detail=_TOML_DETAIL.sub("", message),
            )
        )
    instrument, semantic = check_instrument(document)
    located: list[Finding] = []
    if semantic:
        from comunidad_cli.core.tomlpos import locate

        positions = locate(text)
        for f in semantic:
            pos = positions.nearest(f.path, prefer="value" if f.at_value else "key")
            located.append(f.located(display, pos.line, pos.col))
    located.sort(key=lambda f: f.sort_key)
    return InstrumentFile(display, tuple(located), instrument, digest, source)


def check_file(path: Path, display: str | None = None, source: str = "file") -> InstrumentFile:
    from comunidad_cli.services.bylaws import link_problem

    shown = display if display is not None else str(path)
    link = link_problem(path)
    if link is not None:
        finding = Finding("CI006", CODES["CI006"][0], link).located(shown, 1, 1)
        return InstrumentFile(shown, (finding,), None, "", source)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ServiceError.of(
            N_("cannot read {path}: {reason}"),
            exit_code=2,
            path=shown,
            reason=error.strerror or str(error),
        ) from error
    return check_bytes(data, shown, source)


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Files named, and *.toml files in folders named; a path that does not exist: exit 2.

    A link that loops or leads nowhere is named as such: an error (exit 2) when named,
    a finding (CI006, from `check_file`) when found in a folder.
    """
    from comunidad_cli.services.bylaws import link_problem

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.glob(f"*{SUFFIX}"))
                if p.is_file() or link_problem(p) is not None
            )
        elif path.exists():
            files.append(path)
        else:
            link = link_problem(path)
            if link is not None:
                raise ServiceError(link, exit_code=2)
            raise ServiceError.of(
                N_("no such file or directory: {path}"), exit_code=2, path=str(path)
            )
    return files


def check_paths(paths: Sequence[Path]) -> list[InstrumentFile]:
    return [check_file(path) for path in collect_files(paths)]


def instruments_dir(workspace: Workspace | None) -> Path | None:
    """The workspace's own instruments: `instruments/` beside `bylaws/`."""
    return workspace.root / FOLDER if workspace is not None else None


def _shipped() -> list[InstrumentFile]:
    from importlib import resources

    folder = resources.files("comunidad_cli.instruments")
    found = sorted((e for e in folder.iterdir() if e.name.endswith(SUFFIX)), key=lambda e: e.name)
    return [check_bytes(e.read_bytes(), f"{SHIPPED}:{e.name}", SHIPPED) for e in found]


def available(folder: Path | None) -> list[InstrumentFile]:
    """The workspace's instruments (valid or not), then the shipped ones it does not replace."""
    own = (
        [check_file(p, source="workspace") for p in sorted(folder.glob(f"*{SUFFIX}"))]
        if folder is not None and folder.is_dir()
        else []
    )
    ids = {f.instrument.id for f in own if f.instrument is not None}
    stems = {Path(f.path).stem for f in own}
    shipped = [
        f
        for f in _shipped()
        if f.instrument is not None and f.instrument.id not in ids and f.instrument.id not in stems
    ]
    return [*own, *shipped]


def find_instrument(instrument_id: str, folder: Path | None) -> InstrumentFile:
    """The valid instrument with this id (or file name), the workspace's first."""
    for candidate in available(folder):
        names = {Path(candidate.path).stem.removeprefix(f"{SHIPPED}:")}
        if candidate.instrument is not None:
            names.add(candidate.instrument.id)
        if instrument_id not in names:
            continue
        if candidate.instrument is None or candidate.errors:
            errors = candidate.errors
            raise ServiceError.of(
                N_(
                    '{path} has errors ({count}), the first at line {line}: run "comunidad'
                    ' capacity check {path}"'
                ),
                path=candidate.path,
                count=len(errors),
                line=errors[0].line if errors else 1,
            )
        return candidate
    raise ServiceError.of(
        N_('no capacity instrument with id "{id}": see "comunidad capacity instruments"'),
        id=instrument_id,
    )


# --- answers ---------------------------------------------------------------------------------


class AnswersRefused(ServiceError):
    """Answers refused: `problems` holds every reason (the message is the first)."""

    def __init__(self, problems: Sequence[Msg]) -> None:
        super().__init__(problems[0])
        self.problems = tuple(problems)


def parse_answer_options(values: Sequence[str]) -> list[tuple[str, int | None]]:
    """`ITEM=SCORE` or `ITEM=na` options; every malformed one reported."""
    answers: list[tuple[str, int | None]] = []
    problems: list[Msg] = []
    for value in values:
        item, sign, score = value.partition("=")
        if not sign or not item.strip() or not score.strip():
            problems.append(
                Msg.of(
                    N_(
                        '--answer "{value}": write ITEM=SCORE (1 to 4) or ITEM=na, e.g. gov-board=3'
                    ),
                    value=value,
                )
            )
            continue
        try:
            answers.append((parse_key(item.strip()), parse_score(score.strip())))
        except Invalid as invalid:
            problems.append(
                Msg.of(N_("--answer {value}: {problem}"), value=value, problem=invalid.msg)
            )
    if problems:
        raise AnswersRefused(problems)
    return answers


def read_answers_file(path: Path) -> list[tuple[str, int | None]]:
    """Answers from a CSV, JSON or NDJSON file with the columns item and score."""
    from comunidad_cli.core.importing.columns import Column
    from comunidad_cli.core.importing.rows import parse_records
    from comunidad_cli.services.imports.readers import READERS, decode, format_of, read_file

    data = read_file(path, str(path))
    text, not_text = decode(data)
    if text is None:
        assert not_text is not None
        raise AnswersRefused([Msg.of(N_("{file}: {problem}"), file=str(path), problem=not_text)])
    source = READERS[format_of(path, None)](text)
    columns = (
        Column("item", parse_key, required=True),
        Column("score", parse_score, required=True),
    )
    parsed = parse_records(columns, source.header, source.records)
    problems = [*source.problems, *parsed.problems]
    if problems:
        raise AnswersRefused(
            [
                Msg.of(
                    N_("{file}:{row}: {problem}") if p.row is not None else N_("{file}: {problem}"),
                    file=str(path),
                    row=p.row,
                    problem=p.msg
                    if p.column is None
                    else Msg.of(N_("{column}: {problem}"), column=p.column, problem=p.msg),
                )
                for p in sorted(problems, key=lambda p: p.sort_key)
            ]
        )
    return [(row["item"], row["score"]) for row in parsed.rows]


def check_answers(instrument: Instrument, answers: Sequence[tuple[str, int | None]]) -> list[Msg]:
    """Every reason the answers are not one complete assessment with `instrument`."""
    problems: list[Msg] = []
    seen: dict[str, int | None] = {}
    for item, score in answers:
        if item in seen:
            problems.append(Msg.of(N_('item "{item}" is answered twice'), item=item))
            continue
        seen[item] = score
        problem = answer_problem(instrument, item, score)
        if problem is not None:
            problems.append(problem)
    missing = unanswered(instrument, seen)
    if missing:
        problems.append(
            Msg.counted(
                NP_(
                    "no answer for {count} item: {items} (answer it with a score 1-4, or na where"
                    " allowed)",
                    "no answer for {count} items: {items} (answer each with a score 1-4, or na"
                    " where allowed)",
                ),
                "count",
                count=len(missing),
                items=", ".join(missing),
            )
        )
    return problems


def parse_rater(value: str) -> str:
    rater = one_line(value)
    if not rater:
        raise Invalid.of(N_("a rater's name cannot be empty"))
    if len(rater) > RATER_MAX:
        raise Invalid.of(
            N_("the name is too long ({length} characters; at most {max})"),
            length=len(rater),
            max=RATER_MAX,
        )
    return rater


# --- the database -----------------------------------------------------------------------------


@contextmanager
def connection_of(source: str | Session | Connection) -> Iterator[Connection]:
    """A connection from a URL (read in its own transaction), a Session or a Connection."""
    if isinstance(source, str):
        from comunidad_cli.services.session import reading

        with reading(source) as session:
            yield session.connection()
        return
    from sqlalchemy import Connection

    yield source if isinstance(source, Connection) else source.connection()


def _org(conn: Connection, key: str) -> tuple[int, str]:
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    orgs = table_of("organisation")
    row = conn.execute(select(orgs.c.id, orgs.c.name).where(orgs.c.key == key)).first()
    if row is None:
        raise ServiceError.of(
            N_('no organisation with id "{key}": see "comunidad org list"'), key=key
        )
    return int(row[0]), str(row[1])


@dataclass(frozen=True, slots=True)
class RecordedAssessment:
    org: str
    instrument: str
    rater: str
    assessed_on: date
    answers: int
    not_applicable: int


def record_assessment(
    url: str,
    *,
    org: str,
    instrument_id: str,
    rater: str,
    on: date,
    answers: Sequence[tuple[str, int | None]],
    folder: Path | None,
    today: date,
    at: datetime,
    command: str = "capacity assess",
) -> RecordedAssessment:
    """Store one rater's complete assessment of an organisation, all answers or none."""
    from sqlalchemy import insert, select

    from comunidad_cli.services.directory import table_of
    from comunidad_cli.services.session import writing
    from comunidad_cli.storage.audit import record

    try:
        name = parse_rater(rater)
    except Invalid as invalid:
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option="--rater", problem=invalid.msg)
        ) from None
    if on > today:
        raise ServiceError.of(
            N_("--on {date} is in the future: an assessment is recorded once it is made"), date=on
        )
    found = find_instrument(instrument_id, folder)
    assert found.instrument is not None
    instrument = found.instrument
    problems = check_answers(instrument, answers)
    if problems:
        raise AnswersRefused(problems)
    assessments, answer_table = table_of("capacity_assessment"), table_of("capacity_answer")
    with writing(url) as session:
        conn = session.connection()
        org_id, _org_name = _org(conn, org)
        same_day = conn.execute(
            select(assessments.c.rater).where(
                assessments.c.organisation_id == org_id,
                assessments.c.instrument == instrument.id,
                assessments.c.assessed_on == on,
            )
        ).scalars()
        clash = next((r for r in same_day if rater_key(r) == rater_key(name)), None)
        if clash is not None:
            raise ServiceError.of(
                N_(
                    '{rater} already assessed "{org}" with {instrument} on {date}: correct it'
                    ' with "comunidad import assessments", or record another date with --on'
                ),
                rater=clash,
                org=org,
                instrument=instrument.id,
                date=on,
            )
        result = conn.execute(
            insert(assessments).values(
                organisation_id=org_id,
                instrument=instrument.id,
                instrument_sha256=found.sha256,
                rater=name,
                assessed_on=on,
            )
        )
        assert result.inserted_primary_key is not None
        assessment_id = int(result.inserted_primary_key[0])
        conn.execute(
            insert(answer_table),
            [{"assessment_id": assessment_id, "item": i, "score": s} for i, s in answers],
        )
        record(
            conn,
            command=command,
            action="create",
            entity=ASSESSMENT_ENTITY,
            entity_id=assessment_entity_id(org, instrument.id, name, on),
            detail={
                "org": org,
                "instrument": instrument.id,
                "sha256": found.sha256,
                "rater": name,
                "date": on,
                "answers": {i: s for i, s in answers},
            },
            at=at,
        )
    return RecordedAssessment(
        org, instrument.id, name, on, len(answers), sum(1 for _i, s in answers if s is None)
    )


def assessment_entity_id(org: str, instrument: str, rater: str, on: date) -> str:
    return f"{org}/{instrument}/{rater}/{on.isoformat()}"


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    org_id: int
    instrument: str
    sha256: str
    assessment: Assessment


def load_assessments(
    conn: Connection,
    org_ids: Sequence[int] | None = None,
    instrument: str | None = None,
    until: date | None = None,
) -> list[StoredAssessment]:
    """Assessments with their answers, for some organisations (None: all) and instruments;
    with `until`, those made on or before it (a view as of that day)."""
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    assessments, answers = table_of("capacity_assessment"), table_of("capacity_answer")
    query = select(
        assessments.c.id,
        assessments.c.organisation_id,
        assessments.c.instrument,
        assessments.c.instrument_sha256,
        assessments.c.rater,
        assessments.c.assessed_on,
    ).order_by(assessments.c.assessed_on, assessments.c.id)
    if org_ids is not None:
        query = query.where(assessments.c.organisation_id.in_(list(org_ids)))
    if instrument is not None:
        query = query.where(assessments.c.instrument == instrument)
    if until is not None:
        query = query.where(assessments.c.assessed_on <= until)
    heads = conn.execute(query).all()
    by_id: dict[int, dict[str, int | None]] = {int(h[0]): {} for h in heads}
    if by_id:
        rows = conn.execute(
            select(answers.c.assessment_id, answers.c.item, answers.c.score).where(
                answers.c.assessment_id.in_(list(by_id))
            )
        ).all()
        for assessment_id, item, score in rows:
            by_id[int(assessment_id)][str(item)] = None if score is None else int(score)
    return [
        StoredAssessment(
            int(org_id), str(instr), str(sha), Assessment(str(rater), on, by_id[int(i)])
        )
        for i, org_id, instr, sha, rater, on in heads
    ]


@dataclass(frozen=True, slots=True)
class OrgCapacity:
    """An organisation's assessments with one instrument: latest round and the change."""

    org: str
    org_name: str
    instrument: Instrument
    comparison: Comparison
    other_instruments: tuple[str, ...]
    other_versions: bool  # some assessment was answered with another text of the instrument


def _chosen_instrument(stored: Sequence[StoredAssessment], instrument_id: str | None) -> str | None:
    """The instrument asked for, else the one of the latest assessment."""
    if instrument_id is not None:
        return instrument_id
    if not stored:
        return None
    latest = max(stored, key=lambda s: (s.assessment.assessed_on, s.instrument))
    return latest.instrument


def organisation_capacity(
    url: str,
    org: str,
    *,
    instrument_id: str | None = None,
    folder: Path | None = None,
    as_of: date | None = None,
) -> OrgCapacity:
    """What `capacity show` and `capacity compare` print for one organisation (`as_of`: with
    the assessments made by then)."""
    with connection_of(url) as conn:
        org_id, org_name = _org(conn, org)
        stored = load_assessments(conn, [org_id], until=as_of)
    chosen = _chosen_instrument(stored, instrument_id)
    if chosen is None:
        raise ServiceError.of(
            N_(
                'no capacity assessments of "{org}" yet: record one with "comunidad capacity assess"'
            ),
            org=org,
        )
    found = find_instrument(chosen, folder)
    assert found.instrument is not None
    mine = [s for s in stored if s.instrument == found.instrument.id]
    if not mine:
        raise ServiceError.of(
            N_('"{org}" has no assessments with instrument {instrument}'),
            org=org,
            instrument=found.instrument.id,
        )
    others = tuple(sorted({s.instrument for s in stored} - {found.instrument.id}))
    return OrgCapacity(
        org,
        org_name,
        found.instrument,
        compare(found.instrument, [s.assessment for s in mine]),
        others,
        any(s.sha256 != found.sha256 for s in mine),
    )


@dataclass(frozen=True, slots=True)
class NetworkCapacity:
    instrument: Instrument
    view: NetworkView
    names: Mapping[str, str]  # organisation key -> name
    grant: str | None


def network_capacity(
    source: str | Session | Connection,
    *,
    grant: str | None = None,
    instrument_id: str | None = None,
    folder: Path | None = None,
    as_of: date | None = None,
) -> NetworkCapacity:
    """Every organisation assessed (or every partner of a grant's subcontracts), side by side
    (`as_of`: with the assessments made by then)."""
    found = _network(source, grant, instrument_id, folder, as_of)
    if found is None:
        if grant is not None:
            raise ServiceError.of(
                N_('no capacity assessments of the partners of grant "{grant}" yet'), grant=grant
            )
        raise ServiceError.of(
            N_('no capacity assessments yet: record one with "comunidad capacity assess"')
        )
    return found


def _network(
    source: str | Session | Connection,
    grant: str | None,
    instrument_id: str | None,
    folder: Path | None,
    as_of: date | None = None,
) -> NetworkCapacity | None:
    from sqlalchemy import select

    from comunidad_cli.services.directory import table_of

    orgs = table_of("organisation")
    with connection_of(source) as conn:
        if grant is not None:
            grants, subcontracts = table_of("grant_award"), table_of("subcontract")
            grant_id = conn.execute(select(grants.c.id).where(grants.c.key == grant)).scalar()
            if grant_id is None:
                raise ServiceError.of(
                    N_('no grant with id "{key}": see "comunidad grant list"'), key=grant
                )
            members = conn.execute(
                select(orgs.c.id, orgs.c.key, orgs.c.name)
                .where(
                    orgs.c.id.in_(
                        select(subcontracts.c.partner_id).where(subcontracts.c.grant_id == grant_id)
                    )
                )
                .order_by(orgs.c.key)
            ).all()
            stored = load_assessments(conn, [int(m[0]) for m in members], until=as_of)
        else:
            stored = load_assessments(conn, until=as_of)
            assessed = {s.org_id for s in stored}
            members = [
                m
                for m in conn.execute(
                    select(orgs.c.id, orgs.c.key, orgs.c.name).order_by(orgs.c.key)
                ).all()
                if int(m[0]) in assessed
            ]
    chosen = _chosen_instrument(stored, instrument_id)
    if chosen is None:
        return None
    found = find_instrument(chosen, folder)
    instrument = found.instrument
    assert instrument is not None
    per_org: list[tuple[str, list[Assessment]]] = []
    for org_id, key, _name in members:
        mine = [
            s.assessment for s in stored if s.org_id == org_id and s.instrument == instrument.id
        ]
        if mine or grant is not None:
            per_org.append((str(key), mine))
    return NetworkCapacity(
        instrument,
        network(instrument, per_org),
        {str(k): str(n) for _i, k, n in members},
        grant,
    )


# --- for the summary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeakDomain:
    """A weak capacity domain across the network (the mean of the organisations' scores)."""

    instrument: str
    domain: str
    name: Texts
    score: Fraction
    organisations: int

    def name_in(self, language: str) -> str:
        return localized(self.name, language)


def weakest_domains(
    session_or_url: str | Session | Connection,
    limit: int = 3,
    *,
    folder: Path | None = None,
    as_of: date | None = None,
) -> list[WeakDomain]:
    """The network's weakest capacity domains, lowest first ([] when nothing is assessed).

    Uses the instrument of the latest assessment, each organisation's latest round, and
    `folder` (the workspace's instruments/) before the shipped instruments.
    """
    view = _network(session_or_url, None, None, folder, as_of)
    if view is None:
        return []
    return [
        WeakDomain(view.instrument.id, d.domain.id, d.domain.name, d.mean, d.organisations)
        for d in view.view.weakest(limit)
        if d.mean is not None
    ]
