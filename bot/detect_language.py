"""The language a message is written in, when that is clear: py3langid over the interface languages.

A person's Telegram language is the first guess for the interface; a first message
written clearly in another language wins ("Мені потрібна допомога з боргами" from a
German phone). "Clearly" means: a script only one or two of the languages use
(Arabic, Cyrillic), or a Latin-script message of three words or more that the model
is sure about. Short German questions are mostly place and office names
("tafel artern", "jugendamt uhk"), which say nothing about the person's language.

The model ships inside the py3langid package (no download); the identifier of our six languages
built from it is kept as a ready copy (:mod:`bot.model_cache`), read in a twentieth of the time. It is
loaded on first use or by :func:`load` at start-up.
"""

from __future__ import annotations

import pickle
import re
import sys
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.model_cache import kept
from bot.normalize import LETTERS

#: The languages a message can be recognised in (Leichte Sprache is German: chosen, not detected).
DETECTABLE = ("de", "en", "uk", "ru", "ar", "tr")
#: How sure the model must be about a Latin-script message.
MIN_PROBABILITY = 0.95
#: How many words a Latin-script message needs before its language counts.
MIN_WORDS = 3

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
#: Letters only Ukrainian (і, ї, є, ґ) or only Russian (ы, э, ъ, ё) writes.
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
#: The files of the identifier's ready copy.
_MOVES = "nextmove.bin"
_PARTS = "parts.pickle"


def non_latin(text: str) -> bool:
    """Whether a message has words in Arabic or Cyrillic letters (no German question has)."""
    return bool(_ARABIC.search(text) or _CYRILLIC.search(text))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The identifier of :data:`DETECTABLE`, from the ready copy :mod:`bot.model_cache` keeps: building it
    from the package's model (all 97 languages, xz-compressed) takes half a second and 50 MB more at its
    peak than the identifier keeps, the peak of a whole bot process (benchmarks/RESULTS.md, "Search")."""
    from importlib import metadata

    python = f"{sys.version_info.major}{sys.version_info.minor}"
    return kept(f"py3langid-{metadata.version('py3langid')}-{'-'.join(DETECTABLE)}-py{python}",
                _build, _write, _read)


def _build() -> Any:
    from py3langid import langid

    model = Path(langid.__file__).parent / langid.MODEL_FILE
    full = langid.LanguageIdentifier.from_modelpath(model, norm_probs=True)
    full.set_languages(list(DETECTABLE))
    # A new identifier of the six languages alone: the loaded one keeps its table of all 97 languages for
    # set_languages(None), 27 MB that every bot process would carry for nothing (bench_search, seventeenth session).
    return langid.LanguageIdentifier(full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove, full.tk_output,
                                     norm_probs=True, tk_row=full.tk_row)


def _write(identifier: Any, folder: Path) -> None:
    """The identifier into ``folder``: the state machine's table (39 MB) as raw numbers, which :func:`_read`
    reads straight into its array, and the rest pickled."""
    with open(folder / _MOVES, "wb") as f:
        identifier.tk_nextmove.tofile(f)
    parts = (identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes, identifier.tk_output, identifier.tk_row,
             identifier.tk_nextmove.typecode, len(identifier.tk_nextmove))
    with open(folder / _PARTS, "wb") as f:
        pickle.dump(parts, f, protocol=pickle.HIGHEST_PROTOCOL)


def _read(folder: Path) -> Any:
    from py3langid import langid

    with open(folder / _PARTS, "rb") as f:
        nb_ptc, nb_pc, nb_classes, tk_output, tk_row, typecode, size = pickle.load(f)  # our own copy
    moves = array(typecode, [0]) * size
    with open(folder / _MOVES, "rb") as f:  # into the array itself (fromfile would read a copy first)
        if f.readinto(memoryview(moves).cast("B")) != size * moves.itemsize:
            raise ValueError("the state machine's table is cut short")
    return langid.LanguageIdentifier(nb_ptc, nb_pc, nb_classes, moves, tk_output, norm_probs=True, tk_row=tk_row)


def load() -> None:
    """Load the model now (start-up), so that no first message waits for it."""
    _identifier()


def detect(text: str) -> str | None:
    """The language ``text`` is clearly written in (one of :data:`DETECTABLE`), else None; "ru?" for
    Cyrillic too short to tell Russian from Ukrainian."""
    words = LETTERS.findall(text)
    if not words:
        return None
    arabic = sum(1 for w in words if _ARABIC.search(w))
    cyrillic = sum(1 for w in words if _CYRILLIC.search(w))
    if arabic * 2 > len(words):
        return "ar"
    if cyrillic * 2 > len(words):
        ukrainian, russian = bool(_UKRAINIAN.search(text)), bool(_RUSSIAN.search(text))
        if ukrainian != russian:
            return "uk" if ukrainian else "ru"
        language, probability = _identifier().classify(" ".join(w for w in words if _CYRILLIC.search(w)))
        if language not in ("uk", "ru"):
            return None
        # Short words shared by both ("борги", "допомога") say Cyrillic, not which language.
        return language if len(words) >= MIN_WORDS and probability >= 0.8 else "ru?"
    if len(words) < MIN_WORDS:
        return None
    language, probability = _identifier().classify(text)
    return language if probability >= MIN_PROBABILITY else None


def first_language(text: str, account_language: str) -> str:
    """The interface language for a new conversation: the account's, unless the first message is
    clearly in another language. A German account asking in German keeps "de" (and one that chose
    Leichte Sprache keeps it: its words are German too)."""
    found = detect(text)
    if found == "ru?":  # Cyrillic, Russian or Ukrainian: a Ukrainian account keeps Ukrainian
        found = account_language if account_language in ("uk", "ru") else "ru"
    if found is None or found == account_language.split("-")[0]:
        return account_language
    return found
