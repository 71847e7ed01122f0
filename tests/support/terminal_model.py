"""A model of the terminal the console writes to (no tests here): enough of one to tell whether
two escape streams leave it in the same state.

It knows what the console's output uses: cursor positions (``ESC[row;colH``), SGR styles with
every parameter Textual writes (attributes, 16, 256 and 24-bit colours, their resets), text
(each character one cell, two for a wide one, none for a combining mark, in the style in
effect), carriage return and
line feed. Any other sequence is recorded, with the style in effect when it came (an erase
paints with the background), and leaves the cells alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import cell_len

TOKEN = re.compile(
    r"\x1b\[([0-?]*)m"
    r"|\x1b\[(\d+);(\d+)H"
    r"|(\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?)"
    r"|([^\x1b])",
    re.S,
)

#: What each "off" code turns off.
OFF = {"22": {"1", "2"}, "23": {"3"}, "24": {"4", "21"}, "25": {"5", "6"}, "27": {"7"}}
OFF |= {"28": {"8"}, "29": {"9"}, "54": {"51", "52"}, "55": {"53"}}


@dataclass
class Terminal:
    """The cells written, the sequences seen, the cursor and the current style."""

    cells: dict[tuple[int, int], tuple[str, tuple[object, ...]]] = field(default_factory=dict)
    sequences: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    row: int = 0
    column: int = 0
    attributes: frozenset[str] = frozenset()
    foreground: str | None = None
    background: str | None = None

    @property
    def style(self) -> tuple[object, ...]:
        return (self.attributes, self.foreground, self.background)

    def feed(self, stream: str) -> Terminal:
        for match in TOKEN.finditer(stream):
            params, row, column, other, char = match.groups()
            if params is not None:
                self._sgr(params)
            elif row is not None:
                self.row, self.column = int(row), int(column)
            elif other is not None:
                self.sequences.append((other, self.style))
            elif char == "\n":
                self.row += 1
            elif char == "\r":
                self.column = 0
            elif cell_len(char) == 0:  # a combining mark: on the cell before
                spot = (self.row, self.column - 1)
                before, style = self.cells.get(spot, ("", self.style))
                self.cells[spot] = (before + char, style)
            else:
                self.cells[(self.row, self.column)] = (char, self.style)
                self.column += cell_len(char)
        return self

    def _sgr(self, params: str) -> None:
        parts = (params or "0").split(";")
        index = 0
        attributes = set(self.attributes)
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48"):
                size = 5 if parts[index + 1] == "2" else 3
                value = ";".join(parts[index : index + size])
                if part == "38":
                    self.foreground = value
                else:
                    self.background = value
                index += size
                continue
            number = int(part) if part.isdigit() else -1
            if part == "0":
                attributes, self.foreground, self.background = set(), None, None
            elif part in OFF:
                attributes -= OFF[part]
            elif 30 <= number <= 37 or 90 <= number <= 97:
                self.foreground = part
            elif 40 <= number <= 47 or 100 <= number <= 107:
                self.background = part
            elif part == "39":
                self.foreground = None
            elif part == "49":
                self.background = None
            else:
                attributes.add(part)
            index += 1
        self.attributes = frozenset(attributes)
