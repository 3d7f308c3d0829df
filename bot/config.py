"""Paths shared by every entry point.

Kept free of heavy imports: the search command starts from here.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The project root (the folder holding ``pyproject.toml`` and ``offers.db``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Where admins keep the offers, topics, places and hotlines.
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

#: Time zone of every opening hour in the data.
TIMEZONE = "Europe/Berlin"


def db_path(offers_db: str | None) -> Path:
    """The database the bot reads: ``offers_db`` (``OFFERS_DB``) when set, else ``offers.db`` of the project."""
    return Path(offers_db) if offers_db else PROJECT_ROOT / "offers.db"


def default_db_path() -> Path:
    """The database for the commands that start without the settings (``python -m bot search``, the
    admin scripts): ``OFFERS_DB`` as bot.settings reads it, without the fifth of a second that
    importing pydantic-settings would add to the search's cold start (benchmarks/RESULTS.md)."""
    return db_path(os.environ.get("OFFERS_DB"))
