"""End to end: ``python -m bot run`` (polling and webhook) and ``python -m bot chat`` as real processes.

The bot talks to a stand-in Bot API server on loopback (``TELEGRAM_API_SERVER``),
which records the replies; no network, no real token.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.botstate import SqliteState
from bot.cli import chat, run
from bot.config import PROJECT_ROOT
from bot.demand import EVENTS
from tests.telegram.fake_api import FakeBotAPI

pytestmark = pytest.mark.slow
TOKEN = "4242:TEST-TOKEN"
SECRET = "s3cret-Token_1"


def update(update_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1741100000, "text": text,
        "chat": {"id": 918273645, "type": "private", "first_name": "Test"},
        "from": {"id": 918273645, "is_bot": False, "first_name": "Test", "language_code": "de"},
        **({"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
           if text.startswith("/") else {}),
    }}


def env(offers_db: Path, api: FakeBotAPI, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WEBHOOK_URL", "WEBHOOK_SECRET"}}
    return {**base, "BOT_TOKEN": TOKEN, "TELEGRAM_API_SERVER": api.base_url, "OFFERS_DB": str(offers_db),
            "BOT_STATE_DB": str(offers_db.with_name("bot-state.db")), "PYTHONPATH": str(PROJECT_ROOT), **extra}


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest.fixture
async def api():
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


async def test_polling_answers_through_the_bot_api_server(offers_db, api):
    await api.push_update(update(1, "Telefonnummer Schuldnerberatung Sondershausen"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env(offers_db, api), cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        sent = await api.wait_for("sendMessage", timeout=60)
    finally:
        await stop(process)
    assert int(sent[0].params["chat_id"]) == 918273645
    assert "03632 700001" in sent[0].params["text"]
    assert sent[0].params["parse_mode"] == "HTML"
    assert api.sent("deleteWebhook")
    commands = api.sent("setMyCommands")
    assert {c.params.get("language_code") for c in commands} == {None, "en", "uk", "ru", "ar", "tr"}
    log = (await process.stderr.read()).decode()
    assert "Schuldnerberatung" not in log and "918273645" not in log
    # the demand event was written at shutdown into BOT_STATE_DB, not into the working directory
    state = SqliteState(offers_db.with_name("bot-state.db"))
    assert sum(n for k, n in state.counts(EVENTS).items() if k[1] == "Kyffhäuserkreis") >= 1
    assert not (PROJECT_ROOT / "bot-state.db").exists()


async def test_polling_skips_an_update_it_cannot_read(offers_db, api):
    """Issue 11, finding 2: one update the models reject (here an old-format chat without ``type``)
    used to stall polling for good, logging the person's text and id on every try."""
    broken = update(1, "Geheimnis Schulden Mahnbescheid")
    broken["message"]["chat"] = {"id": 5550125, "first_name": "Test"}
    broken["message"]["from"]["id"] = 5550125
    await api.push_update(broken)
    await api.push_update(update(2, "Telefonnummer Schuldnerberatung Sondershausen"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env(offers_db, api), cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        sent = await api.wait_for("sendMessage", timeout=60)
        for _ in range(100):  # the next poll confirms both
            if any(offset == 3 for offset, _ in api.polls):
                break
            await asyncio.sleep(0.1)
    finally:
        await stop(process)
    assert int(sent[0].params["chat_id"]) == 918273645 and "03632 700001" in sent[0].params["text"]
    assert [ids for _, ids in api.polls if ids] == [[1, 2]]
    assert any(offset == 3 for offset, _ in api.polls)
    log = (await process.stderr.read()).decode()
    assert "update 1 skipped: the models cannot read it (message.chat.type: missing)" in log
    assert "Geheimnis" not in log and "5550125" not in log and "Failed to fetch updates" not in log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_checks_the_secret_and_answers(offers_db, api):
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", "--host", "127.0.0.1", "--port", str(port),
        "--path", "/webhook",
        env=env(offers_db, api, WEBHOOK_SECRET=SECRET, WEBHOOK_URL="https://bot.example.org/webhook"),
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"{base}/health") as response:
                        if response.status == 200:
                            health = await response.json()
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the webhook server did not start")
            assert health["status"] == "ok" and health["offers"] == 8
            question = update(5, "Adresse Schuldnerberatung Sondershausen")
            async with http.post(f"{base}/webhook", json=question) as response:
                assert response.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(f"{base}/webhook", json=question, headers=headers) as response:
                assert response.status == 401
            await asyncio.sleep(0.3)
            assert not api.sent("sendMessage")
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(f"{base}/webhook", json=question, headers=headers) as response:
                assert response.status == 200
            sent = await api.wait_for("sendMessage", timeout=30)
    finally:
        await stop(process)
    assert len(sent) == 1
    assert "Teststraße 1, 99706 Sondershausen" in sent[0].params["text"]
    registered = api.sent("setWebhook")[0].params
    assert registered["url"] == "https://bot.example.org/webhook"
    assert registered["secret_token"] == SECRET


def test_webhook_refuses_to_start_without_a_secret(offers_db, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_STATE_DB", raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    assert run.main(["--webhook"]) == 2
    assert "WEBHOOK_SECRET fehlt" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # refused before the state store (bot-state.db) was opened


def test_terminal_chat_reads_a_pipe_and_shows_buttons_as_numbers(offers_db):
    lines = "/start\nSchuldnerberatung Sondershausen\n1\n/exit\nthis line is never read\n"
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input=lines, cwd=PROJECT_ROOT,
                            env={**os.environ, "OFFERS_DB": str(offers_db)}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Hallo! Ich helfe Ihnen")
    assert "[1] Schulden" in out
    assert "1. Schuldnerberatung Sondershausen" in out
    assert "[1] ℹ️ 1   [2] 📍 Karte 1   [3] 👤 Kontakt 1" in out
    assert "🔗 Teilen: https://t.me/hilfe_finder_bot?start=o_t-schulden-sdh" in out  # choice 1 = details
    assert "<b>" not in out


async def test_terminal_chat_ends_at_end_of_input(offers_db, monkeypatch):
    monkeypatch.setenv("OFFERS_DB", str(offers_db))
    out = io.StringIO()
    await chat.converse(io.StringIO("/hilfe\n3\n"), out)  # no /exit: the end of input ends the chat
    assert out.getvalue().startswith("So fragen Sie")
