"""Send pacing: about one message a second per chat (short bursts allowed), 30 a second overall."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.telegram.app import create_bot
from bot.telegram.sending import RateSchedule, SendPacer
from tests.telegram.recording import RecordingSession


def test_schedule_lets_a_burst_through_then_spaces_at_the_rate():
    schedule = RateSchedule(rate=1.0, burst=3)
    assert [schedule.reserve("chat", 0.0) for _ in range(6)] == [0, 0, 0, 1.0, 2.0, 3.0]
    # After a pause the bucket is full again.
    assert schedule.reserve("chat", 100.0) == 0
    assert schedule.reserve("other", 0.0) == 0


def test_schedule_rejects_nonsense():
    with pytest.raises(ValueError):
        RateSchedule(rate=0, burst=1)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 9))


async def test_pacer_spaces_one_chat_and_caps_all_chats():
    fake = FakeTime()
    pacer = SendPacer(per_chat=1.0, chat_burst=3, overall=30.0, overall_burst=30, clock=fake.clock, sleep=fake.sleep)
    for _ in range(5):
        await pacer.wait_turn(42)
    assert fake.sleeps == [1.0, 2.0]
    fake.sleeps.clear()
    for chat in range(1000, 1040):  # 40 chats at once: 25 overall slots left, then 1/30 s apart
        await pacer.wait_turn(chat)
    assert len(fake.sleeps) == 40 - 25
    assert fake.sleeps[0] == pytest.approx(1 / 30, abs=1e-6)
    assert fake.sleeps[-1] == pytest.approx(15 / 30, abs=1e-6)


async def test_groups_are_paced_slower_than_private_chats():
    fake = FakeTime()
    pacer = SendPacer(chat_burst=1, clock=fake.clock, sleep=fake.sleep)
    await pacer.wait_turn(-100123)
    await pacer.wait_turn(-100123)
    assert fake.sleeps == [3.0]


async def test_only_sends_are_paced_and_an_answer_of_several_messages_keeps_the_rate():
    stamps: list[tuple[str, float]] = []
    session = RecordingSession(on_call=lambda m: stamps.append((type(m).__name__, time.monotonic())))
    session.middleware(SendPacer(per_chat=20.0, chat_burst=1))  # 50 ms apart, to keep the test quick
    bot = create_bot("4242:TEST", session=session)
    await asyncio.gather(*(bot.send_message(chat_id=9, text=f"Teil {i}") for i in range(5)),
                         bot(AnswerCallbackQuery(callback_query_id="1")))
    sends = [t for name, t in stamps if name == "SendMessage"]
    assert [c.text for c in session.sent(SendMessage)] == [f"Teil {i}" for i in range(5)]  # order kept
    # Slots are 50 ms apart; a timer may fire a little late, never early for the whole run.
    assert sends[-1] - sends[0] >= 4 * 0.05 - 0.005
    assert stamps[0][0] == "AnswerCallbackQuery" or stamps[1][0] == "AnswerCallbackQuery"
