"""One settings object for `python -m bot run` (issue 15, item 1): every bad variable named at start, in German,
without quoting a secret; no store, no Telegram call before that."""

from __future__ import annotations

import pytest

from bot.cli import run
from bot.settings import Settings, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("BOT_TOKEN", "WEBHOOK_SECRET", "WEBHOOK_URL", "PORT", "ADMIN_IDS", "WEBHOOK_HOST", "WEBHOOK_PATH",
                 "TELEGRAM_API_SERVER", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_and_values(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ADMIN_IDS", "12, 34;56")
    clean_env.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    settings = load_settings()
    assert isinstance(settings, Settings)
    assert settings.admin_ids == frozenset({12, 34, 56})
    assert (settings.port, settings.webhook_path, settings.webhook_host) == (8080, "/webhook", "0.0.0.0")
    assert "4242" not in repr(settings)  # a secret never shows in a repr or a log line


def test_every_bad_variable_is_named_at_once(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ADMIN_IDS", "12,abc")
    clean_env.setenv("PORT", "70000")
    clean_env.setenv("WEBHOOK_SECRET", "geheim mit Leerzeichen")
    message = load_settings()
    assert message == (
        "Ungültige Einstellungen: WEBHOOK_SECRET ist ungültig (22 Zeichen): Telegram erlaubt nur A–Z, a–z, 0–9, _ "
        "und - und 1 bis 256 Zeichen; PORT: höchstens 65535; ADMIN_IDS: 'abc' ist keine Telegram-Nutzer-ID "
        "(Zahlen, mit Kommas getrennt)")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("ADMIN_IDS", "max", "ADMIN_IDS: 'max' ist keine Telegram-Nutzer-ID"),
    ("PORT", "0", "PORT: mindestens 1"),
    ("PORT", "acht", "PORT: keine ganze Zahl"),
])
def test_run_stops_with_the_message_before_anything_starts(clean_env: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str],
                                                         name: str, value: str, expected: str) -> None:
    clean_env.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    clean_env.setenv(name, value)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the store was opened")

    clean_env.setattr(run, "Store", never)
    assert run.main([]) == 2
    assert expected in capsys.readouterr().err
