"""docs/ARCHITECTURE.md names every module under bot/: a map that cannot drift (sqlite-utils' tests/test_docs.py
is the pattern). A module is named by its path, or as a member of a group row ("`bot/cli/*.py`",
"`bot/telegram/session.py`, `sending.py`", "`bot/telegram/handlers/`")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAP = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
MODULES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "bot").rglob("*.py") if p.name != "__init__.py")


def _named(module: str) -> bool:
    folder, name = module.rsplit("/", 1)
    for row in re.findall(r"^\| (`[^|]+) \|", MAP, flags=re.M):
        paths = re.findall(r"`([^`]+)`", row)
        if module in paths or f"{folder}/*.py" in paths or f"{folder}/" in paths:
            return True
        # "`bot/telegram/session.py`, `sending.py`": the later names share the first one's folder
        if paths and paths[0].rsplit("/", 1)[0] == folder and name in paths[1:]:
            return True
    return False


def test_the_map_has_rows() -> None:
    assert len(MODULES) > 40
    assert not _named("bot/no_such_module.py")  # the check can fail


@pytest.mark.parametrize("module", MODULES)
def test_every_module_is_on_the_map(module: str) -> None:
    assert _named(module), f"{module} fehlt in docs/ARCHITECTURE.md"


def _readme_test_command() -> str:
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
    commands = [b for b in blocks if "pytest" in b]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readmes_test_command_and_it_runs_everything() -> None:
    command = _readme_test_command()
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command.endswith("python -m pytest --all")  # the slow tests too (tests/conftest.py)


@pytest.mark.slow
@pytest.mark.parametrize(("options", "selected"), [
    ((), 0), (("--all",), 3), (("-m", "slow"), 3), (("-m", "slow or not slow"), 3), (("-m", "not slow"), 0)])
def test_slow_tests_are_left_out_unless_asked_for(options: tuple[str, ...], selected: int) -> None:
    """tests/conftest.py: by default the slow tests are deselected; --all or an explicit -m decides instead."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", *options,
                           "tests/test_search_cli.py::test_limit", "tests/test_search_cli.py::test_json_shape",
                           "tests/test_search_cli.py::test_nothing_found_is_an_empty_array"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr  # 5: nothing selected
    assert len([line for line in proc.stdout.splitlines() if "::" in line]) == selected, proc.stdout
