"""The renderer's neutral buttons -> aiogram inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Button
from bot.telegram.callbacks import AskCb, LangCb, MenuCb, OfferCb, PageCb, TopicCb


def _callback(button: Button) -> CallbackData:
    match button.action:
        case "details" | "map" | "contact":
            return OfferCb(action=button.action, id=button.value)
        case "page":
            return PageCb(page=int(button.value))
        case "topic":
            return TopicCb(id=button.value)
        case "topics":
            return MenuCb(name="topics")
        case "ask":
            return AskCb(index=int(button.value))
        case "lang":
            return LangCb(lang=button.value)
    raise ValueError(f"unknown button action {button.action!r}")


def inline_button(button: Button) -> InlineKeyboardButton:
    if button.action == "url":
        return InlineKeyboardButton(text=button.text, url=button.value)
    return InlineKeyboardButton(text=button.text, callback_data=_callback(button).pack())


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """None for no buttons, so a message without buttons carries no empty keyboard."""
    keyboard = [[inline_button(b) for b in row] for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=keyboard) if keyboard else None
