"""Privacy: no texts and no clear ids in the logs; /vergessen erases the state; /datenschutz explains."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update

from bot.render import to_plain
from bot.telegram.dialog import Dialog
from bot.telegram.middlewares.privacy_logging import (
    PrivacyFilter,
    Secrets,
    _current,
    collect,
    configure_logging,
    pseudonym,
)
from tests.production.prod_helpers import Chat, sent_texts, update

USER_ID = 918273645
NAME = "Erika Mustermann-Geheim"
CONVERSATION = [
    "/start",
    "Mein Mann schlägt mich und ich habe Schulden, Sondershausen",
    "und wann haben die offen?",
    "Telefonnummer bitte",
    "/ort 99706",
    "Frau Grimm Jugendamt Mühlhausen",
]


@pytest.fixture
def log_stream():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging(logging.DEBUG, stream=stream, salt=b"test-salt")
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.captureWarnings(False)


async def test_a_whole_conversation_leaves_no_text_and_no_id_in_the_log(harness, log_stream, monkeypatch):
    original = Dialog.ask

    def chatty_ask(self: Dialog, text: str, memory: Any) -> Any:
        # Like a careless library: log the person's text and id in the middle of handling the update.
        logging.getLogger("some.library").warning("asked %r by user %d (%s)", text, USER_ID, NAME)
        return original(self, text, memory)

    monkeypatch.setattr(Dialog, "ask", chatty_ask)
    chat = Chat(USER_ID)
    chat.user.update(first_name=NAME, username="erika_geheim")
    answers = []
    for text in CONVERSATION:
        answers += sent_texts(await harness.feed(chat.text(text)))
    answers += sent_texts(await harness.feed(chat.callback("p:1")))
    await harness.feed(chat.inline("jugendamt uhk"))
    assert len(answers) >= len(CONVERSATION)
    log = log_stream.getvalue()
    assert "is handled" in log and "asked '‹…›" in log  # the filter saw the traffic and the careless lines
    for secret in (str(USER_ID), NAME, "erika_geheim", "schlägt", "Mann", "wann haben", "Telefonnummer",
                   "Grimm", "jugendamt uhk", "99706"):
        assert secret not in log, secret
    assert pseudonym(USER_ID, b"test-salt") in log


def test_pseudonyms_are_stable_per_salt_and_differ_between_salts():
    assert pseudonym(USER_ID, b"a") == pseudonym(USER_ID, b"a")
    assert pseudonym(USER_ID, b"a") != pseudonym(USER_ID, b"b")
    assert pseudonym(USER_ID, b"a") != pseudonym(USER_ID + 1, b"a")
    assert str(USER_ID) not in pseudonym(USER_ID, b"a")


def test_the_log_salt_is_every_pseudonym_s_salt(log_stream):
    """LOG_SALT (given to configure_logging by python -m bot run) also salts the error handler's own lines."""
    assert pseudonym(USER_ID) == pseudonym(USER_ID, b"test-salt")


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("x", logging.ERROR, __file__, 1, message, args, None)


def test_filter_pseudonymises_ids_in_telegrams_error_shapes_even_outside_an_update():
    flt = PrivacyFilter(salt=b"s")
    record = _record("Flood control exceeded on method 'SendMessage' in chat 918273645. Retry in 3 seconds.")
    flt.filter(record)
    assert "918273645" not in record.getMessage() and pseudonym(918273645, b"s") in record.getMessage()
    record = _record("user_id=%d chat_id: -1001234567", 55501234)
    flt.filter(record)
    assert "55501234" not in record.getMessage() and "1001234567" not in record.getMessage()
    record = _record("update 12 handled in 3 ms")  # small numbers are no ids: left alone
    flt.filter(record)
    assert record.getMessage() == "update 12 handled in 3 ms"


def test_filter_redacts_texts_in_tracebacks_of_the_current_update():
    flt = PrivacyFilter(salt=b"s")
    chat = Chat(USER_ID)
    secrets = collect(chat.text("Ich habe Angst vor meinem Vermieter"))
    token = _current.set(secrets)
    try:
        try:
            raise ValueError("parse failed on 'Ich habe Angst vor meinem Vermieter'")
        except ValueError:
            record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", (USER_ID,),
                                       exc_info=__import__("sys").exc_info())
        flt.filter(record)
    finally:
        _current.reset(token)
    text = logging.Formatter().format(record)
    assert "Vermieter" not in text and "Angst" not in text and str(USER_ID) not in text
    assert "ValueError" in text


def test_collect_finds_ids_and_texts_in_every_kind_of_update():
    chat = Chat(USER_ID)
    chat.user["last_name"] = "Geheimnachname"
    reply = {"message_id": 1, "date": 0, "chat": chat.chat, "from": {"id": 66612345, "is_bot": False,
             "first_name": "Dritte"}, "text": "zitierter Text"}
    found = collect(chat.text("Hallo Welt", reply_to_message=reply))
    assert {USER_ID, 66612345} <= found.ids
    assert {"Hallo Welt", "zitierter Text", "Geheimnachname", "Dritte"} <= found.texts
    assert collect(chat.inline("frauenhaus")).texts >= {"frauenhaus"}
    assert collect(chat.callback("p:1")).ids >= {USER_ID}
    strange: Update = update(some_future_update={"text": "neu", "user": {"id": 77712345}})
    assert isinstance(collect(strange), Secrets)


async def test_forget_erases_the_chat_state(harness):
    chat = Chat(USER_ID)
    await harness.feed(chat.text("Schuldnerberatung Sondershausen"))
    await harness.feed(chat.text("/ort Sondershausen"))
    key = StorageKey(bot_id=4242, chat_id=USER_ID, user_id=USER_ID)
    assert (await harness.dp.storage.get_data(key))["place"] == "Sondershausen"
    answer = sent_texts(await harness.feed(chat.text("/vergessen")))
    assert to_plain(answer[0]).startswith("Erledigt: Ich habe alles gelöscht")
    assert await harness.dp.storage.get_data(key) == {}
    assert await harness.dp.storage.get_state(key) is None
    # The follow-up now has nothing to follow.
    text = to_plain(sent_texts(await harness.feed(chat.callback("p:1")))[0])
    assert text == "Diese Ergebnisse sind nicht mehr da. Bitte fragen Sie noch einmal."


async def test_privacy_notice_says_what_is_kept_how_long_and_where(harness):
    text = to_plain(sent_texts(await harness.feed(Chat(USER_ID).text("/datenschutz")))[0])
    for what in ("Sprache", "Ort", "Suchwörter", "Notrufnummern"):
        assert what in text
    assert "30 Tage" in text and "Neustart" in text  # how long
    assert "Arbeitsspeicher" in text and "Redis" in text  # where
    assert "Protokollen" in text and "/vergessen" in text


async def test_the_warning_about_an_unknown_update_type_is_logged_without_its_content(harness, log_stream):
    secret = "Ich brauche dringend Hilfe, Kellerstraße 13"
    strange = update(some_future_update={"text": secret, "user": {"id": USER_ID, "first_name": NAME}})
    assert await harness.feed(strange) == []
    log = log_stream.getvalue()
    assert "unknown update type" in log  # the warning went through the log (and its filter)
    assert "Kellerstraße" not in log and NAME not in log and str(USER_ID) not in log
