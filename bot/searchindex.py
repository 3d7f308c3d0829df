"""Search tables built at sync time. STUB: the search helper fills this in."""

from __future__ import annotations

import sqlite_utils


def build(db: sqlite_utils.Database) -> None:
    """Create the extra tables the search needs; called by bot.sync after the offers are in."""
