"""``config init`` creates the config folder (and any missing parent) 0700 whatever the
umask, refuses a folder others can write to, and ``certificate_file_mode`` accepts only modes
nobody else can write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from artistree_tui import cli
from artistree_tui.config import ConfigError, load_settings

pytestmark = pytest.mark.usefixtures("isolated")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_config_init_under_umask_000_makes_private_folders(isolated: Path) -> None:
    old = os.umask(0)
    try:
        assert cli.main(["config", "init"]) == 0
    finally:
        os.umask(old)
    config = isolated / ".config" / "artistree-tui" / "config.toml"
    assert mode(config) == 0o600
    assert mode(config.parent) == 0o700
    assert mode(config.parent.parent) == 0o700  # ~/.config did not exist either


def test_config_init_refuses_a_folder_others_can_write_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert cli.main(["config", "init", "--config", str(shared / "config.toml")]) == 2
    err = capsys.readouterr().err
    assert f"chmod 700 {shared}" in err
    assert not (shared / "config.toml").exists()


@pytest.mark.parametrize("value", ["0o600", "0o640", "0o604", "0o644"])
def test_certificate_file_mode_accepts_modes_only_you_can_write(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"certificate_file_mode = {value}\n")
    path.chmod(0o600)
    settings = load_settings(config_path=path, env={}, require_credentials=False)
    assert settings.certificate_file_mode == int(value, 8)


@pytest.mark.parametrize("value", ["0o666", "0o620", "0o400", "0o755", "384.0", '"0600"', "true"])
def test_certificate_file_mode_refuses_anything_else(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"certificate_file_mode = {value}\n")
    path.chmod(0o600)
    with pytest.raises(ConfigError, match="certificate_file_mode must be 0o600"):
        load_settings(config_path=path, env={})
