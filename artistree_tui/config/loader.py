"""Read the config file, apply the overrides, and produce validated :class:`Settings`.

Precedence, highest first: command-line flag > environment variable > the selected
``[profiles.NAME]`` section > the top level of the file > the built-in default. Every problem
becomes one :class:`ConfigError` line naming where it is (file and line, variable or flag),
the key, and what to do.

Nothing here reads the real home directory by itself: the path, the environment and the
flags can all be passed in, so tests run in isolation.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from artistree_tui.config.credentials import Origin, resolve_credentials
from artistree_tui.config.keys import (
    ENV_KEYS,
    FLAG_KEYS,
    KEYS,
    PROFILES,
    SECRET_KEYS,
    InvalidValue,
    validate_table,
)
from artistree_tui.config.paths import resolve_config_path
from artistree_tui.config.secret import SECRET_COMMAND_TIMEOUT
from artistree_tui.config.settings import ConfigError, Settings
from artistree_tui.safe_paths import UnsafePath, check_opened_file

_TABLE_KEYS = ("keymap", "projects")  # merged entry by entry across file and profile
_PATH_KEYS = ("downloads_dir", "cache_dir")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")

Layer = dict[str, tuple[object, str]]
SourceKind = Literal["flag", "env", "profile", "file"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a setting came from: the kind of layer, and the exact place (file and line,
    variable, flag)."""

    kind: SourceKind
    where: str


@dataclass(frozen=True, slots=True)
class _File:
    """The config file as read: its text (to find lines), its data and the ``fstat`` of the
    handle it was read from (owner and mode bits)."""

    path: Path
    text: str
    data: dict[str, Any]
    info: os.stat_result

    @property
    def mode(self) -> int:
        return self.info.st_mode


def load_settings(
    *,
    config_path: str | os.PathLike[str] | None = None,
    profile: str | None = None,
    flags: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
    demo: bool = False,
    require_credentials: bool = True,
    secret_command_timeout: float = SECRET_COMMAND_TIMEOUT,
    sources: dict[str, Source] | None = None,
) -> Settings:
    """Build the run's :class:`Settings`; raise :class:`ConfigError` (one line) on any problem.

    ``config_path`` is ``--config`` (else ``ARTISTREE_TUI_CONFIG`` from ``env``, else the
    platform path; a missing file is fine only for the platform path). ``flags`` maps key names
    (``base_url``, ``token``, ``default_project``, ...) to command-line values, None meaning
    "not given". ``env`` defaults to ``os.environ``. ``demo`` ignores every credential and
    target key (the demo API brings its own) and the permission check. With
    ``require_credentials`` false, missing or partial credentials are accepted and
    ``client_secret_command`` is not run (``connect.build_client`` runs it when needed).
    ``sources``, when given, receives where each key that is set came from (for
    ``config show``); keys left at their default are not in it.
    """
    environ = os.environ if env is None else env
    path, origin = resolve_config_path(config_path, environ)
    file = _read_file(path, must_exist=origin != "default")
    top: dict[str, Any] = {}
    profiles: dict[str, dict[str, Any]] = {}
    if file is not None:
        _check_permissions(file, demo=demo)
        try:
            top = validate_table(file.data, demo=demo)
        except InvalidValue as exc:
            raise _located(file, exc) from None
        profiles = top.pop(PROFILES, {})

    # Each layer maps key -> (value, where it was set); later layers win.
    layers: list[tuple[SourceKind, Layer]] = [("file", _file_layer(file, top, ()))]
    if profile is not None:
        if profile not in profiles:
            raise _unknown_profile(profile, path, file, profiles)
        layers.append(("profile", _file_layer(file, profiles[profile], (PROFILES, profile))))
    layers.append(("env", _env_layer(environ, demo)))
    layers.append(("flag", _flag_layer(flags or {}, demo)))

    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    kinds: dict[str, SourceKind] = {}
    for rank, (kind, layer) in enumerate(layers, start=1):
        for key, (value, where) in layer.items():
            if key in _TABLE_KEYS and isinstance(value, dict):
                value = {**values.get(key, {}), **value}
            values[key] = value
            origins[key] = Origin(rank, where)
            kinds[key] = kind

    if demo:
        # Each --demo run serves a new demo organization (its clock starts at the launch, and
        # orders arrive as it runs): an index kept from an earlier run would list orders this
        # one does not have. The demo's index lives in memory, whatever the config says.
        values["store"] = "memory"
        origins["store"] = Origin(len(layers) + 1, "--demo")
        kinds["store"] = "flag"
    if not demo:
        resolve_credentials(
            values,
            origins,
            config_path=path,
            require=require_credentials,
            timeout=secret_command_timeout,
        )
    if sources is not None:
        sources.update(
            (key, Source(kinds[key], origins[key].where)) for key in values if key in origins
        )
    base = file.path.parent if file is not None else Path.cwd()
    for key in _PATH_KEYS:
        if key in values:
            values[key] = base / values[key]
    return Settings(
        **values,
        config_path=file.path if file is not None else None,
        profile=profile,
        demo=demo,
    )


def _read_file(path: Path, *, must_exist: bool) -> _File | None:
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(f"{path} is not a regular file: point --config at a TOML file")
            raw = handle.read()
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(
                f"{path} does not exist: create it with `artistree-tui config init --config "
                f"{shlex.quote(str(path))}` or fix the path",
                path=path,
            ) from None
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory: point --config at a TOML file") from None
    except OSError as exc:
        problem = f"cannot read it ({exc.strerror}): check its permissions"
        raise ConfigError(f"{path}: {problem}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text: save it as UTF-8", path=path) from None
    import tomllib  # here: a start without a config file (the demo) needs no TOML parser

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, str(exc)) from None
    return _File(path, text, data, info)


def _toml_error(path: Path, message: str) -> ConfigError:
    line: int | None = None
    where = str(path)
    match = _TOML_POSITION.search(message)
    if match:
        line = int(match.group(1))
        where = f"{path}, line {line}, column {match.group(2)}"
        message = message[: match.start()]
    else:
        end = _TOML_END.search(message)
        if end:
            where, message = f"{path}, at the end", message[: end.start()]
    reason = message[:1].lower() + message[1:]
    return ConfigError(
        f"{where}: not valid TOML ({reason}): fix the syntax there", path=path, line=line
    )


def _check_permissions(file: _File, *, demo: bool) -> None:
    """Refuse, ssh-style, a file that others could change (owned by another user, writable
    by group or others, or in a folder they can write to: it may name a command the console
    runs as you), and, unless ``demo``, a file that holds a secret and that others can read."""
    if os.name != "posix":
        return
    try:
        check_opened_file(file.path, file.info, what="the commands it runs")
    except UnsafePath as exc:
        raise ConfigError(str(exc), path=file.path) from None
    if demo:
        return  # the demo ignores every credential key: nothing secret is read
    if not file.mode & (stat.S_IRGRP | stat.S_IROTH):
        return
    tables = [file.data, *_profile_tables(file.data)]
    if any(SECRET_KEYS & table.keys() for table in tables):
        raise ConfigError(
            f"{file.path} is readable by others and holds a secret: run chmod 600 "
            f"{shlex.quote(str(file.path))}",
            path=file.path,
        )


def _profile_tables(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    profiles = data.get(PROFILES)
    if not isinstance(profiles, dict):
        return []
    return [table for table in profiles.values() if isinstance(table, dict)]


def find_line(text: str, path: tuple[str, ...]) -> int | None:
    """The line where ``path`` (table names then key) is defined, found by a plain scan.

    tomllib reports positions only for syntax errors; this finds ``key =`` lines under their
    ``[table]`` header and the header of a table itself. Dotted keys and inline tables are
    not traced (the message then names the file without a line).
    """
    *table, key = path
    key_pattern = re.compile(
        rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*="""
    )
    current: tuple[str, ...] = ()
    header_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and "]" in stripped and not stripped.startswith("[["):
            header = stripped[1 : stripped.index("]")]
            current = tuple(part.strip().strip("\"'") for part in header.split("."))
            if current[: len(path)] == tuple(path) and header_line is None:
                header_line = number  # the table itself, or a sub-table that implies it
            continue
        if current == tuple(table) and key_pattern.match(line):
            return number
    return header_line


def _where(file: _File | None, path: tuple[str, ...]) -> str:
    if file is None:
        return "the defaults"
    line = find_line(file.text, path)
    return f"{file.path}, line {line}" if line else str(file.path)


def _located(file: _File, exc: InvalidValue) -> ConfigError:
    line = find_line(file.text, exc.path)
    where = f"{file.path}, line {line}" if line else str(file.path)
    return ConfigError(f"{where}: {exc.problem}", path=file.path, key=".".join(exc.path), line=line)


def _unknown_profile(
    name: str, path: Path, file: _File | None, profiles: Mapping[str, object]
) -> ConfigError:
    if file is None:
        detail = f"{path} does not exist, so there are no profiles"
    elif profiles:
        known = ", ".join(repr(p) for p in profiles)
        detail = f"{path} has {known}"
    else:
        detail = f"{path} has no [profiles.NAME] sections"
    return ConfigError(
        f"unknown profile {name!r}: {detail}: pick one of those or add [profiles.{name}]",
        path=path,
        key=f"profiles.{name}",
    )


def _file_layer(file: _File | None, table: Mapping[str, object], path: tuple[str, ...]) -> Layer:
    return {key: (value, _where(file, (*path, key))) for key, value in table.items()}


def _env_layer(environ: Mapping[str, str], demo: bool) -> Layer:
    values: Layer = {}
    for variable, key in ENV_KEYS.items():
        raw = environ.get(variable, "")
        if not raw or (demo and KEYS[key].credential):
            continue  # empty counts as unset: shells make unsetting awkward
        where = f"environment variable {variable}"
        values[key] = (_check_override(key, raw, where), where)
    return values


def _flag_layer(flags: Mapping[str, object], demo: bool) -> Layer:
    values: Layer = {}
    for key, raw in flags.items():
        if key not in FLAG_KEYS:
            raise ValueError(f"{key!r} cannot be set by a flag")  # a programming error
        if raw is None or (demo and KEYS[key].credential):
            continue
        values[key] = (_check_override(key, raw, FLAG_KEYS[key]), FLAG_KEYS[key])
    return values


def _check_override(key: str, raw: object, where: str) -> object:
    try:
        return KEYS[key].check(key, raw)
    except InvalidValue as exc:
        raise ConfigError(f"{where}: {exc.problem}", key=key) from None
