"""Every configuration error is one line naming the file, the key, the line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from artistree_tui.config import ConfigError, load_settings
from tests.support.config_file import write


def error_for(path: Path, **kwargs: object) -> ConfigError:
    kwargs.setdefault("env", {})
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    return caught.value


def test_bad_toml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'page_size = 10\ntheme = "x\n')
    err = error_for(path)
    assert str(err).startswith(f"{path}, line 2, column ")
    assert "not valid TOML" in str(err) and "fix the syntax" in str(err)
    assert err.line == 2


def test_duplicate_key_is_a_toml_error_with_its_line(tmp_path: Path) -> None:
    err = error_for(write(tmp_path / "c.toml", "page_size = 1\n\npage_size = 2\n"))
    assert err.line == 3 and "not valid TOML" in str(err)


@pytest.mark.parametrize(
    ("text", "line", "key", "suggestion"),
    [
        ('page_size = 5\nclent_id = "x"\n', 2, "clent_id", "did you mean 'client_id'?"),
        ("\n\nrefresh_second = 3\n", 3, "refresh_second", "did you mean 'refresh_seconds'?"),
        ("[profiles.work]\npage_sise = 3\n", 2, "profiles.work.page_sise", "'page_size'"),
        ("[profile.work]\n", 1, "profile", "did you mean 'profiles'?"),
    ],
)
def test_unknown_key_suggests_the_closest(
    tmp_path: Path, text: str, line: int, key: str, suggestion: str
) -> None:
    path = write(tmp_path / "c.toml", text)
    err = error_for(path)
    assert str(err).startswith(f"{path}, line {line}: unknown key ")
    assert suggestion in str(err)
    assert (err.key, err.line, err.path) == (key, line, path)


def test_unknown_key_without_a_close_match_says_where_the_keys_are(tmp_path: Path) -> None:
    err = error_for(write(tmp_path / "c.toml", "zzz = 1\n"))
    assert "unknown key 'zzz'" in str(err) and "config example" in str(err)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("client_id = 3\n", 1, "client_id must be a string in quotes, not an integer"),
        (
            '\npage_size = "200"\n',
            2,
            "page_size must be a whole number from 1 to 1000, not a "
            "string (write page_size = 200, no quotes)",
        ),
        ("page_size = 2.5\n", 1, "page_size must be a whole number from 1 to 1000, not 2.5"),
        ('bell = "yes"\n', 1, "bell must be true or false (no quotes), not 'yes'"),
        ('preview = "sixel"\n', 1, 'preview must be one of "auto", "halfblock", "off"'),
        ("refresh_seconds = -1\n", 1, "refresh_seconds must be a number of seconds from 0"),
        ("refresh_seconds = nan\n", 1, "(0 turns auto-refresh off), not nan"),
        ("refresh_seconds = true\n", 1, "refresh_seconds must be a number of seconds"),
        ("keymap = 3\n", 1, "keymap must be a table like [keymap]"),
        (
            '[keymap]\n"app.quit" = "q"\n"console.refresh" = 5\n',
            3,
            "keymap.console.refresh must be a non-empty string",
        ),
        ('[projects]\nAlpha = ""\n', 2, "projects.Alpha must be a non-empty string"),
        ("profiles = 3\n", 1, "profiles must hold tables like [profiles.staging]"),
        ("[profiles]\nwork = 1\n", 2, "profiles.work must be a table"),
        ('lang = "en\\u0000"\n', 1, 'lang must be a language code like "en"'),
        ('theme = "  "\n', 1, "theme must not be empty"),
        (
            "client_secret_command = []\n",
            1,
            "client_secret_command must be a string or a non-empty array of strings",
        ),
        ('client_secret_command = "pass \'open"\n', 1, "is not a valid command line"),
        ("image_cache_mb = -1\n", 1, "image_cache_mb must be a whole number from 0 to"),
        ('store = "sqlite"\n', 1, 'store must be one of "disk", "memory", not \'sqlite\''),
        ("store = 1\n", 1, 'store must be one of "disk", "memory", not an integer'),
        (
            "sync_rate = 0\n",
            1,
            "sync_rate must be a number of requests per second from 0.1 to 100, not 0",
        ),
        ('sync_rate = "4"\n', 1, "sync_rate must be a number of requests per second"),
        ("sync_rate = inf\n", 1, "sync_rate must be a number of requests per second"),
        (
            "resync_minutes = -5\n",
            1,
            "resync_minutes must be a number of minutes from 0 to 10080 (0 turns re-syncs off)",
        ),
        ("resync_minutes = true\n", 1, "resync_minutes must be a number of minutes"),
        ("downloads_dir = 1\n", 1, "downloads_dir must be a string"),
        (
            "default_project = 2024-01-01\n",
            1,
            "default_project must be a string in quotes, not a date/time",
        ),
    ],
)
def test_wrong_types_and_values_name_file_line_and_key(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    path = write(tmp_path / "c.toml", text)
    err = error_for(path, require_credentials=False)
    assert str(err).startswith(f"{path}, line {line}: ")
    assert expected in str(err)


@pytest.mark.parametrize("size", [0, 1001, 5000])
def test_page_size_out_of_range(tmp_path: Path, size: int) -> None:
    path = write(tmp_path / "c.toml", f"page_size = {size}\n")
    assert str(error_for(path, require_credentials=False)) == (
        f"{path}, line 1: page_size must be a whole number from 1 to 1000, not {size}"
    )


@pytest.mark.parametrize(
    "url", ["ftp://api.example.com", "http://api.example.com", "api.example.com", "https://"]
)
def test_bad_url_scheme_in_file_env_and_flag(tmp_path: Path, url: str) -> None:
    path = write(tmp_path / "c.toml", f'\nbase_url = "{url}"\n')
    err = error_for(path, require_credentials=False)
    assert str(err).startswith(f"{path}, line 2: base_url must be an https:// URL")
    assert "http:// only for localhost" in str(err)
    empty = write(tmp_path / "e.toml", "")
    err = error_for(empty, env={"ARTISTREE_TOKEN_URL": url}, require_credentials=False)
    assert str(err).startswith("environment variable ARTISTREE_TOKEN_URL: token_url must be")
    err = error_for(empty, flags={"base_url": url}, require_credentials=False)
    assert str(err).startswith("--base-url: base_url must be an https:// URL")


def test_a_password_in_a_url_is_refused_without_being_shown(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'base_url = "https://me:hunter2@api.example.com"\n')
    err = error_for(path, require_credentials=False)
    assert "must not contain a user name or password" in str(err)
    assert "hunter2" not in str(err)


def test_no_credentials_names_the_file_and_the_three_ways(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "page_size = 10\n")
    message = str(error_for(path))
    assert message.startswith("no credentials: ")
    for part in (
        str(path),
        "client_id",
        "client_secret",
        "client_secret_command",
        "token",
        "ARTISTREE_TOKEN",
        "--token",
        "--demo",
    ):
        assert part in message


def test_no_credentials_without_a_file_names_the_default_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env={})
    assert str(tmp_path / "home" / ".config" / "artistree-tui" / "config.toml") in str(caught.value)


def test_half_credentials_say_what_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'client_id = "id"\n')
    assert str(error_for(path)) == (
        f"{path}, line 1: client_id is set but no client_secret or client_secret_command: "
        f"add one to {path} or set ARTISTREE_CLIENT_SECRET"
    )
    empty = write(tmp_path / "e.toml", "")
    message = str(error_for(empty, env={"ARTISTREE_CLIENT_SECRET": "pw"}))
    assert message.startswith("environment variable ARTISTREE_CLIENT_SECRET: client_secret is set")
    assert "client_id is not" in message and "pw" not in message.split(":")[1]


def test_secret_and_command_in_the_same_layer_is_ambiguous(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        'client_id = "id"\nclient_secret = "pw"\nclient_secret_command = "x"\n',
    )
    assert str(error_for(path)) == (
        f"{path}, line 3: set client_secret or client_secret_command, not both: remove one"
    )


def test_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[profiles.work]\n[profiles.staging]\n")
    err = error_for(path, profile="wrok", require_credentials=False)
    assert str(err) == (
        f"unknown profile 'wrok': {path} has 'work', 'staging': pick one of those or add "
        "[profiles.wrok]"
    )
    err = error_for(write(tmp_path / "n.toml", ""), profile="x", require_credentials=False)
    assert "has no [profiles.NAME] sections" in str(err)


def test_an_explicit_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    err = error_for(missing)
    assert str(err).startswith(f"{missing} does not exist: create it with ")
    assert "config init" in str(err)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={"ARTISTREE_TUI_CONFIG": str(missing)})


def test_a_directory_and_a_non_utf8_file_are_refused(tmp_path: Path) -> None:
    assert "is a directory" in str(error_for(tmp_path))
    path = tmp_path / "c.toml"
    path.write_bytes(b'theme = "\xff"\n')
    assert str(error_for(path)) == f"{path} is not UTF-8 text: save it as UTF-8"


def test_error_messages_never_show_a_secret(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        'client_id = "id"\nclient_secret = "hunter2-secret"\ntoken = "tok-secret"\npage_size = 0\n',
    )
    assert "secret" not in str(error_for(path)).replace("client_secret", "")
    path = write(tmp_path / "d.toml", "token = ['tok-secret']\n")
    message = str(error_for(path))
    assert "tok-secret" not in message and "token must be a string" in message
