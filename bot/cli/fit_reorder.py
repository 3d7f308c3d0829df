"""Fit the weights of the learned result order (bot.reorder) and say what they gain, in one run.

    python scripts/fit_reorder.py [--sets GLOB ...] [--db EVAL_DB] [--c 100]

Builds the evaluation database (knowledge/ plus the fictional listing, as bot.cli.evaluate does) unless
``--db`` names one, asks the development half (even lines) of each blind set the search's way, and reads
the first results as the reordering does (``SearchResponse.candidates``, in the rules' order). A logistic
regression learns from pairs: the right offer against each wrong one of the same question. Prints the
weights for ``bot.reorder.WEIGHTS`` and, fitted on half the sets and measured on the others (both ways
round), how often the first answer is right with the rules' order and with the learned one. The held-out
halves (odd lines) and any set not matched are never read: they measure the result.

The topic reader learns from the same development halves (knowledge/asked/, scripts/learn_asked.py): on them the
meaning fits better than on new words, and a refit would trust it more than it earns. The shipped weights were
fitted before those questions joined; a refit wants sets that knowledge/asked/ does not hold.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from bot import reorder
from bot.cli.evaluate import blind_sets, fictional_db
from bot.pipes import ends_quietly
from bot.search import engine_for
from bot.store import Store

#: The sets the shipped weights were fitted on: sets 3 to 20 (situations21 and languages21 were kept back
#: to measure them, benchmarks/RESULTS.md, twenty-first session).
DEFAULT_SETS = ("situations[0-9].yaml", "situations1[0-9]*.yaml", "situations20.yaml", "situations.yaml",
                "languages[0-9].yaml", "languages1[0-9].yaml", "languages20.yaml", "languages.yaml")

Question = tuple[str, list[tuple[float, ...]], list[bool]]


def read_questions(db: Path, patterns: list[str]) -> list[Question]:
    """(set, feature rows, whether each is right) of every development-half question the reordering read."""
    store = Store(db)
    engine = engine_for(store)
    out: list[Question] = []
    for path in blind_sets(patterns):
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in items[::2]:
            expect = set(item.get("expect") or [])
            if not expect:
                continue
            first = engine.search(str(item["q"]), limit=reorder.DEPTH).candidates
            if len(first) < 2:
                continue
            sources = {o.id: o.source_id for o in store.offers([c.offer_id for c in first])}
            out.append((path.stem, reorder.features(first), [sources.get(c.offer_id) in expect for c in first]))
    return out


def fit(questions: list[Question], strength: float) -> tuple[float, ...]:
    """Pairwise logistic regression: the right offer's features minus a wrong one's (and the other way round)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    diffs, labels = [], []
    for _, rows, right in questions:
        for i, good in enumerate(right):
            for j, bad in enumerate(right):
                if good and not bad:
                    diff = np.subtract(rows[i], rows[j])
                    diffs += [diff, -diff]
                    labels += [1, 0]
    model = LogisticRegression(C=strength, fit_intercept=False, max_iter=5000).fit(np.array(diffs), labels)
    return tuple(round(float(w), 3) for w in model.coef_[0])


def first_right(questions: list[Question], weights: tuple[float, ...] | None) -> int:
    """How many questions get the right offer first: in the rules' order (``weights`` None) or the learned one."""
    hits = 0
    for _, rows, right in questions:
        if weights is None:
            hits += right[0]
        else:
            value = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
            hits += right[max(range(len(rows)), key=lambda i: (value[i], -i))]
    return hits


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS), help="blind set files (globs in tests/data/blind)")
    parser.add_argument("--db", type=Path, help="an evaluation database already built")
    parser.add_argument("--c", type=float, default=100.0, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    with fictional_db(args.db) as db:
        questions = read_questions(db, args.sets)
    sets = sorted({s for s, _, _ in questions})
    rules = learned = 0
    for fold in (set(sets[0::2]), set(sets[1::2])):
        weights = fit([q for q in questions if q[0] not in fold], args.c)
        tested = [q for q in questions if q[0] in fold]
        rules += first_right(tested, None)
        learned += first_right(tested, weights)
    n = len(questions)
    print(f"{n} questions the reordering reads, from {len(sets)} sets (development halves)")
    print(f"right first, fitted on the other sets: rules {rules / n:.4f}, learned {learned / n:.4f}")
    print(f"WEIGHTS = {fit(questions, args.c)}  # {', '.join(reorder.FEATURES)}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.fit_reorder
    raise SystemExit(main())
