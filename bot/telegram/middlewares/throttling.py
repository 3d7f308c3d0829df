"""Per-person throttling: a burst of messages gets one "Einen Moment bitte …", not a flood of answers.

Someone in distress may send ten short messages in a row, and a script may send
thousands. Each person has a small bucket (GCRA, like the send pacing): a few
messages in quick succession are answered as usual; the first one beyond that
gets one friendly note, and the rest is dropped silently; the next note comes
only after the person has paused long enough for the bucket to refill, so even
a sustained flood gets one note, and one answer a second at most. Button presses
count too; a dropped press only gets its spinner stopped.

State is per process and only seconds long (a timestamp per person), which is why
/datenschutz need not mention it; with several instances each one throttles the
updates it receives.

:func:`install` adds it to a dispatcher; the Telegram run modes (``python -m bot
run``) do, the terminal chat does not: a script piping twenty questions into
``python -m bot chat`` is no flood.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import Translator, _n

Clock = Callable[[], float]


WAIT = _n("Einen Moment bitte … das waren viele Nachrichten auf einmal. Ich beantworte die ersten; "
          "schreiben Sie mir Weiteres bitte in ein paar Sekunden noch einmal.")


def wait_text(tr: Translator | None) -> str:
    return tr.gettext(WAIT) if tr is not None else WAIT


@dataclass
class _Bucket:
    tat: float
    warned: bool = False


class ThrottlingMiddleware(BaseMiddleware):
    """Outer middleware for ``message`` and ``callback_query``: at most ``burst`` at once, then one per ``interval``.

    The defaults let a person send five messages at once and then one a second.
    """

    #: Buckets kept before the idle ones are dropped.
    PRUNE_AT = 10_000

    def __init__(self, *, interval: float = 1.0, burst: int = 5, clock: Clock = time.monotonic) -> None:
        self.interval = interval
        self.tolerance = (burst - 1) * interval
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._prune_at = self.PRUNE_AT

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(handle it, send the note): the note only for the first update dropped since the last pause."""
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(now)
            self._prune(now)
        tat = max(bucket.tat, now)
        if tat - now > self.tolerance:
            first = not bucket.warned
            bucket.warned = True
            return False, first
        if bucket.tat <= now:  # a pause long enough to empty the bucket: a new burst may get a new note
            bucket.warned = False
        bucket.tat = tat + self.interval
        return True, False

    def forget(self, user_id: int) -> None:
        self._buckets.pop(user_id, None)

    def _prune(self, now: float) -> None:
        if len(self._buckets) > self._prune_at:
            self._buckets = {k: b for k, b in self._buckets.items() if b.tat > now}
            self._prune_at = max(self.PRUNE_AT, 2 * len(self._buckets))

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        user = getattr(event, "from_user", None)
        if user is None:
            return await handler(event, data)
        handle, note = self.allow(user.id)
        if handle:
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            await event.answer()
        elif isinstance(event, Message) and note:
            await event.answer(wait_text(data.get("tr")), parse_mode=ParseMode.HTML)
        return None


def install(dp: Dispatcher, throttle: ThrottlingMiddleware | None = None) -> ThrottlingMiddleware:
    """Throttle messages and button presses of ``dp`` (after its other outer middlewares, e.g. group addressing)."""
    throttle = throttle or ThrottlingMiddleware()
    dp.message.outer_middleware(throttle)
    dp.callback_query.outer_middleware(throttle)
    return throttle
