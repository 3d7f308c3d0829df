"""Slips found in a walkthrough (issue 12, 7): the remembered place and person look-ups, "zimmer",
a shared location, buttons that lead nowhere, and the phone-led answer after a new question."""

from __future__ import annotations

from tests.telegram.tg_helpers import buttons, texts


async def test_a_person_is_found_beyond_the_remembered_place(harness):
    await harness.ask("Erziehungsberatung Kassel")
    assert (await harness.memory())["place"] == "Kassel"
    text = await harness.ask("telefon frau musterfrau")
    assert "Erika Musterfrau" in text and "03632 700002" in text
    assert "nichts Passendes gefunden" not in text


async def test_a_room_is_no_town(harness):
    text = await harness.ask("ich suche ein zimmer")
    assert "Zimmern" not in text
    assert (await harness.memory()).get("place") != "Zimmern"


async def test_a_shared_location_replaces_the_typed_place(harness):
    await harness.ask("Schuldnerberatung Nordhausen")
    assert (await harness.memory())["place"] == "Nordhausen"
    await harness.feed(harness.updates.location(51.37, 11.25))  # a few km west of Artern
    assert (await harness.memory())["place"] != "Nordhausen"
    text = await harness.ask("Schuldnerberatung")
    assert "1. Schuldnerberatung Artern" in text


async def test_a_topic_without_offers_offers_no_button_back_to_itself(harness):
    calls = await harness.press("t:jobcenter")
    assert texts(calls)[0].startswith("Zum Thema Jobcenter habe ich leider noch kein Angebot.")
    shown = [b for call in calls for b in buttons(call)]
    assert ("📚 Alle Themen", "m:topics") in shown
    assert not [b for b in shown if b[1] == "t:jobcenter" or "Jobcenter" in b[0]]
    listed = [b for call in await harness.press("m:topics") for b in buttons(call)]
    assert ("Schulden", "t:schulden") in listed
    assert not [b for b in listed if b[1] == "t:jobcenter"]


async def test_a_question_that_finds_nothing_offers_no_empty_topic(harness):
    calls = await harness.send("jobcenter")
    shown = [b for call in calls for b in buttons(call)]
    assert not [b for b in shown if b[1] == "t:jobcenter" or "Jobcenter" in b[0]]


async def test_asking_for_the_number_is_a_follow_up_and_a_new_question_ends_it(harness):
    await harness.ask("Schuldnerberatung Sondershausen")
    text = await harness.ask("telefonnummer?")
    assert "1. Schuldnerberatung Sondershausen" in text
    assert (await harness.memory())["intent"] == "phone"
    text = await harness.ask("Erziehungsberatung Sondershausen")
    card = next(c for c in text.split("\n\n") if c.startswith("1. "))
    assert card.splitlines()[2].startswith("📍")  # the address leads again, not the phone
    assert (await harness.memory())["intent"] == "general"


def test_a_number_request_read_as_a_topic_by_its_meaning_stays_a_follow_up(store):
    """On the real data the meaning of "telefonnummer?" is near the crisis lines: that must not
    turn the follow-up into a new search (it answered with the TelefonSeelsorge instead of the numbers)."""
    from datetime import datetime

    from bot.i18n import translator
    from bot.opening import TZ
    from bot.render import Context, to_plain
    from bot.search import search
    from bot.telegram.dialog import Dialog, Memory

    def meaning_reads_krise(store_, question, **kwargs):
        response = search(store_, question, **kwargs)
        if question == "telefonnummer?":
            response.analysis.topics = ["krise"]
            response.analysis.semantic_topics = {"krise": 0.47}
        return response

    dialog = Dialog(store, Context(tr=translator("de"), at=datetime(2025, 3, 4, 10, 0, tzinfo=TZ)),
                    search_fn=meaning_reads_krise)
    first = dialog.ask("Schuldnerberatung Sondershausen", Memory())
    outcome = dialog.ask("telefonnummer?", first.memory)
    text = to_plain(outcome.replies[0].text)
    assert "1. Schuldnerberatung Sondershausen\nTestträger Soziale Dienste e.V.\n☎️ 03632 700001" in text
    assert "Krisendienst" not in text
    assert outcome.memory.hits == first.memory.hits


def test_the_town_sent_after_an_alarm_keeps_the_alarm(shipped):
    """An alarm with no town asks for one. The town alone is then searched with the message's content words
    ("mann schlägt"), which raise no alarm by themselves: the answer there must still be the danger's."""
    from bot.i18n import translator
    from bot.render import Context, to_plain
    from bot.telegram.dialog import Dialog, Memory
    from tests.shipped import ASKED_AT

    dialog = Dialog(shipped, Context(tr=translator("de"), at=ASKED_AT))
    first = dialog.ask("mein mann schlägt mich gerade", Memory())
    text = to_plain(first.replies[0].text)
    assert text.startswith("🆘 Wenn Sie in Gefahr sind") and "Polizei-Notruf: 110" in text
    assert "Schreiben Sie mir Ihren Ort, dann suche ich Beratung in Ihrer Nähe." in text
    there = dialog.ask("Nordhausen", first.memory)
    text = to_plain(there.replies[0].text)
    assert text.startswith("🆘 Wenn Sie in Gefahr sind")
    assert "Polizei-Notruf: 110" in text and "Hilfetelefon Gewalt gegen Frauen: 116 016" in text
    assert "Schreiben Sie mir Ihren Ort" not in text and there.memory.place == "Nordhausen"
    # the shipped data have no office for violence near Nordhausen: the nearest are not said to be near
    assert "Beratung in Ihrer Nähe" not in text
    assert ("Weitere Beratung:\nIn Nordhausen habe ich nichts Passendes gefunden – das sind die nächsten "
            "Angebote:\n\n1. ezra – Regionalstelle Gera") in text and "Gera (113 km)" in text
    # a new question is read afresh: the alarm stays with its town, not beyond
    text = to_plain(dialog.ask("Schuldnerberatung", there.memory).replies[0].text)
    assert "Polizei-Notruf" not in text and "Schuldnerberatung" in text
