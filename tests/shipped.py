"""The shipped offers.db as the chat answers from it, for the tests that assert on real answers: the answer's
text and the names of the offers it lists, on a weekday morning (2026-12-03, 10:00). The store itself is the
``shipped`` fixture of tests/conftest.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.i18n import translator
from bot.render import Context, answer_reply, to_plain
from bot.search import search
from bot.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "offers.db"
#: When the tests ask: a Thursday morning, when most offices are open.
ASKED_AT = datetime(2026, 12, 3, 10, 0)


def answer_text(store: Store, question: str, lang: str = "de") -> str:
    """The answer's text, as the chat shows it: the crisis lines of knowledge/hotlines.yaml above the offers
    when the message raises an alarm."""
    ctx = Context(tr=translator(lang), at=ASKED_AT)
    return to_plain(answer_reply(search(store, question), ctx, hotlines=store.hotlines()).reply.text)


def offer_names(store: Store, question: str, lang: str = "de") -> list[str]:
    """The offers' names, as the answer lists them."""
    text = answer_text(store, question, lang)
    return [line.split(". ", 1)[1] for line in text.splitlines() if line[:1].isdigit() and ". " in line[:4]]
