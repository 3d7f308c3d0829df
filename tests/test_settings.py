"""One settings object for `python -m bot run` (issue 15, item 1): every bad variable named at start, in German,
without quoting a secret; no store, no Telegram call before that."""

from __future__ import annotations

import pytest

from bot.cli import run
from bot.config import PROJECT_ROOT
from bot.settings import CommonSettings, Settings, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("BOT_TOKEN", "WEBHOOK_SECRET", "WEBHOOK_URL", "PORT", "ADMIN_IDS", "WEBHOOK_HOST", "WEBHOOK_PATH",
                 "TELEGRAM_API_SERVER", "LOG_LEVEL", "LOG_SALT", "REDIS_URL", "BOT_STATE_DB", "BOT_USERNAME"):
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


def test_where_the_data_is_comes_from_the_one_settings(clean_env: pytest.MonkeyPatch, tmp_path) -> None:
    clean_env.setenv("OFFERS_DB", str(tmp_path / "offers.db"))
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    clean_env.setenv("BOT_STATE_DB", str(tmp_path / "state.db"))
    clean_env.setenv("BOT_USERNAME", "hilfe_test_bot")
    clean_env.setenv("LOG_SALT", "salz-1234")
    settings = load_settings()
    assert isinstance(settings, Settings)
    assert settings.offers_path == tmp_path / "offers.db"
    assert (settings.redis_url, settings.bot_state_db, settings.bot_username) == (
        "redis://127.0.0.1:6399/0", str(tmp_path / "state.db"), "hilfe_test_bot")
    assert settings.log_salt_bytes == b"salz-1234"
    assert "salz-1234" not in repr(settings)


def test_without_offers_db_the_shipped_database_and_a_random_log_salt(clean_env: pytest.MonkeyPatch) -> None:
    for name in ("OFFERS_DB", "LOG_SALT"):
        clean_env.delenv(name, raising=False)
    settings = Settings()
    assert settings.offers_path == PROJECT_ROOT / "offers.db"
    assert settings.log_salt_bytes is None


def test_a_variable_of_the_running_bot_never_stops_an_answer(clean_env: pytest.MonkeyPatch, tmp_path) -> None:
    """``python -m bot answer`` and the admin scripts read only where the data is: a bad PORT is run's concern."""
    clean_env.setenv("PORT", "acht")
    clean_env.setenv("OFFERS_DB", str(tmp_path / "offers.db"))
    assert isinstance(load_settings(), str)
    assert CommonSettings().offers_path == tmp_path / "offers.db"


def test_run_logs_with_the_log_salt(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    clean_env.setenv("LOG_SALT", "salz-1234")
    salts: list[bytes | None] = []
    clean_env.setattr(run, "configure_logging", lambda level, *, salt: salts.append(salt))

    def missing(path: object) -> None:
        raise FileNotFoundError("offers.db fehlt")

    clean_env.setattr(run, "Store", missing)
    assert run.main([]) == 1  # stopped at the database, after the logging was set up
    assert salts == [b"salz-1234"]
