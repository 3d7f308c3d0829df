"""The bot's side of the state store: error reports, demand statistics, admin notifications.

One :class:`StateServices` travels in the dispatcher's workflow data (``services``). It
opens the state store (bot.botstate) once; when that fails (a corrupt ``BOT_STATE_DB``, no
Redis) the bot answers as always, logs the failure, and /status says so. Demand events
are collected during the answer and written by a background task every few seconds
(:meth:`StateServices.run`), so writing never delays a reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from aiogram import Bot

from bot.botstate import StateError, StateStore, open_state
from bot.demand import DemandRecorder, compact, event_for
from bot.demand_report import status_lines
from bot.feedback import Bundler, Feedback, notification_text
from bot.geo import Place
from bot.render import Hit
from bot.search import GeoPoint, SearchResponse, engine_for
from bot.settings import CommonSettings
from bot.store import Store
from bot.telegram.dialog import Observer

log = logging.getLogger(__name__)


class AdminNotifier:
    """New reports to the admins' private chats: at once, and bundled when many come (bot.feedback.Bundler)."""

    def __init__(self, admin_ids: Iterable[int], window: timedelta = timedelta(minutes=5)) -> None:
        self.admin_ids = sorted(admin_ids)
        self.bundler = Bundler(window)
        self._later: asyncio.Task[None] | None = None

    async def report(self, bot: Bot, record: dict[str, Any], now: datetime) -> None:
        items = self.bundler.add(record, now)
        if items:
            await self._send(bot, items)
        elif self._later is None or self._later.done():
            due = self.bundler.due()
            delay = max((due - now).total_seconds(), 0.0) if due else 0.0
            self._later = asyncio.create_task(self._send_later(bot, delay, now))

    async def _send_later(self, bot: Bot, delay: float, now: datetime) -> None:
        await asyncio.sleep(delay)
        await self.send_waiting(bot, now + timedelta(seconds=delay))

    async def send_waiting(self, bot: Bot, now: datetime) -> None:
        """Send the bundle of waiting reports (the delayed task does this; tests and shutdown call it directly)."""
        timer, self._later = self._later, None
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        items = self.bundler.take(now)
        if items:
            await self._send(bot, items)

    async def _send(self, bot: Bot, items: list[dict[str, Any]]) -> None:
        text = escape(notification_text(items))
        for admin in self.admin_ids:
            try:
                await bot.send_message(chat_id=admin, text=text)
            except Exception as exc:  # a blocked bot or an unknown admin id must not break the reporter's answer
                log.warning("admin notification failed: %s", type(exc).__name__)


class StateServices:
    """The state store and what uses it; the store is None when it could not be opened."""

    def __init__(self, state: StateStore | None, *, admin_ids: Iterable[int] = (), error: str | None = None,
                 notify_window: timedelta = timedelta(minutes=5), flush_every: float = 2.0) -> None:
        self.state = state
        self.error = error
        self.feedback = Feedback(state) if state is not None else None
        self.demand = DemandRecorder(state)
        self.notifier = AdminNotifier(admin_ids, notify_window)
        self.flush_every = flush_every
        self._task: asyncio.Task[None] | None = None
        self._housekeeping_day: date | None = None

    @classmethod
    def open(cls, settings: CommonSettings, admin_ids: Iterable[int] = ()) -> StateServices:
        """The store at ``REDIS_URL`` or ``BOT_STATE_DB`` (bot.botstate.open_state); a failure is logged, not raised."""
        try:
            return cls(open_state(redis_url=settings.redis_url, path=settings.bot_state_db), admin_ids=admin_ids)
        except StateError as exc:
            log.error("state store unavailable, reports and statistics are not kept: %s", exc)
            return cls(None, admin_ids=admin_ids, error=str(exc))

    def failed(self, exc: Exception) -> None:
        self.error = str(exc)
        log.error("state store failed: %s", exc)

    # --- demand ----------------------------------------------------------------------

    def observer(self, store: Store, *, language: str, at: datetime, person: int | None) -> Observer:
        """The Dialog's observer for one update: turns an answer into an event in memory."""
        def observe(response: SearchResponse, hits: list[Hit], place: Place | GeoPoint | None) -> None:
            try:
                self.demand.note(event_for(response, hits, place, engine_for(store), language=language, at=at,
                                           person=person))
            except Exception:  # statistics must never cost an answer
                log.exception("demand event not counted")
        return observe

    async def flush(self, today: date | None = None) -> int:
        """Write the collected events (in a worker thread); once a day also fold old weeks and prune."""
        if self.state is None:
            self.demand.flush()  # drops the batch: nothing to write to
            return 0
        try:
            written = await asyncio.to_thread(self.demand.flush)
            if today is not None and today != self._housekeeping_day:
                self._housekeeping_day = today
                await asyncio.to_thread(compact, self.state, today)
                if self.feedback is not None:
                    await asyncio.to_thread(self.feedback.prune, datetime.combine(today, datetime.min.time()))
            if self.error:
                self.error = None
            return written
        except StateError as exc:
            self.failed(exc)
            return 0

    async def run(self, clock: Callable[[], datetime]) -> None:
        """The background writer: flush every ``flush_every`` seconds until cancelled."""
        while True:
            await asyncio.sleep(self.flush_every)
            await self.flush(clock().date())

    def start(self, clock: Callable[[], datetime]) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(clock))

    async def stop(self, bot: Bot | None = None) -> None:
        """At shutdown: the last batch of events, and the reports still waiting for the admins."""
        if bot is not None:
            await self.notifier.send_waiting(bot, datetime.now(UTC))
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()

    # --- privacy and status ----------------------------------------------------------

    async def forget(self, user_id: int) -> None:
        """/vergessen: this person's report marks and the lines they wrote (bot.feedback.Feedback.forget)."""
        if self.feedback is None:
            return
        try:
            await asyncio.to_thread(self.feedback.forget, user_id)
        except StateError as exc:
            self.failed(exc)

    async def status_text(self, today: date) -> str:
        """The /status lines: where the store is, last week's demand, open reports (HTML)."""
        if self.state is None or self.feedback is None:
            return f"⚠️ Zustandsspeicher nicht nutzbar ({escape(self.error or 'unbekannt')}): " \
                   "Fehlermeldungen und Nachfrage-Statistik werden nicht gespeichert."
        try:
            lines = await asyncio.to_thread(status_lines, self.state, today)
        except StateError as exc:
            self.failed(exc)
            return f"⚠️ Zustandsspeicher nicht nutzbar ({escape(str(exc))})."
        return "\n".join([f"Zustandsspeicher: {escape(self.state.where)}", *lines])
