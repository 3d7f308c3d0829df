"""Where the conversation state lives: in memory, or in Redis when ``REDIS_URL`` is set.

Redis lets several bot processes behind one webhook serve the same chats. Its
keys expire after :data:`STATE_TTL` without a message, which /datenschutz promises.
The memory storage keeps that promise too (:class:`ExpiringMemoryStorage`), and
holds at most :data:`MEMORY_MAX_CHATS` chats, so a stream of new chats cannot make
the process grow without end (aiogram's ``MemoryStorage`` keeps every chat it was
ever asked about, for the life of the process).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from copy import copy
from datetime import timedelta
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorageRecord

#: How long a chat's state is kept after its last change (Redis and memory alike).
STATE_TTL = timedelta(days=30)
#: Chats the memory storage holds at most; beyond it the longest unchanged one is dropped first.
#: A chat's state is a few kilobytes (the last results, the place, the language): about 100 MB at most.
MEMORY_MAX_CHATS = 20_000

Clock = Callable[[], float]


class ExpiringMemoryStorage(BaseStorage):
    """aiogram's ``MemoryStorage``, except that a chat's state expires :data:`STATE_TTL` after its last
    change (as the Redis keys do), the number of chats is capped, and reading an unknown chat stores nothing.

    Chats are kept in the order of their last change, so the expired and the surplus ones are at the
    front and dropping them costs nothing for the chats still in use.
    """

    def __init__(self, *, ttl: timedelta = STATE_TTL, max_chats: int = MEMORY_MAX_CHATS,
                 clock: Clock = time.monotonic) -> None:
        self.ttl = ttl.total_seconds()
        self.max_chats = max_chats
        self.clock = clock
        #: key -> (time of the last change, record)
        self.records: OrderedDict[StorageKey, tuple[float, MemoryStorageRecord]] = OrderedDict()

    async def close(self) -> None:
        self.records.clear()

    def _expire(self, now: float) -> None:
        while self.records:
            key, (changed, _) = next(iter(self.records.items()))
            if changed + self.ttl > now and len(self.records) <= self.max_chats:
                return
            del self.records[key]

    def _get(self, key: StorageKey) -> MemoryStorageRecord:
        self._expire(self.clock())
        found = self.records.get(key)
        return found[1] if found is not None else MemoryStorageRecord()

    def _put(self, key: StorageKey, record: MemoryStorageRecord) -> None:
        self.records.pop(key, None)
        if record.state is not None or record.data:  # an emptied chat (/vergessen) leaves nothing behind
            self.records[key] = (self.clock(), record)
        self._expire(self.clock())

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        record = self._get(key)
        self._put(key, MemoryStorageRecord(record.data, state.state if isinstance(state, State) else state))

    async def get_state(self, key: StorageKey) -> str | None:
        return self._get(key).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        self._put(key, MemoryStorageRecord(data.copy(), self._get(key).state))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return self._get(key).data.copy()

    async def get_value(self, storage_key: StorageKey, dict_key: str, default: Any | None = None) -> Any | None:
        return copy(self._get(storage_key).data.get(dict_key, default))


def create_storage(redis_url: str | None = None, *, clock: Clock = time.monotonic) -> BaseStorage:
    """``RedisStorage`` for ``redis_url`` (the settings' ``REDIS_URL``), else :class:`ExpiringMemoryStorage`."""
    if not redis_url:
        return ExpiringMemoryStorage(clock=clock)
    from aiogram.fsm.storage.redis import RedisStorage

    return RedisStorage.from_url(redis_url, state_ttl=STATE_TTL, data_ttl=STATE_TTL)
