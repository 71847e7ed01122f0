"""A command line that only opens the console is read by its global flags alone, exactly as the
whole parser reads it (building every command's sub-parser cost ~8 ms of each start); any
other line (a command, --help, --version, an abbreviation, an error) is left to the whole
parser, which answers it as it always did."""

from __future__ import annotations

import pytest

from artistree_tui.cli import build_parser, parse_console_args

CONSOLE_LINES = [
    [],
    ["--demo"],
    ["--demo", "--demo-orders", "50"],
    ["--demo-orders=7", "--demo", "--demo-faults", "hostile"],
    ["--project", "orders"],  # a flag's value that names a command is still the value
    ["--project=stats"],
    ["--config", "x.toml", "--profile", "work"],
    ["--base-url", "http://x", "--token-url", "http://y", "--client-id", "a"],
    ["--client-secret", "b", "--token", "t"],
]

OTHER_LINES = [
    ["orders"],
    ["stats", "--demo"],
    ["--demo", "orders"],
    ["config", "show"],
    ["--help"],
    ["-h"],
    ["--he"],  # abbreviations: the whole parser decides what they mean
    ["--dem"],
    ["--demo-o", "5"],
    ["--version"],
    ["--project"],  # a flag without its value
    ["--demo-orders", "x"],
    ["--demo-orders", "0"],
    ["--", "x"],
    ["-p", "x"],
]


@pytest.mark.parametrize("argv", CONSOLE_LINES, ids=" ".join)
def test_a_console_line_reads_as_the_whole_parser_reads_it(argv: list[str]) -> None:
    alone = parse_console_args(argv)
    assert alone is not None
    assert vars(alone) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", OTHER_LINES, ids=" ".join)
def test_any_other_line_is_left_to_the_whole_parser(argv: list[str]) -> None:
    assert parse_console_args(argv) is None
