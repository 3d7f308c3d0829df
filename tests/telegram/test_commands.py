"""Every command, driven through the real dispatcher; assertions on what the user sees."""

from __future__ import annotations

from aiogram.methods import SendMessage, SetMyCommands

from tests.telegram.tg_helpers import buttons, only, texts


async def test_start_welcomes_explains_and_offers_topic_buttons(harness):
    calls = await harness.send("/start")
    message = only(calls, SendMessage)
    text = texts([message])[0]
    assert text.startswith("Hallo! Ich helfe Ihnen")
    assert "„Schuldnerberatung in Gotha“" in text
    labels = [label for label, _ in buttons(message)]
    # Only topics with offers: the test data has debt counselling, but no youth office (a dead end).
    assert "Schulden" in labels and "Jugendamt" not in labels
    assert ("📚 Alle Themen", "m:topics") in buttons(message)
    assert ("Schulden", "t:schulden") in buttons(message)


async def test_start_deep_link_opens_the_offer(harness):
    calls = await harness.send("/start o_t-schulden-sdh")
    text = texts(calls)[0]
    assert text.startswith("Schuldnerberatung Sondershausen")
    assert "03632 700001" in text
    assert "https://t.me/hilfe_finder_bot?start=o_t-schulden-sdh" in text


async def test_start_deep_link_to_a_removed_offer_says_so(harness):
    text = (await harness.ask("/start o_gibt-es-nicht"))
    assert text.startswith("Dieses Angebot gibt es nicht mehr.")


async def test_start_with_a_forged_payload_is_the_plain_welcome(harness):
    text = await harness.ask("/start o_<script>")
    assert text.startswith("Hallo! Ich helfe Ihnen")


async def test_help_lists_how_to_ask_and_the_commands(harness):
    text = await harness.ask("/hilfe")
    assert "So fragen Sie" in text
    for command in ("/themen", "/ort", "/sprache", "/datenschutz", "/vergessen"):
        assert command in text
    assert "„und wann haben die offen?“" in text
    assert "112" in text and "0800 111 0 111" in text


async def test_topics_lists_every_topic_with_offers_and_a_topic_lists_its_offers(harness):
    message = only(await harness.send("/themen"), SendMessage)
    assert texts([message])[0].startswith("Wählen Sie ein Thema")
    # Every topic that has offers in the test data, and no topic that would lead to "nothing found".
    assert buttons(message) == [("Erziehung und Familienberatung", "t:erziehung"), ("Krise und Notfall", "t:krise"),
                                ("Psychische Gesundheit", "t:psyche"), ("Schulden", "t:schulden")]
    calls = await harness.press("t:schulden")
    text = texts(calls)[0]
    assert "Schuldnerberatung" in text
    # The cards say which topic they answer (one header with the count, not two).
    assert text.startswith("Angebote zum Thema Schulden (1–3 von 5):\n\n1. ")


async def test_topic_button_names_the_home_place_and_says_when_a_topic_has_nothing(harness):
    await harness.ask("/ort Artern")
    text = texts(await harness.press("t:schulden"))[0]
    assert text.startswith("Angebote zum Thema Schulden in und um Artern (1–3 von 5):\n\n1. Schuldnerberatung Artern")
    await harness.ask("/ort Kyffhäuserkreis")
    assert texts(await harness.press("t:schulden"))[0].startswith(
        "Angebote zum Thema Schulden im Kyffhäuserkreis und Umgebung (1–3 von 5):")
    message = only(await harness.press("t:pflege"), SendMessage)
    assert texts([message])[0].startswith("Zum Thema Pflege habe ich leider noch kein Angebot.")
    assert "Schuldnerberatung in Gotha" not in texts([message])[0]
    assert ("📚 Alle Themen", "m:topics") in buttons(message)


async def test_topics_button_from_the_start_menu(harness):
    calls = await harness.press("m:topics")
    assert texts(calls)[0].startswith("Wählen Sie ein Thema")


async def test_place_command_asks_then_remembers_the_place(harness):
    text = await harness.ask("/ort")
    assert "In welchem Ort suchen Sie Hilfe?" in text
    text = await harness.ask("06556")
    assert text.startswith("Gespeichert: Artern.")
    assert (await harness.memory())["place"] == "Artern"
    # The next question without a place searches near Artern first.
    text = await harness.ask("Schuldnerberatung")
    assert "1. Schuldnerberatung Artern" in text
    text = await harness.ask("/ort")
    assert "Ihr Ort ist bisher: Artern." in text


async def test_place_command_with_argument_and_unknown_place(harness):
    assert (await harness.ask("/ort Bad Frankenhausen")).startswith("Gespeichert: Bad Frankenhausen.")
    text = await harness.ask("/ort Atlantis")
    assert text.startswith("Den Ort „Atlantis“ kenne ich leider nicht – ich kenne Orte in Thüringen und Hessen.")
    assert (await harness.memory())["place"] == "Bad Frankenhausen"


async def test_privacy_says_what_is_kept_where_and_how_long(harness):
    text = await harness.ask("/datenschutz")
    assert "Datenschutz" in text
    assert "Ihren Ort" in text and "letzten Frage" in text
    assert "30 Tage" in text and "Redis" in text
    assert "/vergessen" in text


async def test_forget_erases_the_chat_state(harness):
    await harness.ask("/ort Artern")
    await harness.ask("Schuldnerberatung")
    assert (await harness.memory())["hits"]
    text = await harness.ask("/vergessen")
    assert text.startswith("Erledigt: Ich habe alles gelöscht")
    assert await harness.memory() == {}
    # A follow-up has nothing to refer to any more.
    assert (await harness.ask("und wann haben die offen?")).startswith(
        "Welche Stelle meinen Sie? Schreiben Sie mir bitte, was Sie suchen und wo, zum Beispiel „Wann hat die "
        "Tafel in Artern offen?“.")


async def test_a_question_or_a_cry_for_help_typed_for_the_place_is_answered(harness):
    await harness.ask("/ort")
    assert (await harness.ask("Ich will nicht mehr leben")).startswith("🆘 Wenn Sie in Gefahr sind")
    await harness.ask("/ort")
    text = await harness.ask("Schuldnerberatung Artern")
    assert "1. Schuldnerberatung Artern" in text
    assert (await harness.memory())["place"] == "Artern"
    # and the next message is a question again, not a place
    assert "Schuldnerberatung" in await harness.ask("Schuldnerberatung Sondershausen")


async def test_language_switch_to_english_and_back(harness):
    message = only(await harness.send("/sprache"), SendMessage)
    assert buttons(message) == [("Deutsch", "l:de"), ("English", "l:en"), ("Українська", "l:uk"),
                                ("Русский", "l:ru"), ("العربية", "l:ar"), ("Türkçe", "l:tr"),
                                ("Leichte Sprache", "l:de-leicht")]
    text = texts(await harness.press("l:en"))[0]
    assert text == "From now on I will write in English."
    assert (await harness.ask("/hilfe")).startswith("How to ask")
    text = texts(await harness.press("l:de"))[0]
    assert text == "Ich schreibe jetzt auf Deutsch."


async def test_english_telegram_client_gets_the_english_interface(make_harness):
    harness = make_harness(language_code="en-GB")
    text = await harness.ask("When is the Schuldnerberatung Sondershausen open?")
    assert "Tuesday and Thursday 9:00–16:00" in text
    assert "open now until 16:00" in text
    assert "Schuldnerberatung Sondershausen" in text  # offer data stays German
    assert "Source: example.org · As of: March 2025" in text


async def test_unknown_command(harness):
    assert (await harness.ask("/foo")).startswith("Diesen Befehl kenne ich nicht.")


async def test_command_menu_is_registered_in_german_and_english(harness):
    await harness.dp.emit_startup(bot=harness.bot)
    menus = {c.language_code: c for c in harness.session.calls if isinstance(c, SetMyCommands)}
    german = {c.command: c.description for c in menus[None].commands}
    english = {c.command: c.description for c in menus["en"].commands}
    assert set(german) == {"start", "hilfe", "themen", "ort", "sprache", "datenschutz", "vergessen"}
    assert german["vergessen"] == "Alles über diesen Chat löschen"
    assert english["vergessen"] == "Delete everything about this chat"
