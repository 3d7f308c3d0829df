"""The admin and developer scripts: ``scripts/X.py`` is a thin wrapper over ``bot.cli.X.main``, installed as
the console script ``sozialhilfe-X`` (dashes for underscores) too, and none of them edits ``sys.path``."""

from __future__ import annotations

import importlib
import json
import runpy
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"]["scripts"]
SCRIPTS = sorted(p.stem for p in (ROOT / "scripts").glob("*.py"))


def _target(spec: str) -> Callable[..., object]:
    """The function an entry point such as ``bot.cli.report:main`` names."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def test_the_lists_are_not_empty() -> None:
    assert len(SCRIPTS) >= 10 and "sync_offers" in SCRIPTS
    assert ENTRY_POINTS["sozialhilfe-bot"] == "bot.__main__:main"


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_entry_point_imports_and_answers_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """What ``sozialhilfe-… --help`` does after ``pip install -e .``: the target imports, runs, says how to use it."""
    target = _target(ENTRY_POINTS[name])
    assert callable(target)
    try:
        code = target(["--help"])
    except SystemExit as exit_:  # argparse ends --help this way
        code = exit_.code
    assert code == 0
    assert capsys.readouterr().out.lower().startswith("usage:")


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_is_the_console_script_of_the_same_name(script: str) -> None:
    name = "sozialhilfe-" + script.replace("_", "-")
    assert ENTRY_POINTS.get(name) == f"bot.cli.{script}:main"
    wrapper = runpy.run_path(str(ROOT / "scripts" / f"{script}.py"))  # not as __main__: nothing runs
    assert wrapper["main"] is _target(ENTRY_POINTS[name])


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_runs_as_before(script: str, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    """``python scripts/X.py --help``, in this process: the wrapper calls ``main`` and exits with its code."""
    path = ROOT / "scripts" / f"{script}.py"
    monkeypatch.setattr(sys, "argv", [str(path), "--help"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(path), run_name="__main__")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: {script}.py")


@pytest.mark.parametrize("path", [*sorted((ROOT / "scripts").glob("*.py")), *sorted((ROOT / "bot").rglob("*.py"))],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_nothing_edits_sys_path(path: Path) -> None:
    """The scripts and the package import ``bot`` as installed (``pip install -e .``), never by editing sys.path."""
    assert "sys.path" not in path.read_text(encoding="utf-8")


def test_scripts_do_not_import_aiogram() -> None:
    """The scripts start fast: aiogram (about 4 s to import) stays out of every one of them."""
    modules = [f"bot.cli.{script}" for script in SCRIPTS]
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'aiogram', 'aiohttp'})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []
