"""Property: 10,000 generated updates through the real dispatcher; nothing escapes, every message is answered once.

Updates of every kind, from a few dozen people (so follow-ups, /ort states and
languages mix): any Unicode, very long texts, commands with odd arguments,
forged deep links and button data, group chatter and mentions, edited messages,
channel posts, inline queries, update types aiogram does not know. Throttling is
kept out of the way by a clock that jumps ahead; it has its own tests.
"""

from __future__ import annotations

import asyncio
import itertools
import warnings
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, AnswerInlineQuery, TelegramMethod
from aiogram.types import Update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.local import LOCAL_BOT
from tests.production.prod_helpers import GROUP, Chat, update

BATCH = 20
EXAMPLES = 500  # x BATCH = 10,000 updates
APOLOGY = "Entschuldigung, da ist etwas schiefgelaufen"

QUESTIONS = ["Schuldnerberatung Sondershausen", "und wann haben die offen?", "Telefonnummer bitte", "was anderes?",
             "jugendamt uhk", "Frau Grimm", "hallo", "?", "gibt es das auch in Mühlhausen?", "99706",
             "ich will nicht mehr leben", "Tafel", "Spezialberatung <b>&</b>", "mehr"]
COMMANDS = ["start", "hilfe", "help", "themen", "ort", "sprache", "datenschutz", "vergessen", "status", "reload",
            "unbekannt", "start@hilfe_finder_bot", "START"]
BUTTONS = ["p:0", "p:1", "p:2", "t:schulden", "t:jugendamt", "m:topics", "a:0", "a:3", "l:de", "l:en",
           "o:details:p-html", "o:map:p-jugendamt-mhl", "o:contact:p-jugendamt-mhl", "o:contact:p-html",
           "o:details:gibt-es-nicht"]


@dataclass
class Case:
    update: Update
    expect: str  # "answer" (exactly one message to the chat), "silent", "callback", "inline"
    chat_id: int = 0

    def __repr__(self) -> str:  # short, so a falsifying example stays readable
        return f"{self.expect}: {self.update.model_dump_json(exclude_none=True)[:300]}"


people = st.integers(min_value=9000, max_value=9030)
any_text = st.text(min_size=1, max_size=200)
long_text = st.builds(lambda piece, n: (piece * n)[:4096], st.text(min_size=1, max_size=8), st.integers(1, 1200))
texts = st.one_of(any_text, st.sampled_from(QUESTIONS), long_text,
                  st.builds(lambda c, a: f"/{c} {a}".rstrip(), st.sampled_from(COMMANDS), st.text(max_size=40)),
                  st.builds(lambda p: f"/start {p}", st.one_of(st.text(max_size=80), st.sampled_from(
                      ["o_p-html", "o_p-jugendamt-mhl", "o_gibt-es-nicht", "o_../x", "o_<b>", "inline"]))))
button_data = st.one_of(st.sampled_from(BUTTONS), st.text(max_size=64))


@st.composite
def private_message(draw: st.DrawFn) -> Case:
    chat = Chat(draw(people), language_code=draw(st.sampled_from(["de", "en", "tr", "uk"])))
    kind = draw(st.sampled_from(["text", "text", "text", "photo", "sticker", "voice", "location", "contact"]))
    if kind == "text":
        built = chat.text(draw(texts))
    elif kind == "location":
        built = update(message=chat.message(location={"latitude": draw(st.floats(47, 55)),
                                                      "longitude": draw(st.floats(6, 15))}))
    elif kind == "contact":
        built = update(message=chat.message(contact={"phone_number": "+49 361 000", "first_name": "X"}))
    else:
        media = {"photo": {"photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]},
                 "sticker": {"sticker": {"file_id": "f", "file_unique_id": "u", "type": "regular", "width": 1,
                                         "height": 1, "is_animated": False, "is_video": False}},
                 "voice": {"voice": {"file_id": "f", "file_unique_id": "u", "duration": 3}}}[kind]
        built = update(message=chat.message(**media))
    return Case(built, "answer", chat.chat["id"])


@st.composite
def group_message(draw: st.DrawFn) -> Case:
    member = Chat(draw(people), chat=GROUP)
    kind = draw(st.sampled_from(["chatter", "mention", "command", "other_bot", "reply_to_bot"]))
    text = draw(st.one_of(st.sampled_from(QUESTIONS), any_text)).lstrip("/@") or "Hallo"
    if kind == "chatter":
        return Case(member.text(text), "silent")
    if kind == "other_bot":
        return Case(member.text(f"/hilfe@other_bot {text}"), "silent")
    if kind == "command":
        return Case(member.text(f"/{draw(st.sampled_from(COMMANDS[:9]))}"), "answer", GROUP["id"])
    if kind == "mention":
        entities = [{"type": "mention", "offset": 0, "length": 17}]
        return Case(member.text(f"@hilfe_finder_bot {text}", entities=entities), "answer", GROUP["id"])
    bot_message = {"message_id": 1, "date": 0, "chat": GROUP, "from": LOCAL_BOT.model_dump(), "text": "…"}
    return Case(member.text(text, reply_to_message=bot_message), "answer", GROUP["id"])


@st.composite
def other_update(draw: st.DrawFn) -> Case:
    chat = Chat(draw(people))
    kind = draw(st.sampled_from(["callback", "callback", "inline", "edited", "channel", "unknown"]))
    if kind == "callback":
        return Case(chat.callback(draw(button_data)), "callback")
    if kind == "inline":
        return Case(chat.inline(draw(st.one_of(st.sampled_from(QUESTIONS), st.text(max_size=256)))), "inline")
    if kind == "edited":
        return Case(update(edited_message=chat.message(text=draw(any_text), edit_date=1)), "silent")
    if kind == "channel":
        post = {"message_id": 1, "date": 0, "chat": {"id": -100999, "type": "channel", "title": "K"},
                "text": draw(any_text)}
        return Case(update(channel_post=post), "silent")
    return Case(update(**{draw(st.sampled_from(["future_thing", "story_reaction"])): {"text": draw(any_text)}}),
                "silent")


cases = st.one_of(private_message(), private_message(), group_message(), other_update())


def answers_to(calls: list[TelegramMethod[Any]], chat_id: int) -> list[TelegramMethod[Any]]:
    return [c for c in calls if type(c).__name__.startswith("Send") and getattr(c, "chat_id", None) == chat_id]


@pytest.mark.slow
def test_ten_thousand_generated_updates(make_harness):
    harness = make_harness()
    jump = itertools.count(start=0, step=100)
    harness.throttle().clock = lambda: float(next(jump))
    loop = asyncio.new_event_loop()
    fed = [0]

    async def feed_all(batch: list[Case]) -> None:
        for case in batch:
            calls = await harness.feed(case.update)  # raises if anything escapes the dispatcher
            fed[0] += 1
            texts = [getattr(c, "text", None) or "" for c in calls]
            assert not any(t.startswith(APOLOGY) for t in texts), (case, texts)
            if case.expect == "answer":
                assert len(answers_to(calls, case.chat_id)) == 1, (case, calls)
            elif case.expect == "silent":
                assert calls == [], (case, calls)
            elif case.expect == "callback":
                assert sum(isinstance(c, AnswerCallbackQuery) for c in calls) == 1, (case, calls)
            else:
                assert [type(c) for c in calls] == [AnswerInlineQuery], (case, calls)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(st.lists(cases, min_size=BATCH, max_size=BATCH))
    def run(batch: list[Case]) -> None:
        loop.run_until_complete(feed_all(batch))

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Detected unknown update type")
            run()
    finally:
        loop.close()
    assert fed[0] >= EXAMPLES * BATCH
