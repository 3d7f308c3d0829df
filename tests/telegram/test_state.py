"""Where the conversation state lives: memory by default, Redis with REDIS_URL; shared by two instances."""

from __future__ import annotations

import fakeredis
from aiogram.fsm.storage.redis import RedisStorage

from bot.telegram.state import STATE_TTL, ExpiringMemoryStorage, create_storage


def test_memory_by_default_and_redis_with_a_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(create_storage(), ExpiringMemoryStorage)
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


DAY = 86_400.0


async def test_memory_state_expires_30_days_after_the_last_message(make_harness):
    """Issue 11, finding 10: in memory a chat's state (place, last results, language) stayed for the
    life of the process, about 5 KB per chat that ever wrote; /datenschutz promises 30 days."""
    clock = [1000.0]
    harness = make_harness(storage=create_storage("", clock=lambda: clock[0]))
    await harness.ask("/ort Artern")
    clock[0] += 29 * DAY
    assert (await harness.memory())["place"] == "Artern"
    await harness.ask("Schuldnerberatung")  # a change: the 30 days start again
    clock[0] += 29 * DAY
    assert (await harness.memory())["place"] == "Artern"
    clock[0] += 1 * DAY + 1
    assert await harness.memory() == {}
    assert harness.dp.storage.records == {}


async def test_memory_state_is_capped_oldest_chat_first_and_reads_store_nothing():
    from aiogram.fsm.storage.base import StorageKey

    clock = [0.0]
    storage = ExpiringMemoryStorage(max_chats=3, clock=lambda: clock[0])
    keys = [StorageKey(bot_id=1, chat_id=i, user_id=i) for i in range(5)]
    for key in keys:
        assert await storage.get_data(key) == {} and await storage.get_state(key) is None
    assert len(storage.records) == 0  # aiogram's MemoryStorage keeps a record for every chat merely read
    for i, key in enumerate(keys):
        clock[0] += 1
        await storage.set_data(key, {"place": f"Ort {i}"})
    assert len(storage.records) == 3
    assert [await storage.get_value(k, "place") for k in keys] == [None, None, "Ort 2", "Ort 3", "Ort 4"]
    await storage.set_state(keys[2], "PlaceForm:waiting")
    await storage.set_data(keys[0], {"place": "wieder da"})  # keys[3] is now the longest unchanged
    assert await storage.get_data(keys[3]) == {} and await storage.get_state(keys[2]) == "PlaceForm:waiting"
    await storage.set_data(keys[4], {})
    await storage.set_state(keys[4], None)
    assert len(storage.records) == 2  # erased (/vergessen): nothing left behind
