"""Round 3 of the blind search probe (tests/probe_fixtures.py, tests/data/probe-queries.yaml).

Two Hessen counties (Werra-Meißner-Kreis, Landkreis Kassel) and the Thüringer Wartburgkreis,
other kinds of help than the earlier rounds, and questions in styles they lack (rambling,
speech-to-text, non-native German, dialect, two places, postcode only, abbreviations,
providers, persons by first name or with a typo). The database holds the project's own
offers too, as the outside evaluation's does; the targets are the outside evaluation's,
for the whole set and for the held-out part (written after the first fixes, never tuned on).
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

QUESTIONS = Path(__file__).parent / "data" / "probe-queries.yaml"


@pytest.fixture(scope="module")
def store(probe_db: Path) -> Iterator[Store]:
    store = Store(probe_db)
    yield store
    store.conn.close()


def _held_out(tmp_path: Path) -> Path:
    items = [i for i in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8")) if i.get("held_out")]
    path = tmp_path / "held-out.yaml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


def test_probe_questions_meet_the_targets(store: Store) -> None:
    items = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(items) >= 120 and sum(not i["expect"] for i in items) >= 20
    score = score_questions(store, QUESTIONS)
    assert score.top1 >= 0.92, score.misses
    assert score.recall3 >= 0.98, score.misses
    assert score.offtopic >= 0.85, score.misses  # two honest near misses: paying tax debts online, a CV template


def test_held_out_questions_meet_the_targets(store: Store, tmp_path: Path) -> None:
    score = score_questions(store, _held_out(tmp_path))
    assert score.top1 >= 0.92, score.misses
    assert score.recall3 >= 0.95, score.misses


@pytest.mark.parametrize(("question", "town"), [
    ("kleiderkammer lichtenau", "Hessisch Lichtenau"),      # the name without its first word
    ("tafel hess. lichtenau", "Hessisch Lichtenau"),
    ("jugendamt salzungen", "Bad Salzungen"),
])
def test_shortened_town_names(store: Store, question: str, town: str) -> None:
    assert engine_for(store).analyze(question).place.name == town


def test_a_second_place_is_no_search_word(store: Store) -> None:
    analysis = engine_for(store).analyze("ich wohne in sontra und arbeite in kassel wo gibts suchtberatung")
    assert analysis.place.name == "Sontra" and "kassel" not in analysis.terms
    assert search(store, "zugverbindung kassel eschwege").results == []


def test_an_outpost_named_in_the_text_serves_its_town(store: Store) -> None:
    # the county's debt advice sits in Hofgeismar and holds consultation hours in Baunatal
    assert search(store, "wo ich kann finden hilfe für schulden in baunatal").results[0].offer.source_id == "WR-024"


def test_dialect_and_a_childs_age(store: Store) -> None:
    engine = engine_for(store)
    assert "pflege" in engine.analyze("mer brauche hilf mit de pfleg vun de oma in wolfhagen").topics
    assert "erziehung" in engine.analyze("mein 15 jähriger haut nachts ab").topics


def test_an_unknown_county_is_read_from_the_postcode(store: Store) -> None:
    row = store.conn.execute("SELECT d.county FROM search_docs d JOIN offers o ON o.id = d.offer_id "
                             "WHERE o.source_id = 'WR-017'").fetchone()
    assert row[0] == "werra meissner kreis"  # the listing says "WMK"


@pytest.mark.parametrize("question", [
    # a Thüringen district office 185 km away ('Fachdienst Jugend und Familie') serves its own district only
    "fußballverein vellmar jugend",
    "handy reparatur kassel", "ferienwohnung an der werra"])
def test_near_misses_find_nothing(store: Store, question: str) -> None:
    assert search(store, question).results == []


def test_a_nationality_word_in_an_offers_name_answers_nothing_alone(store: Store) -> None:
    # "Deutscher ..." opens many names of associations; it says nothing of the help wanted
    assert search(store, "wer wird deutscher meister").results == []
