"""A config file another local user can change is refused before anything in it runs.

``client_secret_command`` runs as you: like ssh, the console refuses (after following
symlinks) a config file that group or others can write, that another user owns, or that sits
in a folder others can write to, and says in one line which ``chmod``/``chown`` fixes it.
Each test loads such a file (as the CLI does before the console starts; a ConfigError exits
with status 2) whose command would leave a marker file behind: the message names the fix, and
the command never ran.

Another user is simulated with ``os.chown`` to an unused uid (the tests run as root).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from artistree_tui.config import ConfigError, load_settings

pytestmark = pytest.mark.usefixtures("isolated")

OTHER_UID = 54_321


def hostile_config(folder: Path, mode: int) -> tuple[Path, Path]:
    """A config whose secret command would create ``marker``; returns (config, marker)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "the-command-ran"
    command = [sys.executable, "-c", f"open({str(marker)!r}, 'w').write('x'); print('s')"]
    path = folder / "config.toml"
    path.write_text(
        'client_id = "id"\n'
        f"client_secret_command = {json.dumps(command)}\n"
        'base_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    path.chmod(mode)
    return path, marker


def run(config: Path, *, demo: bool = False) -> tuple[int, str]:
    """Load ``config`` like the CLI: (2, the one line) when refused."""
    try:
        load_settings(config_path=config, env={}, demo=demo)
    except ConfigError as exc:
        return 2, str(exc)
    return 0, ""


@pytest.mark.parametrize("mode", [0o622, 0o602, 0o620, 0o666], ids=lambda m: f"0o{m:o}")
def test_a_file_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    config, marker = hostile_config(tmp_path / "conf", mode)
    status, err = run(config)
    assert status == 2
    assert not marker.exists(), "the command of a file others can write was run"
    assert len(err.splitlines()) == 1
    assert "writable by other users" in err and f"chmod go-w {config}" in err


def test_a_file_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    config, marker = hostile_config(tmp_path / "conf", 0o600)
    os.chown(config, OTHER_UID, OTHER_UID)
    status, err = run(config)
    assert status == 2
    assert not marker.exists()
    assert f"uid {OTHER_UID}" in err and "chown" in err and str(config) in err


def test_a_symlink_to_such_a_file_is_refused_by_what_it_points_at(tmp_path: Path) -> None:
    target, marker = hostile_config(tmp_path / "elsewhere", 0o666)
    os.chown(target, OTHER_UID, OTHER_UID)
    link_folder = tmp_path / "mine"
    link_folder.mkdir(mode=0o700)
    link = link_folder / "config.toml"
    link.symlink_to(target)
    status, err = run(link)
    assert status == 2
    assert not marker.exists()
    assert str(target) in err  # the file that was really read


def test_a_file_in_a_folder_others_can_write_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    config, marker = hostile_config(folder, 0o600)
    folder.chmod(0o777)  # anyone could replace config.toml
    status, err = run(config)
    assert status == 2
    assert not marker.exists()
    assert f"chmod go-w {folder}" in err


def test_a_sticky_shared_folder_and_a_private_file_are_fine(tmp_path: Path) -> None:
    folder = tmp_path / "sticky"
    config, marker = hostile_config(folder, 0o600)
    folder.chmod(0o1777)  # like /tmp: others cannot replace our file
    settings = load_settings(config_path=config, env={})
    assert marker.exists()  # the check passed and the command ran, as it should
    assert settings.client_secret == "s"


def test_the_demo_refuses_such_a_file_too(tmp_path: Path) -> None:
    config, _marker = hostile_config(tmp_path / "conf", 0o646)
    status, err = run(config, demo=True)
    assert status == 2 and "chmod go-w" in err
