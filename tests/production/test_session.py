"""Faults on Telegram's side: 429 waits and delivers, 5xx/timeouts/drops retry with backoff, polling resumes."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.utils.backoff import BackoffConfig

from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.sending import SendPacer
from bot.telegram.session import RetryMiddleware, RetryPolicy, create_session
from tests.production.stand_in import FaultyBotAPI
from tests.telegram.fake_api import FakeBotAPI
from tests.telegram.recording import RecordingSession


class FlakySession(RecordingSession):
    """Raises the queued exceptions (built per method) before answering normally."""

    def __init__(self, *faults: Any) -> None:
        super().__init__()
        self.faults = list(faults)
        self.attempts = 0

    async def make_request(self, bot: Any, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.attempts += 1
        if self.faults:
            raise self.faults.pop(0)(method)
        return await super().make_request(bot, method, timeout)


def flaky_bot(*faults: Any, policy: RetryPolicy | None = None) -> tuple[Any, FlakySession, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    session = FlakySession(*faults)
    session.middleware(RetryMiddleware(policy, sleep=sleep, jitter=lambda: 0.5))
    return create_bot("4242:TEST", session=session), session, slept


def retry_after(seconds: int) -> Any:
    return lambda method: TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=seconds)


def server_error(method: TelegramMethod[Any]) -> Exception:
    return TelegramServerError(method=method, message="Bad Gateway")


def timeout(method: TelegramMethod[Any]) -> Exception:
    return TelegramNetworkError(method=method, message="Request timeout error")


async def test_429_waits_exactly_retry_after_then_delivers_once():
    bot, session, slept = flaky_bot(retry_after(7), retry_after(3))
    message = await bot.send_message(chat_id=5, text="Hallo")
    assert message.text == "Hallo"
    assert slept == [7.0, 3.0]
    assert len(session.sent(SendMessage)) == 1


async def test_5xx_and_timeouts_retry_with_growing_backoff():
    bot, session, slept = flaky_bot(server_error, timeout, server_error)
    await bot.send_message(chat_id=5, text="Hallo")
    assert slept == [0.5, 1.0, 2.0]
    assert session.attempts == 4 and len(session.sent(SendMessage)) == 1


async def test_retries_are_bounded_and_the_last_error_is_raised():
    bot, session, slept = flaky_bot(*[server_error] * 10, policy=RetryPolicy(attempts=4))
    with pytest.raises(TelegramServerError):
        await bot.send_message(chat_id=5, text="Hallo")
    assert session.attempts == 4 and len(slept) == 3
    assert session.sent(SendMessage) == []


async def test_backoff_is_capped_and_jittered():
    middleware = RetryMiddleware(RetryPolicy(base_delay=0.5, max_delay=8.0), jitter=lambda: 1.0)
    assert [middleware.backoff(n) for n in (1, 2, 5, 9)] == [0.625, 1.25, 10.0, 10.0]
    low = RetryMiddleware(RetryPolicy(base_delay=0.5, max_delay=8.0), jitter=lambda: 0.0)
    assert low.backoff(9) == 6.0


async def test_a_very_long_flood_wait_is_not_waited_for():
    bot, session, slept = flaky_bot(retry_after(3600))
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(chat_id=5, text="Hallo")
    assert slept == [] and session.attempts == 1


async def test_client_errors_are_final():
    bot, session, slept = flaky_bot(lambda m: TelegramBadRequest(method=m, message="Bad Request: chat not found"))
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(chat_id=5, text="Hallo")
    assert session.attempts == 1 and slept == []


async def test_get_updates_is_left_to_the_polling_loop():
    bot, session, slept = flaky_bot(timeout)
    with pytest.raises(TelegramNetworkError):
        await bot(GetUpdates(timeout=0))
    assert session.attempts == 1 and slept == []


@pytest.mark.slow
async def test_real_http_429_502_500_and_a_dropped_connection_still_deliver_exactly_once():
    api = FaultyBotAPI("429", "502", "drop", "500", retry_after=1)
    await api.start()
    policy = RetryPolicy(base_delay=0.05, max_delay=0.2)
    session = create_session(api.base_url, policy=policy, timeout=5)
    bot = create_bot("4242:TEST", session=session)
    try:
        started = time.monotonic()
        message = await bot.send_message(chat_id=77, text="Ihre Antwort")
        elapsed = time.monotonic() - started
    finally:
        await session.close()
        await api.stop()
    assert message.text == "Ihre Antwort"
    assert api.failed == ["429", "502", "drop", "500"]
    assert [c.params["text"] for c in api.sent("sendMessage")] == ["Ihre Antwort"]
    assert 1.0 <= elapsed < 5.0  # the 429's retry_after was waited for, the rest was quick


@pytest.mark.slow
async def test_real_http_timeout_is_retried():
    class SlowOnce(FakeBotAPI):
        tries = 0

        async def _handle(self, request: Any) -> Any:
            if request.match_info["method"] == "sendMessage":
                self.tries += 1
                if self.tries == 1:
                    await asyncio.sleep(1.5)  # longer than the client waits
            return await super()._handle(request)

    api = SlowOnce()
    await api.start()
    session = create_session(api.base_url, policy=RetryPolicy(base_delay=0.05), timeout=0.5)
    bot = create_bot("4242:TEST", session=session)
    try:
        started = time.monotonic()
        message = await bot.send_message(chat_id=77, text="Antwort")
        elapsed = time.monotonic() - started
    finally:
        await session.close()
        await api.stop()
    assert message.text == "Antwort" and api.tries == 2
    assert 0.5 <= elapsed < 1.5  # given up on the slow try after the timeout, delivered by the retry


@pytest.mark.slow
async def test_long_polling_resumes_by_itself_after_the_network_returns(store):
    api = FakeBotAPI(poll_timeout=0.2)
    await api.start()
    port = int(api.base_url.rsplit(":", 1)[1])
    session = create_session(api.base_url, policy=RetryPolicy(base_delay=0.05), pacer=SendPacer(per_chat=100))
    bot = create_bot("4242:TEST", session=session)
    dp = create_dispatcher(store)
    backoff = BackoffConfig(min_delay=0.1, max_delay=0.3, factor=1.5, jitter=0.1)
    polling = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, backoff_config=backoff,
                                                   handle_signals=False, close_bot_session=True))
    user = {"id": 31, "is_bot": False, "first_name": "T"}

    def update(update_id: int, text: str) -> dict[str, Any]:
        return {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "text": text,
                "chat": {"id": 31, "type": "private"}, "from": user,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}

    try:
        await api.push_update(update(1, "/hilfe"))
        await api.wait_for("sendMessage", 1)
        await api.stop()  # the network is gone: getUpdates fails, the loop backs off
        await asyncio.sleep(1.0)
        assert not polling.done()
        api = FakeBotAPI(poll_timeout=0.2)
        await api.start(port=port)  # ... and it is back
        await api.push_update(update(2, "/datenschutz"))
        calls = await api.wait_for("sendMessage", 1, timeout=10)
        assert "Datenschutz" in calls[0].params["text"]
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 10)
        await api.stop()


async def test_calls_go_as_json_with_nested_objects_and_uploads_still_as_a_form():
    from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

    class Recording(FakeBotAPI):
        def __init__(self) -> None:
            super().__init__()
            self.bodies: list[tuple[str, str, Any]] = []

        async def _handle(self, request: Any) -> Any:
            method = request.match_info["method"]
            if request.content_type == "application/json":
                self.bodies.append((method, request.content_type, await request.json()))
            else:
                self.bodies.append((method, request.content_type, None))
            return await super()._handle(request)

    api = Recording()
    await api.start()
    session = create_session(api.base_url, timeout=5)
    bot = create_bot("4242:TEST", session=session)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="ℹ️ 1", callback_data="o:d:x-1")]])
    try:
        message = await bot.send_message(chat_id=77, text="<b>Tafel</b> & Co", reply_markup=markup,
                                         disable_notification=False)
        with pytest.raises(TelegramNotFound):  # the stand-in knows no uploads; the request is what counts
            await bot.send_document(chat_id=77, document=BufferedInputFile(b"a;b\n", filename="liste.csv"))
    finally:
        await session.close()
        await api.stop()
    assert message.text == "<b>Tafel</b> & Co"
    (method, kind, body), (upload, upload_kind, _) = api.bodies
    assert (method, kind) == ("sendMessage", "application/json")
    assert body == {"chat_id": 77, "text": "<b>Tafel</b> & Co", "parse_mode": "HTML", "disable_notification": False,
                    "reply_markup": {"inline_keyboard": [[{"text": "ℹ️ 1", "callback_data": "o:d:x-1"}]]}}
    assert (upload, upload_kind) == ("sendDocument", "multipart/form-data")


SECRET_TEXT = "Geheimnis Schulden Mahnbescheid"
BROKEN_USER = 5550123


def unreadable(update_id: int, *, wrong_type: bool = False) -> dict[str, Any]:
    """An update the models reject: an old-format chat without ``type``, or a field of the wrong type;
    with a person's words and clear id in it."""
    chat: dict[str, Any] = {"id": BROKEN_USER, "first_name": "Testperson"}
    if wrong_type:
        chat["type"] = "private"
    return {"update_id": update_id, "message": {
        "message_id": {"nested": True} if wrong_type else update_id, "date": 0, "text": SECRET_TEXT, "chat": chat,
        "from": {"id": BROKEN_USER, "is_bot": False, "first_name": "Testperson"}}}


@pytest.mark.slow
async def test_polling_skips_an_update_it_cannot_read_and_answers_the_next(store, caplog):
    """Issue 11, finding 2: aiogram reads a getUpdates answer whole, so one unreadable update used to
    stall polling forever ("Failed to fetch updates", the offset never moving) and log its text."""
    caplog.set_level(logging.DEBUG)
    api = FakeBotAPI(poll_timeout=0.2)
    await api.start()
    session = create_session(api.base_url, policy=RetryPolicy(base_delay=0.05), pacer=SendPacer(per_chat=100))
    bot = create_bot("4242:TEST", session=session)
    dp = create_dispatcher(store)
    backoff = BackoffConfig(min_delay=0.1, max_delay=0.3, factor=1.5, jitter=0.1)
    user = {"id": 31, "is_bot": False, "first_name": "T"}

    def command(update_id: int, text: str) -> dict[str, Any]:
        return {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "text": text,
                "chat": {"id": 31, "type": "private"}, "from": user,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}

    await api.push_update(unreadable(10))
    await api.push_update(command(11, "/datenschutz"))
    polling = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, backoff_config=backoff,
                                                   handle_signals=False, close_bot_session=True))
    try:
        first = await api.wait_for("sendMessage", 1, timeout=10)
        # the last update of an answer unreadable: the offset still has to move past it
        await api.push_update(unreadable(12, wrong_type=True))
        await asyncio.wait_for(_until(lambda: any(offset >= 13 for offset, _ in api.polls)), 10)
        await api.push_update(command(13, "/hilfe"))
        second = await api.wait_for("sendMessage", 2, timeout=10)
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 10)
        await api.stop()
    assert "Datenschutz" in first[0].params["text"]
    assert "So fragen Sie" in second[1].params["text"]
    assert [int(c.params["chat_id"]) for c in api.sent("sendMessage")] == [31, 31]
    answered = [ids for _, ids in api.polls if ids]
    assert answered == [[10, 11], [12], [13]]  # each unreadable update fetched once, then confirmed
    lines = [r.getMessage() for r in caplog.records]
    skipped = [line for line in lines if "skipped" in line]
    assert len(skipped) == 2 and "update 10 " in skipped[0] and "update 12 " in skipped[1], skipped
    assert "message.chat.type: missing" in skipped[0] and "message.message_id: int_type" in skipped[1]
    for line in lines:
        assert "Geheimnis" not in line and str(BROKEN_USER) not in line, line
        assert "Failed to fetch updates" not in line, line
    assert not any(r.exc_info for r in caplog.records)


async def _until(condition: Any) -> None:
    while not condition():
        await asyncio.sleep(0.02)
