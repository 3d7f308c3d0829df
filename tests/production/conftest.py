"""Fixtures for the production-strength tests: a small synthetic offers.db and the real dispatcher.

The offers are generated here (fictitious offices and people, example.org
addresses, numbers from a test range, some names full of HTML characters) next
to the real topics, places, counties and hotlines, and built with the real sync.
The harness and update builders are in prod_helpers.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from prod_helpers import ADMIN_ID, TUESDAY_MORNING, Harness

from bot.config import KNOWLEDGE_DIR
from bot.store import Store
from bot.sync import sync
from bot.telegram.app import create_bot, create_dispatcher
from bot.telegram.local import LocalSession


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
               date="2023-01"),
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


@pytest.fixture(scope="session")
def offers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("production")
    result = sync(write_knowledge(base / "knowledge"), base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return base / "offers.db"


@pytest.fixture
def store(offers_db: Path) -> Store:
    return Store(offers_db)


@pytest.fixture
def make_harness(store: Store, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Harness]:
    monkeypatch.setenv("ADMIN_IDS", f"{ADMIN_ID}, 12x, ")

    def make(session: LocalSession | None = None, **kwargs: Any) -> Harness:
        session = session or LocalSession()
        now = [TUESDAY_MORNING]
        dp = create_dispatcher(store, clock=lambda: now[0], **kwargs)
        bot = create_bot("4242:TEST-TOKEN", session=session)
        return Harness(dp, bot, session, store, now)

    return make


@pytest.fixture
def harness(make_harness: Callable[..., Harness]) -> Harness:
    return make_harness()
