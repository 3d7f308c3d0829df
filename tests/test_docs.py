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
