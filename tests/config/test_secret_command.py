"""client_secret_command: the secret comes from a command, which never shows its output."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from artistree_tui.config import ConfigError, Settings, load_settings
from artistree_tui.config.secret import run_secret_command


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def config_with_command(tmp_path: Path, argv: list[str], extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    array = ", ".join(json.dumps(arg) for arg in argv)  # JSON strings are TOML basic strings
    path.write_text(f'client_id = "id"\n{extra}client_secret_command = [{array}]\n')
    path.chmod(0o600)
    return path


def test_the_one_line_of_stdout_is_the_secret(tmp_path: Path) -> None:
    path = config_with_command(tmp_path, python("print('  s3cret  ')"))
    settings = load_settings(config_path=path, env={})
    assert settings.client_secret == "s3cret"
    assert settings.client_secret_command is not None
    assert settings.auth_mode == "client_credentials"


def test_a_string_command_is_split_like_a_shell_without_one(tmp_path: Path) -> None:
    command = shlex.join(python("import sys; print(sys.argv[1])")) + " 'two words; echo no'"
    assert run_secret_command(command) == "two words; echo no"


def test_failure_reports_the_exit_status_but_never_the_output(tmp_path: Path) -> None:
    code = "import sys; print('leaked-secret'); print('leaked-err', file=sys.stderr); sys.exit(3)"
    path = config_with_command(tmp_path, python(code), extra="\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path, env={})
    message = str(caught.value)
    assert message == (
        f"{path}, line 3: client_secret_command failed (exit status 3): run it yourself to see why"
    )
    assert "leaked" not in message


def test_a_command_that_hangs_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    path = config_with_command(tmp_path, python("import time; time.sleep(60)"))
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path, env={}, secret_command_timeout=0.3)
    assert str(caught.value) == (
        f"{path}, line 2: client_secret_command did not finish within 0.3 s: check that it does "
        "not wait for input"
    )


def test_a_command_gets_no_input_so_a_prompt_cannot_hang_it(tmp_path: Path) -> None:
    path = config_with_command(tmp_path, python("import sys; print(sys.stdin.read() or 'empty')"))
    assert load_settings(config_path=path, env={}).client_secret == "empty"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("artistree-no-such-program --x", "program 'artistree-no-such-program' not found"),
        (shlex.join(python("pass")), "printed nothing: it must print the secret"),
        (shlex.join(python("import sys; sys.stdout.buffer.write(b'\\xff')")), "not UTF-8"),
        ("  ", "is empty"),
        ("pass 'open", "is not a valid command line"),
    ],
)
def test_other_command_failures_are_one_line(command: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        run_secret_command(command, where="cfg")
    assert str(caught.value).startswith("cfg: client_secret_command")
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_the_command_is_not_run_when_it_is_not_needed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = config_with_command(tmp_path, python(f"open({str(marker)!r}, 'w'); print('x')"))
    load_settings(config_path=path, env={"ARTISTREE_TOKEN": "t"})  # a token wins
    load_settings(config_path=path, env={}, demo=True)  # the demo brings its own
    settings = load_settings(config_path=path, env={}, require_credentials=False)
    assert not marker.exists()
    assert settings.client_secret is None
    load_settings(config_path=path, env={})
    assert marker.exists()


def test_connect_runs_the_command_for_settings_built_directly() -> None:
    from artistree_tui.api.auth import ClientCredentials
    from artistree_tui.connect import token_source

    settings = Settings(
        client_id="id", client_secret_command=shlex.join(python("print('from-cmd')"))
    )
    source = token_source(settings)
    assert isinstance(source, ClientCredentials)
    assert "from-cmd" not in repr(source)
    failing = Settings(client_id="id", client_secret_command=shlex.join(python("exit(4)")))
    with pytest.raises(ConfigError, match="exit status 4"):
        token_source(failing)
