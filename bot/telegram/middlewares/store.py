"""Use a replaced offers.db without restart: one cheap ``stat`` per update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.store import Store


class StoreRefreshMiddleware(BaseMiddleware):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        self.store.refresh()
        return await handler(event, data)
