"""Open now? Just before and after closing, before opening, public holidays of Thüringen and Hessen."""

from __future__ import annotations

from datetime import datetime

from bot.opening import TZ
from tests.telegram.tg_helpers import texts


async def state_line(harness, offer_id: str, at: datetime) -> str:
    harness.now[0] = at
    text = texts(await harness.press(f"o:details:{offer_id}"))[0]
    return next(line for line in text.splitlines() if line and line[0] in "🟢🔴📅")


async def test_a_minute_before_closing(harness):
    line = await state_line(harness, "t-schulden-sdh", datetime(2025, 3, 4, 15, 59, tzinfo=TZ))
    assert line == "🟢 jetzt geöffnet bis 16:00 Uhr"


async def test_at_closing_time_it_says_when_it_opens_again(harness):
    line = await state_line(harness, "t-schulden-sdh", datetime(2025, 3, 4, 16, 0, tzinfo=TZ))
    assert line == "🔴 heute geschlossen – wieder Donnerstag ab 9:00 Uhr"


async def test_before_opening_the_same_day(harness):
    line = await state_line(harness, "t-schulden-sdh", datetime(2025, 3, 4, 8, 30, tzinfo=TZ))
    assert line == "🔴 jetzt geschlossen – wieder ab 9:00 Uhr"


async def test_the_day_before(harness):
    line = await state_line(harness, "t-schulden-sdh", datetime(2025, 3, 3, 12, 0, tzinfo=TZ))
    assert line == "🔴 heute geschlossen – wieder morgen ab 9:00 Uhr"


async def test_reformation_day_closes_thuringia_but_not_hesse(harness):
    reformation_day = datetime(2025, 10, 31, 10, 0, tzinfo=TZ)  # a Friday
    assert await state_line(harness, "t-erziehung-sdh", reformation_day) == (
        "🔴 heute geschlossen (Reformationstag) – wieder Montag ab 9:00 Uhr")
    assert await state_line(harness, "t-erziehung-ks", reformation_day) == "🟢 jetzt geöffnet bis 16:00 Uhr"


async def test_corpus_christi_closes_hesse_but_not_thuringia(harness):
    corpus_christi = datetime(2025, 6, 19, 10, 0, tzinfo=TZ)  # a Thursday
    assert await state_line(harness, "t-erziehung-ks", corpus_christi) == (
        "🔴 heute geschlossen (Fronleichnam) – wieder morgen ab 9:00 Uhr")
    assert await state_line(harness, "t-erziehung-sdh", corpus_christi) == "🟢 jetzt geöffnet bis 16:00 Uhr"


async def test_next_opening_more_than_a_week_ahead_names_the_date(harness):
    whit_monday = datetime(2025, 6, 9, 10, 0, tzinfo=TZ)  # the Monday-only office is closed
    assert await state_line(harness, "t-schulden-ndh", whit_monday) == (
        "🔴 heute geschlossen (Pfingstmontag) – wieder am 16. Juni ab 9:00 Uhr")


async def test_round_the_clock_and_appointment_only(harness):
    at = datetime(2025, 12, 25, 3, 0, tzinfo=TZ)
    assert await state_line(harness, "t-krisendienst", at) == "🟢 rund um die Uhr erreichbar"
    assert await state_line(harness, "t-schulden-bfh", at) == "📅 nur nach Terminvereinbarung"


async def test_english_interface_formats_the_state_in_english(make_harness):
    harness = make_harness(language_code="en")
    line = await state_line(harness, "t-schulden-sdh", datetime(2025, 3, 4, 16, 0, tzinfo=TZ))
    assert line == "🔴 closed today – open again Thursday from 9:00"
