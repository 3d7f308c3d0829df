"""Leichte Sprache (``de-leicht``): short sentences, no abbreviations, times written out simply.

The sentence length is measured over everything the bot says itself (the catalog), in the
same way for standard German and for Leichte Sprache.
"""

from __future__ import annotations

import re
from datetime import datetime

from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LOCALES_DIR, translator
from bot.opening import TZ, describe
from bot.render import Context, Hit, results_replies, to_plain
from bot.store import OfferRecord, PhoneRecord

#: A sentence ends at . ! ? or : before a space or the end, and at a line break (list items, headings).
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_WORD = re.compile(r"[\w{}]+(?:[-–'][\w{}]+)*")
_MARKUP = re.compile(r"<[^>]+>")
#: Abbreviations Leichte Sprache writes out ("Montag", not "Mo"; "zum Beispiel", not "z. B.").
_ABBREVIATIONS = re.compile(r"\b(?:z\. ?B\.|bzw\.|ggf\.|usw\.|ca\.|Nr\.|evtl\.|inkl\.|d\. ?h\.|u\. ?a\.)"
                            r"|\b(?:Mo|Di|Mi|Do|Fr|Sa)\b")


def catalog(language: str) -> dict[str, str]:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="de") if m.id}


def texts(language: str) -> list[str]:
    return list(catalog(language).values())


def messages() -> list[str]:
    """The msgids that are messages of eight words or more (not button labels or topic names)."""
    return [msgid for msgid in catalog("de") if sum(len(words) for words in sentences(msgid)) >= 8]


def sentences(text: str) -> list[list[str]]:
    """The sentences of a text as lists of words (markup left out; a sentence without words is none)."""
    plain = _MARKUP.sub("", text)
    found = [_WORD.findall(part) for part in _SENTENCE_END.split(plain)]
    return [words for words in found if words]


def mean_sentence_length(all_texts: list[str]) -> float:
    lengths = [len(words) for text in all_texts for words in sentences(text)]
    return sum(lengths) / len(lengths)


def test_sentence_counting():
    assert sentences("Jetzt offen. Bis 16 Uhr.") == [["Jetzt", "offen"], ["Bis", "16", "Uhr"]]
    assert sentences("<b>Befehle</b>\n/themen – Themen ansehen") == [["Befehle"], ["themen", "Themen", "ansehen"]]
    assert mean_sentence_length(["Eins zwei drei vier. Eins zwei."]) == 3


def test_sentences_are_short_compared_with_standard_german():
    """The same messages in both forms: Leichte Sprache at most 10 words a sentence on average (measured:
    about 4.5), and clearly shorter than standard German (about 8.4)."""
    chosen = messages()
    assert len(chosen) >= 40
    plain = mean_sentence_length([catalog("de-leicht")[m] for m in chosen])
    standard = mean_sentence_length([catalog("de")[m] for m in chosen])
    assert plain <= 10, plain
    assert plain < standard * 0.75, (plain, standard)


def test_no_abbreviations():
    found = {text[:50]: _ABBREVIATIONS.findall(text) for text in texts("de-leicht")}
    # The command list names the other languages in themselves; nothing else may abbreviate.
    assert {k: v for k, v in found.items() if v} == {}
    assert _ABBREVIATIONS.findall("z. B. Mo–Fr") == ["z. B.", "Mo", "Fr"]  # the check itself


def test_hours_are_written_out_simply():
    assert describe("Mo-Fr 09:00-12:00", "de-leicht") == "Montag bis Freitag von 9 Uhr bis 12 Uhr."
    assert describe("Tu,Th 09:00-12:00,13:30-16:00; Sa off", "de-leicht") == (
        "Dienstag und Donnerstag von 9 Uhr bis 12 Uhr und von 13:30 Uhr bis 16 Uhr.\nSamstag geschlossen.")
    assert describe("24/7", "de-leicht") == "Tag und Nacht"


def _offer(number: int) -> OfferRecord:
    return OfferRecord(
        id=f"l-{number}", name=f"Beratung {number}", provider="Testverein", street="Testweg 1", postcode="99706",
        city="Sondershausen", county="Kyffhäuserkreis", state="TH", lat=51.37, lon=10.87, geo_approximate=False,
        hours_text="Di 9-12 Uhr", hours_osm="Tu 09:00-12:00", phones=(PhoneRecord(f"+49363270000{number}"),))


def test_one_offer_per_message_with_what_where_when_phone_first():
    ctx = Context(tr=translator("de-leicht"), at=datetime(2025, 3, 4, 10, 0, tzinfo=TZ), lang="de-leicht")
    replies = results_replies([Hit(_offer(1)), Hit(_offer(2))], ctx, intent="phone", total=5,
                              lead="Angebote zum Thema <b>Schulden</b>:")
    assert [to_plain(r.text) for r in replies] == [
        "Angebote zum Thema Schulden (1 bis 2 von 5):",
        "1. Beratung 1\nTestverein\n📍 Testweg 1, 99706 Sondershausen\n🕒 Dienstag von 9 Uhr bis 12 Uhr.\n"
        "🟢 Jetzt offen bis 12 Uhr.\n☎️ 03632 700001",
        "2. Beratung 2\nTestverein\n📍 Testweg 1, 99706 Sondershausen\n🕒 Dienstag von 9 Uhr bis 12 Uhr.\n"
        "🟢 Jetzt offen bis 12 Uhr.\n☎️ 03632 700002",
    ]
    assert replies[0].buttons == ()
    assert [b.text for b in replies[1].buttons[0]] == ["ℹ️ 1", "📍 Auf der Karte zeigen 1", "👤 Nummer speichern 1"]
    assert [b.text for row in replies[2].buttons for b in row][-1] == "Mehr Angebote zeigen ➡️"
