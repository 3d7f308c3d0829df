"""Text normalisation shared by the import (topic links), the index and the query.

People type "muehlhausen", "Mühlhausen", "MÜHLHAUSEN!!!", "hilfeeee" and
"Straße"/"strasse": all of it must meet the same form. The canonical form folds
umlauts to their base letters (ä -> a, ö -> o, ü -> u, ß -> ss) after first
turning the two-letter spellings (ae, oe, ue) into umlauts where a German word
would have one, so "muehlhausen" and "mühlhausen" both become "muhlhausen".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a",
                       "ı": "i", "ç": "c", "ñ": "n", "ł": "l", "ø": "o", "đ": "d"})
# "ue" is a real umlaut spelling except after q ("quelle") and in vowel runs ("neue",
# "treue", "feuer"), "ae" except in "israel"-like loans, "oe" except "poesie"-like
# words. The rules below keep the common German words intact.
_UE = re.compile(r"(?<![qaeiou])ue")
_AE = re.compile(r"(?<![aeiou])ae")
_OE = re.compile(r"(?<![aeiou])oe")
_WORD = re.compile(r"[a-z0-9]+")
#: A run of letters in any script, as typed (no digits, no underscore): the words before they are folded.
LETTERS = re.compile(r"[^\W\d_]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# "hilfeeee", "jaaa": a vowel typed three times or more is one vowel. Consonants keep
# a run of three, which German compounds have ("Unterhaltsvorschussstelle",
# "Schifffahrt"); four or more ("schnellllll") become two.
_VOWEL_RUN = re.compile(r"([aeiouy])\1{2,}")
_CONSONANT_RUN = re.compile(r"([b-df-hj-np-tv-xz])\1{3,}")
_RUNS = re.compile(r"([aeiouy])\1\1|([b-df-hj-np-tv-xz])\2\2\2")


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One lower-case word to its canonical form (umlauts folded, ae/oe/ue read as umlauts).

    Repeated until nothing changes, so the canonical form of a canonical word is itself
    ("oee" -> "oe" -> "o"): the index and the question may each normalise a word again.
    """
    while True:
        folded = _OE.sub("o", _AE.sub("a", _UE.sub("u", word)))
        if _RUNS.search(folded):  # "aeaa" -> "aaa" -> "a"
            folded = _CONSONANT_RUN.sub(r"\1\1", _VOWEL_RUN.sub(r"\1", folded))
        if folded == word:
            return word.translate(_FOLD)
        word = folded


def clean(text: str) -> str:
    """Lower case, NFKC, accents off, punctuation/emoji/symbols and non-Latin letters to
    spaces, typed-out repeats cut. Plain ASCII text (most questions) takes the quick way."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().translate(_FOLD)
    if not text.isascii():
        # "café", "Łódź": the base letter is what people type on a German keyboard.
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text)
    if _RUNS.search(text):
        text = _CONSONANT_RUN.sub(r"\1\1", _VOWEL_RUN.sub(r"\1", text))
    return text


def words(text: str) -> list[str]:
    """The canonical words of a text: "Mühlhausen, ÄRGER!!" -> ["muhlhausen", "arger"]."""
    return [fold_word(w) for w in _WORD.findall(clean(text))]


def normalize(text: str) -> str:
    """The canonical words joined by single spaces (for phrase matching)."""
    return " ".join(words(text))


def canonical_word(word: str) -> str:
    """One word's canonical form ("" when it is not one word): :func:`words` for a single
    word, fast for plain letters, for going through a dictionary of a million words."""
    lower = word.lower().translate(_FOLD)
    if lower.isascii() and lower.isalpha() and not _RUNS.search(lower):
        return fold_word(lower) if ("ue" in lower or "ae" in lower or "oe" in lower) else lower
    found = words(word)
    return found[0] if len(found) == 1 else ""
