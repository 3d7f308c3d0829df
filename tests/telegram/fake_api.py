"""A stand-in Telegram Bot API server on loopback, for end-to-end tests and benchmarks.

It speaks just enough of the Bot API for a bot to run against it: ``getMe``,
``getUpdates`` (long polling over a queue of updates), ``setWebhook``,
``deleteWebhook``, ``setMyCommands``, ``answerCallbackQuery`` and the ``send*``
methods, and records every call (method name and parameters). Point a bot at
it with ``TELEGRAM_API_SERVER=<base_url>``. No aiogram import: it must behave like
the real server, not share code with the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Hilfe-Finder", "username": "hilfe_finder_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

_SENDS = {"sendMessage", "sendVenue", "sendContact", "sendLocation", "editMessageText"}
_TRUE = {"setWebhook", "deleteWebhook", "setMyCommands", "answerCallbackQuery", "deleteMyCommands",
         "sendChatAction", "close", "logOut"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


async def request_params(request: web.Request) -> dict[str, Any]:
    """A Bot API call's parameters, sent as JSON or as a form (the Bot API takes both)."""
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    params = {k: _decode(v) for k, v in form.items() if isinstance(v, str)}
    params.update({k: dict(request.query)[k] for k in request.query})
    return params


def _decode(value: str) -> Any:
    """Form fields carry JSON for objects and lists (reply_markup), plain text otherwise."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeBotAPI:
    """Records calls; ``wait_for`` lets a test await the bot's reply."""

    def __init__(self, *, poll_timeout: float = 0.5) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        #: Every ``getUpdates``: the offset asked for and the update ids answered.
        self.polls: list[tuple[int, list[int]]] = []
        self.poll_timeout = poll_timeout
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # --- server -----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.base_url = f"http://{host}:{sockets[0].getsockname()[1]}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests use -------------------------------------------------------------------

    async def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for the next ``getUpdates``."""
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    def sent(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if not methods or c.method in methods]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until ``count`` calls of ``method`` arrived; raise TimeoutError otherwise."""
        async def enough() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.sent(method)) >= count)
            return self.sent(method)

        return await asyncio.wait_for(enough(), timeout)

    # --- Bot API ----------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        return await request_params(request)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "getUpdates":
            return self._ok(await self._get_updates(params))
        async with self._changed:
            self.calls.append(Call(method, params))
            self._changed.notify_all()
        if method == "getMe":
            return self._ok(BOT_USER)
        if method in _SENDS:
            return self._ok(self._message(params))
        if method in _TRUE:
            return self._ok(True)
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                                 status=404)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), self.poll_timeout)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self.updates if u["update_id"] >= offset]

        async with self._changed:
            if not pending() and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(pending())), timeout)
            answer = pending()
            self.polls.append((offset, [u["update_id"] for u in answer]))
            return answer

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id", 0)
        chat_id = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
        message: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()),
                                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}
        if "text" in params:
            message["text"] = params["text"]
        return message

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})
