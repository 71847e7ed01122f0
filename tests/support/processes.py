"""Helpers (not tests) for the command-line tests: the real ``artistree-tui`` entry point run
as a child process, and a standalone demo API (``artistree-tui demo-server``) to point it at.

- :func:`entry_point` — the venv's ``artistree-tui`` script (else ``python -m artistree_tui``);
- :func:`child_env` — an environment with a fresh home and none of the caller's
  ``ARTISTREE_*`` variables;
- :class:`StandaloneDemo` — ``demo-server --port 0`` in a child process: its base URL and
  credentials, read from its banner, and :meth:`StandaloneDemo.env` to point a command at it;
  stopped with SIGTERM at the end;
- :func:`api_env` — an environment pointing a command at a demo API on loopback;
- :func:`run_cli` — run a command to completion; :func:`foreground` for a child that Ctrl-C
  must reach.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
#: Generous bounds: the CI machine is two loaded cores.
TIMEOUT = 120.0


def entry_point() -> list[str]:
    """How to start the real command: the installed entry script, as a user would."""
    script = Path(sys.executable).with_name("artistree-tui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "artistree_tui"]


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment minus ``ARTISTREE_*``, with ``home`` as HOME and XDG dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTISTREE_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DOWNLOAD_DIR=str(home / "Downloads"),
        PYTHONPATH=str(REPO),
        PYTHONFAULTHANDLER="1",
    )
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], timeout: float = TIMEOUT, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``artistree-tui ARGS`` to completion, capturing stdout and stderr as text."""
    return subprocess.run(
        [*entry_point(), *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def one_error_line(stderr: str) -> str:
    """The one ``artistree-tui: error: ...`` line of ``stderr`` (asserted to be alone)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("artistree-tui: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0].removeprefix("artistree-tui: error: ")


class StandaloneDemo:
    """``artistree-tui demo-server --port 0 ARGS`` in a child process, until the block ends."""

    def __init__(self, home: Path, *args: str, preexec: object = None) -> None:
        self._argv = [*entry_point(), "demo-server", "--port", "0", *args]
        self._env = child_env(home)
        self._preexec = preexec
        self.process: subprocess.Popen[str] | None = None
        self.banner = ""
        self.base_url = ""
        self.client_id = ""
        self.client_secret = ""

    def __enter__(self) -> StandaloneDemo:
        self.process = subprocess.Popen(
            self._argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self._env,
            preexec_fn=self._preexec,  # type: ignore[arg-type]
        )
        assert self.process.stdout is not None
        while "Ctrl-C" not in self.banner:
            line = self.process.stdout.readline()
            if not line:
                err = self.process.stderr.read() if self.process.stderr else ""
                self.stop()
                raise AssertionError(f"the demo server exited early: {err}")
            self.banner += line
        self.base_url = self._field("base_url")
        self.client_id = self._field("client_id")
        self.client_secret = self._field("client_secret")
        return self

    def _field(self, name: str) -> str:
        found = re.search(rf"^\s*{name}\s*=\s*(\S+)\s*$", self.banner, re.M)
        assert found, self.banner
        return found.group(1)

    def env(self, home: Path, **extra: str) -> dict[str, str]:
        """An environment in which ``artistree-tui`` commands talk to this server."""
        return api_env(home, self.base_url, **extra)

    def signal(self, signum: int) -> int:
        """Send ``signum``; the exit status once it has exited (fails after :data:`TIMEOUT`)."""
        assert self.process is not None
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # faulthandler prints every thread
            _, err = self.process.communicate(timeout=TIMEOUT)
            raise AssertionError(f"no exit after signal {signum}:\n{err[-4000:]}") from None

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        if self.process is not None:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


def api_env(home: Path, base_url: str, **extra: str) -> dict[str, str]:
    """An environment in which ``artistree-tui`` commands talk to the demo API at
    ``base_url`` (an in-process ``DemoServer`` or a standalone one) with its credentials."""
    from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    api = {
        "ARTISTREE_BASE_URL": base_url,
        "ARTISTREE_TOKEN_URL": f"{base_url}/oauth2/token",
        "ARTISTREE_CLIENT_ID": DEMO_CLIENT_ID,
        "ARTISTREE_CLIENT_SECRET": DEMO_CLIENT_SECRET,
    }
    return child_env(home, **{**api, **extra})


def foreground() -> None:
    """``preexec_fn`` of a child that Ctrl-C must reach: SIGINT back to its default, as a
    terminal's foreground job has it (a suite run in the background passes SIG_IGN on)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
