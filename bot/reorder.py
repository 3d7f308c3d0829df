"""The learned last word on the order of the first few offers the search found.

The search's score (bot.search) weighs words, topics and distance by hand-set rules. On questions in
which people tell their situation, its first answer was the right one 0.76 of the time while the right
offer stood among its first five 0.88 of the time: the rules found it, but put another first. A linear
model over what the score is made of reorders the first :data:`DEPTH` results. It was fitted pairwise
(the right offer against each wrong one of the same question, a logistic regression) on the development
halves of the blind situation and language sets (``python scripts/fit_reorder.py`` prints the weights;
benchmarks/RESULTS.md, twenty-first session). Every feature describes how an offer fits a question
(never which offer it is), so the weights carry over from the evaluation listing to the real offers.

It reorders only; what is found and what is left out stays the rules' (the relevance bar, an office of
another district, the offers under an emergency block).
"""

from __future__ import annotations

from dataclasses import dataclass

#: How many of the first results the model reorders (what a phone shows, and a little more).
DEPTH = 10
#: The features, in the order of :data:`WEIGHTS`.
FEATURES = ("relative_score", "inverse_rank", "topic_credit", "place_factor", "meaning_gap", "word_topic")
#: Fitted by scripts/fit_reorder.py (C=100) on the 1,808 development-half questions of the blind sets 3 to 20
#: that it reorders (the rest have one result, or the rules' answer stands).
WEIGHTS = (2.305, 1.416, 1.966, 12.887, 8.502, 0.629)
#: The meaning gap of an offer about no topic (nothing to compare the message's meaning with).
NO_TOPIC_GAP = -0.3


@dataclass(frozen=True)
class Candidate:
    """What the search knows of one offer it found for a question."""

    offer_id: str
    #: The search's score (relevance times the place factor) and the relevance alone.
    score: float
    relevance: float
    #: How much the offer is about the question's topics, on average (bot.search ``_topic_credit``).
    topic_credit: float
    #: How far the meaning's fit for the offer's main topics lies below its best topic (0: the best; None:
    #: the message has no meaning read, the semantic layer being off).
    meaning_gap: float | None
    #: The question's words name one of the offer's main topics.
    word_topic: bool


def features(candidates: list[Candidate]) -> list[tuple[float, ...]]:
    """The feature rows of a question's candidates, in the search's order (the first is its best)."""
    best = candidates[0].score if candidates and candidates[0].score > 0 else 1.0
    return [(c.score / best, 1.0 / (rank + 1), c.topic_credit, c.score / c.relevance if c.relevance > 0 else 0.0,
             c.meaning_gap if c.meaning_gap is not None else 0.0, float(c.word_topic))
            for rank, c in enumerate(candidates)]


def order(candidates: list[Candidate]) -> list[int]:
    """The candidates' positions (the search's order) in the model's order."""
    value = [sum(w * x for w, x in zip(WEIGHTS, row, strict=True)) for row in features(candidates)]
    return sorted(range(len(candidates)), key=lambda i: (-value[i], i))


def meaning_gap(meaning: dict[str, float], primary: set[str]) -> float | None:
    """How far the message's meaning fit for an offer's main topics lies below its best topic."""
    if not meaning:
        return None
    if not primary:
        return NO_TOPIC_GAP
    return max(meaning.get(t, 0.0) for t in primary) - max(meaning.values())
