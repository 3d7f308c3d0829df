"""Turkish typed without its own letters ("borc danismanligi", "oglum okulda surekli kavga ediyor").

A phone with a German keyboard has no ç, ğ, ı, ş (and people skip ö and ü too). Written so, the
sentence encoders (:mod:`bot.semantic`, :mod:`bot.second_opinion`) read many Turkish words as unknown
pieces: the blind Turkish questions of all language sets, with their special letters taken out, found
the right offer first 153 times in 231 instead of 188 (evaluation database, 2026-12-05).

Each Latin word is tried with every ASCII letter that may stand for a Turkish one (c/ç, g/ğ, i/ı, o/ö,
s/ş, u/ü), and the spelling most frequent in Turkish wins, by the word frequencies of ``wordfreq``
(:mod:`bot.word_frequencies`). A word is restored when that spelling is more frequent in Turkish than
the word as typed is in Turkish, German or English ("surekli" → "sürekli"; "fur", "us" and "is" stay).
A message is Turkish when, of its :data:`MIN_WORDS` words or more, :data:`MIN_SHARE` (two at least) are
likelier Turkish than German or English; the encoders read such a message with its words restored, any other
message as typed. Over the corpus and the blind sets (15,000 messages), no German, English, Russian or
Ukrainian message was restored, and one chat Arabic message, which :mod:`bot.reading` reads as Arabic first;
the 231 blind Turkish questions without their letters now find the right offer first 185 times. Only what
the encoders read changes: the word lists and patterns see the message as typed (:mod:`bot.geo` asks
:func:`is_turkish` before it reads a Turkish case ending onto a town: "erfurtta").
"""

from __future__ import annotations

import functools
import itertools
import re

from bot import word_frequencies
from bot.word_frequencies import zipf

#: A message needs this many words (of two letters or more) before its spelling counts.
MIN_WORDS = 3
#: ... and this share of words likelier Turkish than German or English among them (two at least).
MIN_SHARE = 0.5
#: Words with more ambiguous letters than this are left as typed (2^n spellings to try).
MAX_LETTERS = 10

#: The ASCII letter a Turkish letter is typed as without a Turkish keyboard.
_TURKISH = {"c": "ç", "g": "ğ", "i": "ı", "o": "ö", "s": "ş", "u": "ü"}
#: A word in Latin letters, German and Turkish ones included ("Ausländerbehörde" is one word).
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿğĞıİşŞ]+")
#: A message in another script is not Turkish; a digit inside a word is chat Arabic (bot.arabizi).
_NOT_TURKISH = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]|[A-Za-z]\d|\d[A-Za-z]")


@functools.lru_cache(maxsize=16384)
def restored(word: str) -> str | None:
    """A lower-case word with its ASCII letters in Turkish ones where likelier, or None when it is best
    read as typed."""
    if not word_frequencies.available():
        return None
    positions = [i for i, letter in enumerate(word) if letter in _TURKISH]
    if not positions or len(positions) > MAX_LETTERS:
        return None
    best, best_frequency = word, word_frequencies.frequency("tr", word)
    for choice in itertools.product((False, True), repeat=len(positions)):
        letters = list(word)
        for position, turkish in zip(positions, choice, strict=True):
            if turkish:
                letters[position] = _TURKISH[letters[position]]
        spelling = "".join(letters)
        if word_frequencies.frequency("tr", spelling) > best_frequency:
            best, best_frequency = spelling, word_frequencies.frequency("tr", spelling)
    if best == word or zipf("tr", best) <= max(zipf("tr", word), zipf("de", word), zipf("en", word)):
        return None
    return best


def _turkish_word(word: str) -> bool:
    """Whether a lower-case word is likelier Turkish (as typed or restored) than German or English."""
    return zipf("tr", restored(word) or word) > max(zipf("de", word), zipf("en", word))


def _words(text: str) -> list[str]:
    """A message's Latin words of two letters or more, in lower case; none when it is not Turkish by its
    script, is chat Arabic, or the word frequencies are missing."""
    if not text or _NOT_TURKISH.search(text) or not word_frequencies.available():
        return []
    return [word.lower() for word in _WORD.findall(text) if len(word) >= 2]


def is_turkish(text: str) -> bool:
    """Whether most of a message's words (:data:`MIN_SHARE`, two at least, of :data:`MIN_WORDS` or more) are
    likelier Turkish than German or English, typed with or without Turkish letters."""
    words = _words(text)
    return len(words) >= MIN_WORDS and sum(1 for word in words if _turkish_word(word)) >= max(2, MIN_SHARE * len(words))


def readable(text: str) -> str:
    """The text the sentence encoders read: Turkish typed without its letters with them restored, any
    other text as it is."""
    words = _words(text)
    if len(words) < MIN_WORDS or not any(restored(word) for word in words) or not is_turkish(text):
        return text

    def spell(match: re.Match[str]) -> str:
        word = match.group()
        return (restored(word.lower()) or word) if len(word) >= 2 else word

    return _WORD.sub(spell, text)
