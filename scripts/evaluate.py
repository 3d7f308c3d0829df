"""Measure the search on a question set, beside two baselines, in one run.

    python scripts/evaluate.py [--queries FILE] [--listing CSV ...] [--verbose]

Builds a separate database from the project's knowledge/ plus the given county
listing(s), imported and synced with the project's own scripts into a temporary
folder (never into knowledge/ or offers.db), then asks every question through
``python -m bot search --jsonl`` exactly as outside checks do. Baselines on the
same database: SQLite FTS5 BM25 over the offers' text, and rapidfuzz WRatio over
the same text, each with a score threshold for "nothing found".

Scores: top-1 (first result's Nr in expect), recall@3, MRR, and for questions
with ``expect: []`` the share answered with nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
TARGETS = {"top1": 0.92, "recall3": 0.98, "offtopic": 0.95}


def build_eval_db(listings: list[Path], workdir: Path) -> Path:
    knowledge = workdir / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    for listing in listings:
        out = knowledge / "offers" / f"eval-{listing.stem}.yaml"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "import_listing.py"), str(listing), "--out", str(out)],
                       check=True, capture_output=True, text=True)
    db = workdir / "eval.db"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_offers.py"), "--knowledge", str(knowledge),
                    "--db", str(db)], check=True, capture_output=True, text=True)
    return db


def run_project(db: Path, questions: list[str]) -> list[list[str | None]]:
    proc = subprocess.run([sys.executable, "-m", "bot", "search", "--jsonl", "--db", str(db)],
                          input="\n".join(questions) + "\n", capture_output=True, text=True, check=True, cwd=ROOT)
    return [[r["source_id"] for r in json.loads(line)] for line in proc.stdout.splitlines()]


def _offer_texts(db: Path) -> list[tuple[str | None, str]]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT source_id, name, coalesce(provider,''), coalesce(category,''), keywords, "
                        "coalesce(description,''), coalesce(city,''), coalesce(county,''), "
                        "coalesce(contact_text,'') FROM offers").fetchall()
    return [(r[0], " ".join(str(x) for x in r[1:])) for r in rows]


def bm25_baseline(db: Path, threshold: float) -> Callable[[str], list[str | None]]:
    conn = sqlite3.connect(db)

    def ask(question: str) -> list[str | None]:
        tokens = re.findall(r"\w+", question.lower())
        if not tokens:
            return []
        match = " OR ".join(f'"{t}"' for t in tokens)
        rows = conn.execute("SELECT o.source_id, bm25(offers_fts) FROM offers_fts JOIN offers o "
                            "ON o.rowid = offers_fts.rowid WHERE offers_fts MATCH ? ORDER BY bm25(offers_fts) "
                            "LIMIT 10", (match,)).fetchall()
        return [sid for sid, score in rows if -score >= threshold]

    return ask


def wratio_baseline(db: Path, threshold: float) -> Callable[[str], list[str | None]]:
    from rapidfuzz import fuzz, process, utils

    texts = _offer_texts(db)
    choices = [t for _, t in texts]

    def ask(question: str) -> list[str | None]:
        found = process.extract(question, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=10)
        return [texts[i][0] for _, score, i in found if score >= threshold]

    return ask


def score(items: list[dict], answers: list[list[str | None]]) -> dict[str, float]:
    top1 = rec3 = rr = 0.0
    on_topic = off_total = off_ok = 0
    for item, got in zip(items, answers, strict=True):
        expect = set(item.get("expect") or [])
        if not expect:
            off_total += 1
            off_ok += not got
            continue
        on_topic += 1
        top1 += bool(got) and got[0] in expect
        rec3 += any(g in expect for g in got[:3])
        rank = next((i for i, g in enumerate(got) if g in expect), None)
        rr += 1.0 / (rank + 1) if rank is not None else 0.0
    n = max(on_topic, 1)
    return {"top1": top1 / n, "recall3": rec3 / n, "mrr": rr / n,
            "offtopic": off_ok / off_total if off_total else 1.0, "questions": len(items)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=SHARED / "dev-queries.yaml")
    parser.add_argument("--listing", type=Path, action="append",
                        help="county listing(s) to add (default: the fictional eval listing)")
    parser.add_argument("--verbose", action="store_true", help="print every miss with its top 3")
    args = parser.parse_args(argv)
    listings = args.listing or sorted((SHARED / "listings").glob("*.csv"))
    items = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    questions = [str(i["q"]) for i in items]

    with tempfile.TemporaryDirectory() as tmp:
        db = build_eval_db(listings, Path(tmp))
        systems = {
            "project": run_project(db, questions),
            "fts5-bm25": [bm25_baseline(db, 1.0)(q) for q in questions],
            "rapidfuzz-wratio": [wratio_baseline(db, 60.0)(q) for q in questions],
        }
    print(f"{len(items)} questions from {args.queries}, listings: {', '.join(p.name for p in listings)}")
    print(f"{'system':18} {'top-1':>7} {'recall@3':>9} {'MRR':>7} {'off-topic':>10}")
    results = {}
    for name, answers in systems.items():
        s = score(items, answers)
        results[name] = s
        print(f"{name:18} {s['top1']:7.3f} {s['recall3']:9.3f} {s['mrr']:7.3f} {s['offtopic']:10.3f}")
    print(f"{'targets':18} {TARGETS['top1']:7.2f} {TARGETS['recall3']:9.2f} {'':>7} {TARGETS['offtopic']:10.2f}")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_kind[item.get("kind", "?")].append(i)
    parts = []
    for kind, idx in sorted(by_kind.items()):
        s = score([items[i] for i in idx], [systems["project"][i] for i in idx])
        parts.append(f"{kind} {s['offtopic'] if kind == 'none' else s['top1']:.2f}")
    print("project top-1 by kind (none: answered with nothing): " + ", ".join(parts))
    if args.verbose:
        for item, got in zip(items, systems["project"], strict=True):
            expect = set(item.get("expect") or [])
            ok = (not got) if not expect else (bool(got) and got[0] in expect)
            if not ok:
                print(f"MISS {item['q']!r}: expect {sorted(expect)} got {got[:3]}")
    met = all(results["project"][k] >= v for k, v in TARGETS.items())
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
