"""The answer must say when the named place has nothing and the results are elsewhere."""

from __future__ import annotations

from pathlib import Path

from bot.search import search
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"


def test_far_results_for_a_named_town_are_a_fallback() -> None:
    # The shipped data has no debt advice in Jena: the nearest ones are elsewhere, and the answer says so.
    # (A youth office is another matter: another district's is never offered, tests/test_areas.py.)
    response = search(Store(SHIPPED), "schuldnerberatung jena")
    assert response.results and response.results[0].distance_km > 30
    assert response.place_fallback is True and response.missing_office is None


def test_results_at_the_named_town_are_no_fallback() -> None:
    response = search(Store(SHIPPED), "tafel in roßleben")
    assert response.results[0].offer.source_id == "KYF-007"
    assert response.place_fallback is False


def test_a_leading_nationwide_line_serves_every_place() -> None:
    response = search(Store(SHIPPED), "ich will nicht mehr leben in sondershausen")
    assert response.results[0].offer.source_id == "BW-001"
    assert response.place_fallback is False
