"""The renderer without Telegram: cards, hours state, escaping, Babel formats, vCard, hotlines, no results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot import geo
from bot.i18n import translator
from bot.opening import TZ
from bot.render import (
    Context,
    Hit,
    answer_reply,
    contact_card,
    details_reply,
    distance_text,
    hotline_number,
    nothing_found_reply,
    offer_card,
    results_reply,
    source_date_text,
    to_plain,
    venue,
)
from bot.store import ContactRecord, OfferRecord, PhoneRecord

AT = datetime(2025, 3, 4, 15, 59, tzinfo=TZ)  # a Tuesday


def ctx(language: str = "de", at: datetime = AT) -> Context:
    return Context(tr=translator(language), at=at, locale="de_DE" if language == "de" else "en_GB",
                   bot_username="hilfe_test_bot")


def offer(**changes) -> OfferRecord:
    base = dict(
        id="x-1", name="Beratungsstelle Beispiel", provider="Beispielträger, Abteilung 2; Büro",
        street="Beispielweg 3", postcode="99706", city="Sondershausen", state="TH", lat=51.37, lon=10.87,
        geo_approximate=False, hours_osm="Tu,Th 09:00-16:00", hours_text="Di, Do 9-16 Uhr",
        phones=(PhoneRecord("+493632700001"), PhoneRecord("+493632700009", kind="fax")),
        contacts=(ContactRecord("Erika Musterfrau", role="Beraterin", phones=(PhoneRecord("+493632700002"),),
                                emails=("e.m@example.org",)),),
        emails=("info@example.org",), website="https://example.org", source_url="https://www.example.org/liste",
        source_date="2025-03",
    )
    base.update(changes)
    return OfferRecord(**base)


def lines(text: str) -> list[str]:
    return to_plain(text).splitlines()


def test_german_formats_from_babel():
    assert distance_text(2.34) == "2,3 km"
    assert distance_text(12.6) == "13 km"
    assert distance_text(2.34, "en_GB") == "2.3 km"
    assert source_date_text("2025-03") == "März 2025"
    assert source_date_text("2025-03-12") == "12. März 2025"
    assert source_date_text("2025") == "2025"
    assert source_date_text("2025-03", "en_GB") == "March 2025"


def test_card_has_name_provider_address_hours_state_phone_mail_web_source():
    card = lines(offer_card(offer(), ctx(), number=1, distance_km=2.34))
    assert card == [
        "1. Beratungsstelle Beispiel",
        "Beispielträger, Abteilung 2; Büro",
        "📍 Beispielweg 3, 99706 Sondershausen (2,3 km)",
        "🕒 Dienstag und Donnerstag 9:00–16:00 Uhr",
        "🟢 jetzt geöffnet bis 16:00 Uhr",
        "☎️ 03632 700001",
        "☎️ Erika Musterfrau: 03632 700002",
        "📠 Fax 03632 700009",
        "👤 Erika Musterfrau, Beraterin",
        "✉️ info@example.org, e.m@example.org",
        "🌐 https://example.org",
        "Quelle: example.org · Stand: März 2025",
    ]


def test_the_asked_part_comes_first():
    assert lines(offer_card(offer(), ctx(), intent="phone"))[2] == "☎️ 03632 700001"
    assert lines(offer_card(offer(), ctx(), intent="address"))[2].startswith("📍 Beispielweg 3")
    assert lines(offer_card(offer(), ctx(), intent="hours"))[2].startswith("🕒 Dienstag")
    contact = lines(offer_card(offer(), ctx(), intent="contact"))[2]
    assert contact == "👤 Erika Musterfrau, Beraterin – 03632 700002, e.m@example.org"


def test_a_missing_asked_part_is_said_plainly():
    card = lines(offer_card(offer(hours_osm=None, hours_text=None), ctx(), intent="hours"))
    assert card[2] == "🕒 Sprechzeiten sind nicht angegeben – bitte vorher anrufen."


def test_offer_data_and_html_are_escaped():
    html = offer_card(offer(name="<b>Hilfe</b> & mehr", note="a < b"), ctx())
    assert "&lt;b&gt;Hilfe&lt;/b&gt; &amp; mehr" in html
    assert "<b>Hilfe</b>" not in html
    assert to_plain(html).splitlines()[0] == "<b>Hilfe</b> & mehr"


def test_english_interface_keeps_offer_data_german():
    card = lines(offer_card(offer(), ctx("en", datetime(2025, 3, 4, 16, 0, tzinfo=TZ))))
    assert "🕒 Tuesday and Thursday 9:00–16:00" in card
    assert "🔴 closed today – open again Thursday from 9:00" in card
    assert "Source: example.org · As of: March 2025" in card
    assert card[0] == "Beratungsstelle Beispiel"


def test_vcard_escapes_separators_and_holds_everything():
    card = contact_card(offer())
    assert card.phone_number == "+49 3632 700002"
    assert (card.first_name, card.last_name) == ("Erika", "Musterfrau")
    vcard = card.vcard.splitlines()
    assert "ORG:Beispielträger\\, Abteilung 2\\; Büro;Beratungsstelle Beispiel" in vcard
    assert "TITLE:Beraterin" in vcard
    assert "TEL;TYPE=WORK,FAX:+493632700009" in vcard
    assert "EMAIL;TYPE=INTERNET:e.m@example.org" in vcard
    assert "URL:https://example.org" in vcard


def test_no_map_without_coordinates_and_no_contact_without_number():
    assert venue(offer(lat=None, lon=None)) is None
    assert contact_card(offer(phones=(), contacts=())) is None
    point = venue(offer())
    assert (point.lat, point.lon, point.address) == (51.37, 10.87, "Beispielweg 3, 99706 Sondershausen")


def test_hotline_numbers_as_dialled():
    assert hotline_number("+498001110111") == "0800 111 0 111"
    assert hotline_number("+49116016") == "116 016"
    assert hotline_number("112") == "112"


def test_paging_header_and_more_button():
    hits = [Hit(offer(id=f"x-{n}", name=f"Stelle {n}")) for n in range(3)]
    reply = results_reply(hits, ctx(), page=0, total=7)
    assert to_plain(reply.text).startswith("Angebote 1–3 von 7:")
    assert reply.buttons[-1][0].action == "page" and reply.buttons[-1][0].value == "1"
    last = results_reply(hits[:1], ctx(), page=2, total=7)
    assert to_plain(last.text).startswith("Angebote 7–7 von 7:")
    assert all(b.action != "page" for row in last.buttons for b in row)


@dataclass
class _Analysis:
    intent: str = "general"
    crisis: str | None = None
    place: object | None = None
    crisis_uncertain: bool = False
    crisis_also: str | None = None
    crisis_leaning: tuple[str, ...] = ()
    person: str | None = None
    unknown_place: str | None = None


@dataclass
class _Response:
    analysis: _Analysis
    results: list = field(default_factory=list)
    place_fallback: bool = False
    suggestions: list = field(default_factory=list)
    missing_office: str | None = None


HOTLINES = [
    {"id": "ts", "name": "TelefonSeelsorge", "phones": ["+498001110111", "+498001110222"], "hours": "rund um die Uhr",
     "crisis": ["suicide"]},
    {"id": "gewalt", "name": "Hilfetelefon Gewalt gegen Frauen", "phones": ["+49116016"], "hours": None,
     "crisis": ["violence"]},
]


def test_crisis_puts_the_fitting_hotlines_before_everything():
    @dataclass
    class R:
        offer: OfferRecord
        distance_km: float | None = None

    response = _Response(_Analysis(crisis="suicide"), results=[R(offer())])
    text = to_plain(answer_reply(response, ctx(), hotlines=HOTLINES).reply.text)
    assert text.startswith("🆘 Wenn Sie in Gefahr sind")
    assert "• TelefonSeelsorge: 0800 111 0 111 · 0800 111 0 222 (rund um die Uhr)" in text
    assert "116 016" not in text
    assert text.index("TelefonSeelsorge") < text.index("Beratungsstelle Beispiel")


SOFT_HOTLINES = [
    {"id": "notruf-112", "name": "Notruf – Rettungsdienst und Feuerwehr", "phones": ["112"], "hours": None,
     "crisis": ["emergency", "poison", "medical"]},
    {"id": "telefonseelsorge", "name": "TelefonSeelsorge", "phones": ["+498001110111"], "hours": "rund um die Uhr",
     "crisis": ["suicide", "uncertain"]},
    {"id": "giftnotruf-erfurt", "name": "Giftnotruf Erfurt", "phones": ["+49361730730"], "hours": "rund um die Uhr",
     "crisis": ["poison"]},
]


def test_an_uncertain_message_gets_the_quiet_telefonseelsorge_line_not_the_emergency_block():
    text = to_plain(answer_reply(_Response(_Analysis(crisis_uncertain=True)), ctx(), hotlines=SOFT_HOTLINES).reply.text)
    assert text.startswith("💬 Wenn Ihnen gerade alles zu viel wird: Die TelefonSeelsorge hört zu – anonym, "
                           "kostenlos und rund um die Uhr: 0800 111 0 111")
    assert "🆘" not in text and "112" not in text and "Giftnotruf" not in text


def test_an_uncertain_message_that_finds_nothing_still_says_so_without_a_spelling_guess():
    # chat Arabic about German courses in Erfurt found no offer: before, the soft line was the whole answer
    town = geo.Place("Erfurt", 50.97, 11.03, "", "Thüringen", "", "town")
    response = _Response(_Analysis(crisis_uncertain=True, place=town), suggestions=["haupt"])
    reply = answer_reply(response, ctx(), hotlines=SOFT_HOTLINES).reply
    text = to_plain(reply.text)
    assert text.startswith("💬 Wenn Ihnen gerade alles zu viel wird: Die TelefonSeelsorge hört zu")
    assert "\n\nDazu habe ich in Erfurt und Umgebung leider kein passendes Angebot gefunden." in text
    assert "Meinten Sie" not in text
    assert [(b.action, b.value) for row in reply.buttons for b in row] == [("topics", "")]
    # without the soft line the did-you-mean stays
    plain = to_plain(answer_reply(_Response(_Analysis(), suggestions=["haupt"]), ctx()).reply.text)
    assert "Meinten Sie: „haupt“?" in plain


def test_an_uncertain_message_leaning_to_poison_or_collapse_gets_112_and_the_giftnotruf_first():
    """A parent unsure whether the swallowed cleaner is dangerous ("ibni shrib mn 2ninet el klor")."""
    response = _Response(_Analysis(crisis_uncertain=True, crisis_leaning=("poison", "medical")))
    text = to_plain(answer_reply(response, ctx(), hotlines=SOFT_HOTLINES).reply.text)
    assert text.startswith("⚠️ Falls es doch ein Notfall ist, bekommen Sie hier sofort Rat und Hilfe:\n"
                           "• Notruf – Rettungsdienst und Feuerwehr: 112\n"
                           "• Giftnotruf Erfurt: 0361 730730 (rund um die Uhr)\n\n"
                           "💬 Wenn Ihnen gerade alles zu viel wird: Die TelefonSeelsorge hört zu")
    assert "🆘" not in text
    english = to_plain(answer_reply(response, ctx("en"), hotlines=SOFT_HOTLINES).reply.text)
    assert english.startswith("⚠️ In case it is an emergency after all, you can get advice and help here right away:")


def test_only_nationwide_lines_for_a_named_place_say_there_is_nothing_on_site():
    @dataclass
    class Place:
        name: str
        kind: str = "town"
        city: bool = False

    @dataclass
    class R:
        offer: OfferRecord
        distance_km: float | None = None

    line = offer(street=None, postcode=None, city=None, state="DE", lat=None, lon=None)
    response = _Response(_Analysis(place=Place("Mühlhausen")), results=[R(line)])
    text = to_plain(answer_reply(response, ctx()).reply.text)
    assert text.startswith("In Mühlhausen habe ich dazu keine Stelle vor Ort gefunden – diese Angebote "
                           "erreichen Sie telefonisch oder online:\n\n1. Beratungsstelle Beispiel")
    english = to_plain(answer_reply(response, ctx("en")).reply.text)
    assert english.startswith("I found no office in Mühlhausen itself – you can reach these by phone or online:")
    local = _Response(_Analysis(place=Place("Sondershausen")), results=[R(offer(), 0.4), R(line)])
    assert to_plain(answer_reply(local, ctx()).reply.text).startswith("1. Beratungsstelle Beispiel")


def test_a_county_is_named_with_its_article_and_a_city_like_a_town():
    @dataclass
    class Place:
        name: str
        kind: str = "county"
        city: bool = False

    @dataclass
    class R:
        offer: OfferRecord
        distance_km: float | None = None

    def first_line(place: Place, language: str = "de") -> str:
        response = _Response(_Analysis(place=place), results=[R(offer(), 40.0)], place_fallback=True)
        return to_plain(answer_reply(response, ctx(language)).reply.text).split("\n")[0]

    assert first_line(Place("Kyffhäuserkreis")) == (
        "Im Kyffhäuserkreis habe ich nichts Passendes gefunden – das sind die nächsten Angebote:")
    assert first_line(Place("Schmalkalden-Meiningen")).startswith("Im Landkreis Schmalkalden-Meiningen habe ich")
    assert first_line(Place("Landkreis Gotha")).startswith("Im Landkreis Gotha habe ich")
    assert first_line(Place("Erfurt", city=True)).startswith("In Erfurt habe ich nichts Passendes gefunden")
    assert first_line(Place("Sondershausen", kind="town")).startswith("In Sondershausen habe ich")
    assert first_line(Place("Kyffhäuserkreis"), "en") == (
        "I found nothing matching in Kyffhäuserkreis – these are the nearest services:")
    nothing = answer_reply(_Response(_Analysis(place=Place("Kyffhäuserkreis"))), ctx())
    assert to_plain(nothing.reply.text).startswith("Dazu habe ich im Kyffhäuserkreis leider kein passendes Angebot")


def test_nothing_found_is_honest_and_offers_topics_and_did_you_mean():
    topics = [{"id": "schulden", "label": "Schulden"}]
    reply = nothing_found_reply(ctx(), ["Schulden", "schuldner"], topics)
    text = to_plain(reply.text)
    assert text.startswith("Dazu habe ich leider kein passendes Angebot gefunden.")
    assert "Meinten Sie: „schuldner“?" in text
    actions = [(b.action, b.value) for row in reply.buttons for b in row]
    assert actions == [("topic", "schulden"), ("ask", "1"), ("topics", "")]
    response = _Response(_Analysis(), suggestions=[])
    assert "☎️" not in to_plain(answer_reply(response, ctx()).reply.text)



@dataclass
class _Hit:
    offer: OfferRecord
    distance_km: float | None = None


def test_asked_for_a_number_that_no_card_has_it_is_said_once_with_the_other_ways_to_reach_them():
    no_phone = offer(phones=(), contacts=(ContactRecord("Karin Franke", role="Leiterin"),))
    hits = [Hit(no_phone), Hit(offer(id="x-2", name="Zweite Stelle", phones=(), contacts=()))]
    text = to_plain(results_reply(hits, ctx(), intent="phone").text)
    assert text.startswith("☎️ Für diese Angebote habe ich leider keine Telefonnummer. So erreichen Sie sie:\n\n1. ")
    assert "Keine Telefonnummer angegeben" not in text
    card = text.split("\n\n")[1].splitlines()
    assert card[2:4] == ["✉️ info@example.org", "🌐 https://example.org"]  # how else to reach them, first
    bare = offer(phones=(), contacts=(), emails=(), website=None)
    alone = to_plain(results_reply([Hit(bare)], ctx(), intent="phone").text)
    assert alone.startswith("☎️ Für dieses Angebot habe ich leider keine Telefonnummer und auch keine "
                            "E-Mail-Adresse oder Website – nur diese Angaben:")
    # One card with a number among them: only the others say that theirs is missing, on the card.
    mixed = to_plain(results_reply([Hit(offer()), Hit(no_phone)], ctx(), intent="phone").text)
    assert mixed.startswith("1. Beratungsstelle Beispiel")
    assert mixed.split("\n\n")[1].splitlines()[2:4] == ["☎️ Keine Telefonnummer angegeben.", "✉️ info@example.org"]


def test_a_contact_answer_lists_the_persons_numbers_and_mails_once():
    card = lines(offer_card(offer(), ctx(), intent="contact"))
    assert card[2] == "👤 Erika Musterfrau, Beraterin – 03632 700002, e.m@example.org"
    assert sum("700002" in line for line in card) == 1
    assert sum("e.m@example.org" in line for line in card) == 1
    assert "☎️ 03632 700001" in card and "✉️ info@example.org" in card


def test_a_crisis_answer_does_not_repeat_a_line_listed_above_and_says_what_follows():
    seelsorge = offer(id="bw-1", name="TelefonSeelsorge", state="DE", street=None, postcode=None, city=None,
                      lat=None, lon=None, phones=(PhoneRecord("+498001110111"), PhoneRecord("+498001110222")),
                      contacts=())
    elterntelefon = offer(id="bw-2", name="Elterntelefon", state="DE", street=None, postcode=None, city=None,
                          lat=None, lon=None, phones=(PhoneRecord("+498001110550"),), contacts=())
    response = _Response(_Analysis(crisis="suicide"), results=[_Hit(seelsorge), _Hit(elterntelefon)])
    answer = answer_reply(response, ctx(), hotlines=HOTLINES)
    text = to_plain(answer.reply.text)
    assert "Es ist gut, dass Sie sich melden. Sie müssen damit nicht allein bleiben." in text
    assert "Weitere Hilfe am Telefon und online:\n\n1. Elterntelefon" in text
    @dataclass
    class Place:
        name: str
        kind: str = "town"
        city: bool = False

    there = _Response(_Analysis(crisis="suicide", place=Place("Artern")), results=[_Hit(elterntelefon)])
    text = to_plain(answer_reply(there, ctx(), hotlines=HOTLINES).reply.text)
    assert "Weitere Hilfe am Telefon und online:\n\n1. Elterntelefon" in text and "keine Stelle vor Ort" not in text
    assert "TelefonSeelsorge\n" not in text and [h.offer.id for h in answer.hits] == ["bw-2"]
    # Nothing left besides the lines above: the crisis lines alone, with ways on.
    only_lines = answer_reply(_Response(_Analysis(crisis="suicide"), results=[_Hit(seelsorge)]), ctx(),
                              hotlines=HOTLINES)
    assert to_plain(only_lines.reply.text).startswith("🆘 ") and not only_lines.hits
    assert only_lines.reply.buttons


def test_a_far_home_place_is_said_and_a_topic_heads_the_cards():
    @dataclass
    class Place:
        name: str
        kind: str = "town"
        city: bool = False

    far = _Response(_Analysis(), results=[_Hit(offer(), 68.0)])
    text = to_plain(answer_reply(far, ctx(), home=Place("Kassel")).reply.text)
    assert text.startswith("In Kassel habe ich nichts Passendes gefunden – das sind die nächsten Angebote:\n\n1. ")
    near = _Response(_Analysis(), results=[_Hit(offer(), 3.0)])
    assert to_plain(answer_reply(near, ctx(), home=Place("Sondershausen")).reply.text).startswith("1. ")
    county = _Response(_Analysis(), results=[_Hit(offer(county="Kyffhäuserkreis"), 14.0)])
    assert to_plain(answer_reply(county, ctx(), home=Place("Kyffhäuserkreis", kind="county")).reply.text
                    ).startswith("1. ")
    titled = answer_reply(near, ctx(), title="Angebote zum Thema <b>Schulden</b>:")
    assert to_plain(titled.reply.text).startswith("Angebote zum Thema Schulden:\n\n1. ")
    nothing = answer_reply(_Response(_Analysis()), ctx(), topic="Pflege")
    assert to_plain(nothing.reply.text).startswith("Zum Thema Pflege habe ich leider noch kein Angebot.")


def test_an_offer_without_a_way_to_reach_it_says_so_and_asks_to_call_only_with_a_number():
    bare = offer(phones=(), contacts=(ContactRecord("Karin Franke"),), emails=(), website=None, hours_osm=None,
                 hours_text=None)
    details = lines(details_reply(bare, ctx()).text)
    assert ("☎️ Telefon, E-Mail oder Website sind für dieses Angebot nicht angegeben – vielleicht steht mehr in "
            "der Quelle unten.") in details
    assert not any("nicht angegeben" in line for line in lines(details_reply(offer(), ctx()).text))
    assert lines(offer_card(bare, ctx(), intent="hours"))[2] == "🕒 Sprechzeiten sind nicht angegeben."
    assert lines(offer_card(offer(hours_osm=None, hours_text=None), ctx(), intent="hours"))[2] == (
        "🕒 Sprechzeiten sind nicht angegeben – bitte vorher anrufen.")
