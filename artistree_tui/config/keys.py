"""The configuration keys: what each accepts, which environment variable and flag override it.

One table (:data:`KEYS`) drives validation, the unknown-key suggestions, the environment and
flag overrides and the tests that compare it with ``config.example.toml``, so adding a key is
one line here plus its field in :class:`~artistree_tui.config.settings.Settings`.

Validators raise :class:`InvalidValue` with a problem that names the key but never shows a
secret's value; the loader adds where it is (file and line, variable or flag).
"""

from __future__ import annotations

import difflib
import math
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from artistree_tui.config.settings import (
    MAX_PAGE_SIZE,
    MAX_RESYNC_MINUTES,
    MAX_SYNC_RATE,
    MIN_SYNC_RATE,
    PREVIEW_MODES,
    STORE_MODES,
)
from artistree_tui.hosts import is_loopback

PROFILES = "profiles"
MAX_REFRESH_SECONDS = 86_400.0  # a day: anything longer is "off", and timers stay sane
MAX_IMAGE_CACHE_MB = 100_000
#: Bounds of the in-memory caches' budget: below 16 MiB a preview or two would not fit.
MIN_MEMORY_CACHE_MB, MAX_MEMORY_CACHE_MB = 16, 16_384
#: The permission bits a saved certificate may have: read and write for you, read for others.
ALLOWED_FILE_MODE_BITS = 0o644
_LANG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_,;=.*\- ]{0,63}")


class InvalidValue(Exception):
    """A value a key cannot take. ``path`` is the key's path in the TOML document."""

    def __init__(self, problem: str, path: tuple[str, ...]) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path


Check = Callable[[str, object], object]


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One configuration key: its check, and how it can be overridden."""

    name: str
    check: Check
    secret: bool = False
    #: Where the API is and how to log in: ignored (not even validated) under ``--demo``.
    credential: bool = False
    env: str | None = None
    flag: str | None = None


def type_name(value: object) -> str:
    """How TOML calls the type of ``value``, with an article."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date/time"
    return type(value).__name__


def show(value: object, limit: int = 60) -> str:
    """A short, escaped rendering of a (non-secret) value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _string(label: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{label} must be a string in quotes, not {type_name(value)}", ())
    if not value.strip():
        raise InvalidValue(f"{label} must not be empty: remove the line or give a value", ())
    return value.strip()


def _url(label: str, value: object) -> str:
    text = _string(label, value)
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is not None and (parts.username is not None or parts.password is not None):
        # Never echo it: the password may be right there.
        raise InvalidValue(f"{label} must not contain a user name or password: remove them", ())
    secure = parts is not None and parts.scheme == "https"
    local = parts is not None and parts.scheme == "http" and is_loopback(host)
    if not host or not (secure or local):
        raise InvalidValue(
            f"{label} must be an https:// URL (http:// only for localhost), not {show(text)}", ()
        )
    return text.rstrip("/")


def _command(label: str, value: object) -> str:
    # An array is the unambiguous form; a string is split like a shell would (no shell runs).
    if isinstance(value, list):
        if value and all(isinstance(v, str) and v for v in value):
            return shlex.join(value)
        raise InvalidValue(f"{label} must be a string or a non-empty array of strings", ())
    text = _string(label, value)
    try:
        shlex.split(text)
    except ValueError as exc:
        problem = f"{label} is not a valid command line ({exc}): check its quotes"
        raise InvalidValue(problem, ()) from None
    return text


def _whole(low: int, high: int, *, example: int, note: str = "") -> Check:
    def check(label: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            got = show(value) if isinstance(value, int | float) else type_name(value)
            key = label.rsplit(".", 1)[-1]
            hint = f" (write {key} = {example}, no quotes)" if isinstance(value, str) else ""
            raise InvalidValue(
                f"{label} must be a whole number from {low} to {high}{note}, not {got}{hint}", ()
            )
        return value

    return check


def _seconds(label: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_REFRESH_SECONDS
    ):
        got = show(value) if isinstance(value, int | float) else type_name(value)
        raise InvalidValue(
            f"{label} must be a number of seconds from 0 to {MAX_REFRESH_SECONDS:.0f} "
            f"(0 turns auto-refresh off), not {got}",
            (),
        )
    return float(value)


def _lang(label: str, value: object) -> str:
    text = _string(label, value).strip()
    if not _LANG.fullmatch(text):
        raise InvalidValue(f'{label} must be a language code like "en" or "fr-FR"', ())
    return text


def _choice(choices: tuple[str, ...]) -> Check:
    def check(label: str, value: object) -> str:
        if value not in choices:
            listed = ", ".join(f'"{c}"' for c in choices)
            got = show(value) if isinstance(value, str) else type_name(value)
            raise InvalidValue(f"{label} must be one of {listed}, not {got}", ())
        return str(value)

    return check


def _number(low: float, high: float, *, unit: str, note: str = "") -> Check:
    def check(label: str, value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            got = show(value) if isinstance(value, int | float) else type_name(value)
            raise InvalidValue(
                f"{label} must be a number of {unit} from {low:g} to {high:g}{note}, not {got}",
                (),
            )
        return float(value)

    return check


def _preview(label: str, value: object) -> str:
    if value not in PREVIEW_MODES:
        choices = ", ".join(f'"{m}"' for m in PREVIEW_MODES)
        got = show(value) if isinstance(value, str) else type_name(value)
        raise InvalidValue(f"{label} must be one of {choices}, not {got}", ())
    return str(value)


def _bool(label: str, value: object) -> bool:
    if not isinstance(value, bool):
        got = show(value) if isinstance(value, str | int | float) else type_name(value)
        raise InvalidValue(f"{label} must be true or false (no quotes), not {got}", ())
    return value


def _file_mode(label: str, value: object) -> int:
    # Others may read a saved certificate if the user says so; never write it.
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value & ~ALLOWED_FILE_MODE_BITS
        or value & 0o600 != 0o600
    ):
        got = f"0o{value:o}" if isinstance(value, int) and not isinstance(value, bool) else None
        got = got or (show(value) if isinstance(value, str) else type_name(value))
        raise InvalidValue(
            f"{label} must be 0o600, 0o640, 0o604 or 0o644 (an octal number, no quotes: you "
            f"can read and write the file, others may only read it), not {got}",
            (),
        )
    return value


def _path(label: str, value: object) -> Path:
    return Path(_string(label, value)).expanduser()


def _string_table(example: str) -> Check:
    def check(label: str, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise InvalidValue(f"{label} must be a table like [{label}] / {example}", ())
        for key, item in value.items():
            if not isinstance(item, str) or not item.strip():
                got = "an empty string" if isinstance(item, str) else type_name(item)
                raise InvalidValue(
                    f"{label}.{key} must be a non-empty string (e.g. {example}), not {got}",
                    (key,),
                )
        return dict(value)

    return check


KEYS: dict[str, KeySpec] = {
    spec.name: spec
    for spec in (
        KeySpec("base_url", _url, credential=True, env="ARTISTREE_BASE_URL", flag="--base-url"),
        KeySpec("token_url", _url, credential=True, env="ARTISTREE_TOKEN_URL", flag="--token-url"),
        KeySpec(
            "client_id", _string, credential=True, env="ARTISTREE_CLIENT_ID", flag="--client-id"
        ),
        KeySpec(
            "client_secret",
            _string,
            secret=True,
            credential=True,
            env="ARTISTREE_CLIENT_SECRET",
            flag="--client-secret",
        ),
        KeySpec("client_secret_command", _command, credential=True),
        KeySpec(
            "token", _string, secret=True, credential=True, env="ARTISTREE_TOKEN", flag="--token"
        ),
        KeySpec("lang", _lang),
        KeySpec("page_size", _whole(1, MAX_PAGE_SIZE, example=200)),
        KeySpec("default_project", _string, flag="--project"),
        KeySpec("refresh_seconds", _seconds),
        KeySpec("theme", _string),
        KeySpec("keymap", _string_table('"app.quit" = "ctrl+q"')),
        KeySpec("projects", _string_table('"My Project" = "<project id>"')),
        KeySpec("preview", _preview),
        KeySpec("prefetch", _bool),
        KeySpec("bell", _bool),
        KeySpec("downloads_dir", _path),
        KeySpec("certificate_file_mode", _file_mode),
        KeySpec("cache_dir", _path),
        KeySpec(
            "image_cache_mb",
            _whole(0, MAX_IMAGE_CACHE_MB, example=200, note=" (0 keeps nothing on disk)"),
        ),
        KeySpec("store", _choice(STORE_MODES)),
        KeySpec("sync_rate", _number(MIN_SYNC_RATE, MAX_SYNC_RATE, unit="requests per second")),
        KeySpec(
            "resync_minutes",
            _number(0, MAX_RESYNC_MINUTES, unit="minutes", note=" (0 turns re-syncs off)"),
        ),
        KeySpec(
            "memory_cache_mb",
            _whole(MIN_MEMORY_CACHE_MB, MAX_MEMORY_CACHE_MB, example=48, note=" (MiB)"),
        ),
    )
}

SECRET_KEYS = frozenset(name for name, spec in KEYS.items() if spec.secret)
ENV_KEYS: dict[str, str] = {spec.env: name for name, spec in KEYS.items() if spec.env}
FLAG_KEYS: dict[str, str] = {name: spec.flag for name, spec in KEYS.items() if spec.flag}


def _unknown(key: str, path: tuple[str, ...], valid: list[str]) -> InvalidValue:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = (
        f"did you mean {close[0]!r}?"
        if close
        else "remove it (`artistree-tui config example` lists the valid keys)"
    )
    return InvalidValue(f"unknown key {show(key)}: {hint}", (*path, key))


def validate_table(
    table: Mapping[str, object], *, demo: bool = False, path: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Check one table of the file (the top level or a profile); return the converted values.

    Keys are checked in file order, so the first problem reported is the first in the file.
    ``demo`` skips the credential keys: the demo API brings its own. Profiles are checked too,
    each like the top level minus ``profiles``.
    """
    in_profile = bool(path)
    valid = [*KEYS] if in_profile else [*KEYS, PROFILES]
    values: dict[str, Any] = {}
    for key, value in table.items():
        label = ".".join((*path, key))
        if key == PROFILES and not in_profile:
            values[key] = _validate_profiles(value, demo=demo)
            continue
        spec = KEYS.get(key)
        if spec is None:
            raise _unknown(key, path, valid)
        if demo and spec.credential:
            continue
        try:
            values[key] = spec.check(label, value)
        except InvalidValue as exc:
            raise InvalidValue(exc.problem, (*path, key, *exc.path)) from None
    return values


def _validate_profiles(value: object, *, demo: bool) -> dict[str, dict[str, Any]]:
    example = "[profiles.staging] / base_url = ..."
    if not isinstance(value, dict):
        raise InvalidValue(f"profiles must hold tables like {example}", (PROFILES,))
    profiles: dict[str, dict[str, Any]] = {}
    for name, table in value.items():
        if not isinstance(table, dict):
            raise InvalidValue(
                f"profiles.{name} must be a table like {example}, not {type_name(table)}",
                (PROFILES, name),
            )
        profiles[name] = validate_table(table, demo=demo, path=(PROFILES, name))
    return profiles
