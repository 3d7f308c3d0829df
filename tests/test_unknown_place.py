"""A place the question names that no place index knows (a village without a postcode of its own): the
answer says so and asks for the postcode, on the shipped data. The villages here are real Ortsteile in
Thüringen that GeoNames' postal codes do not list; the questions were written for these tests."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.i18n import translator
from bot.render import Context, answer_reply, to_plain
from bot.search import engine_for, search
from bot.store import Store

NOTICE = ("Den Ort „{place}“ kenne ich leider nicht. Schreiben Sie mir die Postleitzahl oder die nächste "
          "größere Stadt, dann suche ich in Ihrer Nähe.")


def _answer(store: Store, question: str, *, lang: str = "de", home: str | None = None) -> str:
    ctx = Context(tr=translator(lang), at=datetime(2026, 12, 3, 10, 0))
    response = search(store, question, place_hint=home)
    place = engine_for(store).places.resolve(home) if home else None
    return to_plain(answer_reply(response, ctx, home=place).reply.text)


@pytest.mark.parametrize(("question", "place"), [
    ("Ich wohne in Rockensußra und seit Oktober ist mein Konto gepfändet. Wer hilft mir bei den Schulden?",
     "Rockensußra"),
    ("wohn in hohenebra, brauch hilfe wegen schulden", "Hohenebra"),
])
def test_a_village_no_index_knows_is_named_and_the_postcode_asked_for(shipped: Store, question: str,
                                                                     place: str) -> None:
    text = _answer(shipped, question)
    assert text.startswith(NOTICE.format(place=place) + "\n"), text[:300]
    # the offers still follow: the question's topic across the state, until the place is known
    assert "Schuldner" in text


def test_the_notice_speaks_the_chats_language(shipped: Store) -> None:
    text = _answer(shipped, "I live in Rockensußra and need help with debts", lang="en")
    assert text.startswith("I don't know the place “Rockensußra”, sorry. Send me its postcode or the nearest "
                           "larger town and I will search near you.")


@pytest.mark.parametrize("question", [
    "bin seit märz in kurzarbeit, wer hilft beim wohngeldantrag",  # made of everyday words
    "ich bin in elternzeit und das geld reicht nicht",  # an everyday word
    "alles in ordnung, ich suche nur die schuldnerberatung",
    "meine tochter hat in mathe eine fünf, wo gibt es nachhilfe",
])
def test_everyday_words_after_in_are_no_unknown_place(shipped: Store, question: str) -> None:
    assert search(shipped, question).analysis.unknown_place is None
    assert "kenne ich leider nicht" not in _answer(shipped, question)


@pytest.mark.parametrize(("question", "town"), [
    ("ich wohne jetzt in gehra und brauche eine schuldnerberatung", "Gera"),
    ("gibt es in gota eine schuldnerberatung", "Gotha"),
])
def test_a_short_town_misspelt_after_in_is_that_town(shipped: Store, question: str, town: str) -> None:
    analysis = search(shipped, question).analysis
    assert analysis.place is not None and analysis.place.name == town
    assert analysis.unknown_place is None


def test_no_notice_under_the_emergency_lines(shipped: Store) -> None:
    text = _answer(shipped, "ich wohne in Rockensußra und ich will nicht mehr leben, heute nacht mach ich schluss")
    assert "TelefonSeelsorge" in text
    assert "kenne ich leider nicht" not in text


def test_no_notice_when_the_remembered_place_answers(shipped: Store) -> None:
    text = _answer(shipped, "ich wohne in Rockensußra, wer hilft bei schulden", home="Sondershausen")
    assert "kenne ich leider nicht" not in text
    assert "Schuldner" in text
