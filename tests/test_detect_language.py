"""The message language detector (bot.detect_language): what it tells, that it keeps only what it uses, and
its ready copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import detect_language
from bot.detect_language import DETECTABLE, detect


def test_a_clear_message_is_told_and_a_short_german_search_is_not() -> None:
    assert detect("Мені потрібна допомога з боргами, я живу в Ерфурті") == "uk"
    assert detect("I need help with my debts, I live in Erfurt") == "en"
    assert detect("tafel artern") is None  # place and office names say nothing about the person's language


def test_the_detector_keeps_the_six_languages_alone() -> None:
    # the loaded model's table of all 97 languages (27 MB) would otherwise stay for set_languages(None)
    identifier = detect_language._identifier.__wrapped__()
    identifier.set_languages(None)
    assert sorted(identifier.nb_classes) == sorted(DETECTABLE)
    assert identifier.classify("Ich brauche Hilfe bei meinen Schulden in Erfurt")[0] == "de"


def test_a_fresh_process_reads_the_ready_copy_and_tells_the_same(tmp_path: Path) -> None:
    """The first process builds the identifier and keeps a copy; the next reads it, without building (half a
    second and a 50 MB peak) and without the package's model file, and tells the languages alike."""
    code = (
        "from bot import detect_language as d; "
        "print(d.detect('Мені потрібна допомога з боргами'), d.detect('Borçlarım için yardıma ihtiyacım var'), "
        "d.detect('I need help with my debts please'), d.detect('مرحبا أحتاج مساعدة في الديون'))"
    )
    env = {**os.environ, "BOT_MODEL_CACHE": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    (copy,) = tmp_path.iterdir()
    assert copy.name.startswith("py3langid-") and sorted(p.name for p in copy.iterdir()) == [
        "nextmove.bin", "parts.pickle"]
    # the package's model made unreadable for the second process: only the copy can answer
    blocked = f"import py3langid.langid as l; l.LanguageIdentifier.from_modelpath = None; {code}"
    second = subprocess.run([sys.executable, "-c", blocked], env=env, capture_output=True, text=True, check=True).stdout
    assert first.split() == second.split() == ["uk", "tr", "en", "ar"]


def test_a_cut_copy_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MODEL_CACHE", str(tmp_path))
    detect_language._identifier.cache_clear()
    try:
        detect_language._identifier()
        (copy,) = tmp_path.iterdir()
        moves = copy / "nextmove.bin"
        moves.write_bytes(moves.read_bytes()[:1000])
        detect_language._identifier.cache_clear()
        assert detect_language._identifier().classify("Ich brauche Hilfe bei meinen Schulden")[0] == "de"
        assert moves.stat().st_size > 1000  # written anew
    finally:
        detect_language._identifier.cache_clear()
