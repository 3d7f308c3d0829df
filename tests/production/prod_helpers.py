"""Helpers of the production-strength tests: updates from people in private chats and groups, a harness.

Updates go through the real Dispatcher; the bot's session records every Bot API
call (bot.telegram.local.LocalSession), so tests assert what a person would see.
(A module of its own, not conftest.py: tests/telegram has a conftest module too.)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import Update

from bot.opening import TZ
from bot.store import Store
from bot.telegram.local import LOCAL_BOT, LocalSession
from bot.telegram.middlewares.throttling import ThrottlingMiddleware

#: Tuesday 4 March 2025, 10:00 in Berlin: most test offices are open.
TUESDAY_MORNING = datetime(2025, 3, 4, 10, 0, tzinfo=TZ)
ADMIN_ID = 777001


class Chat:
    """Updates from one person, in a private chat or in a group."""

    _ids = itertools.count(1)

    def __init__(self, user_id: int, *, chat: dict[str, Any] | None = None, language_code: str = "de") -> None:
        self.user = {"id": user_id, "is_bot": False, "first_name": "Testperson", "language_code": language_code}
        self.chat = chat or {"id": user_id, "type": "private", "first_name": "Testperson"}

    def message(self, **fields: Any) -> dict[str, Any]:
        return {"message_id": next(self._ids), "date": int(datetime.now(UTC).timestamp()), "chat": self.chat,
                "from": self.user, **fields}

    def text(self, text: str, **fields: Any) -> Update:
        if text.startswith("/") and "entities" not in fields:
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return update(message=self.message(text=text, **fields))

    def callback(self, data: str) -> Update:
        message = {"message_id": 1, "date": 0, "chat": self.chat, "from": LOCAL_BOT.model_dump(), "text": "…"}
        return update(callback_query={"id": str(next(self._ids)), "from": self.user, "chat_instance": "x",
                                      "data": data, "message": message})

    def inline(self, query: str) -> Update:
        return update(inline_query={"id": str(next(self._ids)), "from": self.user, "query": query, "offset": ""})


_update_ids = itertools.count(1)


def update(**fields: Any) -> Update:
    return Update.model_validate({"update_id": next(_update_ids), **fields})


@dataclass
class Harness:
    dp: Dispatcher
    bot: Bot
    session: LocalSession
    store: Store
    now: list[datetime] = field(default_factory=lambda: [TUESDAY_MORNING])

    async def feed(self, update: Update) -> list[TelegramMethod[Any]]:
        """Feed one update through the dispatcher; the API calls it caused (getMe left out)."""
        start = len(self.session.calls)
        await self.dp.feed_update(self.bot, update)
        return [c for c in self.session.calls[start:] if type(c).__name__ != "GetMe"]

    def throttle(self) -> ThrottlingMiddleware:
        return next(m for m in self.dp.message.outer_middleware if isinstance(m, ThrottlingMiddleware))


def sent_texts(calls: list[TelegramMethod[Any]]) -> list[str]:
    return [c.text for c in calls if isinstance(c, SendMessage)]
