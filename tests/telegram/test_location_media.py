"""Shared locations, non-text messages, and a replaced offers.db picked up without restart."""

from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml
from aiogram.methods import SendMessage

from bot.store import Store
from bot.sync import sync
from tests.telegram.harness import synthetic_offers, write_knowledge
from tests.telegram.tg_helpers import only, texts


async def test_location_lists_the_nearest_offers_with_distance(harness):
    text = await harness.ask("Schuldnerberatung")  # sets the topic
    text = texts(await harness.feed(harness.updates.location(51.37, 11.25)))[0]  # a few km west of Artern
    assert text.startswith("In Ihrer Nähe (1–3 von 5):\n\n")  # one header with the count
    first = text.split("\n\n")[1]
    assert first.startswith("1. Schuldnerberatung Artern")
    assert re.search(r"📍 Teststraße 1, 06556 Artern \(\d,\d km\)", first)


async def test_location_without_a_question_shows_what_is_near(harness):
    text = texts(await harness.feed(harness.updates.location(51.3166, 9.4912)))[0]  # Kassel
    assert "1. Erziehungsberatung Kassel" in text


TEXT_ONLY = "Ich kann leider nur Text lesen"
FILE = {"file_id": "f", "file_unique_id": "u"}


@pytest.mark.parametrize("kind", [
    {"voice": {**FILE, "duration": 3}},
    {"audio": {**FILE, "duration": 3}},
    {"video_note": {**FILE, "length": 240, "duration": 3}},
    {"photo": [{**FILE, "width": 10, "height": 10}]},
    {"sticker": {**FILE, "type": "regular", "width": 10, "height": 10, "is_animated": False, "is_video": False}},
    {"document": FILE},
    {"contact": {"phone_number": "+49000", "first_name": "X"}},
], ids=lambda kind: next(iter(kind)))
async def test_non_text_messages_get_a_friendly_text_only_reply(harness, kind):
    message = only(await harness.feed(harness.updates.message(**kind)), SendMessage)
    text = texts([message])[0]
    assert text.startswith(TEXT_ONLY)
    assert "„Wo gibt es Schuldnerberatung in Gotha?“" in text


@pytest.mark.slow
async def test_a_replaced_offers_db_is_used_without_restart(offers_db, tmp_path, make_harness):
    live = tmp_path / "offers.db"
    shutil.copy(offers_db, live)
    harness = make_harness(on=Store(live))
    assert "Schuldnerberatung Nordhausen" in await harness.ask("Schuldnerberatung Nordhausen")
    knowledge = write_knowledge(tmp_path / "knowledge")
    offers = [o for o in synthetic_offers() if o["id"] != "t-schulden-ndh"]
    (knowledge / "offers" / "test.yaml").write_text(
        yaml.safe_dump({"title": "Testangebote", "offers": offers}, allow_unicode=True), encoding="utf-8")
    assert sync(knowledge, tmp_path / "new.db").ok
    os.replace(tmp_path / "new.db", live)
    assert "Schuldnerberatung Nordhausen" not in await harness.ask("Schuldnerberatung Nordhausen")
