"""Chat Arabic in Latin letters ("ana ta3bana ktir") is read in Arabic letters by the sentence encoders.

The messages below in the crisis and search checks are held-out examples of knowledge/crisis/ (never
trained on); the others were written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.arabizi import is_arabizi, readable
from bot.detect_language import non_latin
from bot.exemplars import held_out
from bot.search import SearchEngine, engine_for
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


@pytest.mark.parametrize("text", [
    "3addet el 7boob, 3ande 30, bikaffo",
    "baba byedrobni kel yom w ana 3omri 11",
    "el jobcenter ma 7awal el masari w el ajar bokra. shu a3mel",
    "wen el jugendamt b nordhausen",
    "kif b2dar sa3ed sahbti ya3ni hiya tal2et w za3lane ktir bas mni7a",
])
def test_chat_arabic_is_recognised(text: str) -> None:
    assert is_arabizi(text)


@pytest.mark.parametrize("text", [
    "ich bin in der 8b und hab um 3 uhr einen termin beim jobcenter",
    "i need to leave at 3am with my 2 kids, where can we go",
    "B2 Kurs in Erfurt, wer hilft mir mit 2x Miete im Rückstand",
    "Klasse 7a, mein Sohn wird gemobbt",
    "merhaba, Erfurt'ta 3 çocuğum var, Tafel nerede",
    "Hilfe rund um die Uhr 24/7, Telefon 0800 111 0 111",
    "mein 3jähriger hat glaub ich ne knopfbatterie verschluckt",
    "mein bruder hat meine ps5 ohne zu fragen mitgenommen",
    "my 9yo just called me from a stranger's phone",
    "der unfall auf der a9, im podcast ging es um einen fall aus den 90ern",
    "ana",
    "",
])
def test_other_messages_are_no_chat_arabic(text: str) -> None:
    assert not is_arabizi(text)
    assert readable(text) == text


def test_the_encoders_read_arabic_letters_with_the_german_words_and_numbers_as_typed() -> None:
    text = readable("wen fi Tafel b erfurt, 3andi 3 wlad w ma 3andi masari lal Jobcenter, Bürgergeld gekürzt")
    assert non_latin(text)
    assert {"Tafel", "3", "Jobcenter,", "Bürgergeld", "gekürzt"} <= set(text.split())
    assert "عندي" in text  # "3andi", I have
    assert "wen" not in text.split() and "masari" not in text.split()


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return engine_for(Store(SHIPPED))


@pytest.mark.parametrize(("text", "kind"), [
    ("gozy bydrabny w by2ol hay2telny", "violence"),  # my husband beats me and says he will kill me
    ("baba byedrobni kel yom w ana 3omri 11", "child"),  # dad beats me every day, I am 11
    ("3addet el 7boob, 3ande 30, bikaffo", "suicide"),  # I counted the pills, 30, enough
    # harmless: "the bill will kill me", a dying grandfather who wants to die at home
    ("el fatoura ra7 t2telni wallah", None),
    ("jeddo mared ktir w bado ymoot bel bet, fi 7ada bisa3ed?", None),
    ("kif b2dar sa3ed sahbti ya3ni hiya tal2et w za3lane ktir bas mni7a", None),
])
def test_chat_arabic_crises_and_look_alikes(engine: SearchEngine, text: str, kind: str | None) -> None:
    assert held_out(text)  # never trained on
    assert engine.analyze(text).crisis == kind
