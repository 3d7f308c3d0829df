"""knowledge/asked/: the blind sets' questions as examples of their topics (bot.cli.learn_asked, bot.exemplars)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.cli import evaluate, learn_asked
from bot.config import PROJECT_ROOT
from bot.exemplars import load_examples
from bot.knowledge import input_hash

DB = PROJECT_ROOT / "offers.db"


def test_the_development_half_is_written_under_the_main_topic_of_the_offers_it_expects(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blind = tmp_path / "blind"
    blind.mkdir()
    (blind / "situations90.yaml").write_text(yaml.safe_dump([
        {"expect": ["TH-003"], "lang": "de", "q": "mein mann trinkt jeden abend\nund ich weiß nicht weiter"},
        {"expect": ["TH-003"], "lang": "de", "q": "held out: never read"},
        {"expect": ["TH-058"], "lang": "de", "q": "an offer of three main topics says too little"},
        {"expect": ["TH-003"], "lang": "de", "q": "odd line"},
        {"expect": ["TH-032", "TH-058"], "lang": "en", "q": "my son (12) slams every door"},
    ], allow_unicode=True), encoding="utf-8")
    (blind / "situations91.yaml").write_text(yaml.safe_dump([{"expect": ["TH-003"], "q": "kept back"}]),
                                            encoding="utf-8")
    monkeypatch.setattr(evaluate, "BLIND", blind)
    monkeypatch.setattr(learn_asked, "TAUGHT", tmp_path / "none")
    out = tmp_path / "knowledge" / "asked"
    out.mkdir(parents=True)
    (out / "rente.yaml").write_text("topic: rente\nquestions: []\n", encoding="utf-8")

    assert learn_asked.main(["--db", str(DB), "--out", str(out), "--keep-back", "situations91.yaml"]) == 0

    # what the offers share (erziehung, familie), not what only one of them is also about (trennung); the
    # file of a topic no question leads to any more is gone
    assert sorted(p.name for p in out.glob("*.yaml")) == ["erziehung.yaml", "familie.yaml", "sucht.yaml"]
    found, problems = load_examples(tmp_path / "knowledge", ["sucht", "erziehung", "familie"])
    assert problems == []
    assert sorted((e.set, e.label, e.lang, e.text) for e in found) == [
        ("asked", "erziehung", "en", "my son (12) slams every door"),
        ("asked", "familie", "en", "my son (12) slams every door"),
        ("asked", "sucht", "de", "mein mann trinkt jeden abend und ich weiß nicht weiter")]
    assert 'from: "situations90:1"' in (out / "sucht.yaml").read_text(encoding="utf-8")


def test_a_teaching_set_is_learnt_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blind, taught = tmp_path / "blind", tmp_path / "taught"
    blind.mkdir()
    taught.mkdir()
    (taught / "taught90.yaml").write_text(yaml.safe_dump([
        {"expect": ["TH-003"], "lang": "de", "q": "er trinkt jeden abend"},
        {"expect": ["TH-003"], "lang": "ru", "q": "муж пьёт каждый вечер"},
        {"expect": [], "lang": "de", "q": "nothing expected: nothing learnt"},
    ], allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(evaluate, "BLIND", blind)
    monkeypatch.setattr(learn_asked, "TAUGHT", taught)
    out = tmp_path / "knowledge" / "asked"

    assert learn_asked.main(["--db", str(DB), "--out", str(out)]) == 0

    # unlike a blind set's, its odd lines are learnt too: it was written to teach, not to measure
    text = (out / "sucht.yaml").read_text(encoding="utf-8")
    assert 'from: "taught90:1", text: "er trinkt jeden abend"' in text
    assert 'from: "taught90:2", text: "муж пьёт каждый вечер"' in text
    assert sorted(p.name for p in out.glob("*.yaml")) == ["sucht.yaml"]


def test_a_file_of_questions_is_checked_like_the_situations(tmp_path: Path) -> None:
    asked = tmp_path / "knowledge" / "asked"
    asked.mkdir(parents=True)
    (asked / "tafel.yaml").write_text('topic: tafel\nquestions:\n  - {lang: xx, text: "?"}\n', encoding="utf-8")
    (asked / "nix.yaml").write_text('topic: nix\nquestions:\n  - "gibts was"\n', encoding="utf-8")
    (asked / "sucht.yaml").write_text('topic: sucht\nexamples:\n  - "er trinkt"\n', encoding="utf-8")
    found, problems = load_examples(tmp_path / "knowledge", ["tafel", "sucht"])
    assert found == []
    assert sorted((p.file.rsplit("/", 1)[-1], p.field) for p in problems) == [
        ("nix.yaml", "topic"), ("sucht.yaml", "questions"), ("tafel.yaml", "lang")]


def test_the_questions_teach_topics_but_are_no_crisis_look_alikes() -> None:
    conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    try:
        taught = conn.execute("SELECT count(*) FROM semantic_examples WHERE kind = 'asked'").fetchone()[0]
        labels = {row[0] for row in conn.execute(
            "SELECT s.label FROM crisis_second_examples s JOIN semantic_examples e ON e.id = s.id WHERE e.kind = 'asked'")}
    finally:
        conn.close()
    # about two thirds of the questions (the rest is held out), each once per topic
    assert taught > 1000
    assert labels == {""}


def test_a_changed_question_makes_the_database_stale(tmp_path: Path) -> None:
    asked = tmp_path / "asked"
    asked.mkdir()
    (asked / "tafel.yaml").write_text('topic: tafel\nquestions:\n  - "wo gibts essen"\n', encoding="utf-8")
    before = input_hash(tmp_path)
    (asked / "tafel.yaml").write_text('topic: tafel\nquestions:\n  - "wo gibts was zu essen"\n', encoding="utf-8")
    assert input_hash(tmp_path) != before


@pytest.mark.parametrize(("question", "first"), [
    # never learnt: odd lines of tests/data/blind/situations22 and languages22, and situations23 (kept back).
    # Before the teaching sets (tests/data/taught) the psychiatric service came first for a day place with a
    # café, and the food bank, which asks for proof of income, for someone who has none
    ("Mein Bruder ist psychisch krank und hockt nur zu Hause in Jena. Das Sozialamt meinte, eine Tagesstätte wäre "
     "was für ihn. Gibt es sowas, wo er tagsüber hingehen kann, mit Café und anderen Leuten?",
     "Generationenzentrum Mittendrin"),
    ("بالأردن كنا نشتري من الجمعية بأسعار رخيصة بدون أوراق. أنا في إرفورت، طالب وما عندي إثبات دخل لسا. في محل آخذ "
     "منه أكل وملابس بسعر قليل بدون تسجيل مسبق؟", "fairlyfair – Lebensmittel- und Kleiderladen"),
    ("bin in erfurt, hab keinen bescheid oder nachweis von irgendwas und will mich auch nirgends anmelden. brauch "
     "heute einfach was zu essen und ne warme hose. wo kann man einfach so hingehen?",
     "fairlyfair – Lebensmittel- und Kleiderladen"),
])
def test_a_question_in_words_nobody_here_wrote_finds_its_help(question: str, first: str) -> None:
    from bot.search import engine_for
    from bot.store import Store

    assert [r.offer.name for r in engine_for(Store(DB)).search(question).results[:1]] == [first]
