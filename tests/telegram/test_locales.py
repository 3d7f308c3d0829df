"""The interface catalogs: German complete, English complete, compiled files in step with the code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT
from bot.i18n import translator


@pytest.mark.slow
def test_catalogs_are_complete_and_up_to_date():
    result = subprocess.run([sys.executable, "scripts/compile_locales.py", "--check"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_compiled_english_catalog_translates():
    assert translator("en").gettext("Weitere Ergebnisse") == "More results"
    assert translator("de").gettext("Weitere Ergebnisse") == "Weitere Ergebnisse"
