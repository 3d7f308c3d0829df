"""Several instances: two dispatchers ("processes") share a real redis-server; a follow-up may reach either.

redis-server (Debian's package) is started on 127.0.0.1 on a free port, without
persistence, for this module; the tests are skipped when the binary is missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from aiogram.methods import SendMessage
from prod_helpers import Chat, sent_texts
from redis.asyncio import Redis

from bot.render import to_plain
from bot.telegram.state import STATE_TTL, create_storage


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


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
