"""Settings every test shares (at the project root, so that ``tests/telegram``'s ``from conftest import`` still
finds its own conftest)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """Subprocesses import ``bot`` from the checkout under test. ``python scripts/X.py`` imports the
    installed package, and ``pip install -e .`` may point at another checkout (or at none)."""
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
