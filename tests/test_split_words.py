"""Words cut in two by dictation or hurried typing are written together again (bot.split_words)."""

from __future__ import annotations

import pytest

from bot.split_words import SplitWords

SPLIT = SplitWords(["sondershausen", "lebensmittel", "allein", "frankenhausen", "badsulza", "kita"],
                   stopwords=["alle", "in", "und", "ich"], keep=[("bad", "sulza")])


@pytest.mark.parametrize(("text", "joined"), [
    ("ich wohn in sonders hausen", "ich wohn in sondershausen"),
    ("Lebens Mittel und so", "Lebensmittel und so"),
    ("tafel bad franken hausen!", "tafel bad frankenhausen!"),
    ("wir sind alle in sorge", "wir sind alle in sorge"),  # a function word stays apart
    ("in bad sulza", "in bad sulza"),  # a name as it stands
    ("sonders. hausen", "sonders. hausen"),  # punctuation ends a pair
    ("sonders\nhausen", "sonders\nhausen"),  # so does a line break
    ("ki ta", "ki ta"),  # too short to be a dictation error worth mending
    ("", ""),
    ("SONDERS HAUSEN", "SONDERSHAUSEN"),
    ("lebens mittel lebens mittel", "lebensmittel lebensmittel"),
])
def test_split_words_are_joined(text: str, joined: str) -> None:
    assert SPLIT.join(text) == joined


def test_a_joined_word_is_not_joined_again() -> None:
    split = SplitWords(["abcdef", "abcdefgh"], stopwords=[])
    assert split.join("abc def gh") == "abcdef gh"
