"""What the crisis check's second reader costs: time per message and answers per core.

    python benchmarks/bench_crisis.py [--rounds 3] [--limit 300] [--no-write]

On the shipped offers.db, three sets of messages (the evaluation set's search questions, what
people ask all day; held-out everyday situations of the topics far from danger; held-out
messages of knowledge/crisis/: bot.exemplars.held_out, never in offers.db) are searched in process (``bot.search.search``: analysis with the crisis check,
retrieval, ranking), in three modes that take turns message by message, so a busy
machine weighs on each alike:

- ``both``: the bot as shipped, the second reader asked near the crisis line;
- ``first``: the second reader disabled (``bot.second_opinion.disable``): the first
  encoder decides alone, as before the second reader;
- ``words``: both models disabled: the word lists and patterns alone.

Reported per mode: p50 / p99 of the wall time per message, CPU time per message and
answers per second per core (1 / mean CPU time), and the share of messages the second
reader read. Ratios are to ``first`` in the same run. Figures go to the section
"Crisis: a second reader" of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.results import machine, write_section  # noqa: E402
from bot import search as search_module  # noqa: E402
from bot import second_opinion, semantic  # noqa: E402
from bot.crisis import NEAR_DANGER  # noqa: E402
from bot.exemplars import held_out, load_examples  # noqa: E402
from bot.store import Store  # noqa: E402

if TYPE_CHECKING:
    import numpy as np

SECTION = "## Crisis: a second reader"
MODES = ("both", "first", "words")


def message_sets(limit: int) -> dict[str, list[str]]:
    """The questions of the evaluation set (what people ask all day), the held-out everyday
    situations, the held-out crisis-corpus messages and the held-out situations in other languages
    (the second model reads their topics too); at most ``limit`` of each."""
    import yaml

    knowledge = ROOT / "knowledge"
    topics = [t["id"] for t in yaml.safe_load((knowledge / "topics.yaml").read_text(encoding="utf-8"))["topics"]]
    examples, _ = load_examples(knowledge, topics)
    questions = yaml.safe_load((ROOT / "tests" / "data" / "eval" / "dev-queries.yaml").read_text(encoding="utf-8"))
    return {
        "search questions (tests/data/eval)": [str(q["q"]) for q in questions][:limit],
        "everyday situations (held out)": [e.text for e in examples if e.set == "topic"
                                           and e.label not in NEAR_DANGER and held_out(e.text)][:limit],
        "crisis corpus (held out)": [e.text for e in examples if e.set == "crisis" and held_out(e.text)][:limit],
        "other languages (held-out situations)": [e.text for e in examples if e.set == "topic" and e.lang != "de"
                                                  and held_out(e.text)][:limit],
    }


class Switch:
    """Puts the models in the state a mode needs (both loaded, the second off, both off)."""

    def __init__(self) -> None:
        self.encoders = (semantic.load(), second_opinion.load())
        if None in self.encoders:
            raise SystemExit(f"the models are needed: {semantic.status()}; {second_opinion.status()}")

    def set(self, mode: str) -> None:
        first, second = self.encoders
        semantic._slot._encoder = None if mode == "words" else first
        second_opinion._slot._encoder = second if mode == "both" else None


def measure(store: Store, texts: list[str], rounds: int, switch: Switch) -> dict[str, dict[str, float]]:
    """Wall and CPU time per message per mode, and how often the second reader read."""
    wall: dict[str, list[float]] = {m: [] for m in MODES}
    cpu: dict[str, float] = dict.fromkeys(MODES, 0.0)
    asked = 0
    counted = second_opinion.Message.vectors
    reading: set[int] = set()  # the messages the second model read (for the crisis check or the topics)

    def counting(self: second_opinion.Message, picks: Sequence[int]) -> np.ndarray | None:
        vectors = counted(self, picks)
        if vectors is not None:  # read (not: asked while switched off)
            reading.add(id(self))
        return vectors

    second_opinion.Message.vectors = counting  # type: ignore[method-assign]
    try:
        for mode in MODES:  # warm: the engine, its caches, each model's first call
            switch.set(mode)
            search_module.search(store, texts[0])
        asked = 0
        for r in range(rounds):
            for i, text in enumerate(texts):
                order = MODES[(i + r) % 3:] + MODES[:(i + r) % 3]
                for mode in order:
                    switch.set(mode)
                    reading.clear()
                    c0, w0 = time.process_time(), time.perf_counter()
                    search_module.search(store, text)
                    wall[mode].append(time.perf_counter() - w0)
                    cpu[mode] += time.process_time() - c0
                    asked += bool(reading)
    finally:
        second_opinion.Message.vectors = counted  # type: ignore[method-assign]
        switch.set("both")
    n = len(texts) * rounds
    out: dict[str, dict[str, float]] = {}
    for mode in MODES:
        times = sorted(wall[mode])
        out[mode] = {"p50": statistics.median(times) * 1000, "p99": times[int(0.99 * (len(times) - 1))] * 1000,
                     "cpu": cpu[mode] / n * 1000, "per_core": n / cpu[mode]}
    out["both"]["asked"] = asked / n
    return out


def report(results: dict[str, dict[str, dict[str, float]]], sizes: dict[str, int], rounds: int) -> str:
    labels = {"both": "both encoders (shipped)", "first": "first encoder alone", "words": "word lists alone"}
    rows = []
    for name, figures in results.items():
        first = figures["first"]
        for mode in MODES:
            f = figures[mode]
            read = f"{f['asked']:.0%}" if "asked" in f else "–"
            rows.append(f"| {name} ({sizes[name]}) | {labels[mode]} | {f['p50']:.1f} | {f['p99']:.1f} | "
                        f"{f['p50'] / first['p50']:.2f}× / {f['p99'] / first['p99']:.2f}× | {f['cpu']:.2f} | "
                        f"{f['per_core']:.0f} | {read} |")
    return "\n".join([
        SECTION, "",
        f"`python benchmarks/bench_crisis.py --rounds {rounds}` on {time.strftime('%Y-%m-%d')} — machine: {machine()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end (absolute times vary with it, ratios less); "
        f"{rounds} rounds, the three modes taking turns message by message; `bot.search.search` in process on "
        "the shipped offers.db. Ratios are to the first encoder alone in the same run; \"read\" is the share of "
        "messages the second model read: for the crisis check (their first lead within `bot.crisis.BAND`) or "
        "for their topics (none of their words known to the offers, or not in Latin letters, or a German story "
        "neither the words nor the first model place).",
        "",
        "| messages | mode | p50 ms | p99 ms | ratio to the first encoder alone (p50 / p99) | CPU ms per message | "
        "answers per second per core | read |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=300, help="messages per set")
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = parser.parse_args(argv)
    sets = message_sets(args.limit)
    store, switch = Store(ROOT / "offers.db"), Switch()
    results = {name: measure(store, texts, args.rounds, switch) for name, texts in sets.items()}
    text = report(results, {name: len(texts) for name, texts in sets.items()}, args.rounds)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
