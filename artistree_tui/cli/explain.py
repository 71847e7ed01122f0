"""``artistree-tui config show``: every setting in effect and where it came from.

The sources are those of the precedence rule: ``flag``, ``env``, ``profile``, ``file`` and
``default`` (and ``demo`` for what ``--demo`` replaces). Secrets (``client_secret``,
``token``) are never printed, only whether they are set; ``client_secret_command`` is shown
but not run. Values go through the display boundary like any other text we print.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from artistree_tui.cli.exits import PROG
from artistree_tui.cli.flags import flag_values
from artistree_tui.cli.session import check_demo_flags
from artistree_tui.config import load_settings
from artistree_tui.config.keys import KEYS, SECRET_KEYS
from artistree_tui.config.loader import Source
from artistree_tui.display import clean

HIDDEN = "<hidden>"
DEMO_VALUE = "<set by the demo API>"


def show_settings(args: argparse.Namespace, out: TextIO) -> int:
    """Print the effective settings as a table or JSON; returns the exit status."""
    check_demo_flags(args)
    sources: dict[str, Source] = {}
    settings = load_settings(
        config_path=args.config,
        profile=args.profile,
        flags=flag_values(args),
        demo=args.demo,
        require_credentials=False,
        sources=sources,
    )
    rows: list[tuple[str, object, str, str]] = []
    for key, spec in KEYS.items():
        value: object = getattr(settings, key)
        source = sources.get(key)
        kind, where = (source.kind, source.where) if source else ("default", "")
        if args.demo and spec.credential:
            value, kind, where = DEMO_VALUE, "demo", "--demo"
        elif args.demo and key == "store":
            kind, where = "demo", "--demo"  # each run a new demo organization: in memory
        elif key in SECRET_KEYS:
            value = HIDDEN if value else None
        elif isinstance(value, Path):
            value = str(value)
        rows.append((key, value, kind, where))
    config_file = str(settings.config_path) if settings.config_path else None
    if args.format == "json":
        document = {
            "config_file": config_file,
            "profile": settings.profile,
            "login": None if args.demo else settings.auth_mode,
            "settings": {
                key: {"value": value, "source": kind, "where": where}
                for key, value, kind, where in rows
            },
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")
        return 0
    file_note = clean(config_file, limit=200) if config_file else "none (defaults only)"
    out.write(f"config file: {file_note}\n")
    out.write(f"profile:     {clean(settings.profile, limit=80) or 'none'}\n")
    out.write(f"login:       {_login(settings.auth_mode, demo=args.demo)}\n\n")
    width = max(len(key) for key in KEYS)
    shown = [_show(value, key=key) for key, value, _, _ in rows]
    value_width = min(max(len(text) for text in shown), 60)
    for (key, _, kind, where), text in zip(rows, shown, strict=True):
        origin = f"{kind}: {clean(where, limit=120)}" if where and where != "--demo" else kind
        out.write(f"{key:<{width}}  {text:<{value_width}}  {origin}\n")
    out.write(
        f"\nsources, highest first: flag > env > profile > file > default (`{PROG} --help`)\n"
    )
    return 0


def _login(mode: str | None, *, demo: bool) -> str:
    if demo:
        return "the demo API's own credentials"
    if mode == "token":
        return "static token (used as it is, never refreshed)"
    if mode == "client_credentials":
        return "client_id and client secret (OAuth2 client credentials)"
    return "no credentials set"


def _show(value: object, *, key: str = "") -> str:
    if value is None:
        return "(not set)"
    if key.endswith("_mode") and isinstance(value, int) and not isinstance(value, bool):
        return f"0o{value:03o}"  # a file mode, as the config file writes it (0o600)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False) if value else "{}"
        return clean(text, limit=80)
    return clean(value, limit=80)
