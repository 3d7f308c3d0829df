"""Benchmark the sync: 10,000 generated offers against a bare sqlite-utils insert of the same rows.

    python benchmarks/bench_sync.py [--n 10000] [--no-write]

Targets (issue 2): a full sync ≤ 10 s and ≤ 3× the bare insert, measured in the
same run on the same machine; a re-sync without changes writes nothing. The
figures go to the "Sync" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from benchmarks.results import write_section  # noqa: E402
from benchmarks.synthetic import generate_offers, write_knowledge  # noqa: E402
from bot import sync as sync_module  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Sync"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def bare_insert(tables: dict[str, tuple[list[dict], str | tuple[str, ...]]], path: Path, *, fast: bool) -> None:
    """The baseline: sqlite-utils insert_all of the rows the sync writes, nothing else."""
    db = sqlite_utils.Database(path)
    if fast:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
    for name, (rows, pk) in tables.items():
        db[name].insert_all(rows, pk=pk)
    db.close()


def rows_of(knowledge_dir: Path) -> dict[str, tuple[list[dict], str | tuple[str, ...]]]:
    knowledge, _ = load_knowledge(knowledge_dir)
    offers, contacts, phones = sync_module._offer_rows(knowledge)
    offer_topics = [{"offer_id": o.offer.id, "topic_id": t} for o in knowledge.offers for t in o.offer.topics]
    return {"offers": (offers, "id"), "contacts": (contacts, "id"), "phones": (phones, "id"),
            "offer_topics": (offer_topics, ("offer_id", "topic_id")),
            "places": ([{"id": f"{p['postcode']}-{p['name']}", **p} for p in knowledge.places], "id")}


def run(n: int, work: Path) -> dict[str, float]:
    knowledge_dir = work / "knowledge"
    gen_s, offers = timed(lambda: generate_offers(n, seed=1))
    write_knowledge(knowledge_dir, offers)  # type: ignore[arg-type]
    tables = rows_of(knowledge_dir)

    bare_default_s, _ = timed(lambda: bare_insert(tables, work / "bare-default.db", fast=False))
    bare_fast_s, _ = timed(lambda: bare_insert(tables, work / "bare-fast.db", fast=True))
    load_s, _ = timed(lambda: load_knowledge(knowledge_dir))

    searchindex_s = 0.0
    build_index = sync_module.searchindex.build

    def timed_index(db: sqlite_utils.Database) -> None:
        nonlocal searchindex_s
        searchindex_s, _ = timed(lambda: build_index(db))

    db_path = work / "offers.db"
    sync_module.searchindex.build = timed_index  # type: ignore[assignment]
    try:
        sync_s, result = timed(lambda: sync_module.sync(knowledge_dir, db_path))
    finally:
        sync_module.searchindex.build = build_index  # type: ignore[assignment]
    assert result.ok and result.written and len(result.added) == n, result  # type: ignore[union-attr]
    before = db_path.read_bytes()
    resync_s, again = timed(lambda: sync_module.sync(knowledge_dir, db_path))
    assert not again.written and db_path.read_bytes() == before  # type: ignore[union-attr]

    first = knowledge_dir / "offers" / "synthetisch-001.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("Ausgabe gespendeter", "Ausgabe von gespendeten", 1),
                     encoding="utf-8")
    change_s, changed = timed(lambda: sync_module.sync(knowledge_dir, db_path))
    assert changed.written and len(changed.changed) == 1, changed  # type: ignore[union-attr]
    return {"n": n, "generate_s": gen_s, "bare_default_s": bare_default_s, "bare_fast_s": bare_fast_s,
            "load_s": load_s, "sync_s": sync_s, "searchindex_s": searchindex_s, "resync_s": resync_s,
            "change_s": change_s, "load": os.getloadavg()[0]}


def report(f: dict[str, float]) -> str:
    own = f["sync_s"] - f["searchindex_s"]
    lines = [
        SECTION,
        "",
        f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}, "
        f"SQLite {sqlite_utils.Database(memory=True).execute('select sqlite_version()').fetchone()[0]}. "
        f"Command: `python benchmarks/bench_sync.py --n {int(f['n'])}`. Figures of one run; the machine's "
        f"load average at the end was {f['load']:.1f} (other jobs share the 2 cores, so the seconds vary by "
        "up to 2× between runs; the ratios less).",
        "",
        "| step | seconds | ratio |",
        "| --- | ---: | ---: |",
        f"| bare `insert_all` of the same rows, sqlite-utils defaults (baseline) | {f['bare_default_s']:.2f} | 1.0× |",
        f"| bare `insert_all`, journal and fsync off (as the sync builds) | {f['bare_fast_s']:.2f} | "
        f"{f['bare_fast_s'] / f['bare_default_s']:.2f}× |",
        f"| full sync of {int(f['n']):,} offers (check + build + FTS + search tables + swap) | {f['sync_s']:.2f} | "
        f"{f['sync_s'] / f['bare_default_s']:.2f}× |",
        f"| … of which loading and checking the YAML | {f['load_s']:.2f} | |",
        f"| … of which `bot.searchindex.build` (search tables) | {f['searchindex_s']:.2f} | |",
        f"| sync without the search tables | {own:.2f} | {own / f['bare_default_s']:.2f}× "
        f"(vs. fast bare insert: {own / f['bare_fast_s']:.1f}×) |",
        f"| re-sync without changes (hash compare, nothing written) | {f['resync_s']:.2f} | |",
        f"| sync after changing one offer (full rebuild, diff `~ 1`) | {f['change_s']:.2f} | |",
        "",
        f"Targets: full sync ≤ 10 s: {'met' if f['sync_s'] <= 10 else 'NOT met'}; "
        f"≤ 3× the bare insert: {'met' if f['sync_s'] <= 3 * f['bare_default_s'] else 'NOT met'} "
        f"({f['sync_s'] / f['bare_default_s']:.2f}×).",
        "",
        "Notes: the baseline is sqlite-utils as it comes, which commits (and fsyncs) every insert chunk;",
        "the sync writes a fresh file nobody reads yet, so it turns the journal and fsync off and syncs the",
        "file once before the rename (second row: the bare insert with the same settings). Most of the",
        "sync's own time is reading 9 MB of YAML with libyaml (PyYAML's C parser, the cyclic garbage",
        "collector paused: with it running, loading took 12 s); validation with pydantic is about 0.5 s,",
        "the rows and the FTS index about 1 s (the strings, mappings and lists of the YAML are taken from",
        "its nodes directly: PyYAML's constructor took 2.8 s for what now takes 2.0). About 2 s of",
        "`bot.searchindex.build` is fixed: simplemma's German dictionary (1.1 million forms) is loaded and",
        "read once per sync for the lemma forms and compound parts of the offers' words. A re-sync",
        "without changes compares the input hash and writes nothing (the file stays byte-identical).",
        "The baseline's fsyncs make it swing between about 1.4 s and 11 s on these machines (runs of the",
        "same command): the ratio target is met against a slow disk and missed against a fast one; the",
        f"sync without the search tables ({own / f['bare_default_s']:.2f}× in this run) is the sync's own part.",
        "",
    ]
    return "\n".join(lines)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = run(args.n, Path(tmp))
    text = report(figures)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
