"""Time words in questions (issue 12, 6): which words name a time, and which days and hours they mean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.normalize import words
from bot.opening import TZ
from bot.search import analyze
from bot.store import Store
from bot.timewords import AskedTime, find_time

#: Thursday 3 December 2026, 10:00.
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)


def asked(question: str, now: datetime = THURSDAY) -> AskedTime | None:
    phrase = find_time(words(question), question)
    return phrase.resolve(now) if phrase else None


@pytest.mark.parametrize(
    ("question", "first", "last", "hours", "period"),
    [
        ("ist die tafel morgen offen", date(2026, 12, 4), date(2026, 12, 4), (0, 1440), None),
        ("tafel am samstag", date(2026, 12, 5), date(2026, 12, 5), (0, 1440), None),
        ("schuldnerberatung heute abend", date(2026, 12, 3), date(2026, 12, 3), (17 * 60, 22 * 60), None),
        ("tafel über weihnachten", date(2026, 12, 24), date(2026, 12, 26), (0, 1440), "weihnachten"),
        ("jugendamt nächsten dienstag", date(2026, 12, 8), date(2026, 12, 8), (0, 1440), None),
        ("nächsten donnerstag", date(2026, 12, 10), date(2026, 12, 10), (0, 1440), None),
        ("am donnerstag", date(2026, 12, 3), date(2026, 12, 3), (0, 1440), None),
        ("morgen früh", date(2026, 12, 4), date(2026, 12, 4), (6 * 60, 10 * 60), None),
        ("samstag vormittag", date(2026, 12, 5), date(2026, 12, 5), (8 * 60, 12 * 60), None),
        ("übermorgen", date(2026, 12, 5), date(2026, 12, 5), (0, 1440), None),
        ("an ostern", date(2027, 3, 26), date(2027, 3, 29), (0, 1440), "ostern"),
        ("pfingstmontag", date(2027, 5, 17), date(2027, 5, 17), (0, 1440), "pfingstmontag"),
        ("silvester", date(2026, 12, 31), date(2026, 12, 31), (0, 1440), "silvester"),
        ("zwischen den jahren", date(2026, 12, 27), date(2026, 12, 31), (0, 1440), "zwischen"),
        ("am wochenende", date(2026, 12, 5), date(2026, 12, 6), (0, 1440), "wochenende"),
        ("am nächsten feiertag", date(2026, 12, 25), date(2026, 12, 25), (0, 1440), "feiertag"),
        ("am 24.12.", date(2026, 12, 24), date(2026, 12, 24), (0, 1440), None),
        ("am 2.12.", date(2027, 12, 2), date(2027, 12, 2), (0, 1440), None),
    ],
)
def test_time_words_mean_these_days(question, first, last, hours, period):
    found = asked(question)
    assert found is not None
    assert (found.first, found.last, (found.start, found.end), found.period) == (first, last, hours, period)


@pytest.mark.parametrize("question", ["guten morgen", "tafel heute", "schuldnerberatung erfurt", "am 31.2.",
                                      "ich brauche hilfe"])
def test_no_time_asked(question):
    assert asked(question) is None


def test_christmas_asked_after_christmas_is_next_year():
    found = asked("über weihnachten", datetime(2026, 12, 28, 9, 0, tzinfo=TZ))
    assert found is not None and (found.first, found.last) == (date(2027, 12, 24), date(2027, 12, 26))


def test_memory_form_round_trips():
    found = asked("samstag abend")
    assert found is not None
    assert AskedTime.from_data(found.to_data()) == found


@pytest.fixture(scope="module")
def store(search_db: Path) -> Iterator[Store]:
    store = Store(search_db)
    yield store
    store.conn.close()


@pytest.mark.parametrize(("question", "topic"), [
    ("ist die tafel morgen offen", "tafel"),
    ("tafel am samstag", "tafel"),
    ("tafel über weihnachten", "tafel"),
    ("jugendamt nächsten dienstag", "jugendamt"),
    ("tafel an ostern", "tafel"),
    ("tafel zwischen den jahren", "tafel"),
])
def test_time_words_are_neither_content_nor_place(store, question, topic):
    analysis = analyze(store, question)
    assert analysis.time is not None
    assert topic in analysis.topics
    assert analysis.place is None
    assert not {"samstag", "weihnachten", "nachsten", "dienstag", "ostern", "zwischen", "jahren"} & set(analysis.terms)
    assert analysis.intent == "hours"


def test_time_words_stay_in_topic_phrases(store):
    """ "heute nacht schlafen" is a phrase of homelessness help: the time is read, the topic too."""
    analysis = analyze(store, "wo kann ich heute nacht schlafen")
    assert "wohnungslosigkeit" in analysis.topics
    assert analysis.time is not None and analysis.time.part == "nacht"
