"""German words written in Cyrillic or Arabic letters: "тафель", "пфлегеград", "Югендамт", "تافل".

People who came from Ukraine, Russia or Syria write the German names of the offices and the help they
have met in their own letters, inside a question in their own language ("де тафель в Ерфурті"). The
sentence encoders do not know these spellings, and the word lists are in Latin letters, so such a word
said nothing. It is read by how it sounds, the way :mod:`bot.geo` reads town names in those scripts
("Зондерсгаузен"): transliterated, reduced to a sound key, and compared with the sound keys of the
German words that name a topic. Cognates come along ("кредит"): they mean the same.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from bot.geo import (
    ARABIC_LETTER,
    CYRILLIC_ENDINGS,
    CYRILLIC_LETTER,
    SCRIPT_LETTER,
    SCRIPT_UMLAUTS,
    arabic_forms,
    arabic_word,
    sound_key,
    sound_of,
    sound_skeleton,
    transliterate,
)

#: German words shorter than this are too many alike in another script ("kita" and "кита", of a whale).
MIN_LETTERS = 5
#: A script word's sound key must be this like a German word's (rapidfuzz ratio, 0-100): Cyrillic writes
#: every vowel; Arabic leaves the short ones out ("تافل": tafl for tafel), so its consonants must agree.
CYRILLIC_LIKENESS = 92
#: A sound key shorter than this must be a German word's exactly ("сосед" is no "suizid", "одяг" no "obdach").
FUZZY_KEY = 6
ARABIC_LIKENESS = 80
#: Arabic consonant skeletons this long are compared fuzzily, shorter ones must be the same.
ARABIC_FUZZY_SKELETON = 5
ARABIC_SKELETON_LIKENESS = 88
#: Words remembered with what they sounded like, at most (a long-running bot hears ever new words).
MAX_REMEMBERED = 20_000


class LoanWords:
    """German words (the words that name a topic) by how they sound in Cyrillic and in Arabic letters."""

    def __init__(self, words: Iterable[str]) -> None:
        german = sorted({w for w in words if len(w) >= MIN_LETTERS and w.isalpha() and w.isascii()})
        #: script -> sound key -> German word (Cyrillic), and consonant skeleton -> (key, word) (Arabic)
        self._keys: dict[str, str] = {}
        self._skeletons: dict[str, list[tuple[str, str]]] = {}
        for word in german:
            self._keys.setdefault(sound_key(sound_of(word.translate(SCRIPT_UMLAUTS[False]), False)), word)
            arabic = sound_of(word.translate(SCRIPT_UMLAUTS[True]), True)
            self._skeletons.setdefault(sound_skeleton(arabic), []).append((sound_key(arabic), word))
        self._key_list = list(self._keys)
        self._long_skeletons = [s for s in self._skeletons if len(s) >= ARABIC_FUZZY_SKELETON]
        self._found: dict[str, str | None] = {}

    def find(self, text: str) -> list[str]:
        """The German words a text writes in Cyrillic or Arabic letters, in the order they stand."""
        if text.isascii() or not SCRIPT_LETTER.search(text):
            return []
        text = unicodedata.normalize("NFKC", text)
        found: list[str] = []
        tokens = ["".join(ch for ch in token if ch.isalpha()) for token in text.split()]
        skip = False
        for token, following in zip(tokens, [*tokens[1:], ""], strict=True):
            if skip:
                skip = False
                continue
            # a compound heard as two words and written apart ("زوخت بيراتونغ", Suchtberatung): the two
            # together, when the second sounds German itself and the two are another German word (alone,
            # "بيراتونغ" comes nearest to "eheberatung")
            second = self._remembered(following) if following and SCRIPT_LETTER.search(following) else None
            if second is not None and SCRIPT_LETTER.search(token):
                joined = self._remembered(token + following)
                if joined is not None and joined != second:
                    skip = True
                    if joined not in found:
                        found.append(joined)
                    continue
            # (Arabic leaves the short vowels out: "تافل" is a German word of five letters)
            if len(token) < MIN_LETTERS - bool(ARABIC_LETTER.search(token)) or not SCRIPT_LETTER.search(token):
                continue
            word = self._remembered(token)
            if word is not None and word not in found:
                found.append(word)
        return found

    def _remembered(self, token: str) -> str | None:
        """The German word a script word writes (:meth:`_word`), each worked out once."""
        if token not in self._found:
            if len(self._found) >= MAX_REMEMBERED:
                self._found.clear()
            self._found[token] = self._word(token)
        return self._found[token]

    def _word(self, token: str) -> str | None:
        if ARABIC_LETTER.search(token):
            return self._arabic(token)
        if not CYRILLIC_LETTER.search(token):
            return None
        lower = token.lower()
        variants = [lower, *(lower[: -len(e)] + r for e, r in CYRILLIC_ENDINGS
                             if lower.endswith(e) and len(lower) - len(e) >= MIN_LETTERS - 1)]
        best: tuple[float, str] | None = None
        for variant in variants:
            key = sound_key(sound_of(transliterate(variant), False))
            if len(key) < FUZZY_KEY:
                hit = (key, 100.0, 0) if key in self._keys else None
            else:
                hit = process.extractOne(key, self._key_list, scorer=fuzz.ratio, score_cutoff=CYRILLIC_LIKENESS)
            if hit is not None and (best is None or hit[1] > best[0]):
                best = (hit[1], self._keys[hit[0]])
        return best[1] if best else None

    def _arabic(self, token: str) -> str | None:
        if arabic_word(token):
            return None
        variants = arabic_forms(token, 3)
        best: tuple[float, str] | None = None
        for variant in variants:
            sound = sound_of(transliterate(variant), True)
            skeleton, key = sound_skeleton(sound), sound_key(sound)
            skeletons = [skeleton] if skeleton in self._skeletons else []
            if len(skeleton) >= ARABIC_FUZZY_SKELETON:
                skeletons += [s for s, _, _ in process.extract(skeleton, self._long_skeletons, scorer=fuzz.ratio,
                                                               limit=3, score_cutoff=ARABIC_SKELETON_LIKENESS)]
            for other in dict.fromkeys(skeletons):
                for german_key, word in self._skeletons[other]:
                    alike = fuzz.ratio(key, german_key)
                    if alike >= ARABIC_LIKENESS and (best is None or alike > best[0]):
                        best = (alike, word)
        return best[1] if best else None
