"""Time words in a question: "morgen", "am Samstag", "heute Abend", "über Weihnachten", "nächsten Dienstag".

Two steps, because the words are read when a question is analysed but "morgen" means a date
only at the moment of asking: :func:`find_time` (pure, over the question's words) says which
words name a time and what kind of time; :meth:`TimePhrase.resolve` turns that into days and
hours of the day for a moment. The search leaves these words out of the topic and place words
("Samstag" is no content, "Ostern" no town). Holidays and their dates come from the ``holidays``
package (Thüringen's, or the offer's state's): a date is never computed by hand, except the
periods people name after a holiday (Weihnachten = 24.–26. Dezember, Ostern = Karfreitag bis
Ostermontag, Pfingsten = Pfingstsonntag und -montag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.easter import easter

from bot.normalize import words

DAY_MINUTES = 24 * 60

_WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
             "sonnabend": 5, "sonntag": 6}
_WEEKDAY_WORDS = {**_WEEKDAYS, **{f"{w}s": d for w, d in _WEEKDAYS.items()}}
_RELATIVE = {"heute": 0, "morgen": 1, "ubermorgen": 2}
#: Parts of a day and the hours people mean by them (minutes from midnight).
PARTS = {"fruh": (6 * 60, 10 * 60), "morgens": (6 * 60, 10 * 60), "vormittag": (8 * 60, 12 * 60),
         "mittag": (11 * 60, 14 * 60), "nachmittag": (12 * 60, 18 * 60), "abend": (17 * 60, 22 * 60),
         "nacht": (20 * 60, DAY_MINUTES)}
_PART_WORDS = {**{p: p for p in PARTS}, "vormittags": "vormittag", "mittags": "mittag",
               "nachmittags": "nachmittag", "abends": "abend", "nachts": "nacht", "morgen": "fruh"}
#: "nächsten Dienstag": the next one after today, never today.
_NEXT = frozenset(words("nachsten nachster nachste kommenden kommender kommende"))
_LEAD = frozenset(words("am an uber ueber diesen dieser diese zu zur zum uber die den dem in"))
#: Periods named after holidays: word -> period key (see :func:`_period`).
_PERIOD_WORDS = {
    "weihnachten": "weihnachten", "weihnachtstage": "weihnachten", "weihnachtsfeiertage": "weihnachten",
    "weihnachtsfeiertagen": "weihnachten", "weihnachtstagen": "weihnachten", "weihnacht": "weihnachten",
    "heiligabend": "heiligabend", "heiligen": "heiligabend", "silvester": "silvester", "neujahr": "neujahr",
    "ostern": "ostern", "osterfeiertage": "ostern", "osterfeiertagen": "ostern", "ostertage": "ostern",
    "ostertagen": "ostern", "karfreitag": "karfreitag", "ostersonntag": "ostersonntag",
    "ostermontag": "ostermontag", "pfingsten": "pfingsten", "pfingstmontag": "pfingstmontag",
    "pfingstsonntag": "pfingstsonntag", "himmelfahrt": "himmelfahrt", "vatertag": "himmelfahrt",
    "reformationstag": "reformationstag", "weltkindertag": "weltkindertag", "maifeiertag": "maifeiertag",
    "feiertag": "feiertag", "feiertage": "feiertag", "feiertagen": "feiertag",
    "wochenende": "wochenende",
}
#: "am 24.12.", "am 3.10.2026": a date written with dots.
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})\b)?")
#: "guten Morgen" is a greeting, "heute morgen" is today's morning.
_GREETING_BEFORE = frozenset(words("guten gute schonen schoenen"))


@dataclass(frozen=True)
class AskedTime:
    """The days and the hours of each day a question asks about."""

    first: date
    last: date
    #: The hours of each day asked about, minutes from midnight: the whole day, or "abends" 17:00–22:00.
    start: int = 0
    end: int = DAY_MINUTES
    #: The period's key when the question named one ("weihnachten"): the card says its name.
    period: str | None = None
    #: The part of the day named ("abend", "vormittag", ...).
    part: str | None = None

    def to_data(self) -> list[Any]:
        """For the chat's memory (JSON): the dates and hours, nothing of the message's words."""
        return [self.first.isoformat(), self.last.isoformat(), self.start, self.end, self.period, self.part]

    @classmethod
    def from_data(cls, data: list[Any] | None) -> AskedTime | None:
        if not data:
            return None
        first, last, start, end, period, part = data
        return cls(date.fromisoformat(first), date.fromisoformat(last), start, end, period, part)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class TimePhrase:
    """Which words of a question name a time, and what kind: ``kind`` is "relative" (``value`` days
    from today), "weekday" (``value`` 0 = Monday, ``following`` for "nächsten"), "period" (``value``
    a value of :data:`_PERIOD_WORDS`, "einheit" or "zwischen") or "date" (``value`` (day, month, year or None))."""

    positions: frozenset[int]
    kind: str
    value: Any
    following: bool = False
    part: str | None = None

    def resolve(self, now: datetime, state: str | None = "TH") -> AskedTime | None:
        """The days and hours meant, asked at ``now`` (Berlin time); None for an impossible date."""
        today = now.date()
        start, end = PARTS.get(self.part or "", (0, DAY_MINUTES))
        if self.kind == "relative":
            day = today + timedelta(days=self.value)
            return AskedTime(day, day, start, end, part=self.part)
        if self.kind == "weekday":
            ahead = (self.value - today.weekday()) % 7
            if self.following and ahead == 0:
                ahead = 7
            day = today + timedelta(days=ahead)
            return AskedTime(day, day, start, end, part=self.part)
        if self.kind == "date":
            day_of_month, month, year = self.value
            try:
                day = date(year or today.year, month, day_of_month)
                if year is None and day < today:
                    day = date(today.year + 1, month, day_of_month)
            except ValueError:
                return None
            return AskedTime(day, day, start, end, part=self.part)
        first, last = _period(self.value, today, state)
        return AskedTime(first, last, start, end, period=self.value, part=self.part)


def _holidays(state: str | None, year: int) -> dict[date, str]:
    from bot.opening import holidays_of  # the holidays package loads only when a time word needs it

    return holidays_of(state, year)


def _period(key: str, today: date, state: str | None) -> tuple[date, date]:
    """The next (or current) days of a named period, from today on."""
    if key == "wochenende":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        return (today, today) if today.weekday() == 6 else (saturday, saturday + timedelta(days=1))
    if key == "feiertag":
        ahead = sorted(d for d in _holidays(state, today.year) if d >= today)
        return ahead[0], ahead[0]
    for year in (today.year, today.year + 1):
        first, last = _period_in(key, year, state)
        if last >= today:
            return first, last
    return first, last


def _period_in(key: str, year: int, state: str | None) -> tuple[date, date]:
    fixed = {"weihnachten": ((12, 24), (12, 26)), "heiligabend": ((12, 24), (12, 24)),
             "silvester": ((12, 31), (12, 31)), "neujahr": ((1, 1), (1, 1)), "maifeiertag": ((5, 1), (5, 1)),
             "reformationstag": ((10, 31), (10, 31)), "weltkindertag": ((9, 20), (9, 20)),
             "einheit": ((10, 3), (10, 3)), "zwischen": ((12, 27), (12, 31))}
    if key in fixed:
        (m1, d1), (m2, d2) = fixed[key]
        return date(year, m1, d1), date(year, m2, d2)
    sunday = easter(year)
    offsets = {"ostern": (-2, 1), "karfreitag": (-2, -2), "ostersonntag": (0, 0), "ostermontag": (1, 1),
               "himmelfahrt": (39, 39), "pfingsten": (49, 50), "pfingstsonntag": (49, 49),
               "pfingstmontag": (50, 50)}
    first, last = offsets[key]
    return sunday + timedelta(days=first), sunday + timedelta(days=last)


def _part_after(tokens: list[str], i: int) -> tuple[str | None, set[int]]:
    """A part of the day right after position ``i`` ("samstag vormittag", "morgen früh")."""
    if i + 1 < len(tokens) and tokens[i + 1] in _PART_WORDS and not (tokens[i] == "morgen" == tokens[i + 1]):
        return _PART_WORDS[tokens[i + 1]], {i + 1}
    return None, set()


def _lead(tokens: list[str], i: int) -> tuple[bool, set[int]]:
    """The words before a time word ("über die", "am", "nächsten"): (says "the next one", their positions)."""
    used: set[int] = set()
    following = False
    j = i - 1
    while j >= 0 and (tokens[j] in _LEAD or tokens[j] in _NEXT) and i - j <= 2:
        following = following or tokens[j] in _NEXT
        used.add(j)
        j -= 1
    return following, used


def find_time(tokens: list[str], text: str = "") -> TimePhrase | None:
    """The first time the words name (``tokens`` as :func:`bot.normalize.words` gives them), or None.

    "heute" alone is no asked time: "heute offen" is the question for now, answered as before.
    """
    for i, token in enumerate(tokens):
        if token == "tag" and i + 2 < len(tokens) and tokens[i + 2] == "einheit":
            _, lead = _lead(tokens, i)
            return TimePhrase(frozenset({i, i + 1, i + 2} | lead), "period", "einheit")
        if token == "zwischen" and tokens[i + 1:i + 3] == ["den", "jahren"]:
            return TimePhrase(frozenset({i, i + 1, i + 2}), "period", "zwischen")
        if token in _RELATIVE:
            if token == "morgen" and i > 0 and (tokens[i - 1] in _GREETING_BEFORE or tokens[i - 1] in _RELATIVE
                                                or tokens[i - 1] in _WEEKDAYS):
                continue  # "guten Morgen"; "heute morgen" / "Dienstag morgen" are read at the word before
            part, used = _part_after(tokens, i)
            if token == "heute" and part is None:
                continue
            return TimePhrase(frozenset({i} | used), "relative", _RELATIVE[token], part=part)
        if token in _WEEKDAY_WORDS:
            following, lead = _lead(tokens, i)
            part, used = _part_after(tokens, i)
            return TimePhrase(frozenset({i} | lead | used), "weekday", _WEEKDAY_WORDS[token], following, part)
        if token in _PERIOD_WORDS:
            _, lead = _lead(tokens, i)
            if token == "heiligen" and tokens[i + 1:i + 2] != ["abend"]:
                continue
            extra = {i + 1} if token == "heiligen" else set()
            return TimePhrase(frozenset({i} | lead | extra), "period", _PERIOD_WORDS[token])
    match = _DATE.search(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
        if 1 <= month <= 12 and 1 <= day <= 31:
            full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            return TimePhrase(frozenset(), "date", (day, month, full_year))
    return None
