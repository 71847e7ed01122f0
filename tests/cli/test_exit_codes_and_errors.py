"""The command line: exit codes, one-line errors on stderr, `config` commands, light imports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from artistree_tui import __version__, cli
from artistree_tui.api.errors import ApiAddressError, ApiAuthError, ApiUnavailableError
from artistree_tui.config import Settings
from artistree_tui.config.example import EXAMPLE_TOML
from artistree_tui.demo import DemoServer
from tests.support import REPO
from tests.support.processes import api_env, run_cli


def child_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTISTREE_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), PYTHONPATH=str(REPO), **extra)
    return env


def run_module(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "artistree_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("artistree-tui: error: ")
    assert "Traceback" not in stderr
    return lines[0].removeprefix("artistree-tui: error: ")


def test_config_path_in_a_subprocess_names_the_file_and_says_it_exists(
    tmp_path: Path, isolated: Path
) -> None:
    chosen = tmp_path / "chosen.toml"
    chosen.write_text("")
    result = run_module("config", "path", env=child_env(isolated, ARTISTREE_TUI_CONFIG=str(chosen)))
    assert (result.returncode, result.stdout) == (0, f"{chosen}\n")
    assert result.stderr == "exists (chosen by ARTISTREE_TUI_CONFIG)\n"

    result = run_module("config", "path", env=child_env(isolated))
    assert result.stdout == f"{isolated / '.config' / 'artistree-tui' / 'config.toml'}\n"
    assert result.stderr == "does not exist yet: `artistree-tui config init` creates it\n"


def test_a_config_error_in_a_subprocess_is_one_line_and_exit_2(
    tmp_path: Path, isolated: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("page_size = 0\n")
    result = run_module("--config", str(bad), env=child_env(isolated))
    assert result.returncode == 2
    assert one_error_line(result.stderr) == (
        f"{bad}, line 1: page_size must be a whole number from 1 to 1000, not 0"
    )
    assert result.stdout == ""


LIGHT_IMPORTS = """
import sys
from artistree_tui.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
heavy = sorted(m for m in ("textual", "httpx", "PIL") if m in sys.modules)
print("HEAVY", heavy, file=sys.stderr)
sys.exit(status)
"""


@pytest.mark.parametrize("args", [["--help"], ["config", "path"], ["--version"]])
def test_help_and_config_path_do_not_import_textual(isolated: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LIGHT_IMPORTS, *args],
        capture_output=True,
        text=True,
        env=child_env(isolated),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr


def test_help_warns_that_secrets_on_the_command_line_are_visible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["--help"])
    assert exit.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "visible to other users via ps" in text
    for option in ("--config", "--profile", "--base-url", "--token-url", "--client-id"):
        assert option in text
    for option in ("--client-secret", "--token", "--project", "--demo", "--demo-orders"):
        assert option in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == f"artistree-tui {__version__}\n"


def test_config_init_writes_0600_and_refuses_a_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sub" / "config.toml"
    assert cli.main(["config", "init", "--config", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path} (mode 0600): add your credentials to it\n"
    assert path.read_text() == EXAMPLE_TOML
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    # --config before the command works too.
    assert cli.main(["--config", str(path), "config", "init"]) == 2
    assert "--force" in one_error_line(capsys.readouterr().err)
    path.write_text("changed")
    assert cli.main(["config", "init", "--force", "--config", str(path)]) == 0
    assert path.read_text() == EXAMPLE_TOML


def test_config_init_uses_the_default_path(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["config", "init"]) == 0
    assert (isolated / ".config" / "artistree-tui" / "config.toml").read_text() == EXAMPLE_TOML


def test_config_example_prints_the_starter(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "example"]) == 0
    assert capsys.readouterr().out == EXAMPLE_TOML


def test_no_credentials_is_exit_2_with_the_three_ways(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_launch", lambda settings: pytest.fail("must not launch"))
    assert cli.main([]) == 2
    message = one_error_line(capsys.readouterr().err)
    assert message.startswith("no credentials: ") and "--demo" in message


def test_flags_and_environment_reach_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        'client_id = "file-id"\nclient_secret = "file-secret"\ntheme = "nord"\n'
        '[profiles.work]\nclient_id = "profile-id"\n'
    )
    config.chmod(0o600)
    seen: list[Settings] = []
    monkeypatch.setattr(cli, "_launch", lambda settings: seen.append(settings) or 7)
    monkeypatch.setenv("ARTISTREE_CLIENT_SECRET", "env-secret")
    monkeypatch.setenv("ARTISTREE_BASE_URL", "https://env.example.com")
    argv = ["--config", str(config), "--profile", "work", "--base-url", "https://flag.example.com"]
    assert cli.main([*argv, "--project", "Alpha"]) == 7
    settings = seen[0]
    assert settings.base_url == "https://flag.example.com"
    assert (settings.client_id, settings.client_secret) == ("profile-id", "env-secret")
    assert (settings.theme, settings.default_project, settings.profile) == ("nord", "Alpha", "work")
    assert not settings.demo


def test_a_bad_flag_value_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--token", "t", "--base-url", "ftp://x"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith("--base-url: base_url must be")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["--demo-orders", "0"])
    assert exit.value.code == 2
    assert "--demo-orders: must be at least 1" in capsys.readouterr().err
    assert cli.main(["config"]) == 2  # its actions listed (test_a_command_group_without_...)
    assert "init" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_without_its_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(settings: Settings) -> int:
        raise RuntimeError("Bearer sensitive-token-value")

    monkeypatch.setattr(cli, "_launch", boom)
    assert cli.main(["--token", "t"]) == 1
    message = one_error_line(capsys.readouterr().err)
    assert message == "unexpected RuntimeError; set ARTISTREE_TUI_DEBUG=1 to see the traceback"
    monkeypatch.setenv("ARTISTREE_TUI_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["--token", "t"])


def test_interrupt_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(settings: Settings) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_launch", interrupted)
    assert cli.main(["--token", "t"]) == 130
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ApiUnavailableError("cannot reach the API at example.test: check your network"), 1),
        (ApiAuthError("authentication failed: check client_id/client_secret"), 2),
        (ApiAddressError("the API at example.test has no /v1/orders: check base_url"), 2),
    ],
    ids=["unreachable", "credentials refused", "not the API"],
)
def test_an_api_error_is_one_line_and_bad_settings_are_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    status: int,
) -> None:
    """A failure of the API is 1; credentials it refuses or a base_url that is not the API are
    bad configuration, 2, as the README says."""

    def failing(settings: Settings) -> int:
        raise error

    monkeypatch.setattr(cli, "_launch", failing)
    assert cli.main(["--token", "t"]) == status
    assert one_error_line(capsys.readouterr().err) == str(error)


def run_writing_to(
    isolated: Path, args: list[str], **popen: Any
) -> subprocess.CompletedProcess[str]:
    """``artistree-tui ARGS`` with its standard output as ``popen`` says; stderr captured."""
    return subprocess.run(
        [sys.executable, "-m", "artistree_tui", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(isolated),
        timeout=60,
        check=False,
        **popen,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [["orders", "--demo", "--format", "csv"], ["stats", "--demo"], ["config", "example"]],
    ids=" ".join,
)
def test_a_full_disk_under_the_output_is_one_line_exit_1(isolated: Path, args: list[str]) -> None:
    """``> /dev/full``: what failed and what to do, not "unexpected OSError"."""
    with open("/dev/full", "w") as full:
        done = run_writing_to(isolated, args, stdout=full)
    assert done.returncode == 1
    assert one_error_line(done.stderr) == (
        "cannot write the output (No space left on device): "
        "free some space, or write it somewhere else"
    )


def test_a_closed_standard_output_is_one_line_exit_2(isolated: Path) -> None:
    """``>&-``: Python has no ``sys.stdout`` at all; the command says so before any request."""
    done = run_writing_to(isolated, ["orders", "--demo"], preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert one_error_line(done.stderr).startswith("standard output is closed: ")


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ({"ARTISTREE_TOKEN": "not-a-token-the-api-gave"}, "token"),
        ({"ARTISTREE_CLIENT_SECRET": "not-the-secret"}, "client_secret"),
        ({"ARTISTREE_BASE_URL": "{base}/not-the-api"}, "check base_url"),
        ({"ARTISTREE_TOKEN_URL": "{base}/not-the-token-server"}, "token_url"),
    ],
    ids=["static token", "client secret", "base_url path", "token_url path"],
)
def test_every_bad_credential_or_url_is_exit_2(
    make_demo: Callable[..., DemoServer], isolated: Path, setting: dict[str, str], says: str
) -> None:
    """The API's answers to wrong settings (a 401 for a token or a secret, a 404 where the
    orders or the token server should be) are bad configuration, as the README says: 2."""
    demo = make_demo(orders=20)
    extra = {key: value.format(base=demo.base_url) for key, value in setting.items()}
    done = run_cli("orders", "--limit", "1", env=api_env(isolated, demo.base_url, **extra))
    assert done.returncode == 2, done.stderr
    assert says in one_error_line(done.stderr)
