"""Helpers of the production-strength tests: synthetic offers, updates from people, a harness.

The offers are generated here (fictitious offices and people, example.org
addresses, numbers from a test range, some names full of HTML characters) next
to the real topics, places, counties and hotlines.

Updates go through the real Dispatcher; the bot's session records every Bot API
call (tests.telegram.recording.RecordingSession), so tests assert what a person would see.
"""

from __future__ import annotations

import itertools
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import Update

from bot.config import KNOWLEDGE_DIR
from bot.opening import TZ
from bot.store import Store
from bot.telegram.local import LOCAL_BOT
from bot.telegram.middlewares.throttling import ThrottlingMiddleware
from tests.telegram.recording import RecordingSession

#: Tuesday 4 March 2025, 10:00 in Berlin: most test offices are open.
TUESDAY_MORNING = datetime(2025, 3, 4, 10, 0, tzinfo=TZ)
ADMIN_ID = 777001
GROUP = {"id": -100555, "type": "supergroup", "title": "Team Sozialarbeit"}


def _offer(offer_id: str, name: str, *, postcode: str, city: str, county: str, topics: list[str],
           phone: str | None, hours: dict[str, Any], **extra: Any) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "id": offer_id, "name": name, "provider": extra.pop("provider", "Testträger e.V."), "topics": topics,
        "keywords": extra.pop("keywords", []),
        "address": {"street": "Testweg 1", "postcode": postcode, "city": city, "county": county},
        "hours": hours, "source": {"url": "https://example.org/quelle", "date": extra.pop("date", "2025-02")},
    }
    if phone:
        offer["phones"] = [{"number": phone}]
    offer.update(extra)
    return offer


def synthetic_offers() -> list[dict[str, Any]]:
    return [
        _offer("p-jugendamt-mhl", "Jugendamt Unstrut-Hainich-Kreis", postcode="99974", city="Mühlhausen",
               county="Unstrut-Hainich-Kreis", topics=["jugendamt"], keywords=["Jugendamt", "Jugendhilfe"],
               phone="+493601700101", hours={"text": "Di 9-12 und 13-18 Uhr", "osm": "Tu 09:00-12:00,13:00-18:00"},
               geo={"lat": 51.2087, "lon": 10.4528, "approximate": False},
               contacts=[{"name": "Greta Grimm", "role": "Sachgebietsleiterin Allgemeiner Sozialer Dienst",
                          "room": "Zimmer 12", "phones": [{"number": "+493601700102"}],
                          "emails": ["g.grimm@example.org"]}]),
        _offer("p-schulden-sdh", "Schuldnerberatung Sondershausen", postcode="99706", city="Sondershausen",
               county="Kyffhäuserkreis", topics=["schulden"], keywords=["Schuldnerberatung", "Schulden"],
               phone="+493632700201", hours={"text": "Di und Do 9-16 Uhr", "osm": "Tu,Th 09:00-16:00"},
               date="2021-01"),
        _offer("p-html", "Beratung <b>Fett</b> & \"Co\" <script>x</script>", postcode="99706",
               city="Sondershausen", county="Kyffhäuserkreis", topics=["schulden"],
               provider="Träger <i>A&B</i>", keywords=["Schuldnerberatung", "Spezialberatung"],
               phone="+493632700301", hours={"text": "Mo <9 bis 12> & nach Absprache"},
               note="Bitte <u>vorher</u> anrufen & Termin holen"),
    ]


def write_knowledge(directory: Path) -> Path:
    (directory / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        shutil.copy(KNOWLEDGE_DIR / name, directory / name)
    document = {"title": "Testangebote Produktion", "offers": synthetic_offers()}
    (directory / "offers" / "test.yaml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                                                    encoding="utf-8")
    return directory


class Chat:
    """Updates from one person, in a private chat or in a group."""

    _ids = itertools.count(1)

    def __init__(self, user_id: int, *, chat: dict[str, Any] | None = None, language_code: str = "de") -> None:
        self.user = {"id": user_id, "is_bot": False, "first_name": "Testperson", "language_code": language_code}
        self.chat = chat or {"id": user_id, "type": "private", "first_name": "Testperson"}

    def message(self, **fields: Any) -> dict[str, Any]:
        return {"message_id": next(self._ids), "date": int(datetime.now(UTC).timestamp()), "chat": self.chat,
                "from": self.user, **fields}

    def text(self, text: str, **fields: Any) -> Update:
        if text.startswith("/") and "entities" not in fields:
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return update(message=self.message(text=text, **fields))

    def callback(self, data: str) -> Update:
        message = {"message_id": 1, "date": 0, "chat": self.chat, "from": LOCAL_BOT.model_dump(), "text": "…"}
        return update(callback_query={"id": str(next(self._ids)), "from": self.user, "chat_instance": "x",
                                      "data": data, "message": message})

    def inline(self, query: str) -> Update:
        return update(inline_query={"id": str(next(self._ids)), "from": self.user, "query": query, "offset": ""})


_update_ids = itertools.count(1)


def update(**fields: Any) -> Update:
    return Update.model_validate({"update_id": next(_update_ids), **fields})


@dataclass
class Harness:
    dp: Dispatcher
    bot: Bot
    session: RecordingSession
    store: Store
    now: list[datetime] = field(default_factory=lambda: [TUESDAY_MORNING])

    async def feed(self, update: Update) -> list[TelegramMethod[Any]]:
        """Feed one update through the dispatcher; the API calls it caused (getMe left out)."""
        start = len(self.session.calls)
        await self.dp.feed_update(self.bot, update)
        return [c for c in self.session.calls[start:] if type(c).__name__ != "GetMe"]

    def throttle(self) -> ThrottlingMiddleware:
        return next(m for m in self.dp.message.outer_middleware if isinstance(m, ThrottlingMiddleware))


def sent_texts(calls: list[TelegramMethod[Any]]) -> list[str]:
    return [c.text for c in calls if isinstance(c, SendMessage)]


ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}


class TagCheck(HTMLParser):
    """Collects tags the way Telegram's HTML parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.bad.append("/" + tag)


def assert_valid_telegram_html(text: str) -> None:
    check = TagCheck()
    check.feed(text)
    check.close()
    assert check.bad == [] and check.stack == [], (check.bad, check.stack, text)
    assert not re.search(r"&(?!(?:amp|lt|gt|quot|#\d+);)", text), text
