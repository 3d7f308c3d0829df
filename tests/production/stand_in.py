"""A stand-in Bot API server that misbehaves on purpose: 429 with retry_after, 502 pages, dropped connections.

Built on the conversation's FakeBotAPI (tests/telegram/fake_api.py); a failed request is
not recorded, so ``sent()`` holds exactly what reached the person.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from aiohttp import web

from tests.telegram.fake_api import FakeBotAPI


class FaultyBotAPI(FakeBotAPI):
    """Answers the next requests of ``methods`` with the queued faults, then normally again.

    Faults: ``"429"`` (flood control, ``retry_after`` seconds), ``"502"`` (an HTML page from a
    proxy), ``"500"`` (Telegram's JSON error), ``"drop"`` (the connection is closed without answer).
    """

    def __init__(self, *faults: str, methods: tuple[str, ...] = ("sendMessage",), retry_after: int = 1,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.faults = deque(faults)
        self.methods = methods
        self.retry_after = retry_after
        self.failed: list[str] = []

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] in self.methods and self.faults:
            fault = self.faults.popleft()
            self.failed.append(fault)
            return self.fault(request, fault)
        return await super()._handle(request)

    def fault(self, request: web.Request, fault: str) -> web.Response:
        if fault == "429":
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": f"Too Many Requests: retry after {self.retry_after}",
                                      "parameters": {"retry_after": self.retry_after}}, status=429)
        if fault == "502":
            return web.Response(status=502, text="<html><body>502 Bad Gateway</body></html>",
                                content_type="text/html")
        if fault == "500":
            return web.json_response({"ok": False, "error_code": 500, "description": "Internal Server Error"},
                                     status=500)
        if fault == "drop":
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        raise ValueError(f"unknown fault {fault!r}")
