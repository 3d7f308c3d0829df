"""Issue 11 (Telegram side): what an attacker, a broken update and a bad day must not do to the bot."""

from __future__ import annotations

import logging

from aiogram.types import Update
from tg_helpers import texts


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
