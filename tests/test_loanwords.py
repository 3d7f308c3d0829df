"""German words written in Cyrillic or Arabic letters ("де тафель в Ерфурті").

People who came from Ukraine, Russia or Syria name the offices and the help they met in German, in
their own letters. Such a word is read by how it sounds (bot.loanwords) and means what the German
word means; ordinary words of those languages that only look alike ("сосед", neighbour, is no
"Suizid") stay ordinary words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.loanwords import LoanWords
from bot.search import SearchEngine, engine_for
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return engine_for(Store(SHIPPED))


@pytest.mark.parametrize(("text", "german"), [
    ("де тафель в Ерфурті", "tafel"),
    ("Тафель у Гільдбурггаузені або в Айсфельді", "tafel"),
    ("пфлегеград для мами, Майнінген", "pflegegrad"),
    ("бюргергельд заявка Зуль", "burgergeld"),
    ("нам відмовили у вонгельду, Гера", "wohngeld"),  # with a case ending
    ("Югендамт Гота", "jugendamt"),
    ("هل يوجد تافل في غوتا", "tafel"),  # Arabic leaves the short vowel out
    ("في شولدنر بيراتونغ بغوتا؟", "schuldnerberatung"),  # a compound written as two words
    ("ابني بيشرب كحول كل يوم، في زوخت بيراتونغ في غوتا؟", "suchtberatung"),
])
def test_a_german_word_in_other_letters_is_heard(engine: SearchEngine, text: str, german: str) -> None:
    assert german in engine.loanwords.find(text)


@pytest.mark.parametrize("text", [
    "Мне кажется, соседи плохо обращаются с ребёнком",  # neighbours, not "Suizid"
    "подозреваю что сосед трогает мою племянницу",
    "безкоштовний дитячий одяг у Ментероді",  # clothes, not "Obdach"
    "моєму сину 17, хто допоможе знайти навчання",  # son, not "Senior"
    "ابني طفل صغير",  # a small child
    # Arabic words the Arabic word list knows: their three consonants sound like German ones
    "زوجي هددني بالسكين",  # with the knife, not "zocken"
    "أمي سقطت ولا تتنفس جيدا",  # she fell, not "zockt"
    "أنا قريب من المحطة، يوم السبت",  # near, not "Krippe"; Saturday, not "LSBTI"
    "schulden in gotha",  # Latin letters: the word lists read them
])
def test_ordinary_words_stay_ordinary(engine: SearchEngine, text: str) -> None:
    assert engine.loanwords.find(text) == []


def test_only_words_long_enough_to_tell_apart() -> None:
    words = LoanWords(["kita", "tafel"])
    assert words.find("кита тафель") == ["tafel"]  # "kita" is four letters: "кита" is a whale's


@pytest.mark.parametrize(("question", "town"), [
    ("де тафель в Ерфурті", "Erfurt"),
    ("Тафель у Гільдбурггаузені", "Hildburghausen"),
    ("в Суле есть тафель?", "Suhl"),
])
def test_the_food_bank_in_town_answers(engine: SearchEngine, question: str, town: str) -> None:
    first = engine.search(question, limit=3).results[0].offer
    assert "Tafel" in first.name
    assert first.city == town


def test_the_care_office_answers_a_care_level_question(engine: SearchEngine) -> None:
    first = engine.search("пфлегеград для мами, Майнінген", limit=3).results[0].offer
    assert first.name == "Pflegestützpunkt Landkreis Schmalkalden-Meiningen"
