"""Webhook security on the real aiohttp app (loopback): wrong or missing secret -> 401 and nothing handled."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.methods import SendMessage
from aiohttp.test_utils import TestClient, TestServer

from bot.cli.run import build_webhook_app
from tests.production.prod_helpers import Chat

SECRET = "s3cr3t-Token_for-tests"


@pytest.fixture
async def client(harness):
    app = build_webhook_app(harness.dp, harness.bot, path="/webhook", secret=SECRET, store=harness.store)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def body(text: str, user_id: int = 7001) -> str:
    return Chat(user_id).text(text).model_dump_json(exclude_none=True, by_alias=True)


async def sends(harness, count: int, timeout: float = 5.0) -> list[SendMessage]:
    async def enough() -> list[SendMessage]:
        while len(harness.session.sent(SendMessage)) < count:
            await asyncio.sleep(0.01)
        return harness.session.sent(SendMessage)

    return await asyncio.wait_for(enough(), timeout)


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                                     {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
                                     {"X-Telegram-Bot-Api-Secret-Token": ""}])
async def test_requests_without_the_right_secret_get_401_and_are_not_handled(client, harness, headers):
    response = await client.post("/webhook", data=body("/hilfe"), headers={"Content-Type": "application/json",
                                                                           **headers})
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert harness.session.sent(SendMessage) == []


async def test_the_right_secret_is_handled(client, harness):
    response = await client.post("/webhook", data=body("/hilfe"),
                                 headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status == 200
    answer = (await sends(harness, 1))[0]
    assert answer.chat_id == 7001 and "So fragen Sie" in answer.text


async def test_garbage_with_the_right_secret_does_not_break_the_server(client, harness):
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    for data in ("{", "[]", '{"update_id": "x"}', "null"):
        response = await client.post("/webhook", data=data, headers=headers)
        assert response.status in (200, 400, 500)
    assert (await client.get("/health")).status == 200
    response = await client.post("/webhook", data=body("/hilfe", 7002), headers=headers)
    assert response.status == 200
    assert (await sends(harness, 1))[0].chat_id == 7002


async def test_health_answers_for_load_balancers(client, harness):
    response = await client.get("/health")
    assert response.status == 200
    data = await response.json()
    assert data["status"] == "ok" and data["offers"] == 3
    assert (await client.post("/health")).status == 405


HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
NO_UPDATE = "no update (not an object with an integer update_id)"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"), (b"{", "no JSON"), (b'{"update_id": 1, "message": "\xff\xfe"}', "not UTF-8"),
    (b"[" * 100_000, "JSON nested too deeply"), (b"[]", NO_UPDATE), (b"null", NO_UPDATE),
    (b'{"update_id": "x"}', NO_UPDATE), (b'{"text": "Geheimnis Schulden"}', NO_UPDATE),
], ids=["empty", "malformed", "latin-1", "deep", "list", "null", "string-id", "no-id"])
async def test_a_body_that_is_no_update_gets_400_and_one_log_line(client, harness, caplog, data, reason):
    """Issue 11, findings 2 and 8: it used to get a 500 with a traceback (which Telegram retries), or a
    200 and "Task exception was never retrieved" with the posted data in the log."""
    caplog.set_level(logging.DEBUG)
    response = await client.post("/webhook", data=data, headers=HEADERS)
    assert response.status == 400
    assert await response.read() == b""
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "aiogram", "aiohttp.server"))]
    assert lines == [f"webhook body refused with 400: {reason} ({len(data)} bytes)"]
    assert not any(r.exc_info for r in caplog.records)
    await asyncio.sleep(0.1)
    assert harness.session.sent(SendMessage) == []


async def test_an_update_the_models_cannot_read_is_acknowledged_and_logged_by_id_only(client, harness, caplog):
    caplog.set_level(logging.DEBUG)
    old_format = {"update_id": 987654, "message": {  # a chat without "type", as old Bot API versions sent it
        "message_id": 3, "date": 0, "text": "Geheimnis Schulden Mahnbescheid", "chat": {"id": 5550124},
        "from": {"id": 5550124, "is_bot": False, "first_name": "Testperson"}}}
    response = await client.post("/webhook", json=old_format, headers=HEADERS)
    assert response.status == 200  # so that Telegram does not redeliver it and hold back the next ones
    await asyncio.sleep(0.1)
    assert harness.session.sent(SendMessage) == []
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "aiogram", "aiohttp.server"))]
    assert lines == ["update 987654 skipped: the models cannot read it (message.chat.type: missing)"]
    assert not any(r.exc_info for r in caplog.records)
    for record in caplog.records:
        assert "Geheimnis" not in record.getMessage() and "5550124" not in record.getMessage()
    response = await client.post("/webhook", data=body("/hilfe", 7003), headers=HEADERS)
    assert response.status == 200
    answer = (await sends(harness, 1))[0]
    assert answer.chat_id == 7003 and "So fragen Sie" in answer.text
