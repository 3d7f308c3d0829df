"""How common a word is in the languages people write to the bot in, by ``wordfreq``'s lists.

Four readers ask: :mod:`bot.turkish_letters` (which spelling of a word typed without Turkish letters is
Turkish), :mod:`bot.translit` (whether Latin letters spell Ukrainian or Russian words),
:mod:`bot.arabizi` (which Arabic spelling of a chat Arabic word is a word) and :mod:`bot.geo` (an everyday
German or English word is no misspelt town). wordfreq
(Apache-2.0 code; its lists CC BY-SA 4.0, from Wikipedia, subtitles, news and web text) ships the lists in
the package; each small list is read when first needed (all six: about 0.1 s after a 0.12 s import).
Without wordfreq every word counts as unknown: the readers read messages as typed, chat Arabic by
arabizikit's rules alone.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Iterable

#: The languages looked up: the Latin-script ones messages arrive in, the two Cyrillic ones and Arabic.
LANGUAGES = ("tr", "de", "en", "ru", "uk", "ar")


@functools.cache
def available() -> bool:
    """Whether the word lists can be read (wordfreq is installed)."""
    return importlib.util.find_spec("wordfreq") is not None


@functools.cache
def _list(lang: str) -> dict[str, float]:
    """One language's word frequencies (wordfreq's small list), read on first use: a short German question
    reads none, a Turkish one three. (Arabic's large list would know dialect words the small one lacks,
    "تعبان", but holds 620,000 words, about 80 MB.)"""
    import wordfreq

    return wordfreq.get_frequency_dict(lang, wordlist="small")


def load() -> None:
    """Read every list now (start-up), so that no first message waits for them (nor for the folded everyday
    words of :func:`common`, about 0.2 s more)."""
    if available():
        for lang in LANGUAGES:
            _list(lang)
        common("")


def words(lang: str) -> Iterable[str]:
    """Every word of the language's list (none without wordfreq)."""
    return _list(lang).keys() if available() else ()


def frequency(lang: str, word: str) -> float:
    """A lower-case word's share of the language's words (0.0 when unknown)."""
    return _list(lang).get(word, 0.0) if available() else 0.0


def zipf(lang: str, word: str) -> float:
    """How common a word is on the Zipf scale (3: once in a million words; 0: not in the list)."""
    share = frequency(lang, word)
    return math.log10(share) + 9 if share else 0.0


#: A word at least this common (Zipf scale) is an everyday word.
COMMON = 3.0


@functools.cache
def _folded(lang: str) -> frozenset[str]:
    """The language's words as bot.normalize writes them ("grüßen" -> "grussen"), those at least once in a
    million words (Zipf 3): words a search compares with its index, which is folded the same way."""
    from bot.normalize import normalize

    floor = 10 ** (COMMON - 9)
    return frozenset(normalize(w) for w, share in _list(lang).items() if share >= floor) if available() else frozenset()


def common(word: str, langs: tuple[str, ...] = ("de", "en")) -> bool:
    """Whether a folded word is an everyday word of one of ``langs`` (Zipf 3 or more): "gefunden",
    "schwarz", "grussen", "shelters" (never a misspelt town: bot.geo)."""
    return any(word in _folded(lang) for lang in langs)


#: Parts of a compound (:func:`compound`) have this many letters at least.
MIN_PART = 4
#: What may join two parts of a German compound ("vorstellung-s-gesprache", "schmerz-en-geld").
_LINKS = ("", "s", "n", "es", "en")


def compound(word: str, lang: str = "de") -> bool:
    """Whether a folded word is made of everyday words (:func:`common`) of ``lang``, joined as German joins
    them: "kurzarbeit", "zahnschmerzen", "vorstellungsgesprachen", "grundschulkindern" (its first part
    without the "e" of "grundschule"). A village's name rarely is ("grossfurra", "gispersleben"); some are
    ("stotternheim")."""
    words = _folded(lang)

    @functools.cache
    def made_of_words(rest: str) -> bool:
        if rest in words and len(rest) >= MIN_PART:
            return True
        return any((rest[:end] in words or rest[:end] + "e" in words)
                   and any(rest.startswith(link, end) and made_of_words(rest[end + len(link):]) for link in _LINKS
                           if len(rest) - end - len(link) >= MIN_PART)
                   for end in range(MIN_PART, len(rest) - MIN_PART + 1))

    # an everyday word itself is no compound here (:func:`common` says what it is)
    return word not in words and made_of_words(word)
