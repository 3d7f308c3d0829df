"""The crisis evaluation's sets: what it measures the false alarms of everyday messages on."""

from __future__ import annotations

from pathlib import Path

from bot.cli.evaluate_crisis import harmless_set, score, situations_set, topic_ids
from bot.crisis import NEAR_DANGER
from bot.exemplars import held_out, load_examples

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def test_held_out_stories_are_long_everyday_messages_far_from_danger() -> None:
    stories = situations_set(KNOWLEDGE, "story")
    examples, _ = load_examples(KNOWLEDGE, topic_ids(KNOWLEDGE))
    by_text = {e.text: e for e in examples if e.set == "story"}
    assert len(stories) > 200
    assert {s["kind"] for s in stories} == {None}
    for story in stories:
        example = by_text[story["q"]]
        assert held_out(example.text) and example.label not in NEAR_DANGER
    assert sum(len(s["q"].split()) for s in stories) / len(stories) > 25  # told at length


def test_search_questions_are_read_as_harmless(tmp_path: Path) -> None:
    questions = tmp_path / "situations.yaml"
    questions.write_text('- {q: "mein sohn schwänzt die schule, gotha", expect: [TH-005], kind: situation}\n'
                         '- {q: "borçlarım var, Gotha", expect: [TH-001], lang: tr, kind: language}\n',
                         encoding="utf-8")
    assert harmless_set(questions) == [
        {"q": "mein sohn schwänzt die schule, gotha", "kind": None, "lang": "de"},
        {"q": "borçlarım var, Gotha", "kind": None, "lang": "tr"},
    ]


def test_a_missed_crisis_counts_as_softly_answered_when_the_soft_line_holds_its_lines() -> None:
    hotlines = [{"id": "notruf-112", "crisis": ["poison", "medical"]}, {"id": "giftnotruf-erfurt", "crisis": ["poison"]},
                {"id": "telefonseelsorge", "crisis": ["suicide", "uncertain"]}]
    items = [{"q": "klor getrunken", "kind": "poison", "lang": "de"}, {"q": "mag nicht mehr", "kind": "suicide",
                                                                         "lang": "de"},
             {"q": "tabletten", "kind": "poison", "lang": "de"}]
    figures = score(items, [(None, True, None, ("poison", "medical")), (None, True, None, ()),
                            (None, True, None, ())], hotlines)
    # the poisoning with 112 and the Giftnotruf in its soft line fits; the TelefonSeelsorge alone fits neither
    assert (figures["recall"], figures["soft_on_missed"], figures["soft_fitting_on_missed"]) == (0.0, 3, 1)
