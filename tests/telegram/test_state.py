"""Where the conversation state lives: memory by default, Redis with REDIS_URL; shared by two instances."""

from __future__ import annotations

import fakeredis
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage

from bot.telegram.state import STATE_TTL, create_storage


def test_memory_by_default_and_redis_with_a_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(create_storage(), MemoryStorage)
    storage = create_storage("redis://127.0.0.1:6399/0")
    assert isinstance(storage, RedisStorage)
    assert storage.data_ttl == STATE_TTL


async def test_a_follow_up_reaching_the_other_instance_still_works(make_harness):
    shared = fakeredis.aioredis.FakeRedis()
    first = make_harness(storage=RedisStorage(redis=shared))
    second = make_harness(storage=RedisStorage(redis=shared))
    await first.ask("Schuldnerberatung Artern")
    text = await second.ask("die telefonnummer bitte")
    assert "1. Schuldnerberatung Artern\nTestträger Soziale Dienste e.V.\n☎️ 03466 700010" in text
    await second.ask("/vergessen")
    assert await shared.keys("*") == []
