"""The ``--demo-faults SPEC`` flag (try the console against hostile data or a failing
network): parsed like ``demo-server --faults``, a one-line error when wrong, shown in
``--help`` with an example, and handed to the demo server."""

from __future__ import annotations

import pytest

from artistree_tui import cli


def test_a_bad_spec_is_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--demo", "--demo-faults", "bogus=1"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("artistree-tui: error: --demo-faults: unknown fault 'bogus'")
    assert err.count("\n") == 1


def test_the_flag_is_in_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    # The README invites users to try `--demo --demo-faults hostile`: --help must show it.
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "--demo-faults SPEC" in out
    assert "hostile" in out


def test_the_spec_reaches_the_demo_server(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(cli, "_launch", lambda settings: seen.append(settings) or 0)

    import artistree_tui.demo as demo

    started: list[object] = []
    real = demo.DemoServer

    class Recording(real):  # type: ignore[misc, valid-type]
        def start(self) -> demo.DemoServer:
            started.append(self.faults)
            return super().start()

    monkeypatch.setattr(demo, "DemoServer", Recording)
    assert cli.main(["--demo", "--demo-orders", "50", "--demo-faults", "hostile"]) == 0
    (faults,) = started
    assert getattr(faults, "hostile", False) is True
    assert len(seen) == 1
