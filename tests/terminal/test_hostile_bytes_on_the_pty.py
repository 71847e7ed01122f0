"""End to end: hostile data never reaches the terminal as commands (the bytes on the pty).

Runs the real ``python -m artistree_tui --demo --demo-faults hostile`` (the demo API serving
markup, escape sequences, C1 controls, bidi and zero-width characters, 100 KB strings in every
user-controlled field) on a pty, walks the list, the detail, the sidebar, both palettes and the
help, then checks every byte the console wrote:

- the only escape sequences are CSI (Textual draws with them) and OSC 22 (Textual's pointer
  shape), plus OSC 52 for our own copy action: ``y`` is pressed once, and the one OSC 52
  payload must be the order id it copied. No OSC 8 hyperlink, no OSC 0/2 title, no DCS,
  APC, PM or SOS; no other control character; no BEL outside OSC 22;
- the output is valid UTF-8 without 8-bit C1 code points, bidi overrides, isolates or
  zero-width characters;
- and the hostile strings were on screen, as visible text (``␛]52;c;…``), so the walk did
  show them.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from artistree_tui.ids import ORDER_ID
from tests.support.pty_console import StartConsole, console_env, demo_argv

pytestmark = pytest.mark.pty

CSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
OSC = re.compile(rb"\x1b\](\d*);([^\x07\x1b]*)(?:\x07|\x1b\\)")
# Visible characters that would reorder or hide text in a terminal.
INVISIBLE = re.compile("[\u0080-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")

#: The keys, each with the text that shows it was handled (None: the next key may follow at
#: once, keys are handled in order). A key that opens or closes a screen is followed only once
#: the screen shows it: the next key must reach that screen, and an ``escape`` read together
#: with the next key would be taken for alt+key.
WALK: list[tuple[bytes, str | None]] = [
    *[(b"j", None)] * 8,
    (b"3", None),  # the detail pane: the verdict, annotations with huge bodies, layers
    *[(b"j", None)] * 4,
    *[(b"\x04", None)] * 3,  # ctrl+d: down to the metadata (people, e-mails, asset names)
    (b"1", None),  # the sidebar, with the poisoned project name
    *[(b"j", None)] * 3,
    (b"\r", None),  # open that project: its name in the border title and the stats bar
    (b"2", None),
    (b"p", "Go to project"),  # the project picker
    (b"[", None),  # its hits for "[": the poisoned project name, highlighted
    (b"\x1b", "Analyses ·"),  # the main screen drawn again
    (b"\x10", "Search for commands"),  # ctrl+p: the command palette
    (b"c", None),
    (b"\x1b", "Analyses ·"),
    (b"?", "to close"),  # the help
    (b"?", "Analyses ·"),
]


def test_hostile_data_reaches_the_terminal_only_as_text(
    tmp_path: Path, start_console: StartConsole
) -> None:
    terminal = start_console(demo_argv("--demo-faults", "hostile"), console_env(tmp_path))
    terminal.wait_for("row 1/")
    terminal.wait_for("Analyses ·")
    terminal.settle_idle()  # the first screen drawn whole
    for key, shows in WALK:
        if shows is None:
            terminal.press(key)
            terminal.settle(0.15)  # lets each row and detail draw (order needs no wait)
        else:
            terminal.press_until(key, shows)
    terminal.press_until(b"y", "Copied order id")  # our own OSC 52: the highlighted id
    terminal.press(b"q")
    assert terminal.wait_exit(15) == 0, terminal.text()[-2000:]
    raw = bytes(terminal.output)

    # Escape sequences: CSI, OSC 22, and exactly one OSC 52 carrying an order id.
    clipboard: list[str] = []
    for number, payload in OSC.findall(raw):
        if number == b"52":
            clipboard.append(base64.b64decode(payload.split(b";", 1)[1]).decode())
        else:
            assert number == b"22", f"OSC {number!r} written: {payload[:40]!r}"
    assert len(clipboard) == 1 and ORDER_ID.fullmatch(clipboard[0]), clipboard
    rest = OSC.sub(b"", CSI.sub(b"", raw))
    assert b"\x1b" not in rest, rest[rest.index(b"\x1b") :][:40]
    controls = {byte for byte in rest if byte < 0x20 or byte == 0x7F}
    assert controls <= {0x0A, 0x0D}, sorted(controls)  # line ends only: no BEL, BS, NUL...

    text = raw.decode("utf-8")  # strict: a lone surrogate or a stray byte would fail here
    found = INVISIBLE.findall(text)
    assert not found, [f"U+{ord(ch):04X}" for ch in found[:10]]

    shown = terminal.text()
    assert "␛]" in shown  # hostile OSC sequences (a window title, a clipboard write) as text
    assert "[/b]" in shown  # markup shown literally
