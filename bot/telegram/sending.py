"""Pace outgoing messages to Telegram's limits: about 1 per second per chat, 30 per second overall.

Telegram answers faster senders with 429 and a forced pause, which would hold up
every other person's answer too. When an answer has several messages (crisis
lines and cards, a location reply) or many people ask at once, :class:`SendPacer`
(a request middleware) delays each send just enough instead.

Each limit is a GCRA bucket ("generic cell rate algorithm"): a send is due at
``max(now, tat - tolerance)``, where ``tat`` (theoretical arrival time) moves on
by one interval per send. So a short burst goes out at once, and a longer one is
spread at the steady rate. A send reserves its slot before sleeping, which keeps
concurrent senders in order without a lock (asyncio runs the reservation whole).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]


class RateSchedule:
    """Slots at ``rate`` per second with bursts of ``burst``; :meth:`reserve` returns the wait."""

    #: Buckets kept before idle ones are dropped (one per chat that got a message lately).
    PRUNE_AT = 10_000

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self._tat: dict[Any, float] = {}
        self._prune_at = self.PRUNE_AT

    def reserve(self, key: Any, now: float) -> float:
        """Book the next slot for ``key``; the seconds to wait before using it (0 when free now)."""
        tat = max(self._tat.get(key, now), now)
        start = max(now, tat - self.tolerance)
        self._tat[key] = tat + self.interval
        if len(self._tat) > self._prune_at:
            self._tat = {k: v for k, v in self._tat.items() if v > now}
            # Many chats still busy: prune less often, so the cost stays linear.
            self._prune_at = max(self.PRUNE_AT, 2 * len(self._tat))
        return start - now


def _is_send(method: TelegramMethod[Any]) -> bool:
    """Methods that post a new message into a chat (chat actions and edits are not counted by Telegram)."""
    api = method.__api_method__
    return (api.startswith("send") and api != "sendChatAction") or api in ("copyMessage", "forwardMessage")


class SendPacer(BaseRequestMiddleware):
    """Delay ``send*`` requests to the per-chat and overall rates; other requests pass straight through.

    Groups get a slower per-chat rate: Telegram allows about 20 messages a minute there.
    """

    def __init__(self, *, per_chat: float = 1.0, chat_burst: int = 3, per_group: float = 1 / 3,
                 overall: float = 30.0, overall_burst: int = 30, clock: Clock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.chats = RateSchedule(per_chat, chat_burst)
        self.groups = RateSchedule(per_group, chat_burst)
        self.overall = RateSchedule(overall, overall_burst)
        self.clock = clock
        self.sleep = sleep

    async def __call__(self, make_request: NextRequestMiddlewareType[Any], bot: Bot,
                       method: TelegramMethod[Any]) -> Any:
        if _is_send(method):
            await self.wait_turn(getattr(method, "chat_id", None))
        return await make_request(bot, method)

    async def wait_turn(self, chat_id: int | str | None) -> None:
        """Wait for this chat's next slot, then for the next overall slot."""
        if chat_id is not None:
            group = isinstance(chat_id, str) or chat_id < 0
            wait = (self.groups if group else self.chats).reserve(chat_id, self.clock())
            if wait > 0:
                await self.sleep(wait)
        wait = self.overall.reserve(None, self.clock())
        if wait > 0:
            await self.sleep(wait)
