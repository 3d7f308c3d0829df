"""Words a phone's speech recognition or hurried typing split in two: "sonders hausen",
"mühl hausen", "lebens mittel", "grund sicherung".

German writes compounds as one word, and the names of most towns here are compounds too.
Dictated messages come back with them cut apart, and then "hausen" alone is a village of
its own (the answers went to the wrong end of the county) and "mittel" says nothing of food.
A pair of words is written together again when the two together are a word the offers use,
a topic word or a town's name, and neither of them is a function word ("alle in" stays
apart: "allein" would be another message). Measured on dictated questions written blind
(benchmarks/RESULTS.md, "Understanding: eleventh session").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.normalize import canonical_word

#: Blanks between two words of one line: a line break or punctuation ends a pair ("Hausen. Mittel").
_BLANKS = re.compile(r"[ \t]+")
#: The shortest word two pieces are joined into ("kita" from "ki ta" is no dictation error to mend).
MIN_JOINED = 6


class SplitWords:
    """Joins the pairs of words that are one known word written apart."""

    def __init__(self, known: Iterable[str], stopwords: Iterable[str], keep: Iterable[tuple[str, ...]] = ()) -> None:
        self.known = frozenset(w for w in known if len(w) >= MIN_JOINED)
        self.stopwords = frozenset(stopwords)
        #: Pairs that are a name as they stand ("bad sulza"): never joined.
        self.keep = frozenset(k for k in keep if len(k) == 2)

    def join(self, text: str) -> str:
        """``text`` with every split known word written together again; otherwise unchanged."""
        if " " not in text and "\t" not in text:
            return text
        # [before the first word, word, between, word, ..., after the last word]
        parts = re.split(r"(\w+)", text)
        canon = [canonical_word(p) if i % 2 else "" for i, p in enumerate(parts)]
        i = 1
        while i + 2 < len(parts):
            if _BLANKS.fullmatch(parts[i + 1]) and self._joins(canon[i], canon[i + 2]):
                second = parts[i + 2] if parts[i + 2].isupper() else parts[i + 2].lower()  # "Lebens Mittel"
                parts[i : i + 3] = [parts[i] + second]
                del canon[i + 1 : i + 3]  # keeps canon in step with parts; the joined word is not read again
            i += 2  # the next word; a joined word is not joined again with it
        return "".join(parts)

    def _joins(self, first: str, second: str) -> bool:
        return (len(first) >= 2 and len(second) >= 2 and first + second in self.known
                and first not in self.stopwords and second not in self.stopwords
                and (first, second) not in self.keep)
