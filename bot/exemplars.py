"""The examples the semantic layer learns from: knowledge/crisis/ and knowledge/situations/.

- ``knowledge/crisis/*.yaml``: messages as people write them, each with its kind of
  danger (suicide, selfharm, violence, child, poison, medical) or ``none`` for a harmless
  look-alike ("ich sterbe vor Hunger"), and its language.
- ``knowledge/situations/<topic>.yaml``: situations as people tell them that lead to a
  topic of knowledge/topics.yaml ("der kühlschrank ist leer" -> tafel), under ``examples``;
  under ``stories``, longer ones told the way people explain their whole situation in a chat.
- ``knowledge/situations/none.yaml`` (``topic: none``): messages about no topic of the offers (a recipe, the
  weather, a train), which the topic reader learns as a class of their own (bot.analysis: a message it reads
  as one gets no topic from its meaning); short ones, they are harmless look-alikes for the crisis check too.
- ``knowledge/asked/<topic>.yaml``: under ``questions``, the questions of the blind sets' development
  halves (tests/data/blind, even lines) and of the teaching sets (tests/data/taught, every line) under the
  main topic of the offers they expect, written by ``scripts/learn_asked.py``. The situations were written to
  teach; these are how people actually ask, and they carry the topic over to other writers' words
  (benchmarks/RESULTS.md, twenty-second and twenty-third sessions).
  All three teach the topic; only the short situations are harmless look-alikes for the crisis check
  (:func:`bot.crisis.read_examples`): with the stories among them, crises told inside a long
  story came closer to harmless ones and the crisis margin had to fall for the same recall,
  raising false alarms everywhere (benchmarks/RESULTS.md, "Understanding: fifth session").

A third of each set is held out (:func:`held_out`, by a hash of the text, so the split
never depends on the order of the files or on who added what): it never reaches
offers.db, and the tests and benchmarks measure on it. The sync embeds the rest with
:mod:`bot.semantic` and stores the vectors in the ``semantic_examples`` table; vectors
of unchanged texts are taken over from the previous database, so a sync that changes
one offer does not load the model.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.crisis import KINDS as CRISIS_KINDS
from bot.crisis import NEAR_DANGER
from bot.crisis import NONE as NO_CRISIS
from bot.knowledge import EXAMPLE_FOLDERS, Problem, read_yaml
from bot.reading import for_encoders
from bot.second_opinion import TABLE as SECOND_TABLE
from bot.second_opinion import TOPIC_TABLE as SECOND_TOPIC_TABLE
from bot.semantic import NO_TOPIC, TOPIC_SETS

LANGUAGES = ("de", "en", "ru", "uk", "ar", "tr")
#: Longest example text: examples are messages, not documents.
MAX_EXAMPLE_CHARS = 1000
TABLE = "semantic_examples"
#: The topic classifier's weights (see :func:`build_topic_model`).
MODEL_TABLE = "semantic_topic_model"
#: Its inverse regularisation strength, chosen on the held-out situations (1, 4, 16, 64 tried).
TOPIC_C = 4.0
#: The strength of the same classifier over the second model's vectors (:mod:`bot.second_opinion`)
#: (held-out situations, top-1: alone 0.55 with 1, 0.69 with 10; beside the first model's, 30 best of 10, 30).
SECOND_TOPIC_C = 30.0


@dataclass(frozen=True)
class Example:
    #: "crisis", "topic" (a situation), "story" (a situation told at length) or "asked" (a blind or teaching set's question)
    set: str
    #: a crisis kind or "none" (crisis), a topic id or "none" (a message about no topic)
    label: str
    lang: str
    text: str
    file: str
    line: int

    @functools.cached_property
    def reading(self) -> str:
        """What the encoders read (:func:`bot.reading.for_encoders`, as a message is read)."""
        return for_encoders(self.text)

    @property
    def key(self) -> str:
        """Stable id of what is read: the same message keeps its vector across syncs."""
        return hashlib.sha1(f"{self.set}\0{self.label}\0{self.reading}".encode()).hexdigest()[:16]


def held_out(text: str) -> bool:
    """Whether an example belongs to the held-out third (never trained on, only measured)."""
    canonical = " ".join(text.casefold().split())
    return hashlib.sha1(canonical.encode()).digest()[0] % 3 == 0


def corpus_files(directory: Path) -> list[Path]:
    """The example files under a knowledge directory, in a stable order."""
    return [path for folder in EXAMPLE_FOLDERS for path in sorted((directory / folder).glob("*.yaml"))]


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


#: Per folder of knowledge/: the list a file holds its examples under, and what kind of example they are
#: (situations/ also has ``stories``).
_LISTS = {"crisis": ("messages", "crisis"), "situations": ("examples", "topic"), "asked": ("questions", "asked")}


def load_examples(directory: Path, topic_ids: Iterable[str] = ()) -> tuple[list[Example], list[Problem]]:
    """Every example with its file and line; problems as ``file:line: field: message``."""
    topics = set(topic_ids)
    examples: list[Example] = []
    problems: list[Problem] = []
    for path in corpus_files(directory):
        label = path.relative_to(directory.parent).as_posix() if directory.parent in path.parents else str(path)
        root = read_yaml(path, label, problems)[1]
        if root is None:
            continue
        top = _mapping(root)
        folder = path.parent.name
        is_crisis = folder == "crisis"
        key, kind_of_set = _LISTS.get(folder, ("examples", "topic"))
        items = top.get(key)
        if not isinstance(items, yaml.SequenceNode):
            problems.append(Problem(label, root.start_mark.line + 1, key, "eine Liste von Beispielen fehlt"))
            continue
        topic = None if is_crisis else _scalar(top.get("topic"))
        if not is_crisis and topic not in topics and not (topic == NO_TOPIC and folder == "situations"):
            problems.append(Problem(label, root.start_mark.line + 1, "topic",
                                    f"unbekanntes Thema {topic!r} (siehe knowledge/topics.yaml)"))
            continue
        stories = top.get("stories")
        sets = [(kind_of_set, items)]
        if isinstance(stories, yaml.SequenceNode) and folder == "situations":
            sets.append(("story", stories))
        elif stories is not None:
            problems.append(Problem(label, stories.start_mark.line + 1, "stories",
                                    "keine Liste (nur in situations/, wie examples)"))
        for kind_of_set, node in sets:
            examples += _items(node, kind_of_set, topic, label, problems)
    return examples, problems


def _items(items: yaml.SequenceNode, set_: str, topic: str | None, label: str,
           problems: list[Problem]) -> list[Example]:
    """The examples of one list of a file: crisis messages, or a topic's situations or stories."""
    is_crisis = set_ == "crisis"
    examples: list[Example] = []
    for item in items.value:
        line = item.start_mark.line + 1
        fields = _mapping(item)
        text = _scalar(item) if isinstance(item, yaml.ScalarNode) else _scalar(fields.get("text"))
        lang = _scalar(fields.get("lang")) or "de"
        kind = _scalar(fields.get("kind")) if is_crisis else topic
        if not text or not text.strip():
            problems.append(Problem(label, line, "text", "leerer oder fehlender Text"))
        elif len(text) > MAX_EXAMPLE_CHARS:
            problems.append(Problem(label, line, "text", f"länger als {MAX_EXAMPLE_CHARS} Zeichen"))
        elif lang not in LANGUAGES:
            problems.append(Problem(label, line, "lang", f"unbekannte Sprache {lang!r} ({', '.join(LANGUAGES)})"))
        elif is_crisis and kind not in (*CRISIS_KINDS, NO_CRISIS):
            problems.append(Problem(label, line, "kind",
                                    f"unbekannte Art {kind!r} ({', '.join((*CRISIS_KINDS, NO_CRISIS))})"))
        else:
            examples.append(Example(set_, str(kind), lang, text.strip(), label, line))
    return examples


def training(examples: Iterable[Example]) -> list[Example]:
    """The examples the shipped classifier learns from: each text once, none held out."""
    seen: dict[str, Example] = {}
    for example in examples:
        if not held_out(example.text):
            seen.setdefault(example.key, example)
    return list(seen.values())


def _previous_rows(previous: Path | None, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Rows of the database being replaced; [] when there is none or it cannot answer."""
    if previous is None or not previous.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{previous}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _previous_vectors(previous: Path | None, model_id: str) -> dict[str, bytes]:
    """Vectors of the database being replaced, when it was built with the same model."""
    if dict(_previous_rows(previous, "SELECT key, value FROM meta")).get("semantic_model") != model_id:
        return {}
    return dict(_previous_rows(previous, f"SELECT id, vector FROM {TABLE}"))


def _embed_missing(encoder: Any, rows: list[Example], known: dict[str, bytes]) -> None:
    """Add the float16 vectors of the rows not in ``known`` (in batches, as the sync can afford)."""
    import numpy as np

    missing = [e for e in rows if e.key not in known]
    for start in range(0, len(missing), 256):
        chunk = missing[start : start + 256]
        vectors = encoder.encode([e.reading for e in chunk]).astype(np.float16)
        known.update((e.key, v.tobytes()) for e, v in zip(chunk, vectors, strict=True))


def build(db: Any, examples: list[Example], previous: Path | None) -> dict[str, str]:
    """Write the ``semantic_examples`` table (float16 vectors) and the second reader's; returns the
    meta entries ``semantic_model`` and ``second_model``: the models' ids, or "" when there are no
    examples or a model is not available (its table stays empty and the bot does without it)."""
    from bot import semantic

    db.execute(f"CREATE TABLE {TABLE} (id TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL, "
               "lang TEXT NOT NULL, vector BLOB NOT NULL)")
    db.execute(f"CREATE TABLE {MODEL_TABLE} (label TEXT PRIMARY KEY, weights BLOB NOT NULL, "
               "trained_on TEXT NOT NULL)")
    db.execute(f"CREATE TABLE {SECOND_TABLE} (id TEXT PRIMARY KEY, label TEXT NOT NULL, topic TEXT, "
               "model TEXT NOT NULL, vector BLOB NOT NULL)")
    db.execute(f"CREATE TABLE {SECOND_TOPIC_TABLE} (label TEXT PRIMARY KEY, weights BLOB NOT NULL, "
               "trained_on TEXT NOT NULL)")
    rows = training(examples)
    meta = {"semantic_model": "", "second_model": ""}
    if not rows:
        return meta
    known = _previous_vectors(previous, semantic.MODEL_ID)
    if any(e.key not in known for e in rows):
        encoder = semantic.load()
        if encoder is None:
            return meta
        _embed_missing(encoder, rows, known)
    db.conn.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?)",
                        [(e.key, e.set, e.label, e.lang, known[e.key]) for e in sorted(rows, key=lambda e: e.key)])
    build_topic_model(db, [e for e in rows if e.set in TOPIC_SETS], known, previous)
    return {"semantic_model": semantic.MODEL_ID, "second_model": build_second(db, rows, previous)}


def build_second(db: Any, rows: list[Example], previous: Path | None) -> str:
    """Fill the second reader's table (:mod:`bot.second_opinion`) and its topic classifier: the crisis
    corpus and every situation read by the second model. The situations of topics far from danger are
    the crisis reader's harmless look-alikes (like :func:`bot.crisis.read_examples`); those near danger
    it does not read (label ""). Returns the model's id, or "" when that model is not available (the
    tables stay empty and the first decides alone)."""
    from bot import second_opinion

    known = dict(_previous_rows(previous, f"SELECT id, vector FROM {SECOND_TABLE} WHERE model = ?",
                                (second_opinion.MODEL_ID,)))
    if any(e.key not in known for e in rows):
        encoder = second_opinion.load()
        if encoder is None:
            return ""
        _embed_missing(encoder, rows, known)
    db.conn.executemany(f"INSERT INTO {SECOND_TABLE} VALUES (?, ?, ?, ?, ?)",
                        [(e.key, _second_label(e), e.label if e.set in TOPIC_SETS else None, second_opinion.MODEL_ID,
                          known[e.key]) for e in sorted(rows, key=lambda e: e.key)])
    build_topic_model(db, [e for e in rows if e.set in TOPIC_SETS], known, previous, SECOND_TOPIC_TABLE,
                      SECOND_TOPIC_C, second_opinion.DIM)
    return second_opinion.MODEL_ID


def _second_label(example: Example) -> str:
    """What the second crisis reader takes an example for: its kind, a look-alike, or nothing ("")."""
    if example.set == "crisis":
        return example.label
    return "" if example.set != "topic" or example.label in NEAR_DANGER else NO_CRISIS


def build_topic_model(db: Any, rows: list[Example], vectors: dict[str, bytes], previous: Path | None,
                      table: str = MODEL_TABLE, strength: float = TOPIC_C, dim: int | None = None) -> None:
    """Fill ``table`` (``semantic_topic_model``): a logistic regression from a message's vector to its
    topic, trained on the situations' vectors. Beside the nearest situations it reads what a topic's
    examples share rather than how close one of them happens to be (held-out situations: 0.57 -> 0.61
    top-1, benchmarks/RESULTS.md). Unchanged examples take the previous database's weights over."""
    import numpy as np

    from bot import semantic

    rows = sorted(rows, key=lambda e: e.key)
    if len({e.label for e in rows}) < 2:
        return
    trained_on = hashlib.sha1("\n".join([f"C={strength}", *(e.key for e in rows)]).encode()).hexdigest()
    kept = _previous_topic_model(previous, table, trained_on)
    if not kept:
        from sklearn.linear_model import LogisticRegression

        matrix = np.frombuffer(b"".join(vectors[e.key] for e in rows), dtype=np.float16).reshape(
            len(rows), dim or semantic.DIM).astype(np.float32)
        fitted = LogisticRegression(C=strength, max_iter=3000).fit(matrix, [e.label for e in rows])
        weights = np.hstack([fitted.intercept_[:, None], fitted.coef_]).astype(np.float32)
        kept = [(str(label), w.tobytes()) for label, w in zip(fitted.classes_, weights, strict=True)]
    db.conn.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)",
                        [(label, blob, trained_on) for label, blob in kept])


def _previous_topic_model(previous: Path | None, table: str, trained_on: str) -> list[tuple[str, bytes]]:
    """The weights of the database being replaced, when trained on the very same examples."""
    return _previous_rows(previous, f"SELECT label, weights FROM {table} WHERE trained_on = ? ORDER BY label",
                          (trained_on,))
