"""Answer each update once, however often it is delivered.

Telegram delivers an update again when the webhook did not confirm it in time,
and several instances behind one webhook (or a restart in the middle of a long
poll) can each receive the same ``update_id``. Without a check every delivery
got its own answer: three posts, three answers. :class:`RedeliveryMiddleware`
remembers the ids of recent updates and drops a repeat before anything is done:

- :class:`RecentUpdates` (one process): the last :data:`MEMORY_SIZE` ids, in memory.
- :class:`RedisRecentUpdates` (``REDIS_URL`` set, shared by every instance): one key per
  update, set with ``SET NX`` and an expiry of :data:`REDIS_TTL` (Telegram keeps an
  unconfirmed update for 24 hours, so no redelivery comes later). If Redis cannot be
  reached the update is handled: a rare double answer beats a lost one.

An id is remembered when its handling starts, so a repeat arriving while the first
delivery is still being answered is dropped too.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update

log = logging.getLogger(__name__)

#: Update ids one process remembers: about 200 bytes each, 4 MB in all; at Telegram's 30 answers
#: a second, the last 11 minutes (a redelivery comes within seconds to minutes).
MEMORY_SIZE = 20_000
#: How long Redis remembers an update id.
REDIS_TTL = timedelta(hours=24)


class SeenUpdates(Protocol):
    async def first_time(self, bot_id: int, update_id: int) -> bool:
        """True the first time an update id is seen (and from then on remembered), else False."""


class RecentUpdates:
    """The last ``size`` update ids per bot, in memory; the oldest is forgotten first."""

    def __init__(self, size: int = MEMORY_SIZE) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = (bot_id, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True


class RedisRecentUpdates:
    """Update ids in Redis (``SET NX EX``), shared by every instance of the bot."""

    def __init__(self, redis: Any, *, ttl: timedelta = REDIS_TTL, prefix: str = "update") -> None:
        self.redis = redis
        self.ttl = ttl
        self.prefix = prefix

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        try:
            return bool(await self.redis.set(f"{self.prefix}:{bot_id}:{update_id}", 1, nx=True, ex=self.ttl))
        except Exception as exc:  # Redis away: answer rather than drop (and say so, without the id's owner)
            log.warning("update %d: Redis not reachable for the redelivery check (%s), handled anyway",
                        update_id, type(exc).__name__)
            return True


def create_seen_updates(redis_url: str | None = None) -> SeenUpdates:
    """In Redis for ``redis_url`` (the settings' ``REDIS_URL``), else in memory."""
    if not redis_url:
        return RecentUpdates()
    from redis.asyncio import Redis

    return RedisRecentUpdates(Redis.from_url(redis_url))


class RedeliveryMiddleware(BaseMiddleware):
    """Outer ``update`` middleware: an update id handled before is dropped without a word."""

    def __init__(self, seen: SeenUpdates | None = None) -> None:
        self.seen = seen if seen is not None else RecentUpdates()

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            bot: Bot = data["bot"]
            if not await self.seen.first_time(bot.id, event.update_id):
                log.info("update %d delivered again: already handled, dropped", event.update_id)
                return None
        return await handler(event, data)
