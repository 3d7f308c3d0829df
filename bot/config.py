"""Paths and environment settings shared by every entry point.

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


def default_db_path() -> Path:
    """The database the bot reads: ``OFFERS_DB`` from the environment, else ``offers.db``."""
    env = os.environ.get("OFFERS_DB")
    return Path(env) if env else PROJECT_ROOT / "offers.db"
