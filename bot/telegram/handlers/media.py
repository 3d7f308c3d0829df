"""Voice, audio, video notes, photos, stickers, documents: the bot reads text only."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.render import Reply
from bot.telegram.handlers.common import answer

MEDIA = F.voice | F.audio | F.video_note | F.photo | F.sticker | F.document | F.video | F.animation


async def text_only(message: Message) -> None:
    await answer(message, Reply(_(
        "Ich kann leider nur Text lesen – Sprachnachrichten, Bilder, Sticker und Dateien verstehe ich nicht. "
        "Schreiben Sie mir Ihre Frage bitte, zum Beispiel: „Wo gibt es Schuldnerberatung in Mühlhausen?“"
    )))


def router() -> Router:
    r = Router(name="media")
    r.message.register(text_only, MEDIA)
    return r
