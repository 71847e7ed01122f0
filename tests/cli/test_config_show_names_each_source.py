"""``config show``: every setting in effect, where it came from (flag, env, profile, file,
default), secrets masked, and ``client_secret_command`` shown but never run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artistree_tui import cli

FILE_SECRET = "file-secret-7d1e"
ENV_TOKEN = "env-token-93ab"
FLAG_SECRET = "flag-secret-55c2"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        'client_id = "file-id"\n'
        f'client_secret = "{FILE_SECRET}"\n'
        "page_size = 50\n"
        'theme = "nord"\n'
        "[profiles.work]\n"
        "page_size = 60\n"
        'client_secret_command = ["false", "never-run"]\n'
    )
    path.chmod(0o600)
    return path


def show(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    assert cli.main(["config", "show", "--format", "json", *argv]) == 0
    out = capsys.readouterr().out
    for secret in (FILE_SECRET, ENV_TOKEN, FLAG_SECRET):
        assert secret not in out
    document = json.loads(out)
    settings: dict[str, dict[str, object]] = document["settings"]
    return settings


def test_each_setting_names_its_source(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTISTREE_TOKEN", ENV_TOKEN)
    settings = show(
        ["--config", str(config), "--profile", "work", "--base-url", "https://flag.example"],
        capsys,
    )
    assert settings["base_url"] == {
        "value": "https://flag.example",
        "source": "flag",
        "where": "--base-url",
    }
    assert settings["token"] == {
        "value": "<hidden>",
        "source": "env",
        "where": "environment variable ARTISTREE_TOKEN",
    }
    assert settings["page_size"] == {"value": 60, "source": "profile", "where": f"{config}, line 6"}
    assert settings["theme"] == {"value": "nord", "source": "file", "where": f"{config}, line 4"}
    assert settings["client_secret"]["value"] == "<hidden>"
    assert settings["client_secret"]["source"] == "file"
    # The command is shown (it is no secret) and was not run (`false` would have failed).
    assert settings["client_secret_command"]["value"] == "false never-run"
    assert settings["refresh_seconds"] == {"value": 30.0, "source": "default", "where": ""}


def test_the_table_masks_secrets_given_as_flags(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["config", "show", "--config", str(config), "--client-secret", FLAG_SECRET]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert FLAG_SECRET not in out and FILE_SECRET not in out
    line = next(line for line in out.splitlines() if line.startswith("client_secret "))
    assert "<hidden>" in line and line.rstrip().endswith("flag: --client-secret")
    assert f"config file: {config}" in out


def test_demo_replaces_the_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    settings = show(["--demo"], capsys)
    assert settings["client_id"]["source"] == "demo"
    assert settings["base_url"]["source"] == "demo"
    assert settings["theme"]["source"] == "default"
    assert settings["store"] == {"value": "memory", "source": "demo", "where": "--demo"}


def test_file_modes_read_as_the_config_writes_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--demo", "config", "show"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("certificate_"))
    assert line.split()[:2] == ["certificate_file_mode", "0o600"]


def test_config_help_lists_show(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["config", "--help"])
    out = capsys.readouterr().out
    for action in ("path", "init", "example", "show"):
        assert f"    {action} " in out


def test_a_reader_that_stops_early_ends_it_quietly(isolated: Path) -> None:
    import subprocess

    from tests.support.processes import TIMEOUT, child_env, entry_point

    with subprocess.Popen(
        [*entry_point(), "config", "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(isolated),
    ) as cli:
        assert cli.stdout is not None and cli.stderr is not None
        cli.stdout.close()  # the reader is gone before anything is written
        status = cli.wait(timeout=TIMEOUT)
        err = cli.stderr.read()
    assert (status, err) == (0, b"")
