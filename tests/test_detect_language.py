"""The message language detector (bot.detect_language): what it tells, and that it keeps only what it uses."""

from __future__ import annotations

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
