"""A state's public holidays, from the ``holidays`` package, kept as a ready copy between processes.

Importing ``holidays.countries.germany`` runs the package's country index, which imports every
country it knows (about 0.2 s, a seventh of a cold ``python -m bot search``), while a search needs a
dozen dates. So the first process that asks for a year writes the dates it got to the cache
directory of :mod:`bot.model_cache`, keyed by the package's version, and later processes read that
small file instead of importing the package. A copy that cannot be read or written only means the
slow way; ``BOT_MODEL_CACHE=off`` switches copies off.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import date
from importlib import metadata
from pathlib import Path

from bot.model_cache import cache_root

log = logging.getLogger(__name__)


def public_holidays(state: str | None, years: tuple[int, ...], language: str = "de") -> dict[date, str]:
    """Public holidays of a German state (a subdivision code such as "TH"; anything else means the
    nationwide ones) in ``years``, named in ``language`` (one of the holidays package's)."""
    path = _copy_path(state, years, language)
    if path is not None:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            return {date.fromisoformat(day): name for day, name in stored.items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:  # damaged copy: compute and replace it
            log.warning("holiday copy %s unreadable (%s), rebuilding", path, type(exc).__name__)
    found = _compute(state, years, language)
    if path is not None:
        _write(path, {day.isoformat(): name for day, name in found.items()})
    return found


def _compute(state: str | None, years: tuple[int, ...], language: str) -> dict[date, str]:
    from holidays.countries.germany import Germany

    subdiv = state if state in Germany.subdivisions else None
    return dict(Germany(subdiv=subdiv, years=years, language=language).items())


def _copy_path(state: str | None, years: tuple[int, ...], language: str) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:
        return None
    span = "-".join(str(year) for year in years)
    return root / f"holidays-{version}" / f"{state or 'DE'}-{span}-{language}.json"


def _write(path: Path, stored: dict[str, str]) -> None:
    """Write the copy atomically; a read-only or full disk leaves none and is not the caller's problem."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=".incoming-", dir=path.parent)
    except OSError as exc:
        log.info("holiday copy not written (%s)", exc)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(stored, f, ensure_ascii=False)
        os.replace(staging, path)
    except OSError as exc:  # a full disk: no half-written file stays behind
        log.info("holiday copy not written (%s)", exc)
        Path(staging).unlink(missing_ok=True)
