"""Webhook security on the real aiohttp app (loopback): wrong or missing secret -> 401 and nothing handled."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.methods import SendMessage
from aiohttp.test_utils import TestClient, TestServer
from prod_helpers import Chat

from bot.cli.run import build_webhook_app

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
