"""Several instances: two dispatchers ("processes") share a real redis-server; a follow-up may reach either.

redis-server (Debian's package) is started on 127.0.0.1 on a free port, without
persistence, for this module (tests/redis_server.py); the tests are skipped when the binary is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiogram.methods import SendMessage
from redis.asyncio import Redis

from bot.render import to_plain
from bot.telegram.state import STATE_TTL, create_storage
from tests.production.prod_helpers import Chat, sent_texts
from tests.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
async def two_instances(make_harness, redis_url):
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    first = make_harness(storage=create_storage(redis_url))
    second = make_harness(storage=create_storage(redis_url))
    yield first, second, redis
    for harness in (first, second):
        await harness.dp.storage.close()
    await redis.aclose()


async def chat_keys(redis: Redis, user_id: int) -> list[bytes]:
    return [k for k in await redis.keys("*") if str(user_id).encode() in k]


async def test_a_follow_up_handled_by_the_other_instance_still_works(two_instances):
    first, second, _ = two_instances
    chat = Chat(8001)
    question = sent_texts(await first.feed(chat.text("Schuldnerberatung Sondershausen")))
    assert "Schuldnerberatung Sondershausen" in question[0]
    follow_up = to_plain(sent_texts(await second.feed(chat.text("und wann haben die offen?")))[0])
    assert follow_up.startswith("1. Schuldnerberatung Sondershausen")
    assert "🕒 Dienstag und Donnerstag 9:00–16:00 Uhr" in follow_up
    # A place set on one instance is known to the other.
    await second.feed(chat.text("/ort Mühlhausen"))
    calls = await first.feed(chat.text("/ort"))
    assert "Ihr Ort ist bisher: Mühlhausen" in to_plain(sent_texts(calls)[0])


async def test_the_language_chosen_on_one_instance_is_used_by_the_other(two_instances):
    first, second, _ = two_instances
    chat = Chat(8002)
    await first.feed(chat.callback("l:en"))
    help_text = to_plain(sent_texts(await second.feed(chat.text("/hilfe")))[0])
    assert help_text.startswith("How to ask")


async def test_state_expires_in_redis_and_forget_erases_it_there(two_instances):
    first, second, redis = two_instances
    chat = Chat(8003)
    await first.feed(chat.text("/ort Sondershausen"))
    await first.feed(chat.text("Schuldnerberatung Sondershausen"))
    keys = await chat_keys(redis, 8003)
    assert keys, "the conversation state is in Redis"
    for key in keys:
        assert 0 < await redis.ttl(key) <= STATE_TTL.total_seconds()  # what /datenschutz promises
    calls = await second.feed(chat.text("/vergessen"))
    assert [type(c) for c in calls] == [SendMessage]
    assert await chat_keys(redis, 8003) == []
    # Neither instance remembers anything now.
    text = to_plain(sent_texts(await first.feed(chat.text("/ort")))[0])
    assert "bisher" not in text
