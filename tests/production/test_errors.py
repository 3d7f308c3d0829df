"""A failing handler never kills the bot: the person gets one short apology, the log gets no text."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from aiogram.exceptions import TelegramForbiddenError
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.telegram.dialog import Dialog
from bot.telegram.middlewares.privacy_logging import configure_logging
from tests.production.prod_helpers import Chat, sent_texts
from tests.telegram.recording import RecordingSession

SECRET = "Mein Mann schlägt mich, ich wohne Lindenweg 7"


@pytest.fixture
def log_stream():
    """The bot's production logging (privacy filter included) into a buffer, at DEBUG."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging(logging.DEBUG, stream=stream)
    yield stream
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def broken(*args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"kaputt bei {SECRET!r} für 4711001")


async def test_a_failing_question_gets_one_apology_and_the_bot_goes_on(harness, monkeypatch, log_stream):
    chat = Chat(4711001)
    monkeypatch.setattr(Dialog, "ask", broken)
    calls = await harness.feed(chat.text(SECRET))
    texts = sent_texts(calls)
    assert len(texts) == 1
    assert texts[0].startswith("Entschuldigung, da ist etwas schiefgelaufen.")
    assert "112" in texts[0]
    monkeypatch.undo()
    assert "Schuldnerberatung Sondershausen" in sent_texts(await harness.feed(chat.text("Schuldnerberatung Sondershausen")))[0]
    log = log_stream.getvalue()
    assert "ValueError at" in log and "test_errors.py" in log
    assert "Mein Mann" not in log and "Lindenweg" not in log and "4711001" not in log
    assert "u-" in log  # the person as a pseudonym


async def test_a_failing_button_stops_the_spinner_and_apologises(harness, monkeypatch):
    chat = Chat(4711002)
    await harness.feed(chat.text("Schuldnerberatung Sondershausen"))
    monkeypatch.setattr(Dialog, "page", broken)
    calls = await harness.feed(chat.callback("p:1"))
    # The handler had stopped the spinner already; the second answer is harmless (Telegram ignores it).
    assert {type(c) for c in calls} == {AnswerCallbackQuery, SendMessage}
    assert len(sent_texts(calls)) == 1 and sent_texts(calls)[0].startswith("Entschuldigung")


async def test_a_person_who_blocked_the_bot_is_logged_without_an_apology_attempt(make_harness, log_stream):
    def forbid(method: Any) -> None:
        raise TelegramForbiddenError(method=method, message="Forbidden: bot was blocked by the user 4711003")

    session = RecordingSession(on_call=lambda m: forbid(m) if isinstance(m, SendMessage) else None)
    harness = make_harness(session=session)
    calls = await harness.feed(Chat(4711003).text("/hilfe"))
    assert [type(c) for c in calls] == [SendMessage]  # the failed answer, no second try to apologise
    log = log_stream.getvalue()
    assert "has blocked the bot" in log and "4711003" not in log


class BrokenStorage(MemoryStorage):
    """Redis gone: every read fails."""

    async def get_data(self, key: Any) -> dict[str, Any]:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    async def get_state(self, key: Any) -> str | None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


async def test_a_storage_outage_does_not_escape_the_dispatcher(make_harness, log_stream):
    harness = make_harness(storage=BrokenStorage())
    calls = await harness.feed(Chat(4711004).text("Schuldnerberatung Sondershausen"))
    assert sent_texts(calls) and sent_texts(calls)[0].startswith("Entschuldigung")
    assert "ConnectionError" in log_stream.getvalue()


async def test_the_apology_is_in_the_persons_language(harness, monkeypatch):
    monkeypatch.setattr(Dialog, "ask", broken)
    texts = sent_texts(await harness.feed(Chat(4711005, language_code="en").text("debt advice")))
    assert texts == ["Sorry, something went wrong. Please try again in a moment or send /hilfe.\n\n"
                     "In danger? Emergency <b>112</b> · TelefonSeelsorge <b>0800 111 0 111</b>"]
