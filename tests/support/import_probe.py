"""Which heavy packages our modules pull in, asked of a fresh interpreter (no tests here).

One Python process imports the given modules one by one and reports, after each, which of the
watched packages (``textual``, ``httpx``, ``PIL``, …) are loaded; then it runs a last step (by
default: imports the watched packages themselves) and reports again, which proves the probe is
not blind. Used by the import-boundary tests (the API, the preview pipeline and the demo never
import Textual) and the startup tests (nothing imports Pillow before the first picture).

- :func:`package_modules` — a package and all its submodules, by name;
- :func:`textual_after_each` — ``{module: is Textual loaded}``, plus the ``proof`` module;
- :func:`heavy_imports` — the general form: any watched packages, any last step;
- :func:`loaded_by` — run the command line (``artistree-tui ARGS``) in a fresh interpreter:
  its exit status and which of Textual and httpx it loaded.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

#: Generous: the CI machine is two loaded cores.
COMMAND_TIMEOUT = 120.0

PROBE = """
import importlib, json, sys
modules, watched, after = json.loads(sys.argv[1])
def loaded():
    return sorted(p for p in watched if any(m == p or m.startswith(p + ".") for m in sys.modules))
report = {}
for name in modules:
    importlib.import_module(name)
    report[name] = loaded()
exec(after)
report["<after>"] = loaded()
print(json.dumps(report))
"""

#: The default last step of :func:`heavy_imports`: import every watched package.
IMPORT_WATCHED = "for p in watched: importlib.import_module(p)"


def package_modules(package: str) -> list[str]:
    """``package`` and every module in it (one level, as ``pkgutil`` lists them), sorted."""
    path = importlib.import_module(package).__path__
    return [package, *sorted(f"{package}.{info.name}" for info in pkgutil.iter_modules(path))]


def heavy_imports(
    modules: list[str], watched: tuple[str, ...], *, after: str = IMPORT_WATCHED
) -> tuple[dict[str, list[str]], list[str]]:
    """``({module: watched packages loaded once it was imported}, loaded after ``after``)``.

    Modules are imported in order in one process, so each entry includes what the earlier
    ones loaded.
    """
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([modules, list(watched), after])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, list[str]] = json.loads(result.stdout)
    return report, report.pop("<after>")


def textual_after_each(modules: list[str], *, proof: str) -> dict[str, bool]:
    """``{module: is Textual loaded once it was imported}``, and the same for ``proof``, a
    module imported last that does load Textual (so the probe is seen not to be blind)."""
    report, after = heavy_imports(
        modules, ("textual",), after=f"importlib.import_module({proof!r})"
    )
    answer = {name: bool(loaded) for name, loaded in report.items()}
    answer[proof] = bool(after)
    return answer


COMMAND_PROBE = """
import sys
from artistree_tui.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
loaded = sorted(m for m in ("textual", "httpx") if m in sys.modules)
print("LOADED", ",".join(loaded), file=sys.stderr)
sys.exit(status)
"""


def loaded_by(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    """``artistree-tui ARGS`` run by a fresh interpreter with ``env``: its exit status and
    which of ``textual`` and ``httpx`` were loaded when it ended."""
    result = subprocess.run(
        [sys.executable, "-c", COMMAND_PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    return result.returncode, [name for name in line.removeprefix("LOADED ").split(",") if name]
