"""Run the real dispatcher without Telegram: an in-process bot session and an update factory.

``LocalSession`` answers every Bot API call in-process and hands each one to
``on_call`` (the way aiogram's own tests mock the session), so the terminal chat
(``python -m bot chat``) shows exactly the calls the handlers make; the tests'
recording session (tests/telegram/recording.py) builds on it. ``Updates`` builds
the updates a Telegram client would send: text, commands, button presses and locations.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, GetUpdates, TelegramMethod
from aiogram.types import Message, Update, User

#: The bot user the local session reports for ``getMe`` (its username makes share links).
LOCAL_BOT = User(id=4242, is_bot=True, first_name="Hilfe-Finder", username="hilfe_finder_bot")


def _returns_message(method: TelegramMethod[Any]) -> bool:
    returning = method.__returning__
    return returning is Message or Message in typing.get_args(returning)


class LocalSession(BaseSession):
    """A bot session that never touches the network; ``on_call`` sees every request in order."""

    def __init__(self, *, me: User = LOCAL_BOT,
                 on_call: Callable[[TelegramMethod[Any]], None] | None = None) -> None:
        super().__init__()
        self.me = me
        self.on_call = on_call
        self._ids = itertools.count(1)

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if self.on_call is not None:
            self.on_call(method)
        if isinstance(method, GetMe):
            return self.me
        if isinstance(method, GetUpdates):
            return []
        if _returns_message(method):
            chat_id = getattr(method, "chat_id", None) or 0
            return Message.model_validate(
                {"message_id": next(self._ids), "date": datetime.now(UTC),
                 "chat": {"id": chat_id, "type": "private"}, "text": getattr(method, "text", None),
                 "from": self.me.model_dump()},
                context={"bot": bot},
            )
        if method.__returning__ is bool:
            return True
        raise NotImplementedError(f"LocalSession does not answer {type(method).__name__}")

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError("LocalSession has no files to download")
        yield b""  # pragma: no cover - makes this an async generator

    async def close(self) -> None:
        return None


#: Telegram numbers a bot's updates, not a chat's: one sequence for every chat, so that updates of two
#: chats fed to one dispatcher never share an id (the redelivery check would drop the second as a repeat).
_UPDATE_IDS = itertools.count(1)


class Updates:
    """Updates from one private chat, as Telegram would deliver them."""

    def __init__(self, *, user_id: int = 1, language_code: str | None = "de", first_name: str = "Test") -> None:
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}
        self._message_ids = itertools.count(1)

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(datetime.now(UTC).timestamp()),
                "chat": self.chat, "from": self.user, **fields}

    def _update(self, **fields: Any) -> Update:
        return Update.model_validate({"update_id": next(_UPDATE_IDS), **fields})

    def text(self, text: str) -> Update:
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._update(message=self._message(**fields))

    def message(self, **fields: Any) -> Update:
        """Any other message kind, e.g. ``voice={...}`` or ``location={...}``."""
        return self._update(message=self._message(**fields))

    def location(self, lat: float, lon: float) -> Update:
        return self.message(location={"latitude": lat, "longitude": lon})

    def callback(self, data: str, *, message_id: int = 1) -> Update:
        message = {"message_id": message_id, "date": int(datetime.now(UTC).timestamp()),
                   "chat": self.chat, "from": LOCAL_BOT.model_dump(), "text": "…"}
        return self._update(callback_query={"id": str(next(self._message_ids)), "from": self.user,
                                            "chat_instance": "local", "data": data, "message": message})
