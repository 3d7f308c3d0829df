"""Message filters as coroutines.

aiogram runs every synchronous filter, magic filters (``F.text``) included, in a
worker thread (``asyncio.to_thread``): four or five thread hops per question cost
more than finding the answer. These async functions are awaited in the event loop.
"""

from __future__ import annotations

from aiogram.types import Message

#: Message kinds the bot cannot read (it answers them with "I read text only").
MEDIA_FIELDS = ("voice", "audio", "video_note", "photo", "sticker", "document", "video", "animation")


async def has_text(message: Message) -> bool:
    return message.text is not None


async def is_command(message: Message) -> bool:
    return message.text is not None and message.text.startswith("/")


async def is_plain_text(message: Message) -> bool:
    return message.text is not None and not message.text.startswith("/")


async def has_location(message: Message) -> bool:
    return message.location is not None


async def is_media(message: Message) -> bool:
    return any(getattr(message, name) is not None for name in MEDIA_FIELDS)
