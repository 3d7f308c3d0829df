"""The renderer's neutral buttons -> aiogram inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Button
from bot.telegram.callbacks import AskCb, LangCb, MenuCb, OfferCb, PageCb, ReportCb, TopicCb


def _callback(button: Button) -> CallbackData:
    match button.action:
        case "details" | "map" | "contact":
            return OfferCb(action=button.action, id=button.value)
        case "report":
            return ReportCb(reason="ask", id=button.value)
        case "page":
            return PageCb(page=int(button.value))
        case "topic":
            return TopicCb(id=button.value)
        case "topics":
            return MenuCb(name="topics")
        case "ask":
            return AskCb(index=int(button.value))
        case "lang":
            return LangCb.model_validate({"lang": button.value})  # checked: one of bot.i18n.LANGUAGES
    raise ValueError(f"unknown button action {button.action!r}")


@lru_cache(maxsize=4096)
def inline_button(button: Button) -> InlineKeyboardButton:
    """Kept per button: the same offers' buttons recur in answer after answer, and each new
    button is two validated pydantic models (the callback data and the button)."""
    if button.action == "url":
        return InlineKeyboardButton(text=button.text, url=button.value)
    return InlineKeyboardButton(text=button.text, callback_data=_callback(button).pack())


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """None for no buttons, so a message without buttons carries no empty keyboard."""
    keyboard = [[inline_button(b) for b in row] for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=keyboard) if keyboard else None
