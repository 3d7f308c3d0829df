"""Write knowledge/asked/: the blind sets' questions as examples of the topics they lead to.

    python scripts/learn_asked.py [--sets GLOB ...] [--keep-back NAME ...] [--taught GLOB ...] [--db EVAL_DB] [--out DIR]

The situations of knowledge/situations/ were written to teach a topic; the blind sets (tests/data/blind)
hold questions as people with a need asked them, each with the offers that should answer it. This script
takes the development half of each set (even lines; the odd lines are never read: they measure), looks up
the main topics of the offers a question expects in the evaluation database (knowledge/ plus the fictional
listing, built as bot.cli.evaluate does unless ``--db`` names one) and writes the question under that topic:
the topics all its expected offers share, else those of the first (a question whose offer has more than two
main topics says too little about any one of them and is left out). The teaching sets (tests/data/taught,
the same form) were written by helpers to teach, in styles the blind sets have, against the same listing: all
their lines are learnt, and no blind set is read for them. One file per topic, replaced whole:
``knowledge/asked/<topic>.yaml``. The sync learns them like the situations (bot.exemplars), a third of them
held out.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.cli.evaluate import blind_sets, fictional_db
from bot.config import PROJECT_ROOT
from bot.pipes import ends_quietly

OUT = PROJECT_ROOT / "knowledge" / "asked"
#: Questions written to teach (all lines learnt), in the blind sets' form.
TAUGHT = PROJECT_ROOT / "tests" / "data" / "taught"
#: Every search set (the crisis sets teach the crisis corpus' own way, by kind).
DEFAULT_SETS = ("situations*.yaml", "languages*.yaml", "short*.yaml")
#: Sets kept out to measure what the questions of the others teach: the newest, written blind after
#: the last were learnt (benchmarks/RESULTS.md, twenty-third session; sets 22 were kept back until then).
#: A session that writes new sets keeps those back and may let the older ones in. Sets 23 stay out too: let
#: in, they changed no first answer of sets 24 (benchmarks/RESULTS.md, twenty-fourth session); sets 23 and 24 let
#: in changed three of sets 25's 180 (+2 / −1: twenty-fifth session). Sets 27 and 28 were written after the
#: last rewrite of knowledge/asked/ and stay out with the rest.
KEPT_BACK = ("situations23.yaml", "languages23.yaml", "situations24.yaml", "languages24.yaml",
             "situations25.yaml", "languages25.yaml", "situations26.yaml", "languages26.yaml",
             "situations27.yaml", "languages27.yaml", "situations28.yaml", "languages28.yaml", "situations28b.yaml",
             "situations29.yaml", "languages29.yaml", "languages29c.yaml",
             "situations30.yaml", "situations30b.yaml", "languages30.yaml", "situations31.yaml")
#: Every teaching set.
DEFAULT_TAUGHT = ("*.yaml",)
#: A question leads to at most this many topics: its offer's main topics beyond that are a broad offer's.
MAX_TOPICS = 2
HEADER = ("# Questions of the development halves of the blind sets (tests/data/blind, even lines) and of the teaching\n"
          "# sets (tests/data/taught), under the main topic of the offers they expect. Written by\n"
          "# scripts/learn_asked.py: do not edit by hand.\n")


def main_topics(db: Path) -> dict[str, list[str]]:
    """Offer source id (as the blind sets name offers) -> its main topics in the evaluation database."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT o.source_id, d.primary_topics FROM search_docs d JOIN offers o ON o.id = d.offer_id")
        return {str(source): (topics or "").split() for source, topics in rows if source}
    finally:
        conn.close()


def topics_of(expect: list[str], topics: dict[str, list[str]]) -> list[str]:
    """The topics a question leads to: those its expected offers share, else the first one's; [] when
    that is none or more than :data:`MAX_TOPICS`."""
    if not expect:
        return []
    shared = set.intersection(*(set(topics.get(offer, ())) for offer in expect))
    found = sorted(shared) if shared else topics.get(expect[0], [])
    return found if len(found) <= MAX_TOPICS else []


def asked(patterns: list[str], kept_back: list[str], topics: dict[str, list[str]], taught: Sequence[str] = ()
          ) -> tuple[dict[str, list[dict[str, Any]]], int, int]:
    """Topic -> its questions ({lang, from, text}) from the development halves of the blind sets and all lines
    of the teaching sets; how many questions were learnt, and how many left out (no topic, or too many)."""
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    learnt = left_out = 0
    sets = [(path, 2) for path in blind_sets(patterns, kept_back)]
    sets += [(path, 1) for path in sorted({p for pattern in taught for p in TAUGHT.glob(pattern)})]
    for path, every in sets:
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for line, item in enumerate(items):
            if line % every or not item.get("expect"):
                continue
            found = topics_of([str(e) for e in item["expect"]], topics)
            learnt += bool(found)
            left_out += not found
            for topic in found:
                by_topic[topic].append({"lang": item.get("lang") or "de", "from": f"{path.stem}:{line + 1}",
                                        "text": " ".join(str(item["q"]).split())})
    return dict(by_topic), learnt, left_out


def write(by_topic: dict[str, list[dict[str, Any]]], out: Path) -> None:
    """One file per topic in ``out``, the files of topics no longer asked about removed."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        if old.stem not in by_topic:
            old.unlink()
    for topic, questions in sorted(by_topic.items()):
        lines = [HEADER, f"topic: {topic}\n", "questions:\n"]
        lines += [f"  - {{lang: {q['lang']}, from: {json.dumps(q['from'])}, text: {json.dumps(q['text'], ensure_ascii=False)}}}\n"
                  for q in questions]
        (out / f"{topic}.yaml").write_text("".join(lines), encoding="utf-8")


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS), help="blind set files (globs in tests/data/blind)")
    parser.add_argument("--keep-back", nargs="*", default=list(KEPT_BACK), help="set files not to learn from")
    parser.add_argument("--taught", nargs="*", default=list(DEFAULT_TAUGHT),
                        help="teaching set files, learnt whole (globs in tests/data/taught)")
    parser.add_argument("--db", type=Path, help="an evaluation database already built")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write (knowledge/asked)")
    args = parser.parse_args(argv)
    with fictional_db(args.db) as db:
        topics = main_topics(db)
    by_topic, learnt, left_out = asked(args.sets, args.keep_back, topics, args.taught)
    write(by_topic, args.out)
    print(f"{args.out}: {learnt} questions under {len(by_topic)} topics; {left_out} left out (no main topic, "
          f"or more than {MAX_TOPICS})")
    return 0


if __name__ == "__main__":  # python -m bot.cli.learn_asked
    raise SystemExit(main())
