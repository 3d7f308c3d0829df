"""Where the conversation state lives: in memory, or in Redis when ``REDIS_URL`` is set.

Redis lets several bot processes behind one webhook serve the same chats. Its
keys expire after :data:`STATE_TTL` without a message, which /datenschutz promises.
"""

from __future__ import annotations

import os
from datetime import timedelta

from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage

#: How long Redis keeps a chat's state after its last message.
STATE_TTL = timedelta(days=30)


def create_storage(redis_url: str | None = None) -> BaseStorage:
    """``RedisStorage`` for ``redis_url`` (default: ``REDIS_URL``), else ``MemoryStorage``."""
    url = redis_url if redis_url is not None else os.environ.get("REDIS_URL")
    if not url:
        return MemoryStorage()
    from aiogram.fsm.storage.redis import RedisStorage

    return RedisStorage.from_url(url, state_ttl=STATE_TTL, data_ttl=STATE_TTL)
