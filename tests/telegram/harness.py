"""The conversation tests' world: a small synthetic offers.db and a harness around the dispatcher.

The offers are generated here (fictitious providers, example.org addresses, numbers
from a test range) into a knowledge dir next to the real topics, places, counties and
hotlines, and built with the real sync (the fixtures in conftest.py). The harness feeds
updates through the real Dispatcher with a session that records every Bot API call,
like aiogram's own tests.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import SendMessage, TelegramMethod

from bot.config import KNOWLEDGE_DIR
from bot.opening import TZ
from bot.render import to_plain
from bot.store import Store
from bot.telegram.local import Updates
from tests.telegram.recording import RecordingSession


def _offer(offer_id: str, name: str, *, town: tuple[str, str], topics: list[str], hours: dict[str, Any],
           phone: str | None, county: str = "Kyffhäuserkreis", **extra: Any) -> dict[str, Any]:
    postcode, city = town
    offer: dict[str, Any] = {
        "id": offer_id, "name": name, "provider": "Testträger Soziale Dienste e.V.", "topics": topics,
        "keywords": list(extra.pop("keywords", [])),  # a list of its own: one shared would be dumped as a YAML alias
        "address": {"street": extra.pop("street", "Teststraße 1"), "postcode": postcode, "city": city,
                    "county": county},
        "hours": hours, "source": {"url": "https://example.org/quelle", "date": "2025-03"},
    }
    if phone:
        offer["phones"] = [{"number": phone}]
    offer.update(extra)
    return offer


def synthetic_offers() -> list[dict[str, Any]]:
    """Five debt counselling offers around the Kyffhäuser (for paging), a family counselling office in
    Thüringen and one in Hessen (holidays differ), a round-the-clock line."""
    debt = ["Schuldnerberatung", "Schulden", "Insolvenzberatung"]
    return [
        _offer("t-schulden-sdh", "Schuldnerberatung Sondershausen", town=("99706", "Sondershausen"),
               topics=["schulden"], keywords=debt, phone="+493632700001",
               hours={"text": "Di und Do 9-16 Uhr", "osm": "Tu,Th 09:00-16:00"},
               geo={"lat": 51.3701, "lon": 10.8702, "approximate": False},
               emails=["schulden@example.org"], website="https://example.org/schulden",
               contacts=[{"name": "Erika Musterfrau", "role": "Schuldnerberaterin", "room": "Raum 2",
                          "phones": [{"number": "+493632700002"}], "emails": ["e.musterfrau@example.org"]}]),
        _offer("t-schulden-art", "Schuldnerberatung Artern", town=("06556", "Artern"), topics=["schulden"],
               keywords=debt, phone="+493466700010", hours={"text": "Mo-Fr 8-12 Uhr", "osm": "Mo-Fr 08:00-12:00"}),
        _offer("t-schulden-bfh", "Schuldnerberatung Bad Frankenhausen", town=("06567", "Bad Frankenhausen"),
               topics=["schulden"], keywords=debt, phone="+4934671700020",
               hours={"text": "nach Vereinbarung", "by_appointment": True}),
        _offer("t-schulden-ndh", "Schuldnerberatung Nordhausen", town=("99734", "Nordhausen"),
               county="Landkreis Nordhausen", topics=["schulden"], keywords=debt, phone="+493631700030",
               hours={"text": "Mo 9-12 Uhr", "osm": "Mo 09:00-12:00"}),
        _offer("t-schulden-kyf", "Schuldner- und Insolvenzberatung Kyffhäuser", town=("99706", "Sondershausen"),
               street="Prüfweg 5", topics=["schulden"], keywords=debt, phone=None,
               hours={"text": "Mi 13-18 Uhr", "osm": "We 13:00-18:00"}),
        _offer("t-erziehung-sdh", "Erziehungsberatung Sondershausen", town=("99706", "Sondershausen"),
               topics=["erziehung"], keywords=["Erziehungsberatung", "Familienberatung"], phone="+493632700040",
               hours={"text": "Mo-Fr 9-16 Uhr", "osm": "Mo-Fr 09:00-16:00"}),
        _offer("t-erziehung-ks", "Erziehungsberatung Kassel", town=("34117", "Kassel"), county="Kassel",
               topics=["erziehung"], keywords=["Erziehungsberatung", "Familienberatung"], phone="+49561700050",
               hours={"text": "Mo-Fr 9-16 Uhr", "osm": "Mo-Fr 09:00-16:00"}),
        _offer("t-krisendienst", "Krisendienst Test", town=("99706", "Sondershausen"),
               topics=["krise", "psyche"], keywords=["Krisendienst", "Krise"], phone="+493632700060",
               hours={"text": "rund um die Uhr", "osm": "24/7"}),
    ]


def write_knowledge(directory: Path) -> Path:
    """A knowledge dir: the real topics, places, counties and hotlines plus the synthetic offers."""
    (directory / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        shutil.copy(KNOWLEDGE_DIR / name, directory / name)
    document = {"title": "Testangebote", "offers": synthetic_offers()}
    (directory / "offers" / "test.yaml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                                                    encoding="utf-8")
    return directory


#: Tuesday 4 March 2025, 15:59 in Berlin: a minute before the Sondershausen debt counselling closes.
TUESDAY_BEFORE_CLOSING = datetime(2025, 3, 4, 15, 59, tzinfo=TZ)


@dataclass
class Harness:
    """A dispatcher, a bot on the recording session, an update factory and a settable clock."""

    dp: Dispatcher
    bot: Bot
    session: RecordingSession
    updates: Updates
    store: Store
    now: list[datetime] = field(default_factory=lambda: [TUESDAY_BEFORE_CLOSING])

    async def send(self, text: str) -> list[TelegramMethod[Any]]:
        return await self.feed(self.updates.text(text))

    async def press(self, callback_data: str) -> list[TelegramMethod[Any]]:
        return await self.feed(self.updates.callback(callback_data))

    async def feed(self, update: Any) -> list[TelegramMethod[Any]]:
        """Feed one update; return the API calls it caused."""
        start = len(self.session.calls)
        await self.dp.feed_update(self.bot, update)
        return self.session.calls[start:]

    async def ask(self, text: str) -> str:
        """The plain text of the messages one text caused."""
        return "\n\n".join(to_plain(c.text) for c in await self.send(text) if isinstance(c, SendMessage))

    async def memory(self) -> dict[str, Any]:
        return await self.dp.storage.get_data(key=storage_key(self))


def storage_key(h: Harness) -> StorageKey:
    user = h.updates.user["id"]
    return StorageKey(bot_id=h.session.me.id, chat_id=user, user_id=user)
