"""When an offer's data is old: one rule for the import's admin note, the report, /status and the cards.

An offer is stale when more than :data:`STALE_YEARS` years have passed since its date: the source
page's date (``source.date``, "Stand") or, when the page gave none, the day it was taken into the
knowledge base (``source.retrieved``). A partial date (``2024-05``, ``2024``) counts as its last
day, so nothing is called stale too early. Every check takes ``today``, so reports are reproducible
and tests do not age.
"""

from __future__ import annotations

import calendar
from datetime import date

#: More than this many years since an offer's date: stale.
STALE_YEARS = 3


def date_end(value: str | None) -> date | None:
    """The last day a date can mean: ``2024-05`` -> 2024-05-31; None when missing or unreadable."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def cutoff(today: date) -> date:
    """The day :data:`STALE_YEARS` years before ``today`` (28 February for 29 February)."""
    year = today.year - STALE_YEARS
    return date(year, today.month, min(today.day, calendar.monthrange(year, today.month)[1]))


def offer_date(source_date: str | None, retrieved: str | None = None) -> str | None:
    """The date an offer's data is from: its source's date, else when it was retrieved."""
    return source_date or retrieved


def is_stale(source_date: str | None, today: date, retrieved: str | None = None) -> bool:
    """Whether more than :data:`STALE_YEARS` years have passed since the offer's date."""
    end = date_end(offer_date(source_date, retrieved))
    return end is not None and end < cutoff(today)


def stale_year(source_date: str | None, today: date, retrieved: str | None = None) -> int | None:
    """The year a stale offer's data is from ("Angaben von 2019"); None when it is not stale."""
    return int(offer_date(source_date, retrieved)[:4]) if is_stale(source_date, today, retrieved) else None  # type: ignore[index]
