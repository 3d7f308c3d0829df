"""Normalisation: every way people type a word meets the same canonical form."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.normalize import canonical_word, normalize, words


@pytest.mark.parametrize(("typed", "canonical"), [
    ("Mühlhausen", "muhlhausen"),
    ("muehlhausen", "muhlhausen"),
    ("MUEHLHAUSEN", "muhlhausen"),
    ("Muhlhausen", "muhlhausen"),
    ("MÜHLHAUSEN", "muhlhausen"),
    ("Straße", "strasse"),
    ("strasse", "strasse"),
    ("Größe", "grosse"),
    ("groesse", "grosse"),
    ("Ärger", "arger"),
    ("aerger", "arger"),
    ("Schuldnerberatungsstelle", "schuldnerberatungsstelle"),
])
def test_umlauts_and_sharp_s_both_ways(typed: str, canonical: str) -> None:
    assert words(typed) == [canonical]


@pytest.mark.parametrize("word", ["Feuer", "neue", "Quelle", "Trauer", "Steuer", "Dauer"])
def test_ue_that_is_no_umlaut_stays(word: str) -> None:
    assert words(word) == [word.lower()]


def test_punctuation_emoji_and_whitespace_separate_words() -> None:
    assert words("  Tafel!!!\tSondershausen???😀😭\n(heute)  ") == ["tafel", "sondershausen", "heute"]
    assert normalize("P-Konto; Bescheinigung…") == "p konto bescheinigung"


@pytest.mark.parametrize(("typed", "canonical"), [
    ("hilfeeee", ["hilfe"]),
    ("HIIIILFE", ["hilfe"]),
    ("schuldeeen", ["schulden"]),
    ("schnellllll", ["schnell"]),
    # three equal consonants are German compounds, not typing
    ("Unterhaltsvorschussstelle", ["unterhaltsvorschussstelle"]),
    ("Schifffahrt", ["schifffahrt"]),
])
def test_letters_typed_again_and_again(typed: str, canonical: list[str]) -> None:
    assert words(typed) == canonical


def test_accents_and_look_alike_letters_become_plain() -> None:
    assert words("Café Łódź ℌ𝔢𝔩𝔩𝔬 x²") == ["cafe", "lodz", "hello", "x2"]


def test_other_scripts_and_symbols_leave_no_words() -> None:
    assert words("Допомога 帮助 ☎️ ✉️ → ★") == []
    assert words("") == [] and words(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("word", ["Mühlhausen", "Erziehungsberatung", "aktuell", "Straße", "Café", "hilfeee",
                                  "Schifffahrt", "Ärger", "x", "Łódź", "e-mail", "123"])
def test_canonical_word_is_words_for_one_word(word: str) -> None:
    expected = words(word)
    assert canonical_word(word) == (expected[0] if len(expected) == 1 else "")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_plain_lower_case_words(text: str) -> None:
    found = words(text)
    assert all(re.fullmatch(r"[a-z0-9]+", w) for w in found)
    assert words(" ".join(found)) == found  # canonical form is stable


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1, max_size=30))
def test_canonical_word_agrees_with_words(word: str) -> None:
    expected = words(word)
    assert canonical_word(word) == (expected[0] if len(expected) == 1 else "")
