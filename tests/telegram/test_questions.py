"""Questions per intent, paging, follow-ups, crisis and "nothing found"."""

from __future__ import annotations

from aiogram.methods import SendMessage

from tests.telegram.harness import storage_key
from tests.telegram.tg_helpers import buttons, only, texts


def first_card(text: str) -> list[str]:
    """The lines of the first card (after the header), without its title and provider."""
    cards = [c for c in text.split("\n\n") if c.startswith("1. ")]
    return cards[0].splitlines()[2:]


async def test_hours_question_leads_with_the_hours_and_the_state_now(harness):
    text = await harness.ask("Wann hat die Schuldnerberatung in Sondershausen offen?")
    assert "1. Schuldnerberatung Sondershausen" in text
    lines = first_card(text)
    assert lines[0] == "🕒 Dienstag und Donnerstag 9:00–16:00 Uhr"
    assert lines[1] == "🟢 jetzt geöffnet bis 16:00 Uhr"


async def test_phone_question_leads_with_the_number_in_international_form(harness):
    text = await harness.ask("Telefonnummer Schuldnerberatung Sondershausen")
    assert first_card(text)[0] == "☎️ 03632 700001"


async def test_address_question_leads_with_the_address(harness):
    text = await harness.ask("Adresse der Schuldnerberatung Sondershausen")
    assert first_card(text)[0] == "📍 Teststraße 1, 99706 Sondershausen"


async def test_contact_question_leads_with_the_person_and_how_to_reach_her(harness):
    text = await harness.ask("Wer ist Ansprechpartner bei der Schuldnerberatung Sondershausen?")
    assert first_card(text)[0] == ("👤 Erika Musterfrau, Schuldnerberaterin, Raum 2 – 03632 700002, "
                                   "e.musterfrau@example.org")


async def test_open_now_question(harness):
    text = await harness.ask("Hat die Schuldnerberatung Sondershausen jetzt offen?")
    assert first_card(text)[:2] == ["🕒 Dienstag und Donnerstag 9:00–16:00 Uhr", "🟢 jetzt geöffnet bis 16:00 Uhr"]


async def test_general_question_shows_three_cards_with_source_and_buttons(harness):
    message = only(await harness.send("Schuldnerberatung Sondershausen"), SendMessage)
    text = texts([message])[0]
    assert text.startswith("Angebote 1–3 von 5:")
    assert "1. Schuldnerberatung Sondershausen" in text and "3. " in text and "4. " not in text
    assert "Quelle: example.org · Stand: März 2025" in text
    assert "✉️ schulden@example.org" in text
    assert ("ℹ️ 1", "o:details:t-schulden-sdh") in buttons(message)
    assert ("📍 Karte 1", "o:map:t-schulden-sdh") in buttons(message)
    assert ("👤 Kontakt 1", "o:contact:t-schulden-sdh") in buttons(message)
    assert ("Weitere Ergebnisse ➡️", "p:1") in buttons(message)


async def test_paging_shows_the_rest_without_repeats(harness):
    first = texts(await harness.send("Schuldnerberatung Sondershausen"))[0]
    message = only(await harness.press("p:1"), SendMessage)
    second = texts([message])[0]
    assert second.startswith("Angebote 4–5 von 5:")
    assert "4. " in second and "5. " in second
    names = [line for line in (first + "\n" + second).splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert len(names) == len(set(n.split(". ", 1)[1] for n in names)) == 5
    assert not [b for b in buttons(message) if b[1].startswith("p:")]


async def test_follow_up_hours_of_the_last_answer(harness):
    await harness.ask("Schuldnerberatung Artern")
    text = await harness.ask("und wann haben die offen?")
    lines = first_card(text)
    assert lines[0] == "🕒 Montag bis Freitag 8:00–12:00 Uhr"
    assert lines[1] == "🔴 heute geschlossen – wieder morgen ab 8:00 Uhr"


async def test_follow_up_phone_number(harness):
    await harness.ask("Schuldnerberatung Artern")
    text = await harness.ask("die telefonnummer bitte")
    assert first_card(text)[0] == "☎️ 03466 700010"


async def test_follow_up_same_thing_elsewhere_and_the_place_is_remembered(harness):
    await harness.ask("Erziehungsberatung Sondershausen")
    text = await harness.ask("gibt es das auch in Kassel?")
    assert "1. Erziehungsberatung Kassel" in text
    assert (await harness.memory())["place"] == "Kassel"
    assert "1. Erziehungsberatung Kassel" in await harness.ask("Erziehungsberatung")


async def test_follow_up_something_else_pages_on_and_then_says_there_is_no_more(harness):
    await harness.ask("Schuldnerberatung Sondershausen")
    assert (await harness.ask("was anderes?")).startswith("Angebote 4–5 von 5:")
    assert (await harness.ask("was anderes?")).startswith("Mehr habe ich dazu leider nicht gefunden.")


async def test_nothing_found_is_honest_and_suggests(harness):
    message = only(await harness.send("Xylophonunterricht für Erwachsene"), SendMessage)
    text = texts([message])[0]
    assert text.startswith("Dazu habe ich leider kein passendes Angebot gefunden.")
    assert "Teststraße" not in text and "☎️" not in text
    assert ("📚 Alle Themen", "m:topics") in buttons(message)


async def test_a_typo_still_finds_the_offers(harness):
    assert "Schuldnerberatung Artern" in await harness.ask("Schuldnerberatng Artern")


async def test_did_you_mean_button_asks_the_suggestion(harness):
    await harness.dp.storage.set_data(key=storage_key(harness), data={"suggestions": ["Schuldnerberatung"]})
    text = texts(await harness.press("a:0"))[0]
    assert text.startswith("Angebote 1–3 von 5:")
    assert "Schuldnerberatung" in text
    assert not texts(await harness.press("a:5"))  # no such suggestion: nothing happens


async def test_crisis_puts_hotlines_first_then_local_offers(harness):
    text = await harness.ask("Ich will nicht mehr leben")
    # No place known: the offers are not said to be near.
    head, _, rest = text.partition("Weitere Beratung:")
    assert head.startswith("🆘 Wenn Sie in Gefahr sind")
    assert "TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222" in head
    assert "112" in head
    assert "Es ist gut, dass Sie sich melden. Sie müssen damit nicht allein bleiben." in head
    assert "Krisendienst Test" in rest
    # ... and the answer says how to get them near: the town alone asks again there
    assert "Schreiben Sie mir Ihren Ort, dann suche ich Beratung in Ihrer Nähe." in head
    await harness.ask("/ort Sondershausen")
    text = await harness.ask("Ich will nicht mehr leben")
    assert "Beratung in Ihrer Nähe:\n\n1. Krisendienst Test" in text
    assert "Schreiben Sie mir Ihren Ort" not in text


async def test_violence_shows_the_womens_helpline(harness):
    text = await harness.ask("Mein Mann schlägt mich")
    assert "Hilfetelefon Gewalt gegen Frauen: 116 016" in text.split("\n\n")[0]
    assert "110" in text.split("\n\n")[0]


async def test_message_without_content_gets_a_hint(harness):
    message = only(await harness.send("Hallo"), SendMessage)
    assert texts([message])[0].startswith("Hallo! Schreiben Sie mir einfach, wobei Sie Hilfe suchen")
    assert ("Schulden", "t:schulden") in buttons(message)
    for greeting in ("hello", "Guten Morgen!", "moin"):
        assert (await harness.ask(greeting)).startswith("Hallo! Schreiben Sie mir einfach")
    assert (await harness.ask("?")).startswith("Schreiben Sie mir einfach")


async def test_someone_who_does_not_know_where_to_start_is_encouraged_not_told_nothing_was_found(harness):
    for text in ("ich weiß nicht wo ich anfangen soll", "keine Ahnung", "ich brauche hilfe", "Hilfe!", "😭😭"):
        message = only(await harness.send(text), SendMessage)
        answer = texts([message])[0]
        assert answer.startswith("Das geht vielen so – Sie sind hier richtig."), text
        assert "kein passendes Angebot" not in answer and "Meinten Sie" not in answer
        assert "TelefonSeelsorge ist rund um die Uhr für Sie da, kostenlos: 0800 111 0 111" in answer
        assert ("Schulden", "t:schulden") in buttons(message)
    assert "1. Schuldner" in await harness.ask("ich brauche hilfe wegen schulden in sondershausen")


async def test_a_card_is_picked_by_its_number_or_ordinal(harness):
    first = await harness.ask("Schuldnerberatung Sondershausen")
    names = {int(line.split(". ", 1)[0]): line.split(". ", 1)[1] for line in first.splitlines()
             if line[:2] in {"1.", "2.", "3."}}
    for text, number in (("die zweite", 2), ("3", 3), ("nochmal die erste", 1), ("mehr infos zur dritten", 3)):
        message = only(await harness.send(text), SendMessage)
        details = texts([message])[0]
        assert details.startswith(names[number] + "\n"), text
        assert ("📍 Karte", f"o:map:{(await harness.memory())['hits'][number - 1][0]}") in buttons(message)
    # the answer is still there to page through
    assert (await harness.ask("weiter")).startswith("Angebote 4–5 von 5:")


async def test_back_again_and_where_exactly_refer_to_the_last_answer(harness):
    await harness.ask("Schuldnerberatung Sondershausen")
    await harness.press("p:1")
    assert (await harness.ask("zurück")).startswith("Angebote 1–3 von 5:\n\n1. Schuldnerberatung Sondershausen")
    assert (await harness.ask("nochmal")).startswith("Angebote 1–3 von 5:")
    assert first_card(await harness.ask("wo ist das genau?"))[0] == "📍 Teststraße 1, 99706 Sondershausen"
    assert first_card(await harness.ask("wie komme ich da hin"))[0] == "📍 Teststraße 1, 99706 Sondershausen"


async def test_a_place_alone_is_remembered_and_asks_what_is_wanted_there(harness):
    message = only(await harness.send("Artern"), SendMessage)
    assert texts([message])[0].startswith("Gut, ich suche in und um Artern. Wobei suchen Sie Hilfe?")
    assert ("Schulden", "t:schulden") in buttons(message)
    assert (await harness.memory())["place"] == "Artern"
    assert texts(await harness.press("t:schulden"))[0].startswith("Angebote zum Thema Schulden in und um Artern")
    # with an answer before, a place alone asks the same again there
    await harness.ask("Erziehungsberatung")
    assert "1. Erziehungsberatung Kassel" in await harness.ask("Kassel")


async def test_thanks_get_a_kind_word_and_no_search(harness):
    for text in ("Danke!", "vielen dank, tschüss 😊", "ok super danke", "👍", "🙏🙏"):
        message = only(await harness.send(text), SendMessage)
        assert texts([message])[0] == "Gern geschehen! Wenn Sie noch etwas brauchen, schreiben Sie mir einfach wieder."
    # thanks with a question is a question
    assert "Gern geschehen" not in await harness.ask("danke, gibt es auch eine schuldnerberatung?")


async def test_user_text_is_escaped_in_the_html(harness):
    message = only(await harness.send("/ort <b>Atlantis</b>"), SendMessage)
    assert "&lt;b&gt;Atlantis&lt;/b&gt;" in message.text
    assert message.parse_mode == "HTML"


async def test_memory_keeps_no_message_text(harness):
    await harness.ask("Ich habe Schulden und brauche Schuldnerberatung in Artern")
    memory = await harness.memory()
    assert set(memory) <= {"locale", "locale_guessed", "place", "query", "hits", "page", "intent", "suggestions",
                           "when", "alarm"}
    assert "Ich habe" not in repr(memory)


async def test_a_long_story_with_the_question_at_the_end_is_answered(harness):
    story = "Ich erzähle Ihnen erst einmal von unserem Xylophonunterricht am Nachmittag. " * 9
    text = await harness.ask(story + "Gibt es eine Schuldnerberatung in Artern?")
    assert "1. Schuldnerberatung Artern" in text
    assert "kein passendes Angebot" not in text
    assert (await harness.memory())["place"] == "Artern"


async def test_a_person_asked_for_leads_the_card_with_her_number_and_mail(harness):
    for question in ("telefon frau musterfrau", "Frau Musterfrau"):
        lines = first_card(await harness.ask(question))
        assert lines[0] == ("👤 Erika Musterfrau, Schuldnerberaterin, Raum 2 – 03632 700002, "
                            "e.musterfrau@example.org"), question
        assert sum("700002" in line for line in lines) == 1


async def test_english_follow_ups_refer_to_the_last_answer(make_harness):
    harness = make_harness(language_code="en")
    first = await harness.ask("Schuldnerberatung Sondershausen")
    second = next(line for line in first.splitlines() if line.startswith("2. ")).removeprefix("2. ")
    assert first_card(await harness.ask("phone number please"))[0] == "☎️ 03632 700001"
    assert first_card(await harness.ask("when are they open?"))[0] == "🕒 Tuesday and Thursday 9:00–16:00"
    assert (await harness.ask("next")).startswith("Services 4–5 of 5:")
    assert (await harness.ask("back")).startswith("Services 1–3 of 5:")
    assert (await harness.ask("the second")).startswith(second + "\n")
    lost = await harness.ask("I don't know where to start")
    assert lost.startswith("Many people feel that way")


async def test_an_unknown_village_is_said_and_its_postcode_continues_the_question(harness):
    text = await harness.ask("ich wohne in Rockensußra und brauche eine Schuldnerberatung")
    assert text.startswith("Den Ort „Rockensußra“ kenne ich leider nicht. Schreiben Sie mir die Postleitzahl oder "
                           "die nächste größere Stadt, dann suche ich in Ihrer Nähe.\n"), text[:200]
    assert "1. Schuldnerberatung" in text  # the offers follow, from anywhere until the place is known
    # the postcode alone: the same question there, and the place is no longer unknown
    text = await harness.ask("99706")
    assert "kenne ich leider nicht" not in text
    assert "1. Schuldnerberatung Sondershausen" in text


async def test_a_kept_alarm_of_another_shape_is_ignored(harness):
    """The chat state may come from another version or be altered in Redis: an alarm of another shape is not
    raised, and the town alone still gets its answer (it crashed into the apology before)."""
    for alarm in (["violence"], ["nonsense", None, "pattern", True, True], "violence", 7, {"kind": "violence"}):
        await harness.dp.storage.set_data(key=storage_key(harness), data={"query": "schuldnerberatung",
                                                                          "alarm": alarm})
        text = await harness.ask("Sondershausen")
        assert "1. Schuldnerberatung Sondershausen" in text
        assert "schiefgelaufen" not in text and "Polizei-Notruf" not in text

