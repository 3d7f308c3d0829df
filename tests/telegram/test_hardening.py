"""Issue 11 (Telegram side): what an attacker, a broken update and a bad day must not do to the bot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.cli import run
from bot.cli.run import build_webhook_app
from bot.telegram.local import Updates
from bot.telegram.middlewares.redelivery import REDIS_TTL, RecentUpdates, create_seen_updates
from bot.telegram.webhook import MAX_IN_FLIGHT, WebhookHandler
from tests.redis_server import redis_server
from tests.telegram.tg_helpers import texts


async def test_a_private_message_without_sender_is_answered_not_a_type_error(harness, caplog):
    """Issue 11, finding 13: a private message without ``from`` raised a TypeError in the handler
    (aiogram gives no FSM state without a user), and the person got the apology."""
    caplog.set_level(logging.INFO)
    update = Update.model_validate({"update_id": 1, "message": {
        "message_id": 1, "date": 1741100000, "text": "Telefonnummer Schuldnerberatung Sondershausen",
        "chat": {"id": 5550201, "type": "private", "first_name": "Test"}}})
    calls = await harness.feed(update)
    assert texts(calls) and "☎️ 03632 700001" in texts(calls)[0]
    assert "Entschuldigung" not in texts(calls)[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("secret", ["geheim mit Leerzeichen", "schlüssel", "a/b+c=", "x" * 257, "'; DROP"])
def test_a_webhook_secret_telegram_refuses_is_refused_before_set_webhook(offers_db, monkeypatch, capsys, secret):
    """Issue 11, finding 12: Telegram accepts only A-Z, a-z, 0-9, _ and - (1-256 characters); any other
    secret made setWebhook fail at startup with a traceback."""
    monkeypatch.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/webhook")

    def never(*args, **kwargs):
        raise AssertionError("the webhook server was started")

    monkeypatch.setattr(run.web, "run_app", never)
    assert run.main(["--webhook"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_SECRET ist ungültig" in err and "A–Z, a–z, 0–9, _ und -" in err and "1 bis 256" in err
    assert secret not in err


def test_a_valid_webhook_secret_starts_the_server(offers_db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # run.main opens the state store: in tmp_path, never in the project
    monkeypatch.setenv("BOT_STATE_DB", str(tmp_path / "bot-state.db"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("BOT_TOKEN", "4242:TEST-TOKEN")
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.setenv("WEBHOOK_SECRET", "Ab0_-" * 51 + "z")  # 256 characters, every kind allowed
    started = []
    monkeypatch.setattr(run.web, "run_app", lambda app, **kwargs: started.append(app))
    assert run.main(["--webhook"]) == 0
    assert started
    assert (tmp_path / "bot-state.db").exists()  # where BOT_STATE_DB says


# --- finding 7: redelivered updates ----------------------------------------------------------------


async def test_an_update_delivered_three_times_is_answered_once(harness, caplog):
    """Issue 11, finding 7: Telegram redelivers after a timeout, and each delivery got an answer."""
    caplog.set_level(logging.INFO)
    update = harness.updates.text("Telefonnummer Schuldnerberatung Sondershausen")
    calls = [await harness.feed(update) for _ in range(3)]
    assert [len(texts(c)) for c in calls] == [1, 0, 0]
    assert f"update {update.update_id} delivered again: already handled, dropped" in caplog.text
    assert len(texts(await harness.send("Schuldnerberatung Artern"))) == 1  # the next update is answered


async def test_the_first_messages_of_two_chats_are_both_answered(harness):
    """Update ids are the bot's, not a chat's: the local update factory of a second chat gave its first
    update the id of the first chat's, and the redelivery check dropped it (no answer, no statistics)."""
    other = Updates(user_id=5550302)
    assert len(texts(await harness.send("Schuldnerberatung Artern"))) == 1
    assert len(texts(await harness.feed(other.text("Schuldnerberatung Artern")))) == 1


async def test_memory_remembers_a_bounded_number_of_update_ids():
    seen = RecentUpdates(size=100)
    assert [await seen.first_time(1, i) for i in range(300)] == [True] * 300
    assert len(seen._seen) == 100
    assert not await seen.first_time(1, 299) and await seen.first_time(1, 0) and await seen.first_time(2, 299)


async def test_the_webhook_answers_a_body_posted_three_times_once(harness):
    app = build_webhook_app(harness.dp, harness.bot, path="/webhook", secret="s3cret", store=harness.store)
    body = harness.updates.text("Schuldnerberatung Artern").model_dump_json(exclude_none=True, by_alias=True)
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        statuses = [(await client.post("/webhook", data=body, headers=headers)).status for _ in range(3)]
        await asyncio.sleep(0.5)
    assert statuses == [200, 200, 200]  # acknowledged, so that Telegram stops redelivering
    assert len(texts(harness.session.calls)) == 1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


async def test_instances_sharing_redis_answer_a_redelivered_update_once(make_harness, redis_url):
    """Two instances behind one webhook each get a delivery of the same update: one answer in all."""
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    first = make_harness(seen=create_seen_updates(redis_url))
    second = make_harness(seen=create_seen_updates(redis_url))
    update = first.updates.text("Telefonnummer Schuldnerberatung Sondershausen")
    await asyncio.gather(first.feed(update), second.feed(update), first.feed(update))
    assert len(texts(first.session.calls)) + len(texts(second.session.calls)) == 1
    assert len(texts(await second.feed(first.updates.text("Schuldnerberatung Artern")))) == 1
    key = f"update:{first.bot.id}:{update.update_id}".encode()
    assert key in await redis.keys("update:*")
    assert 0 < await redis.ttl(key) <= REDIS_TTL.total_seconds()
    await redis.aclose()


async def test_without_redis_the_update_is_answered_and_the_failure_logged(make_harness, caplog):
    seen = create_seen_updates("redis://127.0.0.1:1/0")  # nothing listens on port 1
    harness = make_harness(seen=seen)
    calls = await harness.send("Schuldnerberatung Artern")
    assert len(texts(calls)) == 1
    assert "Redis not reachable for the redelivery check (ConnectionError), handled anyway" in caplog.text


# --- finding 9: back-pressure --------------------------------------------------------------------

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret"}


def body(harness, text: str) -> str:
    return harness.updates.text(text).model_dump_json(exclude_none=True, by_alias=True)


async def test_the_webhook_handles_a_bounded_number_of_updates_and_answers_429_when_full(harness, caplog):
    """Issue 11, finding 9: every posted update became a task at once (20,000 in 35 s: 1 GB, never
    given back). Now at most ``max_in_flight``; the next waits for a slot, then gets 429."""
    gate = asyncio.Event()

    async def slow(handler, event, data):
        await gate.wait()
        return await handler(event, data)

    harness.dp.update.outer_middleware(slow)
    app = web.Application()
    WebhookHandler(dispatcher=harness.dp, bot=harness.bot, secret_token="s3cret", max_in_flight=2,
                   wait=0.3).register(app, path="/webhook")
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        first = [await client.post("/webhook", data=body(harness, t), headers=HEADERS)
                 for t in ("Schuldnerberatung Artern", "Schuldnerberatung Nordhausen")]
        assert [r.status for r in first] == [200, 200]
        refused = await client.post("/webhook", data=body(harness, "Erziehungsberatung Kassel"), headers=HEADERS)
        assert refused.status == 429 and refused.headers["Retry-After"] == "5" and await refused.read() == b""
        assert "webhook busy (2 updates in hand for 0 s): answered 429" in caplog.text
        waiting = asyncio.ensure_future(client.post("/webhook", data=body(harness, "Krisendienst Sondershausen"),
                                                    headers=HEADERS))
        await asyncio.sleep(0.1)
        assert not waiting.done()  # waits for a free slot, holding Telegram's connection
        gate.set()
        assert (await waiting).status == 200
        for _ in range(100):
            if len(texts(harness.session.calls)) >= 3:
                break
            await asyncio.sleep(0.05)
    answered = texts(harness.session.calls)
    assert len(answered) == 3 and not any("Kassel" in t for t in answered)


async def test_a_failure_outside_the_handlers_is_one_log_line_without_the_update(harness, caplog, monkeypatch):
    """Finding 8: a failing background task was logged as "Task exception was never retrieved" with the data."""
    import gc

    async def broken(*args, **kwargs):
        raise RuntimeError("Geheimnis Schulden 5550301")

    monkeypatch.setattr(harness.dp, "feed_update", broken)
    app = build_webhook_app(harness.dp, harness.bot, path="/webhook", secret="s3cret", store=harness.store)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        posted = body(harness, "Schuldnerberatung Artern")
        response = await client.post("/webhook", data=posted, headers=HEADERS)
        assert response.status == 200
        await asyncio.sleep(0.2)
    gc.collect()
    await asyncio.sleep(0)
    update_id = Update.model_validate_json(posted).update_id
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"update {update_id} failed: RuntimeError"]
    assert "Geheimnis" not in caplog.text and "never retrieved" not in caplog.text


async def test_polling_handles_a_bounded_number_of_updates_at_once(harness, monkeypatch):
    seen = {}

    async def start_polling(*bots, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr(harness.dp, "start_polling", start_polling)
    await run._polling(harness.dp, harness.bot)
    assert seen["tasks_concurrency_limit"] == MAX_IN_FLIGHT == 64
