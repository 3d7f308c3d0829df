"""``python -m bot answer``: the reply to one question as plain text, without aiogram, exit 0."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.config import KNOWLEDGE_DIR, PROJECT_ROOT
from bot.sync import sync

#: each test runs ``python -m bot answer`` as a process of its own
pytestmark = pytest.mark.slow

#: One fictitious office for this test only (example.org, a test number range).
OFFER = {
    "id": "cli-1", "name": "Suchtberatung Beispielstadt", "provider": "Testverein e.V.", "topics": ["sucht"],
    "keywords": ["Suchtberatung", "Alkohol"],
    "address": {"street": "Testgasse 7", "postcode": "06556", "city": "Artern", "county": "Kyffhäuserkreis"},
    "phones": [{"number": "+493466700099"}],
    "hours": {"text": "Mo und Mi 10-14 Uhr", "osm": "Mo,We 10:00-14:00"},
    "source": {"url": "https://example.org/sucht", "date": "2024-11"},
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("answer")
    knowledge = base / "knowledge"
    (knowledge / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        shutil.copy(KNOWLEDGE_DIR / name, knowledge / name)
    (knowledge / "offers" / "cli.yaml").write_text(
        yaml.safe_dump({"title": "Test", "offers": [OFFER]}, allow_unicode=True), encoding="utf-8")
    assert sync(knowledge, base / "offers.db").ok
    return base / "offers.db"


def answer(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "answer", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "OFFERS_DB": str(db)})


def test_hours_question_at_a_fixed_moment(db):
    result = answer(db, "--at", "2025-03-05T13:59", "Wann hat die Suchtberatung in Artern offen?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. Suchtberatung Beispielstadt"
    assert lines[2:4] == ["🕒 Montag und Mittwoch 10:00–14:00 Uhr", "🟢 jetzt geöffnet bis 14:00 Uhr"]
    assert "☎️ 03466 700099" in lines
    assert "Quelle: example.org · Stand: November 2024" in lines
    assert "<" not in result.stdout


def test_after_closing_and_in_english(db):
    result = answer(db, "--at", "2025-03-05T14:00", "--lang", "en", "Suchtberatung Artern")
    assert result.returncode == 0
    assert "🔴 closed today – open again Monday from 10:00" in result.stdout


def test_crisis_answer_starts_with_the_hotlines(db):
    result = answer(db, "Ich will mich umbringen")
    assert result.returncode == 0
    first = result.stdout.split("\n\n")[0]
    assert first.startswith("🆘")
    assert "0800 111 0 111" in first and "112" in first


def test_nothing_found_exits_zero_and_invents_nothing(db):
    result = answer(db, "Klavierstimmer für Konzertflügel")
    assert result.returncode == 0
    assert result.stdout.startswith("Dazu habe ich leider kein passendes Angebot gefunden.")
    assert "Testgasse" not in result.stdout


def test_missing_database_is_reported(tmp_path):
    result = answer(tmp_path / "nope.db", "Schulden")
    assert result.returncode == 1
    assert "nope.db" in result.stderr


def test_answer_does_not_import_aiogram(db):
    code = ("import sys, bot.cli.answer as a; a.main(['Suchtberatung']); "
            "assert 'aiogram' not in sys.modules, 'aiogram imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "OFFERS_DB": str(db)})
    assert result.returncode == 0, result.stderr


def test_a_reader_that_goes_away_is_no_error(db):
    """``python -m bot answer … | head`` (issue 12, 14): the pipe closes early; no traceback, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "bot", "answer", "Suchtberatung Artern"], cwd=PROJECT_ROOT,
                                stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60,
                                env={**os.environ, "OFFERS_DB": str(db)})
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0


#: The state line of the card above at 13:59 on a Wednesday, per interface language.
OPEN_UNTIL_14 = {
    "de": "🟢 jetzt geöffnet bis 14:00 Uhr", "en": "🟢 open now until 14:00", "uk": "🟢 зараз відчинено до 14:00",
    "ru": "🟢 сейчас открыто до 14:00", "ar": "🟢 \u200fمفتوح الآن حتى الساعة \u206814:00\u2069",
    "tr": "🟢 şu an açık, kapanış saati 14:00", "de-leicht": "🟢 Jetzt offen bis 14 Uhr.",
}


@pytest.mark.parametrize("language", list(OPEN_UNTIL_14))
def test_answer_in_each_language(db, language):
    result = answer(db, "--json", "--lang", language, "--at", "2025-03-05T13:59", "Suchtberatung Artern")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["lang"] == language
    assert reply["results"] == ["cli-1"]
    assert OPEN_UNTIL_14[language] in reply["text"].splitlines()
    assert "Suchtberatung Beispielstadt" in reply["text"]  # offer names stay as they are


def test_answer_without_lang_takes_the_questions_language(db):
    result = answer(db, "--json", "--at", "2025-03-05T13:59", "Мне нужна помощь, где консультация по зависимости в Artern?")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lang"] == "ru"
    german = answer(db, "--json", "--at", "2025-03-05T13:59", "Wo ist die Suchtberatung in Artern?")
    assert json.loads(german.stdout)["lang"] == "de"
