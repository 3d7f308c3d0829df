"""Abuse and bad input: bursts, groups, forged buttons and deep links, HTML in data and text, odd updates."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.render import to_plain
from bot.telegram.local import LOCAL_BOT
from tests.production.prod_helpers import GROUP, Chat, assert_valid_telegram_html, sent_texts, update

WAIT = "Einen Moment bitte"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- throttling --------------------------------------------------------------------------------


async def test_a_burst_gets_five_answers_and_exactly_one_wait_note(harness):
    clock = FakeClock()
    harness.throttle().clock = clock
    chat = Chat(5001)
    answers = [sent_texts(await harness.feed(chat.text(f"Schulden Sondershausen {i}"))) for i in range(20)]
    assert [len(a) for a in answers] == [1] * 5 + [1] + [0] * 14
    assert answers[5][0].startswith(WAIT) and not any(WAIT in a[0] for a in answers[:5])
    # Another person is not held up by the first one's burst.
    assert len(sent_texts(await harness.feed(Chat(5002).text("Schulden")))) == 1
    # A sustained flood gets no second note, and one answer a second at most.
    clock.now += 1.0
    flood = [sent_texts(await harness.feed(chat.text("nochmal"))) for _ in range(10)]
    assert [len(a) for a in flood] == [1] + [0] * 9 and WAIT not in flood[0][0]
    # After a real pause the person is answered normally again.
    clock.now += 60
    again = sent_texts(await harness.feed(chat.text("Schuldnerberatung Sondershausen")))
    assert len(again) == 1 and "Schuldnerberatung Sondershausen" in again[0]


async def test_the_wait_note_is_in_the_persons_language(harness):
    harness.throttle().clock = FakeClock()
    chat = Chat(5004, language_code="en")
    answers = [sent_texts(await harness.feed(chat.text("debt advice"))) for _ in range(7)]
    assert answers[5] == ["One moment please … that was a lot of messages at once. I am answering the first "
                          "ones; please send anything else again in a few seconds."]
    assert answers[6] == []


async def test_pressing_buttons_in_a_burst_only_stops_the_spinners(harness):
    harness.throttle().clock = FakeClock()
    chat = Chat(5003)
    calls = [await harness.feed(chat.callback("m:topics")) for _ in range(12)]
    assert all(any(isinstance(c, AnswerCallbackQuery) for c in call) for call in calls)
    assert sum(len(sent_texts(call)) for call in calls) == 5  # beyond the burst: no messages, no note


# --- groups ------------------------------------------------------------------------------------

async def test_in_groups_the_bot_answers_only_when_addressed(harness):
    member = Chat(5101, chat=GROUP)
    assert await harness.feed(member.text("Schuldnerberatung Sondershausen")) == []
    photo = [{"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1}]
    assert await harness.feed(update(message=member.message(photo=photo))) == []
    assert await harness.feed(member.text("/hilfe@other_bot")) == []
    # A mention: the question without the mention is answered.
    text = "@hilfe_finder_bot Schuldnerberatung Sondershausen"
    mention = member.text(text, entities=[{"type": "mention", "offset": 0, "length": 17}])
    answer = sent_texts(await harness.feed(mention))
    assert len(answer) == 1 and "Schuldnerberatung Sondershausen" in answer[0]
    # A command, plain or aimed at this bot.
    assert "So fragen Sie" in sent_texts(await harness.feed(member.text("/hilfe")))[0]
    assert "So fragen Sie" in sent_texts(await harness.feed(member.text("/hilfe@hilfe_finder_bot")))[0]
    # A reply to one of the bot's messages: a follow-up.
    bot_message = {"message_id": 1, "date": 0, "chat": GROUP, "from": LOCAL_BOT.model_dump(), "text": "…"}
    follow_up = member.text("und wann haben die offen?", reply_to_message=bot_message)
    assert len(sent_texts(await harness.feed(follow_up))) == 1
    # A reply to another member is not for the bot.
    other = {"message_id": 2, "date": 0, "chat": GROUP, "from": Chat(5102).user, "text": "…"}
    assert await harness.feed(member.text("Danke dir!", reply_to_message=other)) == []


@pytest.mark.filterwarnings("ignore:Detected unknown update type")
async def test_channel_posts_edited_messages_and_unknown_updates_cause_no_error(harness):
    chat = Chat(5201)
    channel = {"id": -100777, "type": "channel", "title": "Kanal"}
    post = {"message_id": 1, "date": 0, "chat": channel, "text": "Neuigkeiten"}
    assert await harness.feed(update(channel_post=post)) == []
    assert await harness.feed(update(edited_channel_post=post)) == []
    assert await harness.feed(update(edited_message=chat.message(text="Schulden", edit_date=1))) == []
    assert await harness.feed(update(some_future_update={"id": 1, "what": "ever"})) == []
    left = {"chat": {"id": 5201, "type": "private"}, "from": chat.user, "date": 0,
            "old_chat_member": {"status": "member", "user": LOCAL_BOT.model_dump()},
            "new_chat_member": {"status": "kicked", "user": LOCAL_BOT.model_dump(), "until_date": 0}}
    assert await harness.feed(update(my_chat_member=left)) == []


async def test_any_length_and_any_unicode_get_one_answer(harness):
    harness.throttle().clock = FakeClock()
    texts = ["x" * 4096, "🙂" * 2000, "\u202e\u200b\x00\ufeff", "Schulden\n" * 500, "ß" * 3000,
             "<b>Schulden</b> & <script>", "Ｓｃｈｕｌｄｅｎ　Ｓｏｎｄｅｒｓｈａｕｓｅｎ", "مرحبا", "𝔖𝔠𝔥𝔲𝔩𝔡𝔢𝔫"]
    for i, text in enumerate(texts):
        harness.throttle().clock.now += 10
        assert len(sent_texts(await harness.feed(Chat(5300 + i).text(text)))) == 1, text[:20]


# --- forged callback data and deep links ----------------------------------------------------------


async def test_forged_callback_data_changes_nothing_and_sends_nothing(harness):
    chat = Chat(5401)
    await harness.feed(chat.text("Schuldnerberatung Sondershausen"))
    forged = ["o:details:p-schulden-sdh'; DROP TABLE offers;--", "o:map:../../etc/passwd", "p:1e9", "p:-5",
              "t:" + "a" * 500, "a:-1", "l:xx", "m:admin", "o:contact:", "x" * 64, "", ":::", "o:details:P-HTML",
              "p:" + "9" * 40]
    for data in forged:
        calls = await harness.feed(chat.callback(data))
        assert [type(c) for c in calls] == [AnswerCallbackQuery], data
        assert calls[0].text is None
    harness.store.refresh()
    assert harness.store.offer("p-schulden-sdh") is not None


async def test_forged_deep_links_show_the_plain_welcome(harness):
    harness.throttle().clock = clock = FakeClock()
    chat = Chat(5402)
    for payload in ("o_../../etc", "o_<script>alert(1)</script>", "o_" + "a" * 200, "x_p-html", "o_", "%00"):
        clock.now += 10
        texts = sent_texts(await harness.feed(chat.text(f"/start {payload}")))
        assert len(texts) == 1 and to_plain(texts[0]).startswith("Hallo! Ich helfe Ihnen"), payload
        assert "<script>" not in texts[0]
    texts = sent_texts(await harness.feed(chat.text("/start o_gibt-es-nicht")))
    assert texts[0].startswith("Dieses Angebot gibt es nicht mehr.")


# --- escaping ------------------------------------------------------------------------------------

async def test_offer_data_and_user_text_are_escaped_everywhere(harness):
    chat = Chat(5501)
    texts = sent_texts(await harness.feed(chat.text("Spezialberatung Sondershausen")))
    texts += sent_texts(await harness.feed(chat.text("/start o_p-html")))
    texts += sent_texts(await harness.feed(chat.text("/ort <b>Nirgendwo</b> & Co")))
    texts += sent_texts(await harness.feed(chat.text("<i>Quatschwort</i> & Unsinn")))
    joined = "\n".join(texts)
    assert "Beratung &lt;b&gt;Fett&lt;/b&gt; &amp; &quot;Co&quot; &lt;script&gt;" in joined
    assert "Träger &lt;i&gt;A&amp;B&lt;/i&gt;" in joined
    assert "Mo &lt;9 bis 12&gt; &amp; nach Absprache" in joined
    assert "&lt;b&gt;Nirgendwo&lt;/b&gt; &amp; Co" in joined
    for text in texts:
        assert_valid_telegram_html(text)


async def test_answers_to_forged_input_are_one_message_each(harness):
    harness.throttle().clock = FakeClock()
    chat = Chat(5601)
    for text in ("/status", "/reload", "/start o_p-html", "/ort", "Sondershausen", "/vergessen"):
        harness.throttle().clock.now += 10
        calls = await harness.feed(chat.text(text))
        assert [type(c) for c in calls] == [SendMessage], text
