"""The config file on disk: the permission refusal, `config init`, and config.example.toml."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from pathlib import Path

import pytest

from artistree_tui.config import ConfigError, Settings, load_settings
from artistree_tui.config.example import EXAMPLE_TOML, write_starter
from artistree_tui.config.keys import KEYS, PROFILES, validate_table
from tests.support import REPO
from tests.support.config_file import write

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
#: Settings fields that describe the run rather than come from the file.
RUN_FIELDS = {"config_path", "profile", "demo"}


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
@pytest.mark.parametrize(
    "text",
    [
        'client_id = "id"\nclient_secret = "pw"\n',
        'token = "t"\n',
        '[profiles.other]\nclient_secret = "pw"\n',  # a secret anywhere in the file counts
    ],
)
def test_a_secret_readable_by_others_is_refused_ssh_style(
    tmp_path: Path, mode: int, text: str
) -> None:
    path = write(tmp_path / "config.toml", text, mode)
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path, env={}, require_credentials=False)
    assert str(caught.value) == (
        f"{path} is readable by others and holds a secret: run chmod 600 {path}"
    )


@posix_only
def test_private_file_with_a_secret_and_public_file_without_one_are_accepted(
    tmp_path: Path,
) -> None:
    secret = write(tmp_path / "a.toml", 'client_id = "id"\nclient_secret = "pw"\n', 0o600)
    assert load_settings(config_path=secret, env={}).client_secret == "pw"
    public = write(tmp_path / "b.toml", 'client_id = "id"\npage_size = 7\n', 0o644)
    settings = load_settings(config_path=public, env={"ARTISTREE_CLIENT_SECRET": "from-env"})
    assert (settings.page_size, settings.client_secret) == (7, "from-env")
    # Group-writable but not readable is not this check's business (and a secret command is
    # not a secret).
    command = write(tmp_path / "c.toml", 'client_secret_command = "x"\n', 0o644)
    load_settings(config_path=command, env={}, require_credentials=False)


@posix_only
def test_the_chmod_hint_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "my configs"
    folder.mkdir()
    path = write(folder / "c.toml", 'token = "t"\n', 0o644)
    with pytest.raises(ConfigError, match=re.escape(f"run chmod 600 '{path}'")):
        load_settings(config_path=path, env={})


@posix_only
def test_init_writes_a_private_file_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    old_umask = os.umask(0o022)
    try:
        write_starter(path)
    finally:
        os.umask(old_umask)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.read_text(encoding="utf-8") == EXAMPLE_TOML
    settings = load_settings(config_path=path, env={}, require_credentials=False)
    assert dataclasses.replace(settings, config_path=None) == Settings()
    # Uncommenting a secret in it later keeps it loadable: it is private from the start.
    path.write_text(
        EXAMPLE_TOML.replace('#client_id = "your', 'client_id = "your', 1).replace(
            '#client_secret = "your', 'client_secret = "your', 1
        )
    )
    assert load_settings(config_path=path, env={}).client_secret == "your-client-secret"


@posix_only
def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "page_size = 3\n", 0o644)
    with pytest.raises(ConfigError) as caught:
        write_starter(path)
    assert str(caught.value) == (
        f"{path} already exists: edit it, or overwrite it with `artistree-tui config init --force`"
    )
    assert path.read_text() == "page_size = 3\n"
    write_starter(path, force=True)
    assert path.read_text(encoding="utf-8") == EXAMPLE_TOML
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left


@posix_only
def test_init_does_not_follow_a_planted_symlink(tmp_path: Path) -> None:
    victim = write(tmp_path / "victim", "keep\n", 0o644)
    link = tmp_path / "config.toml"
    link.symlink_to(victim)
    with pytest.raises(ConfigError, match="already exists"):
        write_starter(link)
    assert victim.read_text() == "keep\n"


def test_config_example_toml_is_the_starter_text() -> None:
    assert (REPO / "config.example.toml").read_text(encoding="utf-8") == EXAMPLE_TOML


def test_config_example_toml_loads_as_it_is() -> None:
    settings = load_settings(
        config_path=REPO / "config.example.toml", env={}, require_credentials=False
    )
    assert dataclasses.replace(settings, config_path=None) == Settings()


def uncommented(text: str) -> str:
    """Every ``#key = value`` / ``#[table]`` line made live; prose comments stay comments."""
    return re.sub(r"^#(?=[A-Za-z_\"\[])", "", text, flags=re.MULTILINE)


def test_every_setting_in_the_example_is_valid_and_every_key_is_documented() -> None:
    data = tomllib.loads(uncommented(EXAMPLE_TOML))
    values = validate_table(data)  # raises InvalidValue on any bad example value
    file_keys = {f.name for f in dataclasses.fields(Settings)} - RUN_FIELDS
    assert set(KEYS) == file_keys
    assert set(data) == file_keys | {PROFILES}
    assert values[PROFILES], "the example shows a profile"
    for key in ("keymap", "projects"):
        assert values[key], f"the example shows a [{key}] entry"


def test_every_example_setting_has_a_comment_above_it() -> None:
    lines = EXAMPLE_TOML.splitlines()
    for number, line in enumerate(lines):
        if not re.match(r"#[A-Za-z_\[]", line):
            continue
        above = number - 1
        while above >= 0 and re.match(r"#[A-Za-z_\"\[]", lines[above]):
            above -= 1  # a block of settings shares the comment above it
        assert above >= 0 and lines[above].startswith("# "), f"undocumented: {line!r}"


def test_the_example_shows_each_default() -> None:
    data = tomllib.loads(uncommented(EXAMPLE_TOML))
    defaults = Settings()
    for key in (
        "base_url",
        "token_url",
        "page_size",
        "refresh_seconds",
        "theme",
        "preview",
        "prefetch",
        "bell",
        "image_cache_mb",
        "store",
        "sync_rate",
        "resync_minutes",
        "certificate_file_mode",
        "memory_cache_mb",
    ):
        assert data[key] == getattr(defaults, key), key
