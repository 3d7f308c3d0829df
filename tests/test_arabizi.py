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


@pytest.mark.parametrize(("typed", "arabic"), [
    # my son is ill and the doctor's is closed: short vowels left out where Arabic writes none
    ("ibni mareed w el doktor msakkar", ["ابني", "مريض", "الدكتور", "مسكر"]),
    # we have no food: "ma" and "akel" keep a letter for their vowels
    ("ma 3andna akel", ["ما", "عندنا", "أكل"]),
    # my husband threatens with a knife: the "e" the writer typed stays ("سكين", not "سكن", housing)
    ("jozi 3am yhadded bil sekkin", ["جوزي", "سكين"]),
    ("bade musa3ada bel awra2", ["مساعدة"]),  # I need help with the papers
])
def test_chat_arabic_is_spelled_as_arabic_words(typed: str, arabic: list[str]) -> None:
    assert set(arabic) <= set(readable(typed).split())


def test_without_the_word_frequencies_arabizikit_spells_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import arabizi, word_frequencies

    monkeypatch.setattr(word_frequencies, "available", lambda: False)
    arabizi._in_arabic.cache_clear()
    try:
        assert readable("bade musa3ada bel awra2").split()[1] == "موساعادة"  # arabizikit's rules: every vowel written
    finally:
        arabizi._in_arabic.cache_clear()


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
    # "how can I help my friend, she got divorced and is sad, but she's alright": read since the spellings
    # are chosen by frequency with two words that are no dialect ("تلقيت", received; "منحة", grant), it
    # comes near enough to a crisis for the suicide lines (benchmarks/RESULTS.md, fifteenth session)
    pytest.param("kif b2dar sa3ed sahbti ya3ni hiya tal2et w za3lane ktir bas mni7a", None,
                 marks=pytest.mark.xfail(reason="false alarm since the frequent spellings", strict=True)),
])
def test_chat_arabic_crises_and_look_alikes(engine: SearchEngine, text: str, kind: str | None) -> None:
    assert held_out(text)  # never trained on
    assert engine.analyze(text).crisis == kind


@pytest.mark.parametrize(("text", "first"), [
    # I live in Erfurt and have no money for food, where is a place that gives me food?
    ("ana sakne b erfurt w ma 3andi flous lal akel, wein fi makan y3tini akel?", "Erfurter Tafel"),
    # I have many debts and the bank is seizing the account, in Jena, can someone help?
    ("3andi duyoun ktir w el bank 3am yi7joz 3al 7sab, b jena, mumkin musa3ada?", "Schuldner- und Verbraucherinsolvenzberatung"),
])
def test_chat_arabic_questions_find_the_offers(engine: SearchEngine, text: str, first: str) -> None:
    found = engine.search(text).results
    assert found and found[0].offer.name.startswith(first)
