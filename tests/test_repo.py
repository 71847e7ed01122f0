"""The repository as a newcomer finds it: the layout, the README's Quick start and CI agree."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

from artistree_tui.cli import build_parser
from artistree_tui.config.keys import KEYS
from artistree_tui.config.settings import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
DEMO_COMMAND = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/artistree-tui --demo"
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' "
    "&& .venv/bin/python -m pytest -n auto"
)


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_top_level_layout() -> None:
    for name in ("pyproject.toml", "README.md", "config.example.toml", ".ci/run"):
        assert (REPO / name).is_file(), name
    for name in ("artistree_tui", "tests", "screenshots", "bench"):
        assert (REPO / name).is_dir(), name
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"artistree-tui": "artistree_tui.cli:main"}


def test_quick_start_is_exactly_two_commands() -> None:
    blocks = re.findall(r"^```sh\n(.*?)^```", section("Quick start"), re.M | re.S)
    assert [block.strip() for block in blocks] == [DEMO_COMMAND, TEST_COMMAND]
    assert all(block.count("\n") == 1 for block in blocks), "one line each, to paste"


def test_ci_runs_the_readme_test_command() -> None:
    run = REPO / ".ci" / "run"
    assert os.access(run, os.X_OK)
    printed = subprocess.run(
        ["bash", str(run), "--print-test-command"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert printed.strip() == TEST_COMMAND


def test_ci_newest_runs_the_same_command_on_the_newest_python() -> None:
    printed = subprocess.run(
        ["bash", str(REPO / ".ci" / "run"), "--print-newer-test-command"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    base = subprocess.run(
        ["python3", "-c", "import sys; print(sys.version_info[1])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    newer = sorted(
        int(path.name.removeprefix("python3."))
        for folder in os.environ["PATH"].split(os.pathsep)
        for path in Path(folder).glob("python3.*")
        if path.name.removeprefix("python3.").isdigit()
        and subprocess.run([path, "-c", ""], capture_output=True, timeout=30).returncode == 0
    )
    match = re.fullmatch(r"(\S+) -m venv \.venv-3\.(\d+) && .*", printed)
    if not match:
        # Nothing printed: then no python3.N newer than python3 runs from PATH.
        assert printed == "" and not [minor for minor in newer if minor > int(base)], printed
        return
    python, minor = match.group(1), match.group(2)
    assert int(minor) > int(base)
    assert printed == f"{python} " + TEST_COMMAND.replace(".venv", f".venv-3.{minor}").removeprefix(
        "python3 "
    )
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[1])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    assert version == minor
    assert ".venv-*/" in (REPO / ".gitignore").read_text().splitlines()


def test_ci_is_strict_and_runs_lint_and_types() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    for step in (
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy",
    ):
        assert re.search(rf"^{re.escape(step)}$", script, re.M), step


def test_readme_documents_the_real_api_and_every_override() -> None:
    configuration = section("Configuration")
    assert DEFAULT_TOKEN_URL in configuration and DEFAULT_BASE_URL in configuration
    for spec in KEYS.values():
        for name in (spec.env, spec.flag):
            if name:
                assert f"`{name}`" in configuration, name
    assert "chmod 600" in configuration and "--profile NAME" in configuration
    assert "flag > environment variable > `[profiles.NAME]` section > config file > default" in (
        configuration
    )


def test_readme_documents_every_demo_server_option() -> None:
    parser = build_parser()
    actions = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    demo_server = actions["demo-server"]  # type: ignore[index]
    demo = section("The demo API")
    for action in demo_server._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert f"`{option}" in demo, option


def test_readme_keeps_the_sections_later_work_fills() -> None:
    for title in ("Keyboard", "How it is built", "Performance", "Screenshots"):
        section(title)
