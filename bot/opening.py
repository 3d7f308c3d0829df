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
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

from bot.config import TIMEZONE
from bot.public_holidays import public_holidays

TZ = ZoneInfo(TIMEZONE)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


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


#: The languages the holidays package names Germany's holidays in, by interface language.
HOLIDAY_LANGUAGES = {"de": "de", "en": "en_US", "uk": "uk"}


@lru_cache(maxsize=64)
def _holidays(state: str | None, year: int, language: str = "de") -> dict[date, str]:
    """Public holidays of a state (or the nationwide ones for "DE") in this and next year, named in
    ``language`` (one of the holidays package's: "de", "en_US", "uk")."""
    return public_holidays(state, (year, year + 1), language)


def holidays_of(state: str | None, year: int) -> dict[date, str]:
    """The state's public holidays of this and next year, German names (for time words in questions)."""
    return _holidays(state, year)


def holiday_name(day: date, state: str | None = "TH", language: str = "de") -> str | None:
    """Name of the state's public holiday on this day, or None: in the holidays package's words for
    the languages of :data:`HOLIDAY_LANGUAGES`, in German for the others (their catalogs translate it)."""
    return _holidays(state, day.year, HOLIDAY_LANGUAGES.get(language, "de")).get(day)


def _with_holidays(osm: str, dates: str) -> str:
    """Write the holiday dates into the OSM string: closed on them, unless a ``PH`` rule says otherwise.

    The ``off`` rule goes after the ordinary rules (a later rule wins in OSM) and the
    rewritten ``PH`` rules after it; "Su,PH off" becomes "Su off" plus a dates rule.
    """
    plain: list[str] = []
    on_holidays: list[str] = []
    for rule in (r.strip() for r in osm.split(";") if r.strip()):
        selector, _, rest = rule.partition(" ")
        items = selector.split(",")
        if "PH" not in items:
            plain.append(rule)
            continue
        others = [item for item in items if item != "PH"]
        if others:
            plain.append(f"{','.join(others)} {rest}".strip())
        on_holidays.append(f"{dates} {rest}".strip())
    return "; ".join([*plain, f"{dates} off", *on_holidays])


@lru_cache(maxsize=4096)
def _compiled(osm: str, state: str | None, year: int) -> opening_hours.OpeningHours | None:
    """The OSM hours with the state's holidays of this and next year written in as dates."""
    if osm.strip() == "24/7":
        return opening_hours.OpeningHours(osm)
    dates = ",".join(f"{d.year} {_MONTHS[d.month - 1]} {d.day:02d}" for d in sorted(_holidays(state, year)))
    try:
        return opening_hours.OpeningHours(_with_holidays(osm, dates))
    except Exception:  # the library raises its own ParserError; an unreadable string is "unknown"
        return None


_SPAN = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")


@lru_cache(maxsize=4096)
def _plain(osm: str) -> opening_hours.OpeningHours | None:
    """The hours without holiday dates, when a holiday can only close them.

    That holds without ``PH`` rules and without spans past midnight (which could
    reach into a holiday from the day before). Then a date lookup plus this
    smaller expression answers ``is_open`` at about half the cost of the compiled one.
    """
    if "PH" in osm or any((h2, m2) <= (h1, m1) or h2 > "24" for h1, m1, h2, m2 in _SPAN.findall(osm)):
        return None
    try:
        return opening_hours.OpeningHours(osm)
    except Exception:  # unreadable: the compiled path answers "unknown"
        return None


def _local(at: datetime) -> datetime:
    """``at`` in Europe/Berlin with a ZoneInfo (the library rejects other tzinfo classes).

    A naive datetime is Berlin wall time. A wall time that does not exist (02:30 on
    the spring DST day), which the library would reject, is moved to a real one by
    going through UTC.
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=TZ)
    elif at.tzinfo is not TZ:
        return at.astimezone(TZ)
    if at.month not in (3, 10) or at.day < 25:
        return at  # clocks change only on the last Sunday of March and October (EU rule)
    return at.astimezone(UTC).astimezone(TZ)


def is_open(osm: str | None, at: datetime, state: str | None = "TH") -> bool | None:
    """Fast open/closed check for ranking; None when there are no structured hours."""
    if not osm:
        return None
    if osm.strip() == "24/7":
        return True
    at = _local(at)
    plain = _plain(osm)
    if plain is not None:
        return at.date() not in _holidays(state, at.year) and bool(plain.is_open(at))
    hours = _compiled(osm, state, at.year)
    return None if hours is None else bool(hours.is_open(at))


def open_state(osm: str | None, at: datetime, state: str | None = "TH") -> OpenState:
    """Open now? Until when, or when next? (All datetimes in Europe/Berlin.)

    ``next_open`` and ``closes_at`` are None when the hours never change again
    (e.g. "Mo off" alone).
    """
    at = _local(at)
    holiday = holiday_name(at.date(), state)
    hours = _compiled(osm, state, at.year) if osm else None
    if hours is None or not osm:
        return OpenState(is_open=None, holiday=holiday)
    if osm.strip() == "24/7":
        return OpenState(is_open=True, holiday=holiday, always_open=True)
    now_open = bool(hours.is_open(at))
    change = hours.next_change(at)
    change = change.astimezone(TZ) if change is not None else None
    if now_open:
        return OpenState(is_open=True, closes_at=change, holiday=holiday)
    return OpenState(is_open=False, next_open=change, holiday=holiday)


@dataclass(frozen=True)
class DaysState:
    """The hours on some days (a time word in a question: "morgen", "über Weihnachten")."""

    #: None when there are no structured hours to judge by.
    known: bool
    #: The open spans within the asked hours of those days.
    spans: tuple[tuple[datetime, datetime], ...] = ()
    #: When it opens next after those days, if closed then.
    next_open: datetime | None = None
    #: German names of the public holidays among those days.
    holidays: tuple[str, ...] = ()
    always_open: bool = False


def days_state(osm: str | None, days: list[date], start: int, end: int, state: str | None = "TH") -> DaysState:
    """Open spans of ``days`` between ``start`` and ``end`` minutes after midnight, with the state's holidays.

    ``next_open`` is the next opening after the last day's window when nothing is open within them.
    """
    names = tuple(name for day in days if (name := holiday_name(day, state)))
    hours = _compiled(osm, state, days[0].year) if osm else None
    if hours is None or not osm:
        return DaysState(known=False, holidays=names)
    if osm.strip() == "24/7":
        return DaysState(known=True, always_open=True, holidays=names)
    spans: list[tuple[datetime, datetime]] = []
    for day in days:
        midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
        begin, finish = midnight + timedelta(minutes=start), midnight + timedelta(minutes=end)
        spans += [(a.astimezone(TZ), b.astimezone(TZ))
                  for a, b, kind, _ in hours.intervals(begin, finish) if kind == opening_hours.State.OPEN]
    if spans:
        return DaysState(known=True, spans=tuple(spans), holidays=names)
    last = days[-1]
    after = datetime(last.year, last.month, last.day, tzinfo=TZ) + timedelta(minutes=end)
    later = _compiled(osm, state, after.year) or hours
    change = after if later.is_open(after) else later.next_change(after)
    return DaysState(known=True, next_open=change.astimezone(TZ) if change else None, holidays=names)


#: A week without public holidays anywhere in Germany (8–14 January 2024), to compare two hours by.
_PLAIN_WEEK = datetime(2024, 1, 8, tzinfo=TZ)


def week_spans(osm: str) -> tuple[tuple[tuple[int, int], ...], ...] | None:
    """The open spans of each weekday (0 = Monday) in minutes from midnight, in a week without
    holidays; None for hours the library cannot read. Two hours strings that give the same spans
    say the same."""
    try:
        hours = opening_hours.OpeningHours(osm)
    except Exception:  # the library raises its own ParserError
        return None
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for start, end, kind, _ in hours.intervals(_PLAIN_WEEK, _PLAIN_WEEK + timedelta(days=7)):
        if kind != opening_hours.State.OPEN:
            continue
        start, end = start.astimezone(TZ), end.astimezone(TZ)
        first = (start - _PLAIN_WEEK).days
        days[first].append((start.hour * 60 + start.minute,
                            int((end - start).total_seconds() // 60) + start.hour * 60 + start.minute))
    return tuple(tuple(d) for d in days)


# --- describing hours in words ------------------------------------------------------


@lru_cache(maxsize=8)
def _day_names(locale: str) -> tuple[str, ...]:
    from babel.dates import get_day_names  # babel loads only when hours are said in words

    names = get_day_names("wide", locale=locale)
    return tuple(names[i] for i in range(7))  # keyed 0 = Monday; iterating would start on Sunday


def day_name(index: int, locale: str = "de_DE") -> str:
    """Weekday name, 0 = Monday."""
    return _day_names(locale)[index]


_WORDS = {
    "de": {"to": " bis ", "and": "und", "always": "rund um die Uhr", "closed": "geschlossen",
           "holidays": "an Feiertagen", "nth": "jeden {n} {days} im Monat", "last": "letzten",
           "daily": "täglich", "clock": " Uhr", "rules": "; "},
    "de-leicht": {"to": " bis ", "and": "und", "always": "Tag und Nacht", "closed": "geschlossen",
                  "holidays": "an Feiertagen", "nth": "jeden {n} {days} im Monat", "last": "letzten",
                  "daily": "jeden Tag", "clock": " Uhr", "rules": ".\n"},
    "en": {"to": " to ", "and": "and", "always": "around the clock", "closed": "closed",
           "holidays": "on public holidays", "nth": "every {n} {days} of the month", "last": "last",
           "daily": "daily", "clock": "", "rules": "; "},
    "uk": {"to": "–", "and": "і", "always": "цілодобово", "closed": "зачинено",
           "holidays": "у святкові дні", "nth": "{days}: {n} у місяці", "last": "останній",
           "daily": "щодня", "clock": "", "rules": "; "},
    "ru": {"to": "–", "and": "и", "always": "круглосуточно", "closed": "закрыто",
           "holidays": "в праздничные дни", "nth": "{days}: {n} в месяце", "last": "последний",
           "daily": "ежедневно", "clock": "", "rules": "; "},
    "ar": {"to": " – ", "and": "و", "always": "على مدار الساعة", "closed": "مغلق",
           "holidays": "في أيام العطل الرسمية", "nth": "{days} ({n} من كل شهر)", "last": "الأخير",
           "daily": "يوميًا", "clock": "", "rules": "؛ "},
    "tr": {"to": "–", "and": "ve", "always": "7/24 açık", "closed": "kapalı",
           "holidays": "resmî tatillerde", "nth": "ayın {n} {days} günü", "last": "son",
           "daily": "her gün", "clock": "", "rules": "; "},
}
_EN_ORDINALS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "5": "5th"}
#: Babel locale of each language's weekday names.
_DAY_LOCALES = {"de": "de_DE", "de-leicht": "de_DE", "en": "en_GB", "uk": "uk_UA", "ru": "ru_RU", "ar": "ar",
                "tr": "tr_TR"}
#: Isolates a left-to-right run (a time span) inside an Arabic line, so it is not read backwards.
FSI, PDI = "\u2068", "\u2069"


def _lang(locale: str) -> str:
    """The language of the words: an interface language ("de-leicht", "uk") or a Babel locale ("en_GB")."""
    if locale in _WORDS:
        return locale
    base = locale.split("_")[0]
    return base if base in _WORDS else "de"


def _join(items: list[str], lang: str) -> str:
    """ "a, b und c"; Arabic writes its "and" (و) onto the next word."""
    if len(items) == 1:
        return items[0]
    joiner = f" {_WORDS[lang]['and']}" + ("" if lang == "ar" else " ")
    return ", ".join(items[:-1]) + joiner + items[-1]


def _days_text(spec: str, locale: str) -> str:
    lang = _lang(locale)
    names = _DAY_LOCALES[lang]
    if spec == "Mo-Su":
        return _WORDS[lang]["daily"]
    parts = []
    for part in spec.split(","):
        if part == "PH":
            parts.append(_WORDS[lang]["holidays"])
        elif "-" in part:
            first, last = part.split("-")
            parts.append(f"{day_name(_OSM_DAYS.index(first), names)}{_WORDS[lang]['to']}"
                         f"{day_name(_OSM_DAYS.index(last), names)}")
        else:
            parts.append(day_name(_OSM_DAYS.index(part), names))
    return _join(parts, lang)


def _time(text: str, lang: str = "de") -> str:
    hours, minutes = text.split(":")
    if lang == "de-leicht" and minutes == "00":
        return str(int(hours))  # "9 Uhr", not "9:00 Uhr"
    return f"{int(hours)}:{minutes}"


def _times_text(spec: str, lang: str) -> str:
    pairs = [s.split("-") for s in spec.split(",")]
    if lang == "de-leicht":  # "von 9 Uhr bis 12 Uhr"
        return _join([f"von {_time(a, lang)} Uhr bis {_time(b, lang)} Uhr" for a, b in pairs], lang)
    spans = [f"{_time(a)}–{_time(b)}" for a, b in pairs]
    if lang == "ar":
        spans = [f"{FSI}{span}{PDI}" for span in spans]
    return _join(spans, lang) + _WORDS[lang]["clock"]


_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_ITEM = re.compile(rf"(?P<days>{_DAY}(?:-{_DAY})?|PH)(?:\[(?P<nth>-?\d(?:,-?\d)*)\])?(?:,|$)")
_TIMES = re.compile(r"off|closed|\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*")


def _when(selector: str, locale: str) -> str | None:
    """ "Tu,Th" -> "Dienstag und Donnerstag"; "We[2,4]" -> "jeden 2. und 4. Mittwoch im Monat"."""
    lang = _lang(locale)
    words = _WORDS[lang]
    items = list(_ITEM.finditer(selector))
    if "".join(m.group() for m in items) != selector or len({m["nth"] for m in items}) != 1:
        return None  # mixed or unknown selectors are not described
    days = ",".join(m["days"] for m in items)
    nth = items[0]["nth"]
    when = _days_text(days, locale)
    if not nth:
        return when
    numbers = [words["last"] if n == "-1" else _EN_ORDINALS.get(n, f"{n}.") if lang == "en" else
               n if lang == "ar" else f"{n}." for n in nth.split(",")]
    return words["nth"].format(n=_join(numbers, lang), days=when)


def describe(osm: str, locale: str = "de_DE") -> str:
    """Hours in words: "Tu,Th 09:00-16:00" -> "Dienstag und Donnerstag 9:00–16:00 Uhr".

    ``locale`` is a Babel locale ("de_DE", the default, "en_GB") or an interface language
    ("uk", "ar", "de-leicht": "Montag bis Freitag von 9 Uhr bis 12 Uhr", one rule per line).
    Rules are joined in their order (a later rule replaces an earlier one for its days, as
    people read it too). Hand-written OSM beyond the shapes the importer produces is returned
    as it is rather than described wrongly.
    """
    lang = _lang(locale)
    if osm.strip() == "24/7":
        return _WORDS[lang]["always"]
    out = []
    for rule in (r.strip() for r in osm.split(";") if r.strip()):
        selector, _, times = rule.partition(" ")
        when = _when(selector, locale)
        if when is None or not _TIMES.fullmatch(times.strip()):
            return osm
        times = times.strip()
        what = _WORDS[lang]["closed"] if times in ("off", "closed") else _times_text(times, lang)
        line = f"{when} {what}"
        out.append(line[0].upper() + line[1:] if lang == "de-leicht" else line)
    text = _WORDS[lang]["rules"].join(out)
    return f"{text}." if lang == "de-leicht" else text


def describe_de(osm: str) -> str:
    """German description of OSM hours (see :func:`describe`)."""
    return describe(osm, "de_DE")
