"""Issue 11 (Telegram side): what an attacker, a broken update and a bad day must not do to the bot."""

from __future__ import annotations

import logging

import pytest
from aiogram.types import Update
from tg_helpers import texts

from bot.cli import run


async def test_a_private_message_without_sender_is_answered_not_a_type_error(harness, caplog):
    """Issue 11, finding 13: a private message without ``from`` raised a TypeError in the handler
    (aiogram gives no FSM state without a user), and the person got the apology."""
    caplog.set_level(logging.INFO)
    update = Update.model_validate({"update_id": 1, "message": {
        "message_id": 1, "date": 1741100000, "text": "Telefonnummer Schuldnerberatung Sondershausen",
        "chat": {"id": 5550201, "type": "private", "first_name": "Test"}}})
    calls = await harness.feed(update)
    assert texts(calls) and "+49 3632 700001" in texts(calls)[0]
    assert "Entschuldigung" not in texts(calls)[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("secret", ["geheim mit Leerzeichen", "schlüssel", "a/b+c=", "x" * 257, "'; DROP"])
def test_a_webhook_secret_telegram_refuses_is_refused_before_set_webhook(offers_db, monkeypatch, capsys, secret):
    """Issue 11, finding 12: Telegram accepts only A-Z, a-z, 0-9, _ and - (1-256 characters); any other
    secret made setWebhook fail at startup with a traceback."""
    monkeypatch.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/webhook")

    def never(*args, **kwargs):
        raise AssertionError("the webhook server was started")

    monkeypatch.setattr(run.web, "run_app", never)
    assert run.main(["--webhook"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_SECRET ist ungültig" in err and "A–Z, a–z, 0–9, _ und -" in err and "1 bis 256" in err
    assert secret not in err


def test_a_valid_webhook_secret_starts_the_server(offers_db, monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.setenv("WEBHOOK_SECRET", "Ab0_-" * 51 + "z")  # 256 characters, every kind allowed
    started = []
    monkeypatch.setattr(run.web, "run_app", lambda app, **kwargs: started.append(app))
    assert run.main(["--webhook"]) == 0
    assert started
