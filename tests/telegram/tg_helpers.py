"""Assertion helpers for the conversation tests: what the user would see in the recorded calls."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import InlineKeyboardMarkup

from bot.render import to_plain


def texts(calls: list[TelegramMethod[Any]]) -> list[str]:
    return [to_plain(c.text) for c in calls if isinstance(c, SendMessage)]


def buttons(call: TelegramMethod[Any]) -> list[tuple[str, str]]:
    """(text, callback data or url) of every button of a message."""
    markup = getattr(call, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [(b.text, b.callback_data or b.url or "") for row in markup.inline_keyboard for b in row]


def only(calls: list[TelegramMethod[Any]], kind: type) -> Any:
    found = [c for c in calls if isinstance(c, kind)]
    assert len(found) == 1, f"expected one {kind.__name__}, got {[type(c).__name__ for c in calls]}"
    return found[0]

