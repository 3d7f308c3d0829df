"""The buttons under an answer: details, map (venue), contact card (vCard), share link, forged data."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from aiogram.methods import AnswerCallbackQuery, GetMe, SendContact, SendMessage, SendVenue

from tests.telegram.tg_helpers import buttons, only, texts


async def test_details_show_everything_and_offer_map_contact_share(harness):
    calls = await harness.press("o:details:t-schulden-sdh")
    assert only(calls, AnswerCallbackQuery).text is None
    message = only(calls, SendMessage)
    text = texts([message])[0]
    assert text.startswith("Schuldnerberatung Sondershausen\nTestträger Soziale Dienste e.V.")
    assert "📍 Teststraße 1, 99706 Sondershausen" in text
    assert "🕒 Dienstag und Donnerstag 9:00–16:00 Uhr" in text
    assert "laut Quelle: Di und Do 9-16 Uhr" in text
    assert "☎️ 03632 700001" in text
    assert "👤 Erika Musterfrau, Schuldnerberaterin, Raum 2 – 03632 700002, e.musterfrau@example.org" in text
    assert "🌐 https://example.org/schulden" in text
    assert "Quelle: example.org · Stand: März 2025" in text
    assert "🔗 Teilen: https://t.me/hilfe_finder_bot?start=o_t-schulden-sdh" in text
    found = dict(buttons(message))
    assert found["📍 Karte"] == "o:map:t-schulden-sdh"
    assert found["👤 Kontakt speichern"] == "o:contact:t-schulden-sdh"
    share = urlsplit(found["🔗 Teilen"])
    assert share.netloc == "t.me" and share.path == "/share/url"
    assert parse_qs(share.query)["url"] == ["https://t.me/hilfe_finder_bot?start=o_t-schulden-sdh"]


async def test_map_sends_a_venue_with_coordinates(harness):
    venue = only(await harness.press("o:map:t-schulden-sdh"), SendVenue)
    assert (venue.latitude, venue.longitude) == (51.3701, 10.8702)
    assert venue.title == "Schuldnerberatung Sondershausen"
    assert venue.address == "Teststraße 1, 99706 Sondershausen"
    assert venue.chat_id == harness.updates.chat["id"]


async def test_contact_sends_a_vcard_with_organisation_role_phone_mail_address(harness):
    contact = only(await harness.press("o:contact:t-schulden-sdh"), SendContact)
    assert contact.phone_number == "+49 3632 700002"
    assert (contact.first_name, contact.last_name) == ("Erika", "Musterfrau")
    card = contact.vcard.splitlines()
    assert card[0] == "BEGIN:VCARD" and card[-1] == "END:VCARD"
    assert "FN:Erika Musterfrau" in card
    assert "ORG:Testträger Soziale Dienste e.V.;Schuldnerberatung Sondershausen" in card
    assert "TITLE:Schuldnerberaterin" in card
    assert "TEL;TYPE=WORK,VOICE:+493632700002" in card
    assert "TEL;TYPE=WORK,VOICE:+493632700001" in card
    assert "EMAIL;TYPE=INTERNET:e.musterfrau@example.org" in card
    assert "ADR;TYPE=WORK:;;Teststraße 1;Sondershausen;;99706;Deutschland" in card


async def test_contact_of_an_office_without_person(harness):
    contact = only(await harness.press("o:contact:t-schulden-art"), SendContact)
    assert contact.phone_number == "+49 3466 700010"
    assert contact.first_name == "Schuldnerberatung Artern"
    assert "ORG:Testträger Soziale Dienste e.V.;Schuldnerberatung Artern" in contact.vcard


async def test_contact_without_any_number_explains(harness):
    calls = await harness.press("o:contact:t-schulden-kyf")
    assert only(calls, AnswerCallbackQuery).text == "Für dieses Angebot ist keine Telefonnummer bekannt."
    assert not [c for c in calls if isinstance(c, SendContact)]


async def test_offer_that_is_gone(harness):
    calls = await harness.press("o:details:t-gibt-es-nicht")
    assert only(calls, AnswerCallbackQuery).text == "Dieses Angebot gibt es nicht mehr."
    assert not texts(calls)


async def test_forged_callback_data_only_stops_the_spinner(harness):
    for data in ("o:details:../../etc/passwd", "o:delete:t-schulden-sdh", "p:9999", "p:-1", "t:<b>", "a:99",
                 "zzz", "o:details", "l:fr"):
        calls = await harness.press(data)
        assert [type(c) for c in calls if not isinstance(c, GetMe)] == [AnswerCallbackQuery], data
        assert calls[-1].text is None


async def test_more_results_after_the_memory_was_erased(harness):
    await harness.ask("/vergessen")
    text = texts(await harness.press("p:1"))[0]
    assert text == "Diese Ergebnisse sind nicht mehr da. Bitte fragen Sie noch einmal."
