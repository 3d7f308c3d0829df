"""Voice, audio, video notes, photos, stickers, documents: the bot reads text only."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.filters import is_media
from bot.telegram.handlers.common import answer


async def text_only(message: Message) -> None:
    await answer(message, Reply(_(
        "Ich kann leider nur Text lesen – Sprachnachrichten, Bilder, Sticker und Dateien verstehe ich nicht. "
        "Schreiben Sie mir Ihre Frage bitte, zum Beispiel: „Wo gibt es Schuldnerberatung in Gotha?“"
    )))


def router() -> Router:
    r = Router(name="media")
    r.message.register(text_only, is_media)
    return r
