"""Issue 11, finding 6 (renderer side): every message the bot sends fits Telegram's limits, in every language.

A 6,600-character offer name became a 19,000-character ``sendMessage``; Telegram refused it (4,096
at most), the person got only the apology and lost the other offers of the page. Here one of the
test offers gets over-long fields: written straight into a copy of the test database (the sync's
own field caps are not what is tested), generated in the test.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from aiogram.methods import AnswerInlineQuery, SendContact, SendMessage, SendVenue

from bot.i18n import DOMAIN, LOCALES_DIR
from bot.limits import CALLBACK_ANSWER_LIMIT, CALLBACK_DATA_LIMIT
from bot.render import to_plain
from bot.store import Store
from tests.production.prod_helpers import assert_valid_telegram_html
from tests.telegram.tg_helpers import buttons

LONG_ID = "t-schulden-sdh"
#: Over-long text with HTML characters and a word now and then (how a broken listing row looks).
WORDS = "Beratung & Hilfe <für> „alle“ 😊 Schuldnerberatungsstelle "


def long_text(size: int) -> str:
    return (WORDS * (size // len(WORDS) + 1))[:size]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture
def long_store(offers_db, tmp_path) -> Store:
    db = tmp_path / "offers.db"
    shutil.copy(offers_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE offers SET name = ?, provider = ?, street = ?, hours_text = ?, note = ?, "
                     "website = ?, description = ? WHERE id = ?",
                     ("Schuldnerberatung Sondershausen " + long_text(6600), long_text(3000), long_text(2000),
                      long_text(2500), long_text(3000), "https://example.org/" + "x" * 3000, long_text(5000),
                      LONG_ID))
        conn.execute("UPDATE contacts SET name = ?, role = ?, room = ? WHERE offer_id = ?",
                     (long_text(1500), long_text(1500), long_text(800), LONG_ID))
    conn.close()
    return Store(db)


def assert_fits(calls) -> list[SendMessage]:
    """Every message within 4,096 (counted on the HTML, in UTF-16 units: never less than Telegram counts),
    valid HTML; every button's callback data within 64 bytes."""
    messages = [c for c in calls if isinstance(c, SendMessage)]
    assert messages
    for message in messages:
        assert utf16(message.text) <= 4096, utf16(message.text)
        assert_valid_telegram_html(message.text)
        for _, data in buttons(message):
            if not data.startswith("http"):
                assert len(data.encode()) <= 64
    return messages


@pytest.mark.parametrize("language", ["de", "en"])
async def test_a_page_with_an_over_long_offer_fits_and_keeps_the_other_offers(make_harness, long_store, language):
    harness = make_harness(language, on=long_store)
    messages = assert_fits(await harness.send("Schuldnerberatung Sondershausen"))
    text = "\n\n".join(to_plain(m.text) for m in messages)
    for number in ("1. ", "2. ", "3. "):
        assert re.search(rf"(?m)^{number}", text), number
    # The other two cards are exactly as without the long offer.
    usual = to_plain(assert_fits(await make_harness(language).send("Schuldnerberatung Sondershausen"))[0].text)
    others = usual.split("\n\n")[2:]
    assert len(others) == 2 and others[0].startswith("2. ")
    assert text.endswith("\n\n".join(others))
    # The long card is shortened, with an ellipsis; its phone number and town are kept.
    assert "…" in text
    assert "03632 700001" in text and "99706 Sondershausen" in text
    assert len(text) < 8000
    # The buttons of all three cards are still there.
    assert {data for m in messages for _, data in buttons(m)} >= {f"o:details:{LONG_ID}", "p:1"}


@pytest.mark.parametrize("language", ["de", "en"])
async def test_the_details_map_contact_and_share_of_an_over_long_offer_fit(make_harness, long_store, language):
    harness = make_harness(language, on=long_store)
    await harness.send("Schuldnerberatung Sondershausen")
    messages = assert_fits(await harness.press(f"o:details:{LONG_ID}"))
    text = "\n\n".join(to_plain(m.text) for m in messages)
    assert "03632 700001" in text and "99706 Sondershausen" in text and "…" in text
    share = next(data for m in messages for _, data in buttons(m) if data.startswith("https://t.me/share"))
    assert len(share.encode()) <= 1024
    query = parse_qs(urlsplit(share).query)
    assert query["url"] == [f"https://t.me/hilfe_finder_bot?start=o_{LONG_ID}"]
    assert query["text"][0].startswith("Schuldnerberatung Sondershausen") and query["text"][0].endswith("…")
    venue = next(c for c in await harness.press(f"o:map:{LONG_ID}") if isinstance(c, SendVenue))
    assert len(venue.title) <= 100 and len(venue.address) <= 256 and venue.address.endswith("99706 Sondershausen")
    contact = next(c for c in await harness.press(f"o:contact:{LONG_ID}") if isinstance(c, SendContact))
    assert len(contact.vcard.encode()) <= 2048
    assert "TEL;TYPE=WORK,VOICE:+493632700002" in contact.vcard and contact.vcard.endswith("END:VCARD")


async def test_inline_results_of_an_over_long_offer_fit(make_harness, long_store):
    harness = make_harness(on=long_store)
    calls = await harness.feed(harness.updates._update(inline_query={
        "id": "q1", "from": harness.updates.user, "query": "Schuldnerberatung Sondershausen", "offset": ""}))
    answer = next(c for c in calls if isinstance(c, AnswerInlineQuery))
    article = next(r for r in answer.results if r.id == LONG_ID)
    assert len(article.title) <= 100 and article.title.endswith("…")
    assert len(article.description) <= 200
    text = article.input_message_content.message_text
    assert utf16(text) <= 4096 and "03632 700001" in text
    assert_valid_telegram_html(text)
    for result in answer.results:
        assert utf16(result.input_message_content.message_text) <= 4096


def test_callback_answers_fit_in_every_language():
    """Telegram's answerCallbackQuery takes 200 characters at most; the toasts are the catalog's."""
    import gettext
    from pathlib import Path

    from bot.i18n import ensure_compiled
    from bot.telegram.handlers import callbacks

    ensure_compiled()
    source = Path(callbacks.__file__).read_text(encoding="utf-8")
    toasts = re.findall(r'query\.answer\(_\("([^"]+)"\)\)', source)
    assert len(toasts) >= 3
    for language in ("de", "en"):
        catalog = gettext.translation(DOMAIN, LOCALES_DIR, languages=[language], fallback=True)
        for text in toasts:
            assert 0 < len(catalog.gettext(text)) <= CALLBACK_ANSWER_LIMIT


async def test_a_reply_longer_than_a_message_goes_out_as_several_with_the_buttons_under_the_last(harness):
    from bot.render import Button, Reply
    from bot.telegram.handlers.common import send

    cards = [f"<b>{i}. Beratungsstelle {i}</b>\n" + "\n".join(f"☎️ +49 3632 7000{j:02d} (Zeile {j})" for j in range(60))
             for i in range(1, 4)]
    reply = Reply("Angebote 1–3 von 9:\n\n" + "\n\n".join(cards), ((Button("ℹ️ 1", "details", "t-schulden-sdh"),),
                                                               (Button("Weitere Ergebnisse ➡️", "page", "1"),)))
    await send(harness.bot, 7001, reply)
    messages = assert_fits(harness.session.calls)
    assert len(messages) > 1
    assert [bool(buttons(m)) for m in messages] == [False] * (len(messages) - 1) + [True]
    assert "\n\n".join(m.text for m in messages) == reply.text


def test_callback_data_of_the_longest_ids_fits_in_64_bytes():
    from bot.render import Button
    from bot.telegram.keyboards import inline_button

    longest = [Button("x", action, "a" + "-" * 47) for action in ("details", "map", "contact")]
    longest += [Button("x", "page", "100"), Button("x", "topic", "t" * 40), Button("x", "topics"),
                Button("x", "ask", "9"), Button("x", "lang", "en")]
    for button in longest:
        assert len(inline_button(button).callback_data.encode()) <= CALLBACK_DATA_LIMIT
