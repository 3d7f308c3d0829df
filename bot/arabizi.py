"""Arabic written in Latin letters and digits ("ana ta3bana ktir", "jozi 3am yedrobni"): chat Arabic.

Many Arabic speakers type this way on a phone: digits for the sounds Latin lacks (3 for ع, 7 for ح,
2 for the hamza), no short vowels or a few, dialect words. Neither sentence encoder
(:mod:`bot.semantic`, :mod:`bot.second_opinion`) was trained on it, so its meaning came out as
noise: a question about the food bank in Jena raised a child-danger alarm, and real crises got the
wrong kind of lines. Written in Arabic letters, both encoders read it as the Arabic they know.

The writing is done by ``arabizikit`` (MIT; its lexicon of frequent chat words, then rules for the
rest). Its rules spell a word one way, short vowels written out ("musa3ada" -> "موساعادة", "3anna" ->
"عاننة"), and the encoders read such spellings as unknown pieces. Among all the spellings the rules allow,
with short vowels written or left out, the one most frequent in Arabic wins (wordfreq's list,
:mod:`bot.word_frequencies`: "مساعدة", "عنا"); a word typed with a vowel at its start or end keeps a letter
for it ("akel" -> "أكل", not "كل"; "jozi" -> "جوزي"). A word none of whose spellings is in the list keeps
arabizikit's. German words in such a message stay as they are when they look German (capitalised, or with
umlauts: "Tafel", "Bürgergeld"), and so do numbers; a lower-case "jobcenter" is written as Arabic writes it
("الجوبسنتر"). Only what the encoders read changes: the word lists, patterns and place names still see the
message as typed.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.word_frequencies import zipf

if TYPE_CHECKING:
    from arabizikit import Transliterator

#: Digits with letters that are no Arabic sounds: times, ages, decades, counts, units, classes, codes and
#: language levels ("3am", "3jähriger", "9yo", "90ern", "2x", "8b", "PS5", "A9", "B2").
_NOT_SOUNDS = re.compile(r"\d{2,}.*|\d+[a-z]|\d+(?:am|pm|yo|er\w*|te|ten|st|nd|rd|th|kg|km|min|mal|ml|mg|ye)|"
                         r"\d+j\w*|[a-z]{1,2}\d+|mp[34]")
_WORD = re.compile(r"[^\W_]+")
_NON_LATIN = re.compile("[\u0370-\u1fff]")
#: Small words of chat Arabic that arabizikit's lexicon leaves out (articles, "in", "what", "where",
#: "I want"): like its lexicon, they tell the language, they name nothing.
_PARTICLES = frozenset({"el", "il", "b", "bel", "bil", "lal", "la", "shu", "sho", "wen", "wein", "badi", "baddi",
                        "bdi", "bde", "bedi", "ma", "mn", "ana", "inta", "enta", "3al"})
#: A message this short with one such word is chat Arabic ("ma3ndi flous lel akl, suhl").
_SHORT = 8


#: A vowel typed at a word's start is written with one of these letters (Arabic writes none of its own) ...
_INITIAL = "اأإع"
#: ... and at its end with one of these, beside arabizikit's readings; a final "i" is always ي (my: "ibni").
_FINAL = {"a": "اةى", "e": "ةي", "i": "ي", "o": "وه", "u": "و"}
#: How much rarer (Zipf scale) a spelling may be for each vowel it writes that another leaves out: a vowel
#: the writer typed is more often a letter than not ("sekkin" is "سكين", knife, not the commoner "سكن",
#: housing). Of 0, 0.5, 1 and 2 tried on the development halves of the blind sets' chat Arabic, 1 found the
#: most crises (all 27) and right offers (0.76 top-1; 0.67 before any of this).
LEFT_OUT = 1.0
#: Longer words keep arabizikit's own spelling rather than trying more spellings than this.
MAX_SPELLINGS = 4096


@functools.cache
def _transliterator() -> Transliterator:
    from arabizikit import Transliterator

    class Frequent(Transliterator):  # type: ignore[misc]  # arabizikit has no type hints
        """arabizikit choosing, among the spellings its rules allow, those most frequent in Arabic."""

        def _rule_candidates(self, word: str, max_candidates: int = 8,
                             dialect_hint: str | None = None) -> list[tuple[str, float]]:
            options = _vowel_letters(word.lower(), [list(seg["options"]) for seg in self._scan(word, dialect_hint)])
            if options and math.prod(len(o) for o in options) <= MAX_SPELLINGS:
                best: dict[str, float] = {}
                for parts in itertools.product(*options):
                    spelled = self._seat_hamza("".join(parts))
                    if common := zipf("ar", spelled):
                        score = common - LEFT_OUT * parts.count("")
                        best[spelled] = max(score, best.get(spelled, score))
                if best:
                    known = sorted(best, key=lambda s: (-best[s], s))[:max_candidates]
                    return [(s, float(rank)) for rank, s in enumerate(known)]
            rules: list[tuple[str, float]] = super()._rule_candidates(word, max_candidates, dialect_hint)
            return rules

    return Frequent()


def _vowel_letters(word: str, options: list[list[str]]) -> list[list[str]]:
    """The letters each sound of ``word`` may be written with (arabizikit's scan), a vowel at its start
    or end never left out. Inside the word a typed "e" is ي or nothing (arabizikit also allows ا: "a3mel"
    read "أعمال", works, for "أعمل", I do) and a typed "a" is ا or nothing (arabizikit also allows ع,
    which chat Arabic types as 3: "2ard" read "أعرض" for "أرض", ground)."""
    for inner in range(1, len(options) - 1):
        if options[inner] == ["", "ا"]:
            options[inner] = ["", "ي"]
        elif options[inner] == ["ا", "", "ع"]:
            options[inner] = ["ا", ""]
    if options and word[:1] in "aeiou":
        options[0] = [o for o in dict.fromkeys([*options[0], *_INITIAL]) if o]
    if options and word[-1:] in _FINAL:
        final = _FINAL[word[-1]]
        options[-1] = [final] if word[-1] == "i" else [o for o in dict.fromkeys([*options[-1], *final]) if o]
    return options


@functools.cache
def _lexicon() -> frozenset[str]:
    """The chat words of arabizikit's lexicon, read from its data file: importing the package takes
    about 60 ms, which every German question would pay for this check (it is imported to write a
    message in Arabic letters only)."""
    spec = importlib.util.find_spec("arabizikit")
    if spec is None or spec.origin is None:
        return frozenset()
    entries = json.loads((Path(spec.origin).parent / "data" / "lexicon.json").read_text(encoding="utf-8"))["entries"]
    return frozenset(word.lower() for word in entries)


def is_arabizi(text: str) -> bool:
    """Whether a message is chat Arabic in Latin letters: two words with digits for Arabic sounds, or
    one in a short message or beside a small word of chat Arabic, or two such small words making nearly
    a third of it ("jozi byedrobni w ana khayfe")."""
    if _NON_LATIN.search(text):
        return False
    tokens = [w.lower() for w in _WORD.findall(text)]
    digits = sum(1 for w in tokens if _digit_word(w))
    if digits >= 2:
        return True
    lexicon = _lexicon()
    known = sum(1 for w in tokens if w in lexicon or w in _PARTICLES)
    return (digits >= 1 and (known >= 1 or len(tokens) <= _SHORT)) or (known >= 2 and known >= 0.3 * len(tokens))


def _digit_word(word: str) -> bool:
    """A word with a digit for an Arabic sound: "3omri", "sa7bi", "ma3i", "la2" (not "3am", "2x", "B2")."""
    return (word.isascii() and any(c.isalpha() for c in word) and any(c in "235789" for c in word)
            and not _NOT_SOUNDS.fullmatch(word))


def _german(token: str) -> bool:
    """Whether a word of such a message stays as typed: a German one (capitalised, or with umlauts), a number."""
    core = token.strip(".,!?;:()[]\"'…")
    return not core or not re.search("[A-Za-z]", core) or core[:1].isupper() or bool(re.search("[äöüßÄÖÜ]", core))


@functools.lru_cache(maxsize=4096)
def _in_arabic(phrase: str) -> str:
    return str(_transliterator().transliterate(phrase).text)


def readable(text: str) -> str:
    """The text the sentence encoders read: chat Arabic in Arabic letters (its German words and
    numbers as typed), any other text as it is."""
    if not text or not is_arabizi(text):
        return text
    out: list[str] = []
    run: list[str] = []
    for token in text.split():
        if _german(token):
            if run:
                out.append(_in_arabic(" ".join(run)))
                run.clear()
            out.append(token)
        else:
            run.append(token)
    if run:
        out.append(_in_arabic(" ".join(run)))
    return " ".join(out)
