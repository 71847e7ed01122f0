"""Settings loading: defaults, precedence (flag > env > profile > file > default), profiles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from artistree_tui.config import ConfigError, Settings, default_config_path, load_settings
from artistree_tui.config.settings import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL
from tests.support.config_file import write


def test_defaults_when_there_is_no_file(isolated: Path) -> None:
    settings = load_settings(env={}, require_credentials=False)
    assert settings.config_path is None
    assert settings.profile is None
    assert settings.base_url == DEFAULT_BASE_URL == "https://api.human.prod.artistree.io"
    assert settings.token_url == DEFAULT_TOKEN_URL
    assert DEFAULT_TOKEN_URL == (
        "https://human-artistree-prod.auth.us-east-1.amazoncognito.com/oauth2/token"
    )
    assert (settings.page_size, settings.refresh_seconds, settings.theme) == (
        200,
        30.0,
        "textual-dark",
    )
    assert (settings.preview, settings.bell, settings.image_cache_mb) == ("auto", False, 200)
    assert (settings.store, settings.sync_rate, settings.resync_minutes) == ("disk", 4.0, 15.0)
    assert settings.keymap == {} and settings.projects == {}
    assert settings.client_id is settings.client_secret is settings.token is None
    assert settings.cache_dir == isolated / ".cache" / "artistree-tui"
    assert settings.downloads_dir == isolated / "Downloads"


def test_default_config_path_follows_the_platform_dirs(isolated: Path) -> None:
    assert default_config_path() == isolated / ".config" / "artistree-tui" / "config.toml"


def test_the_default_file_is_read(isolated: Path) -> None:
    path = isolated / ".config" / "artistree-tui" / "config.toml"
    path.parent.mkdir(parents=True)
    write(path, "page_size = 42\n")
    settings = load_settings(env={}, require_credentials=False)
    assert settings.page_size == 42
    assert settings.config_path == path


def test_env_variable_chooses_the_file_and_the_flag_beats_it(tmp_path: Path) -> None:
    from_env = write(tmp_path / "env.toml", "page_size = 1\n")
    from_flag = write(tmp_path / "flag.toml", "page_size = 2\n")
    env = {"ARTISTREE_TUI_CONFIG": str(from_env)}
    assert load_settings(env=env, require_credentials=False).page_size == 1
    settings = load_settings(config_path=from_flag, env=env, require_credentials=False)
    assert settings.page_size == 2
    assert settings.config_path == from_flag


# key -> (env variable, values for default/file/profile/env/flag)
OVERRIDABLE = {
    "base_url": ("ARTISTREE_BASE_URL", "https://{}.example.com"),
    "token_url": ("ARTISTREE_TOKEN_URL", "https://auth.{}.example.com/oauth2/token"),
    "client_id": ("ARTISTREE_CLIENT_ID", "id-{}"),
    "client_secret": ("ARTISTREE_CLIENT_SECRET", "secret-{}"),
    "token": ("ARTISTREE_TOKEN", "token-{}"),
    "default_project": (None, "Project {}"),
}


@pytest.mark.parametrize("key", sorted(OVERRIDABLE))
def test_precedence_flag_env_profile_file_default(tmp_path: Path, key: str) -> None:
    variable, pattern = OVERRIDABLE[key]
    path = write(
        tmp_path / "config.toml",
        f"""\
        {key} = "{pattern.format("file")}"
        [profiles.work]
        {key} = "{pattern.format("profile")}"
        """,
    )
    env = {variable: pattern.format("env")} if variable else {}
    flags = {key: pattern.format("flag")}

    def value(**kwargs: object) -> object:
        settings = load_settings(require_credentials=False, **kwargs)  # type: ignore[arg-type]
        return getattr(settings, key)

    assert value(config_path=path, profile="work", env=env, flags=flags) == pattern.format("flag")
    expected_env = pattern.format("env") if variable else pattern.format("profile")
    assert value(config_path=path, profile="work", env=env) == expected_env
    assert value(config_path=path, profile="work", env={}) == pattern.format("profile")
    assert value(config_path=path, env={}) == pattern.format("file")
    default = getattr(Settings(), key)
    assert value(config_path=write(tmp_path / "empty.toml", ""), env={}) == default
    # A flag left at None ("not given") and an empty variable count as unset.
    unset_env = {variable: ""} if variable else {}
    assert value(config_path=path, env=unset_env, flags={key: None}) == pattern.format("file")


@pytest.mark.parametrize(
    ("key", "file_value", "profile_value", "expected_file", "expected_profile"),
    [
        ("page_size", "50", "1000", 50, 1000),
        ("refresh_seconds", "0", "2.5", 0.0, 2.5),
        ("theme", '"nord"', '"gruvbox"', "nord", "gruvbox"),
        ("preview", '"off"', '"halfblock"', "off", "halfblock"),
        ("bell", "true", "false", True, False),
        ("lang", '"fr-FR"', '"en"', "fr-FR", "en"),
        ("image_cache_mb", "0", "17", 0, 17),
        ("store", '"memory"', '"disk"', "memory", "disk"),
        ("sync_rate", "0.5", "20", 0.5, 20.0),
        ("resync_minutes", "0", "60", 0.0, 60.0),
        (
            "client_secret_command",
            '["pass", "show", "x y"]',
            '"echo hi"',
            "pass show 'x y'",
            "echo hi",
        ),
    ],
)
def test_profile_beats_file_for_every_other_key(
    tmp_path: Path,
    key: str,
    file_value: str,
    profile_value: str,
    expected_file: object,
    expected_profile: object,
) -> None:
    path = write(
        tmp_path / "c.toml", f"{key} = {file_value}\n[profiles.p]\n{key} = {profile_value}\n"
    )
    assert getattr(load_settings(config_path=path, env={}, require_credentials=False), key) == (
        expected_file
    )
    with_profile = load_settings(config_path=path, profile="p", env={}, require_credentials=False)
    assert getattr(with_profile, key) == expected_profile
    assert with_profile.profile == "p"


def test_tables_merge_entry_by_entry_across_file_and_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        """\
        [keymap]
        "app.quit" = "ctrl+q"
        "console.refresh" = "r"
        [projects]
        "Alpha" = "id-a"
        [profiles.p.keymap]
        "console.refresh" = "f5,r"
        [profiles.p.projects]
        "Beta" = "id-b"
        """,
    )
    settings = load_settings(config_path=path, profile="p", env={}, require_credentials=False)
    assert settings.keymap == {"app.quit": "ctrl+q", "console.refresh": "f5,r"}
    assert settings.projects == {"Alpha": "id-a", "Beta": "id-b"}


def test_paths_expand_home_and_resolve_relative_to_the_file(tmp_path: Path, isolated: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    path = write(folder / "c.toml", 'downloads_dir = "pdfs"\ncache_dir = "~/cache"\n')
    settings = load_settings(config_path=path, env={}, require_credentials=False)
    assert settings.downloads_dir == folder / "pdfs"
    assert settings.cache_dir == isolated / "cache"


def test_urls_lose_their_trailing_slash_and_loopback_http_is_allowed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        'base_url = "http://127.0.0.1:8765/"\ntoken_url = "http://localhost:1/oauth2/token"\n',
    )
    settings = load_settings(config_path=path, env={}, require_credentials=False)
    assert settings.base_url == "http://127.0.0.1:8765"
    assert settings.token_url == "http://localhost:1/oauth2/token"


def test_page_size_bounds_are_inclusive(tmp_path: Path) -> None:
    for size in (1, 1000):
        path = write(tmp_path / f"p{size}.toml", f"page_size = {size}\n")
        assert load_settings(config_path=path, env={}, require_credentials=False).page_size == size


def test_client_credentials_and_token_are_both_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'client_id = "id"\nclient_secret = "pw"\n')
    settings = load_settings(config_path=path, env={})
    assert settings.auth_mode == "client_credentials"
    settings = load_settings(
        config_path=write(tmp_path / "t.toml", ""), env={"ARTISTREE_TOKEN": "t"}
    )
    assert settings.auth_mode == "token"


def test_a_secret_set_in_a_higher_layer_beats_a_command_in_a_lower_one(tmp_path: Path) -> None:
    # The command would fail if it ran: the environment's secret must win without running it.
    path = write(tmp_path / "c.toml", 'client_id = "id"\nclient_secret_command = ["false"]\n')
    settings = load_settings(config_path=path, env={"ARTISTREE_CLIENT_SECRET": "from-env"})
    assert settings.client_secret == "from-env"
    assert settings.client_secret_command is None


def test_settings_hide_secrets_and_are_frozen() -> None:
    settings = Settings(client_id="visible-id", client_secret="hunter2", token="tok-123")
    text = repr(settings)
    assert "hunter2" not in text and "tok-123" not in text and "visible-id" in text
    assert "client_secret='<hidden>'" in text and str(settings) == text
    assert "client_secret=None" in repr(Settings())
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.page_size = 1  # type: ignore[misc]
    assert not hasattr(settings, "__dict__")  # slotted


def test_demo_mode_ignores_credentials_but_still_reads_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        """\
        base_url = "ftp://nowhere"
        client_secret = 12
        client_secret_command = "no-such-program-artistree"
        [keymap]
        "app.quit" = "x"
        """,
        mode=0o644,
    )
    env = {"ARTISTREE_BASE_URL": "gopher://x", "ARTISTREE_TOKEN": "t"}
    settings = load_settings(config_path=path, env=env, flags={"client_id": "f"}, demo=True)
    assert settings.demo
    assert settings.keymap == {"app.quit": "x"}
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.client_id is settings.token is settings.client_secret is None
    # Non-credential keys are still checked.
    write(path, 'page_size = 0\ntoken = "x"\n', mode=0o644)
    with pytest.raises(ConfigError, match="page_size"):
        load_settings(config_path=path, env={}, demo=True)
