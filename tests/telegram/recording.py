"""The tests' bot session: the terminal chat's in-process session, keeping every Bot API call it answered.

Like aiogram's own tests' mocked session, so a test asserts on exactly the calls the
handlers made (the text, the buttons) without a network or a token.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod

from bot.telegram.local import LocalSession


class RecordingSession(LocalSession):
    """A :class:`LocalSession` whose ``calls`` hold every request in order (also one ``on_call`` refused)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[TelegramMethod[Any]] = []

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.calls.append(method)
        return await super().make_request(bot, method, timeout)

    def sent(self, *types: type[TelegramMethod[Any]]) -> list[TelegramMethod[Any]]:
        """The recorded calls of the given method types (all calls when none are given)."""
        return [c for c in self.calls if not types or isinstance(c, types)]
