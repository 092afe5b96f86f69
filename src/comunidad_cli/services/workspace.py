"""The workspace: a folder with comunidad.toml, found the way git finds its repository.

Walk up from the current directory to the first comunidad.toml; `--workspace` or
COMUNIDAD_WORKSPACE override the search. The database URL comes from `--db`, COMUNIDAD_DB,
the config's `database`, else `comunidad.db` beside comunidad.toml. Its `timezone` (an IANA
name, written by `init`) is the zone of every wall-clock time; without it, the system's.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from comunidad_cli import clock
from comunidad_cli.core import tomlpos
from comunidad_cli.core.fractions import parse_fraction
from comunidad_cli.core.messages import N_, Msg
from comunidad_cli.services.errors import ServiceError

CONFIG_NAME = "comunidad.toml"
DB_NAME = "comunidad.db"
TEMPLATES = ("partnership", "directorio", "xarxa")
_CONFIG_KEYS = {
    "name",
    "locale",
    "currency",
    "database",
    "bylaws",
    "volunteer_hour_rate",
    "revision_threshold",
    "timezone",
    "privacy",
}
DEFAULT_REVISION_THRESHOLD = Fraction(1, 10)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path
    name: str
    locale: str | None
    currency: str | None
    database: str | None
    bylaws_dir: Path
    volunteer_hour_rate: Decimal | None = None
    revision_threshold: Fraction = DEFAULT_REVISION_THRESHOLD
    timezone: str | None = None

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def zone(self) -> tzinfo:
        """The zone of its wall-clock times: `timezone`, else the system's (older workspaces)."""
        found = clock.zone_named(self.timezone) if self.timezone is not None else None
        return found if found is not None else clock.system_zone()


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding comunidad.toml."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load(root: Path) -> Workspace:
    """Read and validate `root/comunidad.toml`."""
    path = root / CONFIG_NAME
    try:
        data = tomlpos.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ServiceError.of(
            N_('{path} not found: run "comunidad init" to create a workspace'), path=str(path)
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ServiceError.of(
            N_("cannot read {path}: {reason}"), path=str(path), reason=str(error)
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ServiceError.of(
            N_("{path}: TOML syntax error: {detail}"), path=str(path), detail=str(error)
        ) from error
    except tomlpos.TooDeep as error:
        raise ServiceError.of(
            N_("{file}: {problem}"),
            file=f"{path}:{error.pos.line}:{error.pos.col}",
            problem=Msg.of(
                N_("nested more than {limit} levels deep: tables and arrays this deep are refused"),
                limit=tomlpos.MAX_DEPTH,
            ),
        ) from error
    unknown = sorted(set(data) - _CONFIG_KEYS)
    if unknown:
        raise ServiceError.of(
            N_('{path}: unknown key "{key}"; allowed keys: {allowed}'),
            path=str(path),
            key=unknown[0],
            allowed=", ".join(sorted(_CONFIG_KEYS)),
        )
    for key in _CONFIG_KEYS - {"privacy"}:  # [privacy]: services/outcomes/data.py
        if key in data and not isinstance(data[key], str):
            raise ServiceError.of(N_('{path}: "{key}" must be a string'), path=str(path), key=key)
    rate: Decimal | None = None
    if "volunteer_hour_rate" in data:
        try:
            rate = Decimal(data["volunteer_hour_rate"])
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or rate < 0:
            raise ServiceError.of(
                N_('{path}: volunteer_hour_rate must be an amount such as "33.49"'), path=str(path)
            )
    threshold = DEFAULT_REVISION_THRESHOLD
    if "revision_threshold" in data:
        parsed = parse_fraction(data["revision_threshold"])
        if parsed is None or not 0 < parsed <= 1:
            raise ServiceError.of(
                N_('{path}: revision_threshold must be a fraction such as "1/10"'), path=str(path)
            )
        threshold = parsed
    zone_name = data.get("timezone")
    if zone_name is not None and clock.zone_named(zone_name) is None:
        raise ServiceError.of(
            N_(
                '{path}:{line}: "{zone}" is not a time zone: write an IANA name such as'
                " America/Santiago, Europe/Madrid or UTC"
            ),
            path=str(path),
            line=_key_line(path, "timezone"),
            zone=zone_name,
        )
    return Workspace(
        root=root,
        name=data.get("name", root.name),
        locale=data.get("locale"),
        currency=data.get("currency"),
        database=data.get("database"),
        bylaws_dir=root / data.get("bylaws", "bylaws"),
        volunteer_hour_rate=rate,
        revision_threshold=threshold,
        timezone=zone_name,
    )


def _key_line(path: Path, key: str) -> int:
    """The line of `key = ...` in a small TOML file (1 when it cannot be told)."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def locate(explicit: Path | None, env: Mapping[str, str], cwd: Path) -> Path | None:
    """Where the workspace is, or None when there is none (some commands need none)."""
    if explicit is None and env.get("COMUNIDAD_WORKSPACE"):
        explicit = Path(env["COMUNIDAD_WORKSPACE"])
    if explicit is not None:
        if not (explicit / CONFIG_NAME).is_file():
            raise ServiceError.of(
                N_(
                    '{path} is not a comunidad workspace (no comunidad.toml): run "comunidad init {path}"'
                ),
                exit_code=2,
                path=str(explicit),
            )
        return explicit.resolve()
    return find_root(cwd)


def require(explicit: Path | None, env: Mapping[str, str], cwd: Path) -> Workspace:
    root = locate(explicit, env, cwd)
    if root is None:
        raise ServiceError.of(
            N_(
                'no comunidad workspace here or in any parent folder: run "comunidad init",'
                " or pass --workspace"
            )
        )
    return load(root)


def database_url(workspace: Workspace | None, cli: str | None, env: Mapping[str, str]) -> str:
    """The SQLAlchemy URL to use; relative SQLite paths are relative to the workspace."""
    url = cli or env.get("COMUNIDAD_DB") or (workspace.database if workspace else None)
    if url is None:
        if workspace is None:
            raise ServiceError.of(
                N_('no database: run inside a workspace ("comunidad init") or pass --db URL')
            )
        return f"sqlite:///{workspace.root / DB_NAME}"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and workspace is not None:
        relative = url.removeprefix("sqlite:///")
        if relative and relative != ":memory:" and not os.path.isabs(relative):
            return f"sqlite:///{workspace.root / relative}"
    return url


def template_text(template: str) -> str:
    """The by-laws template shipped in the package."""
    if template not in TEMPLATES:
        raise ServiceError.of(
            N_('unknown template "{template}": choose one of {choices}'),
            exit_code=2,
            template=template,
            choices=", ".join(TEMPLATES),
        )
    from importlib import resources

    return (
        resources.files("comunidad_cli.templates")
        .joinpath(f"{template}.toml")
        .read_text(encoding="utf-8")
    )


@dataclass(frozen=True, slots=True)
class InitReport:
    root: Path
    config: Path
    bylaws_file: Path
    database: str
    revision: str
    timezone: str
    timezone_guessed: bool = False


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet, atomically (temp file, then rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _refuse_password(url: str) -> None:
    """comunidad.toml is shared (copied, committed, sent by mail): a database password
    never goes into it. libpq finds the password itself; the message says where."""
    from comunidad_cli.storage.postgres import password_in, without_password

    if password_in(url):
        raise ServiceError.of(
            N_(
                "--db {url}: a password is not written to comunidad.toml, which others may"
                " read; give the URL without it and let PostgreSQL find it: a line in"
                " ~/.pgpass (or the file PGPASSFILE names), the PGPASSWORD variable, or a"
                " service file (postgresql:///?service=NAME, ~/.pg_service.conf)"
            ),
            url=without_password(url),
        )


def init(
    directory: Path,
    *,
    template: str,
    locale: str,
    currency: str,
    name: str | None = None,
    db_url: str | None = None,
    command: str = "init",
    timezone: str | None = None,
) -> InitReport:
    """Create a workspace: comunidad.toml, bylaws/<template>.toml and the database.

    `timezone` is an IANA name; without one, the system's, or UTC when the system does not
    name its zone (the report says so, so the coordinator can correct it).
    All or nothing: if any step fails, the files this call wrote are removed again.
    """
    import tomli_w

    fallback = False
    if timezone is None:
        timezone = clock.system_zone_name()
        if timezone is None:
            timezone, fallback = "UTC", True
    elif clock.zone_named(timezone) is None:
        raise ServiceError.of(
            N_(
                '--timezone: "{zone}" is not a time zone: use an IANA name such as'
                " America/Santiago, Europe/Madrid or UTC"
            ),
            exit_code=2,
            zone=timezone,
        )
    if not _CURRENCY.match(currency):
        raise ServiceError.of(
            N_('"{currency}" is not an ISO 4217 currency code such as EUR, CLP or USD'),
            exit_code=2,
            currency=currency,
        )
    from comunidad_cli.services.grants.common import currency_problem

    problem = currency_problem(currency)
    if problem is not None:
        raise ServiceError(
            Msg.of(N_("{option}: {problem}"), option="--currency", problem=problem), exit_code=2
        )
    if db_url:
        _refuse_password(db_url)
    text = template_text(template)
    root = directory.resolve()
    config = root / CONFIG_NAME
    if config.exists():
        raise ServiceError.of(
            N_("{path} already exists: this folder is a workspace already"), path=str(config)
        )
    bylaws_dir = root / "bylaws"
    bylaws_file = bylaws_dir / f"{template}.toml"
    if bylaws_file.exists():
        raise ServiceError.of(
            N_("{path} already exists: not overwriting it"), path=str(bylaws_file)
        )
    settings: dict[str, Any] = {
        "name": name or root.name,
        "locale": locale,
        "currency": currency,
        "timezone": timezone,
    }
    if db_url:
        settings["database"] = db_url
    created: list[Path] = []
    try:
        for folder in (root, bylaws_dir):
            if not folder.exists():
                folder.mkdir(parents=True)
                created.append(folder)
        _write_new(bylaws_file, text)
        created.append(bylaws_file)
        header = "# comunidad workspace settings: see `comunidad --help`.\n"
        _write_new(config, header + tomli_w.dumps(settings))
        created.append(config)
        workspace = load(root)
        url = database_url(workspace, None, {})
        from comunidad_cli.services.database import create_database

        revision = create_database(url, command=command)
    except BaseException:
        for path in reversed(created):
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            else:
                path.unlink(missing_ok=True)
        raise
    return InitReport(root, config, bylaws_file, url, revision, timezone, fallback)
