"""In groups the bot speaks only when spoken to: a mention, a reply to one of its messages, or a command.

A social worker may add the bot to a team group; answering every line of the
team's chat would be noise (and would read their conversation). Private chats
pass unchanged. In a group a message passes when it

- mentions the bot (``@hilfe_finder_bot Tafel Artern``; the mention is taken out of
  the text, so the question reads as in a private chat),
- replies to a message of the bot ("und wann haben die offen?"), or
- is a command (``/hilfe``, ``/hilfe@hilfe_finder_bot``; commands for another bot
  are dropped).

Everything else (chatter, photos, members joining) is dropped without a word.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import Message, TelegramObject, User

_PRIVATE = {ChatType.PRIVATE, ChatType.PRIVATE.value}


def _command_for(text: str, me: User) -> bool | None:
    """True: a command for this bot; False: for another bot; None: not a command."""
    if not text.startswith("/"):
        return None
    target = text.split(maxsplit=1)[0].partition("@")[2]
    return not target or target.casefold() == (me.username or "").casefold()


def _mentions(message: Message, me: User) -> bool:
    text = message.text or message.caption or ""
    for entity in message.entities or message.caption_entities or ():
        if entity.type == "text_mention" and entity.user is not None and entity.user.id == me.id:
            return True
        if entity.type == "mention" and me.username:
            mention = entity.extract_from(text)
            if mention.casefold() == f"@{me.username}".casefold():
                return True
    return False


def without_mention(message: Message, me: User) -> Message:
    """The message with ``@botname`` taken out of its text (entities dropped: their offsets no longer fit)."""
    if not message.text or not me.username:
        return message
    text = re.sub(rf"@{re.escape(me.username)}\b", " ", message.text, flags=re.IGNORECASE)
    return message.model_copy(update={"text": " ".join(text.split()), "entities": None})


class AddressingMiddleware(BaseMiddleware):
    """Outer ``message`` middleware: drop group messages that are not meant for the bot."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message) or event.chat.type in _PRIVATE:
            return await handler(event, data)
        bot: Bot = data["bot"]
        me = await bot.me()
        command = _command_for(event.text or "", me)
        if command is not None:
            return await handler(event, data) if command else None
        reply = event.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == me.id:
            return await handler(event, data)
        if _mentions(event, me):
            return await handler(without_mention(event, me), data)
        return None
