"""Measure the crisis check beside the patterns alone, in one run.

    python scripts/evaluate_crisis.py [--db offers.db] [--set FILE ...] [--harmless FILE ...] [--verbose] [--json OUT]

Sets: the held-out third of knowledge/crisis/ (never in offers.db, see bot.exemplars), the
held-out situations of knowledge/situations/ far from any danger (everyday help questions, all
harmless: they measure the false alarms most messages would see), the held-out stories of those
topics (the same told at length, as people explain their whole situation: a long message has many
windows to come near a crisis in), any question file in the format of tests/data/blind/crisis.yaml
(``- {q: TEXT, kind: suicide|selfharm|violence|child|poison|medical|null, lang: de}``) and, with
``--harmless``, any file of search questions (tests/data/blind/situations*.yaml, languages*.yaml)
read as harmless messages: how many everyday questions raise the emergency block.
Every message goes through the search's own analysis (``SearchEngine.analyze``) on the
given database, as the bot reads it; the baseline is the patterns alone
(``bot.crisis.pattern_kind``) on the same messages.

Figures: recall (a crisis message raised an alarm of any kind), false alarms (a harmless
message raised one), kind (the alarm named the right kind), lines (the alarm's crisis block
holds the lines bot.crisis.LINES names for the true kind), soft (harmless or missed
messages that got the soft TelefonSeelsorge line; of the missed, how many soft lines still held the
fitting lines: a poisoning near the line gets 112 and the Giftnotruf there); per language too.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.crisis import LINES, NEAR_DANGER, pattern_kind
from bot.exemplars import held_out, load_examples
from bot.pipes import ends_quietly
from bot.search import engine_for
from bot.store import Store

TARGETS = {"recall": 0.98, "false_alarms": 0.05, "lines": 0.95}


def held_out_set(knowledge: Path) -> list[dict[str, Any]]:
    """The held-out third of the crisis corpus as messages with their true kind."""
    examples, _ = load_examples(knowledge)
    return [{"q": e.text, "kind": None if e.label == "none" else e.label, "lang": e.lang}
            for e in examples if e.set == "crisis" and held_out(e.text)]


def situations_set(knowledge: Path, kind: str = "topic") -> list[dict[str, Any]]:
    """The held-out situations (``kind`` "topic"), or stories ("story"), of topics far from any danger
    (``bot.crisis.NEAR_DANGER``): everyday help questions ("die nebenkosten sind so hoch"), every one
    of them harmless."""
    examples, _ = load_examples(knowledge, topic_ids(knowledge))
    return [{"q": e.text, "kind": None, "lang": e.lang} for e in examples
            if e.set == kind and e.label not in NEAR_DANGER and held_out(e.text)]


def topic_ids(knowledge: Path) -> list[str]:
    return [t["id"] for t in yaml.safe_load((knowledge / "topics.yaml").read_text(encoding="utf-8"))["topics"]]


def read_set(path: Path) -> list[dict[str, Any]]:
    return [{"q": str(item["q"]), "kind": item.get("kind"), "lang": item.get("lang", "de")}
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def harmless_set(path: Path) -> list[dict[str, Any]]:
    """A file of search questions (``- {q: TEXT, expect: [...], lang: L}``) as harmless messages."""
    return [{**item, "kind": None} for item in read_set(path)]


def lines_of(hotlines: list[dict[str, Any]], kind: str, also: str | None = None) -> set[str]:
    return {h["id"] for h in hotlines if kind in h.get("crisis", ()) or (also and also in h.get("crisis", ()))}


#: What a system says of one message: (crisis kind or None, uncertain, second kind or None, the kinds
#: whose lines the soft line names too).
Prediction = tuple[str | None, bool, str | None, tuple[str, ...]]


def score(items: list[dict[str, Any]], predicted: list[Prediction],
          hotlines: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of one system on one set (``predicted``: one :data:`Prediction` per message)."""
    def figures(pairs: list[tuple[dict[str, Any], Prediction]]) -> dict[str, Any]:
        crises = [(i, p) for i, p in pairs if i["kind"]]
        harmless = [(i, p) for i, p in pairs if not i["kind"]]
        alarms = [(i, p[0], p[2]) for i, p in crises if p[0]]
        fitting = [1 for i, kind, also in alarms if set(LINES[i["kind"]]) <= lines_of(hotlines, kind, also)]
        soft_missed = [(i, p[3]) for i, p in crises if not p[0] and p[1]]
        return {
            "crisis": len(crises), "harmless": len(harmless),
            "recall": round(len(alarms) / len(crises), 3) if crises else None,
            "false_alarms": round(sum(1 for _, p in harmless if p[0]) / len(harmless), 3) if harmless else None,
            "kind": round(sum(1 for i, kind, _ in alarms if kind == i["kind"]) / len(alarms), 3) if alarms else None,
            "lines": round(len(fitting) / len(alarms), 3) if alarms else None,
            "soft_on_missed": len(soft_missed),
            "soft_fitting_on_missed": sum(1 for i, leaning in soft_missed if set(LINES[i["kind"]]) <= set().union(
                lines_of(hotlines, "uncertain"), *(lines_of(hotlines, k) for k in leaning))),
            "soft_on_harmless": sum(1 for _, p in harmless if not p[0] and p[1]),
        }

    pairs = list(zip(items, predicted, strict=True))
    out = figures(pairs)
    by_lang: dict[str, list[Any]] = defaultdict(list)
    for pair in pairs:
        by_lang[pair[0]["lang"]].append(pair)
    out["by_lang"] = {lang: figures(p) for lang, p in sorted(by_lang.items())}
    return out


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=PROJECT_ROOT / "offers.db")
    parser.add_argument("--knowledge", type=Path, default=PROJECT_ROOT / "knowledge")
    parser.add_argument("--set", type=Path, action="append", default=[], help="a question file (blind set)")
    parser.add_argument("--harmless", type=Path, action="append", default=[],
                        help="a file of search questions, every one read as harmless")
    parser.add_argument("--verbose", action="store_true", help="list the misses and false alarms")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    engine = engine_for(Store(args.db))
    hotlines = engine.store.hotlines()
    sets = {"held-out corpus": held_out_set(args.knowledge), "held-out situations": situations_set(args.knowledge),
            "held-out stories": situations_set(args.knowledge, "story")}
    sets.update({path.stem: read_set(path) for path in args.set})
    sets.update({path.stem: harmless_set(path) for path in args.harmless})
    report: dict[str, Any] = {}
    ok = True
    for name, items in sets.items():
        project: list[Prediction] = []
        for item in items:
            analysis = engine.analyze(item["q"])
            project.append((analysis.crisis, analysis.crisis_uncertain, analysis.crisis_also, analysis.crisis_leaning))
        baseline: list[Prediction] = [(pattern_kind(item["q"]), False, None, ()) for item in items]
        report[name] = {"project": score(items, project, hotlines), "patterns": score(items, baseline, hotlines)}
        for system, figures in report[name].items():
            print(f"{name:18} {system:8} n={figures['crisis']}+{figures['harmless']} recall={figures['recall']} "
                  f"false_alarms={figures['false_alarms']} kind={figures['kind']} lines={figures['lines']} "
                  f"soft(missed/harmless)={figures['soft_on_missed']}/{figures['soft_on_harmless']} "
                  f"soft_fitting={figures['soft_fitting_on_missed']}")
        for lang, figures in report[name]["project"]["by_lang"].items():
            print(f"{'':18} {lang:8} recall={figures['recall']} false_alarms={figures['false_alarms']} "
                  f"kind={figures['kind']}")
        if args.verbose:
            for item, (kind, soft, _, _) in zip(items, project, strict=True):
                if bool(kind) != bool(item["kind"]):
                    print(f"  {'MISS' if item['kind'] else 'FALSE'} {item['kind']}->{kind}{' (soft)' if soft else ''}: "
                          f"{item['q']}")
        figures = report[name]["project"]
        ok = ok and (figures["recall"] or 0) >= TARGETS["recall"] and (figures["false_alarms"] or 0) <= \
            TARGETS["false_alarms"] and (figures["lines"] or 0) >= TARGETS["lines"]
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":  # python -m bot.cli.evaluate_crisis
    raise SystemExit(main())
