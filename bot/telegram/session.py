"""A Bot API session that survives Telegram's bad moments: flood waits, 5xx, timeouts, dropped connections.

aiogram raises on the first failure of a request, so one 502 from Telegram's
front end or one dropped keep-alive connection would cost a person their answer.
:class:`RetryMiddleware` (a request middleware, so it wraps every session,
including the in-process one of the tests) retries instead:

- ``429 Too Many Requests``: wait exactly ``retry_after`` seconds, then deliver;
  a wait longer than :attr:`RetryPolicy.max_retry_after` is given up, because the
  person has long stopped waiting by then.
- 5xx, timeouts, refused or dropped connections, an unreadable (non-JSON) answer
  from a proxy: a bounded number of retries with exponential backoff and jitter.
- Anything else (400, 403 blocked by the user, ...) is final and raised at once.

``getUpdates`` is left alone: aiogram's polling loop already backs off and resumes
by itself when the network returns, and it must not block in here. But its answer is
read update by update (:meth:`JsonSession.check_response`): aiogram reads it whole, so
one update its models reject (an old or newer Bot API's shape) would fail every poll
forever, the offset never moving, each failure logging the update with the person's
words. An unreadable update is skipped instead (:func:`read_update` logs its id and the
reason only) and the next ``getUpdates`` confirms it.

A retried send whose first attempt reached Telegram before the connection dropped
can arrive twice; for a help bot a rare double answer beats a lost one.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramEntityTooLarge,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Update
from aiohttp import ClientError, ClientTimeout
from pydantic import ValidationError

from bot.telegram.sending import SendPacer

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. The defaults give up after about 20 s of 5xx, well before a person gives up."""

    #: Tries in all for 5xx / network failures (the first try included).
    attempts: int = 5
    #: First backoff delay; doubled on every further failure, capped at ``max_delay``.
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: 429s in a row honoured for one request.
    flood_attempts: int = 5
    #: The longest ``retry_after`` worth waiting for.
    max_retry_after: float = 60.0


def _transient(exc: Exception) -> bool:
    if isinstance(exc, TelegramEntityTooLarge):  # a TelegramNetworkError, but retrying cannot help
        return False
    return isinstance(exc, TelegramServerError | TelegramNetworkError | ClientDecodeError)


class RetryMiddleware(BaseRequestMiddleware):
    """Retry a Bot API request on 429 (after ``retry_after``) and on transient failures (with backoff)."""

    def __init__(self, policy: RetryPolicy | None = None, *, sleep: Sleep = asyncio.sleep,
                 jitter: Callable[[], float] = random.random) -> None:
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.jitter = jitter

    def backoff(self, failures: int) -> float:
        """Delay before the next try after ``failures`` transient failures: 0.5, 1, 2, 4 s ... ±25 %."""
        delay = min(self.policy.max_delay, self.policy.base_delay * 2.0 ** (failures - 1))
        return delay * (0.75 + self.jitter() / 2)

    async def __call__(self, make_request: NextRequestMiddlewareType[Any], bot: Bot,
                       method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetUpdates):
            return await make_request(bot, method)
        name = type(method).__name__
        failures = floods = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                floods += 1
                if floods >= self.policy.flood_attempts or exc.retry_after > self.policy.max_retry_after:
                    log.error("%s: flood control for %s s, giving up after %d tries", name, exc.retry_after,
                              floods)
                    raise
                log.warning("%s: flood control, waiting %s s as Telegram asks", name, exc.retry_after)
                await self.sleep(float(exc.retry_after))
            except Exception as exc:
                if not _transient(exc):
                    raise
                failures += 1
                if failures >= self.policy.attempts:
                    log.error("%s failed %d times (%s), giving up", name, failures, type(exc).__name__)
                    raise
                delay = self.backoff(failures)
                # The exception text can name the chat; its type says enough.
                log.warning("%s failed (%s), try %d of %d in %.1f s", name, type(exc).__name__, failures + 1,
                            self.policy.attempts, delay)
                await self.sleep(delay)


def read_update(data: Any, bot: Bot | None = None) -> Update | None:
    """One update as aiogram's models read it, or None when they cannot.

    Then one warning names the update id and the reason: the fields and the kinds of error,
    never the values, which hold what a person wrote and who they are."""
    try:
        return Update.model_validate(data, context={"bot": bot})
    except ValidationError as exc:
        update_id = data.get("update_id") if isinstance(data, dict) else None
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        reason = "; ".join(f"{'.'.join(str(part) for part in error['loc']) or '-'}: {error['type']}"
                           for error in errors[:3])
        more = f" (+{len(errors) - 3})" if len(errors) > 3 else ""
        log.warning("update %s skipped: the models cannot read it (%s%s)",
                    update_id if type(update_id) is int else "?", reason, more)
        return None


class JsonSession(AiohttpSession):
    """Sends each method call as a JSON body, which the Bot API reads as well as a form (only
    uploads need a form, and they still get one). aiohttp percent-encodes a form in Python,
    byte by byte: for a long HTML card with its keyboard that cost more than the rest of sending.

    Reads a ``getUpdates`` answer update by update, skipping those the models cannot read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The last update id of a getUpdates answer that had an unreadable update: aiogram's loop
        #: moves the offset past the updates it got only, so the next call confirms this one.
        self._skipped_to: int | None = None

    def check_response(self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int,
                       content: str) -> Response[TelegramType]:
        """aiogram's check, except for a successful ``getUpdates``: each update read on its own."""
        if isinstance(method, GetUpdates) and HTTPStatus.OK <= status_code <= HTTPStatus.IM_USED:
            try:
                data = self.json_loads(content)
            except Exception:  # aiogram's own check below says what is wrong with it
                data = None
            items = data.get("result") if isinstance(data, dict) and data.get("ok") is True else None
            if isinstance(items, list):
                updates = [u for u in (read_update(item, bot) for item in items) if u is not None]
                if len(updates) < len(items):
                    ids = [i["update_id"] for i in items if isinstance(i, dict) and type(i.get("update_id")) is int]
                    self._skipped_to = max(ids, default=self._skipped_to)
                return Response[list[Update]](ok=True, result=updates)  # type: ignore[return-value]
        return super().check_response(bot=bot, method=method, status_code=status_code, content=content)

    def build_json(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any] | None:
        """The call's fields as aiogram's form would carry them (empty ones left out), or None
        when a file is attached."""
        files: dict[str, Any] = {}
        body = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is not None and prepared != "":  # the form leaves out just these
                body[key] = prepared
        return None if files else body

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if (isinstance(method, GetUpdates) and self._skipped_to is not None
                and (method.offset is None or 0 <= method.offset <= self._skipped_to)):
            method.offset = self._skipped_to + 1  # confirm the skipped update (the loop's own request)
        body = self.build_json(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(url, data=self.json_dumps(body), headers={"Content-Type": "application/json"},
                                    timeout=ClientTimeout(total=self.timeout if timeout is None else timeout)) as resp:
                raw_result = await resp.text()
        except TimeoutError as exc:
            raise TelegramNetworkError(method=method, message="Request timeout error") from exc
        except ClientError as exc:
            raise TelegramNetworkError(method=method, message=f"{type(exc).__name__}: {exc}") from exc
        response = self.check_response(bot=bot, method=method, status_code=resp.status, content=raw_result)
        return response.result


def create_session(api_server: str | None = None, *, policy: RetryPolicy | None = None,
                   pacer: SendPacer | None = None, timeout: float = 30.0) -> AiohttpSession:
    """The production session: retries outside, send pacing inside (so every retry is paced too).

    ``api_server`` is the base URL of another Bot API server (``TELEGRAM_API_SERVER``).
    """
    api = TelegramAPIServer.from_base(api_server.rstrip("/")) if api_server else None
    session = JsonSession(api=api, timeout=timeout) if api else JsonSession(timeout=timeout)
    session.middleware(RetryMiddleware(policy))
    session.middleware(pacer or SendPacer())
    return session
