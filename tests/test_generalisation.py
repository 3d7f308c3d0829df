"""The search on a listing and questions it was not tuned on (tests/generalisation_fixtures.py).

The questions of tests/data/generalisation-queries.yaml were written before looking at
the vocabulary, against a fictional Landkreis Gotha / Saale-Holzland listing written the
way real county pages are (official names, rows without keywords, several services in one
row). The database holds the project's own offers too, as the outside evaluation's does,
and the targets are the outside evaluation's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.search import engine_for, search
from bot.store import Store
from tests.search_fixtures import score_questions

#: a blind listing imported and synced, its questions scored: an evaluation, run with --all
pytestmark = pytest.mark.slow

QUESTIONS = Path(__file__).parent / "data" / "generalisation-queries.yaml"


@pytest.fixture(scope="module")
def store(generalisation_db: Path) -> Iterator[Store]:
    store = Store(generalisation_db)
    yield store
    store.conn.close()


def test_unseen_listing_and_questions_meet_the_targets(store: Store) -> None:
    items = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(items) >= 100 and sum(not i["expect"] for i in items) >= 15
    score = score_questions(store, QUESTIONS)
    assert score.top1 >= 0.92, score.misses
    assert score.recall3 >= 0.98, score.misses
    assert score.offtopic >= 0.95, score.misses


@pytest.mark.parametrize(("name", "word"), [
    ("Schuldner- und Insolvenzberatung", "schuldnerberatung"),
    ("Ehe-, Familien- und Lebensberatung / Erziehungsberatung", "familienberatung"),
    ("Frauen- und Kinderschutzhaus Saale-Holzland", "frauenhaus"),
])
def test_a_hyphenated_list_is_indexed_as_its_compounds(store: Store, name: str, word: str) -> None:
    row = store.conn.execute("SELECT f.keywords FROM search_fts f JOIN search_docs d ON d.docid = f.rowid "
                             "JOIN offers o ON o.id = d.offer_id WHERE o.name = ?", (name,)).fetchone()
    assert word in row[0].split()


def test_a_word_names_its_topic_without_its_letters(store: Store) -> None:
    # no offer says "Schuldenberatung" or "Hartz 4": the vocabulary's topic carries the word
    assert search(store, "schuldenberatung gotha").results[0].offer.source_id == "GS-001"
    analysis = engine_for(store).analyze("harz4 amt eisenberg")  # a typo of a topic word
    assert "buergergeld" in analysis.topics


@pytest.mark.parametrize("question", ["ferienwohnung in gotha", "wie wird das wetter morgen in gotha"])
def test_near_misses_find_nothing(store: Store, question: str) -> None:
    assert search(store, question).results == []
