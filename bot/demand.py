"""Demand statistics, private by design: what was asked, where, and whether help was found nearby.

For every answered question one event is counted, and nothing else is kept: no message
text, no user id. An event is

- the ISO week (``2025-W10``),
- the region at county level: from the place the question named, else the remembered
  place, else the shared location (the county of the nearest known town); ``unbekannt`` without,
- the topics understood (ids of knowledge/topics.yaml),
- the outcome: ``local`` (an office within :data:`LOCAL_KM`), ``far`` (only ones farther away),
  ``nationwide`` (only nationwide lines), ``nothing``, ``crisis`` (the crisis lines were shown),
- the interface language.

Words the search did not know are kept only as counts of single normalised words per week,
with the number of different people who used them. A person is counted once per word and
week through ``HMAC(day salt, user id + word)`` in a set of that week's marks: the marks hold
no word, the counts hold no mark, the day salts and the marks expire after 8 days. A word is
reported only when at least :data:`MIN_PEOPLE` people used it that week. Weeks older than
two years are summed into year totals (:func:`compact`), words only where they were reported.

/vergessen and these statistics: the counts name no one, so they stay. The week's marks are
not erased, because nothing stored says whose they are: finding one again needs the person's id,
the word and the day's salt together, and the salts and marks are gone after 8 days. Error
reports, where a line written by the person is kept, are erased (bot.feedback.Feedback.forget).

Events are collected in memory while the bot answers and written in batches
(:meth:`DemandRecorder.flush`, a background task of the bot): writing never delays a reply.
No aiogram here: scripts/report.py builds the planners' report from the same store.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from bot.botstate import StateStore
from bot.geo import distance_km

OUTCOMES = ("local", "far", "nationwide", "nothing", "crisis")
#: Outcomes that mean "nothing local was found".
NOT_LOCAL = ("far", "nationwide", "nothing")
#: An offer at most this far from the place counts as local.
LOCAL_KM = 25.0
MIN_PEOPLE = 5
UNKNOWN_REGION = "unbekannt"
#: Weeks older than this are summed into year totals.
KEEP_WEEKS = timedelta(days=2 * 365)
EVENTS = "demand-events"  # (period, region, outcome, language) -> events
TOPICS = "demand-topics"  # (period, region, topic, outcome) -> events
WORDS = "demand-words"  # (period, word) -> uses
PEOPLE = "demand-people"  # (period, word) -> different people
DAY_SALT_TTL = timedelta(days=8)
_MAX_WORD = 30


@lru_cache(maxsize=64)
def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(period: str) -> date | None:
    """The Monday of ``2025-W10``; None for a year total (``2023``)."""
    if "-W" not in period:
        return None
    year, week = period.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


@dataclass(frozen=True, slots=True)
class Event:
    week: str
    region: str
    outcome: str
    language: str
    topics: tuple[str, ...] = ()
    #: Unknown words and whose: held in memory until the next flush only.
    words: tuple[str, ...] = ()
    day: date | None = None
    person: int | None = field(default=None, repr=False)


def outcome_of(analysis: Any, hits: Sequence[Any], place_fallback: bool) -> str:
    """One of :data:`OUTCOMES` for a search answer (``hits``: the offers shown, with ``distance_km``)."""
    if getattr(analysis, "crisis", None):
        return "crisis"
    if not hits:
        return "nothing"
    nearest: float | None = None
    regional = False
    for hit in hits:  # one pass: this runs while the answer is being made
        if hit.offer.state != "DE":
            regional = True
            if hit.distance_km is not None and (nearest is None or hit.distance_km < nearest):
                nearest = hit.distance_km
    if not regional:
        return "nationwide"
    if place_fallback or (nearest is not None and nearest > LOCAL_KM):
        return "far"
    return "local"


def region_of(place: Any, places: Any = None) -> str:
    """The county of a place; for a shared location (a point without county) that of the nearest town."""
    if place is None:
        return UNKNOWN_REGION
    if getattr(place, "kind", None) == "county":
        name: str = place.name
        return name
    county: str | None = getattr(place, "county", None)
    if county:
        return county
    if places is not None:
        nearest = min(places.by_postcode.values(), default=None,
                      key=lambda p: distance_km(place.lat, place.lon, p.lat, p.lon))
        nearest_county: str | None = nearest.county if nearest is not None else None
        if nearest_county:
            return nearest_county
    return UNKNOWN_REGION


def unknown_words(analysis: Any, knows: Any) -> tuple[str, ...]:
    """The question's single words the search does not know (``knows(word)``), normalised; no numbers,
    no names of contact persons, nothing shorter than 3 or longer than 30 letters."""
    out = []
    for term in getattr(analysis, "terms", ()):  # canonical words already (bot.normalize.words)
        if (term.isalpha() and 3 <= len(term) <= _MAX_WORD and term != analysis.person
                and term not in analysis.word_topics and not knows(term)):
            out.append(term)
    return tuple(dict.fromkeys(out))


def _mark(salt: bytes, person: int, word: str) -> str:
    return hmac.new(salt, f"{person}\x1f{word}".encode(), hashlib.sha256).hexdigest()[:32]


class DemandRecorder:
    """Collects events in memory (cheap, during the answer) and writes them in one batch."""

    def __init__(self, state: StateStore | None) -> None:
        self.state = state
        self._pending: list[Event] = []
        self._lock = threading.Lock()

    def note(self, event: Event) -> None:
        with self._lock:
            self._pending.append(event)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write what was collected (blocking: the bot calls it in a worker thread); returns the events
        written. On a :class:`~bot.botstate.StateError` the batch is dropped, never retried forever."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch or self.state is None:
            return 0
        events: Counter[tuple[str, ...]] = Counter()
        topics: Counter[tuple[str, ...]] = Counter()
        uses: Counter[tuple[str, ...]] = Counter()
        people: Counter[tuple[str, ...]] = Counter()
        for e in batch:
            events[(e.week, e.region, e.outcome, e.language)] += 1
            for topic in e.topics or ("",):
                topics[(e.week, e.region, topic, e.outcome)] += 1
            for word in e.words:
                uses[(e.week, word)] += 1
                if e.person is not None and e.day is not None and self._new_person(e.week, e.day, e.person, word):
                    people[(e.week, word)] += 1
        self.state.add_counts(EVENTS, events)
        self.state.add_counts(TOPICS, topics)
        if uses:
            self.state.add_counts(WORDS, uses)
        if people:
            self.state.add_counts(PEOPLE, people)
        return len(batch)

    def _new_person(self, week: str, day: date, person: int, word: str) -> bool:
        """Whether this person used this word for the first time this week (marks made with the
        salts of the week's days so far; today's salt makes the new mark)."""
        assert self.state is not None
        monday = week_start(week) or day
        ns = f"demand-seen:{week}"
        for offset in range((day - monday).days):
            salt = self.state.peek_secret(f"demand-day:{monday + timedelta(days=offset)}")
            if salt is not None and self.state.marked(ns, _mark(salt, person, word)):
                return False
        salt = self.state.secret(f"demand-day:{day}", DAY_SALT_TTL)
        return self.state.mark(ns, _mark(salt, person, word), DAY_SALT_TTL)


def compact(state: StateStore, today: date) -> int:
    """Sum weeks older than two years into year totals; returns how many week rows were folded."""
    limit = today - KEEP_WEEKS
    folded = 0
    people = state.counts(PEOPLE)
    for table in (EVENTS, TOPICS, WORDS, PEOPLE):
        old = {k: n for k, n in state.counts(table).items() if (start := week_start(k[0])) and start < limit}
        if not old:
            continue
        years: Counter[tuple[str, ...]] = Counter()
        for key, n in old.items():
            if table in (WORDS, PEOPLE) and people.get(key, 0) < MIN_PEOPLE:
                continue  # a word never reported is not kept in the totals either
            years[(key[0][:4], *key[1:])] += n
        state.replace_counts(table, years, list(old))
        folded += len(old)
    return folded


def event_for(response: Any, hits: Sequence[Any], place: Any, engine: Any, *, language: str, at: datetime,
              person: int | None) -> Event:
    """The event of one answer (``place``: the named, remembered or shared place it was for;
    ``engine``: the search engine, for place names and known words)."""
    analysis = response.analysis
    words = unknown_words(analysis, engine.knows) if person is not None else ()
    return Event(week=iso_week(at.date()), region=region_of(place, engine.places),
                 outcome=outcome_of(analysis, hits, response.place_fallback), language=language,
                 topics=tuple(analysis.topics), words=words, day=at.date(), person=person if words else None)
