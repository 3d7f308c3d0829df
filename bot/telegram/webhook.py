"""The webhook's request handler: aiogram's ``SimpleRequestHandler``, reading the body itself.

aiogram's handler answers a body that is not JSON with a 500 and a traceback (which
Telegram would retry), and reads the update only in a background task, whose failure
is logged as "Task exception was never retrieved" with the posted data: a person's
words and id. This handler reads the body before anything is scheduled:

- not an update at all (empty, invalid UTF-8, malformed or too deeply nested JSON, not an
  object, no integer ``update_id``): ``400`` without content and one log line with the
  reason only. Telegram never sends such a body, so nobody retries it.
- an update that aiogram's models reject (an older or newer Bot API's shape): ``200``, and
  one log line with its id and the reason (:func:`bot.telegram.session.read_update`).
  Acknowledged on purpose: Telegram retries every non-2xx answer and holds back the
  updates after it meanwhile, so a 400 would stall the webhook just as it stalled polling.
  The update is lost either way; the ones after it are not.

And it bounds the work in hand (back-pressure): at most :data:`MAX_IN_FLIGHT` updates are
handled at once. A further one waits for a free slot, and with it the connection Telegram
posted it on (Telegram opens ``max_connections``, 40 by default, so it slows down by itself);
after :data:`WAIT_SECONDS` without a slot it is answered ``429`` with ``Retry-After``, and
Telegram delivers it again later. Without the bound, 20,000 updates in 35 s became 20,000
tasks at once: memory grew from 233 MB to over 1 GB and never came down.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.telegram.session import read_update

log = logging.getLogger(__name__)

#: Updates one process handles at once, by webhook or by polling (bot.cli.run). Each holds a few
#: tens of kilobytes while it is searched, rendered and sent; the rest waits at Telegram.
MAX_IN_FLIGHT = 64
#: How long a posted update waits for a free slot before it is answered 429.
WAIT_SECONDS = 10.0
#: Seconds Telegram is asked to wait before delivering a refused update again.
RETRY_AFTER = 5


class WebhookHandler(SimpleRequestHandler):
    """``SimpleRequestHandler`` (secret check, background handling) that never fails on a body and
    handles at most ``max_in_flight`` updates at once."""

    def __init__(self, *args: Any, max_in_flight: int = MAX_IN_FLIGHT, wait: float = WAIT_SECONDS,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_in_flight = max_in_flight
        self.slots = asyncio.Semaphore(max_in_flight)
        self.wait = wait

    async def read(self, bot: Bot, request: web.Request) -> Update | web.Response:
        """The posted update, or the answer to give when there is none to handle."""
        body = await request.read()
        try:
            data = bot.session.json_loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return self._refuse("not UTF-8", len(body))
        except RecursionError:
            return self._refuse("JSON nested too deeply", len(body))
        except ValueError:
            return self._refuse("no JSON" if body.strip() else "empty", len(body))
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return self._refuse("no update (not an object with an integer update_id)", len(body))
        update = read_update(data, bot)  # logs the id and the reason when it is None
        return update if update is not None else web.json_response({}, dumps=bot.session.json_dumps)

    @staticmethod
    def _refuse(reason: str, size: int) -> web.Response:
        log.warning("webhook body refused with 400: %s (%d bytes)", reason, size)
        return web.Response(status=400)

    async def _handle_request_background(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(self.slots.acquire(), self.wait)
        except TimeoutError:
            log.warning("webhook busy (%d updates in hand for %.0f s): answered 429", self.max_in_flight, self.wait)
            return web.Response(status=429, headers={"Retry-After": str(RETRY_AFTER)})
        try:
            update = await self.read(bot, request)
        except BaseException:
            self.slots.release()
            raise
        if isinstance(update, web.Response):
            self.slots.release()
            return update
        task = asyncio.create_task(self._feed(bot, update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)

    async def _feed(self, bot: Bot, update: Update) -> None:
        """aiogram's background handling (``_background_feed_update``), given the update already read;
        frees its slot when done. A failure the errors router did not take is logged in one line (type
        and id), never left to asyncio's "Task exception was never retrieved" with the update in it."""
        try:
            result = await self.dispatcher.feed_update(bot, update, **self.data)
            if isinstance(result, TelegramMethod):
                await self.dispatcher.silent_call_request(bot=bot, result=result)
        except Exception as exc:
            log.error("update %d failed: %s", update.update_id, type(exc).__name__)
        finally:
            self.slots.release()

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        update = await self.read(bot, request)
        if isinstance(update, web.Response):
            return update
        result: TelegramMethod[Any] | None = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))
