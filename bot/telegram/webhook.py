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
"""

from __future__ import annotations

import asyncio
import logging
import re

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.telegram.session import read_update

log = logging.getLogger(__name__)

#: What ``setWebhook`` accepts as ``secret_token``: 1-256 of A-Z, a-z, 0-9, _ and -.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def secret_problem(secret: str) -> str | None:
    """Why Telegram would refuse ``secret`` (a message for the admin, not quoting it), or None."""
    if _SECRET.fullmatch(secret):
        return None
    return (f"WEBHOOK_SECRET ist ungültig ({len(secret)} Zeichen): Telegram erlaubt nur A–Z, a–z, 0–9, _ und - "
            "und 1 bis 256 Zeichen")


class WebhookHandler(SimpleRequestHandler):
    """``SimpleRequestHandler`` (secret check, background handling) that never fails on a body."""

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
        update = await self.read(bot, request)
        if isinstance(update, web.Response):
            return update
        task = asyncio.create_task(self._feed(bot, update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)

    async def _feed(self, bot: Bot, update: Update) -> None:
        """aiogram's background handling (``_background_feed_update``), given the update already read."""
        result = await self.dispatcher.feed_update(bot, update, **self.data)
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(bot=bot, result=result)

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        update = await self.read(bot, request)
        if isinstance(update, web.Response):
            return update
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))
