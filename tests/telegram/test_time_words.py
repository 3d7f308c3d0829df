"""Time words in questions (issue 12, 6): "morgen", "am Samstag", "heute Abend", "über Weihnachten",
"nächsten Dienstag" are answered for that time, with Thüringen's public holidays."""

from __future__ import annotations

from datetime import datetime

from bot.opening import TZ
from bot.render import to_plain


def state_of(text: str, name: str) -> str:
    """The open/closed line of the card headed ``name`` in an answer."""
    cards = [block for block in text.split("\n\n") if name in block.splitlines()[0]]
    assert cards, text
    card = cards[0]
    return next(line for line in card.splitlines() if line and line[0] in "🟢🔴❔📅")


async def ask_at(harness, at: datetime, question: str) -> str:
    harness.now[0] = at
    return await harness.ask(question)


# Tuesday 4 March 2025, 15:59: the harness's clock. Sondershausen's debt counselling: Tu, Th 9-16.
async def test_tomorrow_is_answered_for_tomorrow(harness):
    text = await harness.ask("hat die schuldnerberatung sondershausen morgen offen")
    assert state_of(text, "Schuldnerberatung Sondershausen") == (
        "🔴 morgen (Mittwoch, 5. März): geschlossen – wieder Donnerstag ab 9:00 Uhr")


async def test_a_weekday_is_answered_with_its_hours(harness):
    text = await harness.ask("schuldnerberatung sondershausen am donnerstag")
    assert state_of(text, "Schuldnerberatung Sondershausen") == "🟢 Donnerstag, 6. März: geöffnet 9:00–16:00 Uhr"


async def test_next_tuesday_on_a_tuesday_is_in_a_week(harness):
    text = await harness.ask("schuldnerberatung sondershausen nächsten dienstag")
    assert state_of(text, "Schuldnerberatung Sondershausen") == "🟢 Dienstag, 11. März: geöffnet 9:00–16:00 Uhr"


async def test_tonight_is_the_evening_hours(harness):
    text = await harness.ask("schuldnerberatung sondershausen heute abend")
    assert state_of(text, "Schuldnerberatung Sondershausen") == (
        "🔴 heute (Dienstag, 4. März), abends: geschlossen – wieder Donnerstag ab 9:00 Uhr")


async def test_over_christmas_the_holidays_count(harness):
    text = await ask_at(harness, datetime(2025, 12, 22, 10, 0, tzinfo=TZ),
                        "schuldnerberatung sondershausen über weihnachten")
    assert state_of(text, "Schuldnerberatung Sondershausen") == (
        "🔴 Weihnachten (24.–26. Dezember): geschlossen – wieder am 30. Dezember ab 9:00 Uhr")
    # Artern is open Monday to Friday: on Christmas Eve (a working day), not on the two holidays.
    text = await harness.ask("schuldnerberatung artern über weihnachten")
    assert state_of(text, "Schuldnerberatung Artern") == "🟢 Weihnachten (24.–26. Dezember): geöffnet " \
        "Mittwoch, 24. Dezember 8:00–12:00 Uhr"


async def test_tomorrow_a_thuringian_holiday_is_named_and_hesse_is_open(harness):
    """Reformationstag (31 October) is a holiday in Thüringen, not in Hessen."""
    thursday = datetime(2025, 10, 30, 12, 0, tzinfo=TZ)
    text = await ask_at(harness, thursday, "erziehungsberatung morgen")
    assert state_of(text, "Erziehungsberatung Sondershausen") == (
        "🔴 morgen (Freitag, 31. Oktober): geschlossen (Reformationstag) – wieder Montag ab 9:00 Uhr")
    assert state_of(text, "Erziehungsberatung Kassel") == "🟢 morgen (Freitag, 31. Oktober): geöffnet 9:00–16:00 Uhr"


async def test_a_follow_up_with_only_a_time_shows_the_same_offers_then(harness):
    await harness.ask("schuldnerberatung sondershausen")
    text = await harness.ask("und am donnerstag?")
    assert state_of(text, "Schuldnerberatung Sondershausen") == "🟢 Donnerstag, 6. März: geöffnet 9:00–16:00 Uhr"
    assert (await harness.memory())["when"] == ["2025-03-06", "2025-03-06", 0, 1440, None, None]


async def test_a_new_question_without_a_time_word_is_about_now_again(harness):
    await harness.ask("schuldnerberatung sondershausen am donnerstag")
    text = await harness.ask("schuldnerberatung sondershausen")
    assert state_of(text, "Schuldnerberatung Sondershausen") == "🟢 jetzt geöffnet bis 16:00 Uhr"


async def test_without_hours_the_card_does_not_pretend(harness):
    text = await harness.ask("schuldnerberatung bad frankenhausen morgen")
    assert state_of(text, "Schuldnerberatung Bad Frankenhausen") == "📅 nur nach Terminvereinbarung"


async def test_good_morning_is_a_greeting_not_tomorrow(harness):
    text = await harness.ask("guten morgen")
    assert text.startswith("Hallo!")


async def test_inline_results_are_for_the_time_asked_too(harness):
    """Inline mode (``@bot schuldnerberatung sondershausen morgen``) used the same search but rendered the state
    now: "jetzt geöffnet bis 16:00 Uhr" for a question about tomorrow, when the office is closed."""
    calls = await harness.feed(harness.updates._update(inline_query={
        "id": "q1", "from": harness.updates.user, "query": "schuldnerberatung sondershausen morgen", "offset": ""}))
    article = next(r for r in calls[-1].results if r.id == "t-schulden-sdh")
    tomorrow = "morgen (Mittwoch, 5. März): geschlossen – wieder Donnerstag ab 9:00 Uhr"
    assert article.description == f"Testträger Soziale Dienste e.V.\n☎️ 03632 700001 · {tomorrow}"
    assert state_of(to_plain(article.input_message_content.message_text), "Schuldnerberatung Sondershausen") == (
        f"🔴 {tomorrow}")
