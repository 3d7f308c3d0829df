"""A child or teenager who gives their own age gets the offers made for them, not those for parents or adults
only (the audience an offer's data names): "ich bin 15 und meine eltern streiten" is no question for the
parents' line. A young writer who names no need but the age is asked about as a young person. The questions were
written for these tests; the answers are the shipped data's."""

from __future__ import annotations

import pytest

from bot.normalize import words
from bot.query import young_writer
from bot.searchindex import adults_only, young_only
from bot.store import Store
from tests.shipped import answer_text, offer_names

CHILDREN_LINE = "Nummer gegen Kummer – Kinder- und Jugendtelefon"
PARENTS_LINE = "Nummer gegen Kummer – Elterntelefon"


def test_a_teenager_gets_the_childrens_line_not_the_parents(shipped: Store) -> None:
    offers = offer_names(shipped, "ich bin 14, meine eltern schreien sich jeden abend an, wen kann ich anonym anrufen?")
    assert offers[0] == CHILDREN_LINE, offers
    assert PARENTS_LINE not in offers


def test_a_parent_asking_the_same_still_gets_the_parents_line(shipped: Store) -> None:
    offers = offer_names(shipped, "meine tochter ist 15 und wir streiten jeden tag, ich will mit jemandem reden")
    assert offers[0] == PARENTS_LINE, offers


@pytest.mark.parametrize(("text", "young"), [
    ("ich bin 14 und hab keinen zum reden", True),
    ("hi, bin 16 und schwanger", True),
    ("i'm 15 and my stepdad hits me", True),
    ("17 yaşındayım, evde sürekli kavga var", True),
    ("ich (13) werde gemobbt", True),
    ("mein sohn ist 13 und schwänzt", False),  # a parent
    ("ich bin 40 und arbeitslos", False),
    ("insgesamt sind es glaub ich 15.000 euro schulden", False),  # an amount
    ("ich 3 kinder alleine", False),  # a count
])
def test_who_gives_their_own_age_as_a_young_persons(text: str, young: bool) -> None:
    assert young_writer(words(text)) is young


@pytest.mark.parametrize(("audience", "only"), [
    (["Eltern", "Großeltern", "Erziehende"], True),
    (["Zugewanderte ab 27 Jahren"], True),
    (["Eltern", "Kinder", "Jugendliche"], False),
    (["Jugendliche und junge Erwachsene"], False),
    (["Erwachsene", "Familien"], False),
    (["alle"], False),
    ([], False),
])
def test_an_offer_is_for_adults_only_when_every_audience_names_adults(audience: list[str], only: bool) -> None:
    assert adults_only(audience) is only


@pytest.mark.parametrize(("audience", "only"), [
    (["Kinder", "Jugendliche"], True),  # the children's line
    (["Kinder", "Jugendliche", "Eltern"], False),
    (["junge Erwachsene"], False),
    (["Familien mit Kindern"], False),
    (["alle"], False),
    ([], False),
])
def test_an_offer_is_for_young_people_only_when_every_audience_names_them_alone(audience: list[str],
                                                                                only: bool) -> None:
    assert young_only(audience) is only


def test_a_suicidal_message_gets_no_parents_line(shipped: Store) -> None:
    # the parents' line is about "krise" too, but knowledge/hotlines.yaml makes it a line for parents and
    # children in danger, not for someone who wants to die; the children's line is in the block
    text = "ich will nicht mehr leben, heute nacht mach ich schluss"
    offers = offer_names(shipped, text)
    assert PARENTS_LINE not in offers, offers
    assert f"{CHILDREN_LINE}: 116 111" in answer_text(shipped, text)
