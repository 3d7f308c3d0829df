"""Help the writer sets aside comes after the rest: "nicht das Jugendamt bitte", "ins Frauenhaus will ich
nicht", "bei der Erziehungsberatung waren wir schon", "die Tafel hat Aufnahmestopp". The clauses are found
by their grammar (bot.aside); their words name no topic and no search word. A need said with the same words
("ich will die Wohnung nicht verlieren", "ich komme mit den Schulden nicht mehr klar") is no such clause.
The questions were written for these tests; the answers are the shipped data's."""

from __future__ import annotations

import pytest

from bot.aside import aside_positions
from bot.normalize import words
from bot.search import analyze
from bot.store import Store
from tests.shipped import offer_names


def _aside(text: str) -> str:
    tokens = words(text)
    return " ".join(tokens[i] for i in sorted(aside_positions(text)))


@pytest.mark.parametrize(("text", "aside"), [
    ("nicht das jugendamt bitte, ich will erstmal nur reden", "nicht das jugendamt bitte"),
    ("Ins Frauenhaus will ich nicht, ich will in meiner Wohnung bleiben.", "ins frauenhaus will ich nicht"),
    ("war schon bei der schuldnerberatung, wegen der wohnung soll ich woanders hin",
     "war schon bei der schuldnerberatung"),
    ("um die schulden kümmer ich mich selber. aber wer hilft meiner mutter mit der pflege?",
     "um die schulden kummer ich mich selber"),
    ("Die Schulden krieg ich hin, aber ich spiel jeden Tag an Automaten", "die schulden krieg ich hin"),
    ("Mit dem Konto komme ich klar. Wo beantrage ich Unterhaltsvorschuss?", "mit dem konto komme ich klar"),
    ("die tafel hat aufnahmestopp. wo krieg ich sonst was zu essen", "die tafel hat aufnahmestopp"),
    ("Das Jobcenter sagt, sie sind nicht mehr zuständig. Wer zahlt jetzt?",
     "das jobcenter sagt sie sind nicht mehr zustandig"),
])
def test_a_clause_that_sets_help_aside_is_found(text: str, aside: str) -> None:
    assert _aside(text) == aside


@pytest.mark.parametrize("text", [
    "Ich will die Wohnung nicht verlieren, wer hilft bei Mietschulden?",  # the need itself
    "Ich komme mit den Schulden nicht mehr klar, wo ist die Schuldnerberatung?",
    "Gibt es bei der Tafel eine Warteliste? Wann hat sie offen?",  # asked, not said
    "mein sohn will nicht zur schule, was kann ich tun?",  # someone else's refusal is the worry
    "ich will nicht mehr bei meinem mann wohnen, wo kann ich hin?",  # "nicht mehr": a change wanted
    "ins frauenhaus will ich nicht",  # the whole message: it is still what it is about
    "nicht nur schulden, auch die miete ist offen. wer hilft?",  # "not only"
    "nicht genug geld für essen, wo ist die tafel?",
])
def test_a_need_said_with_the_same_words_is_not_set_aside(text: str) -> None:
    assert _aside(text) == ""


def test_not_the_youth_office_gets_the_counselling_first(shipped: Store) -> None:
    question = "nicht das jugendamt bitte, ich will erstmal nur mit jemandem reden. unsere tochter (15) und wir " \
               "streiten nur noch, gotha"
    offers = offer_names(shipped, question)
    assert offers, offers
    assert offers[0].startswith("Erziehungs-, Ehe-, Familien- und Lebensberatung"), offers
    assert not any(o.startswith("Jugendamt") for o in offers[:2]), offers
    # the same worry without the refusal: the youth office is among the first answers
    assert any(o.startswith("Jugendamt") for o in offer_names(shipped, "unsere tochter (15) und wir streiten nur noch, "
                                                                   "gotha")[:3])


def test_help_set_aside_is_still_the_answer_when_nothing_else_fits(shipped: Store) -> None:
    offers = offer_names(shipped, "Zum Sozialpsychiatrischen Dienst will ich nicht, ich will einfach unter Leute, "
                              "bin viel allein. Jena")
    assert offers == ["Sozialpsychiatrischer Dienst Jena"], offers


def test_a_crisis_in_a_message_that_sets_help_aside_is_still_one(shipped: Store) -> None:
    analysis = analyze(shipped, "ins krankenhaus will ich nicht, ich will einfach nicht mehr leben")
    assert analysis.crisis == "suicide"
