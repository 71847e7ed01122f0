"""Fault injection: what can go wrong between the console and the API, on demand.

:class:`FaultConfig` says which faults to inject; tests mutate ``DemoServer.faults`` at run
time, the standalone server parses it from ``--faults SPEC`` (:meth:`FaultConfig.parse`).
:class:`FaultPicker` draws the outcome of each request: first from ``script`` (forced outcomes,
consumed in order — what deterministic tests use), else from the rates with a seeded RNG, so a
given seed and request sequence always fail the same way.

Faults apply to ``/v1`` requests. The token endpoint fails only through ``script`` entries
prefixed ``token:`` (``"token:503"``, ``"token:invalid_client"``, ...); each kind of request
takes the first script entry meant for it, so interleaving does not reorder them. Image faults
(``image=``) apply to the preview and layer files.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields

#: Forced outcomes for ``/v1`` requests.
API_OUTCOMES = frozenset(
    {
        "ok",
        "401",
        "429",
        "429-no-retry-after",
        "429-date",
        "500",
        "502",
        "503",
        "504",
        "drop",
        "malformed",
        "malformed-truncated",
        "malformed-html",
        "malformed-shape",
        "malformed-nan",
        "gzip-bomb",
    }
)
#: Forced outcomes for the token endpoint (script entries are these prefixed with ``token:``).
TOKEN_OUTCOMES = frozenset(
    {"ok", "429", "500", "502", "503", "504", "drop", "malformed", "invalid_client"}
)
#: Image fault modes for ``/files`` previews and layers.
IMAGE_MODES = (
    "oversized",
    "oversized-stream",
    "wrong-type",
    "svg",
    "bomb",
    "truncated",
    "slow",
    "expired",
)
#: Broken paging modes past the last page (see ``FaultConfig.paging``).
PAGING_MODES = ("cycle", "endless", "repeat")
MALFORMED_KINDS = ("truncated", "html", "shape", "nan")
_5XX = ("500", "502", "503", "504")
_OAUTH_PREFIX = "token:"


@dataclass
class FaultConfig:
    """Which faults to inject. All off by default.

    ``retry_after`` is what a rate-limited answer's ``Retry-After`` header says: seconds
    (``"1"``), ``"date"`` for an HTTP date one second ahead, or None for no header.
    ``token_ttl`` overrides the server's token lifetime (seconds) for new tokens.
    ``token_expires_in`` is the ``expires_in`` the token answer *says*, whatever the real
    lifetime (0 or negative: a misbehaving token server).
    ``token_bound_to_preview``: a ``page_token`` issued by a ``preview=true`` page is refused
    (400) for a ``preview=false`` page, as an API whose opaque tokens encode ``preview`` would
    (the order list's ``G`` walk must then fall back to full pages).
    ``paging`` breaks the list's paging past the last page: ``"cycle"`` hands out the first
    ``next_page_token`` of the scope again, ``"endless"`` new tokens with empty pages forever,
    ``"repeat"`` new tokens that serve the first page again (what a buggy or hostile server
    might do).
    ``script`` holds forced outcomes (see :data:`API_OUTCOMES`, :data:`TOKEN_OUTCOMES`).
    """

    latency_ms: float = 0
    jitter_ms: float = 0
    rate_429: float = 0.0
    retry_after: str | None = "1"
    rate_5xx: float = 0.0
    rate_drop: float = 0.0
    rate_malformed: float = 0.0
    token_ttl: int | None = None
    token_expires_in: int | None = None
    hostile: bool = False
    image: str | None = None
    token_bound_to_preview: bool = False
    paging: str | None = None
    script: deque[str] = field(default_factory=deque)

    @classmethod
    def parse(cls, spec: str | None) -> FaultConfig:
        """Parse ``"latency=200,429=0.1,retry-after=2,5xx=0.05,drop=0.02,malformed=0.05,
        token-ttl=30,hostile,image=bomb,preview-tokens"``; raises ValueError with a one-line
        message. ``preview-tokens`` switches ``token_bound_to_preview`` on."""
        config = cls()
        text = (spec or "").strip()
        if text.lower() in ("", "none", "off"):
            return config
        for item in text.split(","):
            key, sep, value = (part.strip() for part in item.strip().partition("="))
            if not key:
                continue
            setter = _SETTERS.get(key.lower())
            if setter is None:
                known = ", ".join(_SETTERS)
                raise ValueError(f"unknown fault {key!r} (known: {known})")
            if not sep and key.lower() not in _FLAGS:
                raise ValueError(
                    f"fault {key!r} needs a value, like {key}={_EXAMPLES[key.lower()]}"
                )
            setter(config, value)
        return config

    def describe(self) -> str:
        """A short human summary of the faults that are on (for the standalone banner)."""
        defaults = FaultConfig()
        on = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if f.name != "script" and getattr(self, f.name) != getattr(defaults, f.name)
        ]
        return ", ".join(on) or "none"


def _number(key: str, value: str, *, low: float, high: float | None = None) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"fault {key!r}: {value!r} is not a number") from None
    if not (number >= low and (high is None or number <= high)):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"fault {key!r}: {value} must be {bounds}")
    return number


def _set_rate(attr: str, key: str) -> Callable[[FaultConfig, str], None]:
    def setter(config: FaultConfig, value: str) -> None:
        setattr(config, attr, _number(key, value, low=0.0, high=1.0))

    return setter


def _set_latency(config: FaultConfig, value: str) -> None:
    config.latency_ms = _number("latency", value, low=0.0, high=60_000.0)


def _set_jitter(config: FaultConfig, value: str) -> None:
    config.jitter_ms = _number("jitter", value, low=0.0, high=60_000.0)


def _set_retry_after(config: FaultConfig, value: str) -> None:
    lowered = value.lower()
    if lowered == "none":
        config.retry_after = None
    elif lowered == "date" or value.isdigit():
        config.retry_after = lowered
    else:
        raise ValueError(f"fault 'retry-after': {value!r} must be seconds, 'date' or 'none'")


def _set_token_ttl(config: FaultConfig, value: str) -> None:
    config.token_ttl = int(_number("token-ttl", value, low=1.0, high=86_400.0))


def _set_token_expires_in(config: FaultConfig, value: str) -> None:
    config.token_expires_in = int(_number("token-expires-in", value, low=-86_400.0, high=86_400.0))


def _set_hostile(config: FaultConfig, value: str) -> None:
    lowered = value.lower()
    if lowered not in ("", "1", "true", "yes", "on", "0", "false", "no", "off"):
        raise ValueError(f"fault 'hostile': {value!r} must be on or off")
    config.hostile = lowered in ("", "1", "true", "yes", "on")


def _set_preview_tokens(config: FaultConfig, value: str) -> None:
    if value.lower() not in ("", "1", "true", "yes", "on", "0", "false", "no", "off"):
        raise ValueError(f"fault 'preview-tokens': {value!r} must be on or off")
    config.token_bound_to_preview = value.lower() in ("", "1", "true", "yes", "on")


def _set_paging(config: FaultConfig, value: str) -> None:
    if value.lower() not in PAGING_MODES:
        raise ValueError(f"fault 'paging': {value!r} is not one of {', '.join(PAGING_MODES)}")
    config.paging = value.lower()


def _set_image(config: FaultConfig, value: str) -> None:
    if value.lower() not in IMAGE_MODES:
        raise ValueError(f"fault 'image': {value!r} is not one of {', '.join(IMAGE_MODES)}")
    config.image = value.lower()


def _set_script(config: FaultConfig, value: str) -> None:
    for entry in (part.strip() for part in value.split(";")):
        if not _valid_entry(entry):
            raise ValueError(f"fault 'script': unknown outcome {entry!r}")
        config.script.append(entry)


def _valid_entry(entry: str) -> bool:
    if entry.startswith(_OAUTH_PREFIX):
        return entry[len(_OAUTH_PREFIX) :] in TOKEN_OUTCOMES
    return entry in API_OUTCOMES


_SETTERS = {
    "latency": _set_latency,
    "jitter": _set_jitter,
    "429": _set_rate("rate_429", "429"),
    "retry-after": _set_retry_after,
    "5xx": _set_rate("rate_5xx", "5xx"),
    "drop": _set_rate("rate_drop", "drop"),
    "malformed": _set_rate("rate_malformed", "malformed"),
    "token-ttl": _set_token_ttl,
    "token-expires-in": _set_token_expires_in,
    "hostile": _set_hostile,
    "image": _set_image,
    "paging": _set_paging,
    "preview-tokens": _set_preview_tokens,
    "script": _set_script,
}
#: Faults that need no value.
_FLAGS = ("hostile", "preview-tokens")
_EXAMPLES = {
    "latency": "200",
    "jitter": "50",
    "429": "0.1",
    "retry-after": "2",
    "5xx": "0.05",
    "drop": "0.02",
    "malformed": "0.05",
    "token-ttl": "30",
    "token-expires-in": "0",
    "image": "bomb",
    "paging": "cycle",
    "script": "429;500;ok",
}


class FaultPicker:
    """Draws per-request outcomes from a FaultConfig: script first, then seeded rates."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed ^ 0xFA017)
        self._lock = threading.Lock()
        self._malformed_turn = 0

    def _take(self, config: FaultConfig, *, token: bool) -> str | None:
        with self._lock:
            for entry in list(config.script):
                if entry.startswith(_OAUTH_PREFIX) == token:
                    config.script.remove(entry)
                    return entry[len(_OAUTH_PREFIX) :] if token else entry
        return None

    def api_outcome(self, config: FaultConfig) -> str:
        """The outcome of the next ``/v1`` request (an :data:`API_OUTCOMES` value or an
        unknown scripted string, which the handler reports as a demo error)."""
        scripted = self._take(config, token=False)
        if scripted is not None:
            return self._resolve_malformed(scripted)
        with self._lock:
            roll = self._rng.random()
            pick = self._rng.random()
        for rate, outcome in (
            (config.rate_drop, "drop"),
            (config.rate_429, "429-configured"),
            (config.rate_5xx, _5XX[int(pick * len(_5XX))]),
            (config.rate_malformed, "malformed"),
        ):
            if roll < rate:
                return self._resolve_malformed(outcome)
            roll -= rate
        return "ok"

    def _resolve_malformed(self, outcome: str) -> str:
        if outcome != "malformed":
            return outcome
        with self._lock:
            kind = MALFORMED_KINDS[self._malformed_turn % len(MALFORMED_KINDS)]
            self._malformed_turn += 1
        return f"malformed-{kind}"

    def token_outcome(self, config: FaultConfig) -> str:
        """The outcome of the next token request: ``ok`` unless scripted."""
        return self._take(config, token=True) or "ok"

    def delay(self, config: FaultConfig) -> float:
        """Seconds to wait before answering a ``/v1`` request."""
        if config.latency_ms <= 0 and config.jitter_ms <= 0:
            return 0.0
        with self._lock:
            jitter = self._rng.uniform(0, config.jitter_ms) if config.jitter_ms > 0 else 0.0
        return max(config.latency_ms + jitter, 0.0) / 1000.0
