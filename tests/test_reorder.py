"""The learned order of the first results (bot.reorder), on the shipped offers.db with the semantic layer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import reorder
from bot.config import PROJECT_ROOT
from bot.reorder import Candidate
from bot.search import search
from bot.store import Store

RULES_ORDER = (0.0,) * len(reorder.FEATURES)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store(PROJECT_ROOT / "offers.db")
    yield store
    store.conn.close()


def names(store: Store, question: str) -> list[tuple[str, str | None]]:
    return [(r.offer.name, r.offer.city) for r in search(store, question, limit=3).results]


def test_the_food_bank_in_the_town_asked_about_comes_first(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "hab kein geld mehr fürs essen roßleben"
    assert names(store, question)[0] == ("Tafel Roßleben", "Roßleben-Wiehe")
    monkeypatch.setattr(reorder, "WEIGHTS", RULES_ORDER)
    # the rules alone put the bigger food bank 30 km away first: its text carries more of the words
    assert names(store, question)[0] == ("Tafel Sondershausen", "Sondershausen")


@pytest.mark.parametrize(("question", "first"), [
    ("ich will mich umbringen", "TelefonSeelsorge"),  # the danger's lines, as the words name it
    ("telefon frau grimm sozialplanung", "Sozialplanung und Armutsprävention"),  # the contact person's office
    ("hat die tafel in roßleben jetzt offen", "Tafel Roßleben"),  # what is open now comes forward by its own rule
])
def test_the_rules_first_answer_stands_for_a_named_danger_person_or_what_is_open(store: Store, question: str, first: str) -> None:
    response = search(store, question, limit=3)
    assert response.results[0].offer.name == first
    assert response.candidates == []  # the learned order was not asked


def candidate(offer_id: str, score: float, *, relevance: float | None = None, topic_credit: float = 1.0,
              meaning_gap: float = 0.0, word_topic: bool = True) -> Candidate:
    return Candidate(offer_id, score, score if relevance is None else relevance, topic_credit, meaning_gap, word_topic)


def test_an_offer_in_town_on_the_meant_topic_goes_before_a_better_worded_one_farther_away() -> None:
    far = candidate("far", 0.70, relevance=1.0)  # carries more of the words, 25 km away (place factor 0.7)
    local = candidate("local", 0.65)  # in town, as fitting
    assert reorder.order([far, local]) == [1, 0]


def test_an_offer_off_the_meaning_does_not_go_first() -> None:
    meant = candidate("meant", 0.60)
    other = candidate("other", 0.62, meaning_gap=-0.25)  # its topics lie far below the message's best
    assert reorder.order([other, meant]) == [1, 0]


def test_like_candidates_keep_the_rules_order() -> None:
    same = [candidate(str(i), 0.5) for i in range(3)]
    assert [same[i].offer_id for i in reorder.order(same)] == ["0", "1", "2"]


def test_the_features_describe_how_an_offer_fits_in_the_rules_order() -> None:
    rows = reorder.features([candidate("a", 0.8), candidate("b", 0.4, relevance=0.8, meaning_gap=-0.1)])
    named = [dict(zip(reorder.FEATURES, row, strict=True)) for row in rows]
    assert named[1]["relative_score"] == pytest.approx(0.5)
    assert named[1]["inverse_rank"] == pytest.approx(0.5)
    assert named[1]["place_factor"] == pytest.approx(0.5)
    assert named[1]["meaning_gap"] == pytest.approx(-0.1)
    assert len(reorder.WEIGHTS) == len(reorder.FEATURES)


def test_the_fit_learns_which_feature_tells_the_right_offer_and_the_learned_order_finds_it() -> None:
    from bot.cli.fit_reorder import first_right, fit

    # the rules put the right offer second; what tells it is the fifth feature (the meaning's gap)
    rows = [(1.0, 1.0, 1.0, 1.0, -0.2, 1.0), (0.9, 0.5, 1.0, 1.0, 0.0, 1.0), (0.8, 0.33, 1.0, 1.0, -0.3, 1.0)]
    questions = [("set", rows, [False, True, False])] * 20
    weights = fit(questions, 100.0)
    assert weights[4] == max(weights) and weights[4] > 0
    assert first_right(questions, None) == 0
    assert first_right(questions, weights) == 20
