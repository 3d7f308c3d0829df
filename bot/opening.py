"""Is an offer open at a given moment, and how are its hours said in German?

opening-hours-py reads OSM syntax fast but knows public holidays only per country
("DE"), not per state, and Thüringen and Hessen differ (Reformationstag and
Weltkindertag in Thüringen, Fronleichnam in Hessen). So the state's holidays
from the ``holidays`` package are compiled into the OSM string as explicit
dates: an offer is closed on them unless its hours say otherwise with ``PH``;
round-the-clock services (``24/7``) stay open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import opening_hours
from babel.dates import get_day_names

from bot.config import TIMEZONE

TZ = ZoneInfo(TIMEZONE)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_PH = re.compile(r"\bPH\b")


@dataclass(frozen=True)
class OpenState:
    """The state of an offer's hours at one moment."""

    #: None when there are no structured hours to judge by.
    is_open: bool | None
    closes_at: datetime | None = None
    next_open: datetime | None = None
    #: German name of today's public holiday in the offer's state, if any.
    holiday: str | None = None
    always_open: bool = False


def _subdiv(state: str | None) -> str | None:
    return state if state in ("TH", "HE") else None


@lru_cache(maxsize=64)
def _holidays(state: str | None, year: int) -> dict[date, str]:
    """Public holidays of a state (or the nationwide ones for "DE"), German names."""
    found = holidays.Germany(subdiv=_subdiv(state), years=(year, year + 1), language="de")
    return dict(found.items())


def holiday_name(day: date, state: str | None = "TH") -> str | None:
    return _holidays(state, day.year).get(day)


def _date_selector(days: list[date]) -> str:
    return ",".join(f"{d.year} {_MONTHS[d.month - 1]} {d.day:02d}" for d in sorted(days))


@lru_cache(maxsize=4096)
def _compiled(osm: str, state: str | None, year: int) -> opening_hours.OpeningHours | None:
    """The OSM hours with the state's holidays of this and next year written in as dates."""
    if osm.strip() == "24/7":
        return opening_hours.OpeningHours(osm)
    dates = _date_selector(list(_holidays(state, year)))
    rules = [r.strip() for r in osm.split(";") if r.strip()]
    ph_rules = [r for r in rules if _PH.match(r)]
    other = [r for r in rules if not _PH.match(r)]
    compiled = "; ".join([*other, f"{dates} off"]) if dates else "; ".join(other)
    for rule in ph_rules:
        compiled += "; " + _PH.sub(dates, rule, count=1)
    try:
        return opening_hours.OpeningHours(compiled)
    except Exception:  # the library raises its own ParserError; an unreadable string is "unknown"
        return None


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=TZ) if at.tzinfo is None else at.astimezone(TZ)


def is_open(osm: str | None, at: datetime, state: str | None = "TH") -> bool | None:
    """Fast open/closed check for ranking; None when there are no structured hours."""
    if not osm:
        return None
    at = _local(at)
    hours = _compiled(osm, state, at.year)
    return None if hours is None else bool(hours.is_open(at))


def open_state(osm: str | None, at: datetime, state: str | None = "TH") -> OpenState:
    """Open now? Until when, or when next? (All datetimes in Europe/Berlin.)"""
    at = _local(at)
    holiday = holiday_name(at.date(), state)
    if not osm:
        return OpenState(is_open=None, holiday=holiday)
    hours = _compiled(osm, state, at.year)
    if hours is None:
        return OpenState(is_open=None, holiday=holiday)
    if osm.strip() == "24/7":
        return OpenState(is_open=True, holiday=holiday, always_open=True)
    now_open = bool(hours.is_open(at))
    change = hours.next_change(at)
    change = change.astimezone(TZ) if change is not None else None
    if now_open:
        return OpenState(is_open=True, closes_at=change, holiday=holiday)
    next_open = change
    # Near the end of the compiled year the next opening may lie in next year's rules.
    if next_open is None or next_open.year != at.year:
        later = _compiled(osm, state, at.year + 1)
        if later is not None:
            probe = next_open or datetime(at.year + 1, 1, 1, tzinfo=TZ)
            next_open = later.next_change(probe) if not later.is_open(probe) else probe
            next_open = next_open.astimezone(TZ) if next_open else None
    return OpenState(is_open=False, next_open=next_open, holiday=holiday)


# --- describing hours in words ------------------------------------------------------


def day_name(index: int, locale: str = "de_DE") -> str:
    """Weekday name, 0 = Monday (Babel's keys; iterating its dict would start on Sunday)."""
    return get_day_names("wide", locale=locale)[index]


_WORDS = {
    "de": {"to": "bis", "and": "und", "always": "rund um die Uhr", "closed": "geschlossen",
           "holidays": "an Feiertagen", "month": "im Monat", "every": "jeden", "last": "letzten",
           "clock": " Uhr"},
    "en": {"to": "to", "and": "and", "always": "around the clock", "closed": "closed",
           "holidays": "on public holidays", "month": "of the month", "every": "every", "last": "last",
           "clock": ""},
}


def _lang(locale: str) -> str:
    return "en" if locale.startswith("en") else "de"


def _join(items: list[str], locale: str) -> str:
    words = _WORDS[_lang(locale)]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {words['and']} " + items[-1]


def _days_text(spec: str, locale: str) -> str:
    words = _WORDS[_lang(locale)]
    parts = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            parts.append(f"{day_name(_OSM_DAYS.index(a), locale)} {words['to']} {day_name(_OSM_DAYS.index(b), locale)}")
        else:
            parts.append(day_name(_OSM_DAYS.index(part), locale))
    return _join(parts, locale)


def _time(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours)}:{minutes}"


def _times_text(spec: str, locale: str) -> str:
    spans = [f"{_time(a)}–{_time(b)}" for a, b in (s.split("-") for s in spec.split(","))]
    return _join(spans, locale) + _WORDS[_lang(locale)]["clock"]


_RULE = re.compile(
    r"^(?P<days>(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
    r"(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*|PH)"
    r"(?:\[(?P<nth>-?\d(?:,-?\d)*)\])?\s+"
    r"(?P<times>off|closed|\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*)$"
)


def describe(osm: str, locale: str = "de_DE") -> str:
    """Hours in words: "Tu,Th 09:00-16:00" -> "Dienstag und Donnerstag 9:00–16:00 Uhr".

    Hand-written OSM beyond the shapes the importer produces is returned as it is
    rather than described wrongly.
    """
    words = _WORDS[_lang(locale)]
    if osm.strip() == "24/7":
        return words["always"]
    out = []
    for rule in (r.strip() for r in osm.split(";") if r.strip()):
        match = _RULE.match(rule)
        if not match:
            return osm
        days, nth, times = match["days"], match["nth"], match["times"]
        when = words["holidays"] if days == "PH" else _days_text(days, locale)
        if nth:
            numbers = [words["last"] if n == "-1" else f"{n}." for n in nth.split(",")]
            when = f"{words['every']} {_join(numbers, locale)} {when} {words['month']}"
        what = words["closed"] if times in ("off", "closed") else _times_text(times, locale)
        out.append(f"{when} {what}")
    return "; ".join(out)


def describe_de(osm: str) -> str:
    return describe(osm, "de_DE")
