"""Demand statistics through the real dispatcher: 200 scripted questions, then ``report.py --demand --json``.

Each question comes from another person (a chat of its own). Afterwards the stores (a
SQLite file and a real redis-server) and the logs are searched for the questions' texts
and the people's ids: neither may be there.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.botstate import SqliteState
from bot.config import PROJECT_ROOT
from bot.demand import EVENTS, TOPICS
from bot.telegram.local import Updates
from bot.telegram.services import StateServices
from tests.redis_server import redis_dump
from tests.telegram.tg_helpers import texts

#: question -> (county, topic, outcome), as the synthetic offers of conftest.py give them
QUESTIONS = {
    "Schuldnerberatung Sondershausen": ("Kyffhäuserkreis", "schulden", "local"),  # an office in the town
    "Erziehungsberatung in Kassel": ("Kassel", "erziehung", "local"),
    "Ich brauche eine Schuldnerberatung in Kassel": ("Kassel", "schulden", "far"),  # nearest: Nordhausen
    "Wann hat die Tafel in Artern offen?": ("Kyffhäuserkreis", "tafel", "nothing"),  # no food bank at all
    "Suchtberatung Nordhausen": ("Landkreis Nordhausen", "sucht", "nothing"),
}
PEOPLE = 40
FIRST_ID = 700000001


async def ask_all(harness) -> None:
    person = FIRST_ID
    for _ in range(PEOPLE):
        for question in QUESTIONS:
            await harness.feed(Updates(user_id=person).text(question))
            person += 1


def run_report(state_db: Path, *args: str) -> dict:
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "BOT_STATE_DB": str(state_db)}
    out = subprocess.run([sys.executable, "scripts/report.py", "--demand", "--json", *args], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.slow
async def test_200_questions_give_the_right_counts_per_region_topic_and_outcome(make_harness, tmp_path):
    state_db = tmp_path / "bot-state.db"
    services = StateServices(SqliteState(state_db))
    harness = make_harness(services=services)
    await ask_all(harness)
    assert services.demand.pending == 200  # collected in memory while answering ...
    assert await services.flush() == 200  # ... written in one batch
    report = run_report(state_db)
    assert report["asked"] == 200
    assert report["outcomes"] == {"local": 80, "far": 40, "nationwide": 0, "nothing": 80, "crisis": 0}
    assert report["languages"] == {"de": 200}
    regions = {r["region"]: r for r in report["regions"]}
    assert {name: (r["asked"], r["nothing_local"]) for name, r in regions.items()} == {
        "Kyffhäuserkreis": (80, 40), "Kassel": (80, 40), "Landkreis Nordhausen": (40, 40)}
    for county, topic, outcome in QUESTIONS.values():
        row = next(t for t in regions[county]["topics"] if t["topic"] == topic)
        assert row["outcomes"][outcome] == PEOPLE, (county, topic, outcome)
    assert [(w["week"], w["asked"]) for w in report["weeks"]] == [("2025-W10", 200)]
    assert run_report(state_db, "--region", "Kassel")["asked"] == 80
    assert run_report(state_db, "--since", "2025-03-10")["asked"] == 0


async def test_region_from_the_remembered_place_and_from_a_shared_location(make_harness):
    services = StateServices(SqliteState(":memory:"))
    harness = make_harness(services=services)
    await harness.send("/ort Artern")
    await harness.send("Schuldnerberatung")  # no place named: the remembered one
    other = Updates(user_id=5)
    await harness.feed(other.text("Schuldnerberatung"))  # no place at all
    await harness.feed(other.location(51.37, 10.87))  # a shared location near Sondershausen
    await services.flush()
    events = services.state.counts(EVENTS)
    assert events == {("2025-W10", "Kyffhäuserkreis", "local", "de"): 2, ("2025-W10", "unbekannt", "local", "de"): 1}


async def test_unknown_words_only_above_five_people_and_a_crisis_is_counted_as_such(make_harness):
    services = StateServices(SqliteState(":memory:"))
    harness = make_harness(services=services)
    for person in range(5):
        await harness.feed(Updates(user_id=800 + person).text("Zwetschgenbauer Sondershausen"))
    for person in range(4):
        await harness.feed(Updates(user_id=900 + person).text("Pflaumenkuchenbäcker Sondershausen"))
    await harness.feed(Updates(user_id=999).text("Ich will nicht mehr leben"))
    await services.flush()
    from bot.demand_report import build

    report = build(services.state)
    assert report["words"] == [{"word": "zwetschgenbauer", "uses": 5, "people": 5}]
    assert report["outcomes"]["crisis"] == 1
    assert ("2025-W10", "unbekannt", "crisis", "de") in services.state.counts(EVENTS)
    assert any(k[2] == "krise" for k in services.state.counts(TOPICS))


SCRIPT = ["Wo finde ich eine Schuldnerberatung in Sondershausen bitte", "und wann haben die offen?", "Ich habe Schulden bei meinem Vermieter "
          "Zwetschgenbauer und weiß nicht weiter", "/ort 99706", "Erziehungsberatung"]


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_no_message_text_and_no_user_id_reach_the_stores_or_the_logs(backend, make_harness, tmp_path,
                                                                           caplog, request):
    state = SqliteState(tmp_path / "bot-state.db") if backend == "sqlite" else request.getfixturevalue("redis_state")
    services = StateServices(state, admin_ids=[4242000])
    harness = make_harness(services=services)
    user = 123456789
    harness.updates = Updates(user_id=user)
    with caplog.at_level(logging.DEBUG):
        for text in SCRIPT:
            await harness.send(text)
        await harness.press("r:anders:t-schulden-sdh")
        await harness.press("n:skip")
        await services.flush(harness.now[0].date())
    dump = redis_dump(state) if backend == "redis" else "\n".join(state.conn.iterdump())
    assert "Kyffhäuserkreis" in dump and "t-schulden-sdh" in dump  # the store was written ...
    for text in SCRIPT:
        assert text not in dump and text not in caplog.text  # ... without what was written
    assert "Vermieter" not in dump  # a known word is no "unknown word" either
    for secret in (str(user), "4242000"):
        assert secret not in dump and secret not in caplog.text


async def test_admins_see_last_weeks_summary_in_status(make_harness, monkeypatch):
    services = StateServices(SqliteState(":memory:"), admin_ids=[4242001])  # as run passes Settings.admin_ids
    harness = make_harness(services=services)
    for person, question in enumerate(QUESTIONS):
        await harness.feed(Updates(user_id=600 + person).text(question))
    await harness.press("r:telefon:t-schulden-sdh")
    await services.flush()
    harness.now[0] += timedelta(days=7)
    calls = await harness.feed(Updates(user_id=4242001).text("/status"))
    status = texts(calls)[0]
    assert "Zustandsspeicher: SQLite :memory:\n\nNachfrage letzte Woche (2025-W10)\n" \
           "Fragen: 5, ohne Angebot vor Ort: 3 (60 %)\n" in status
    assert "• Kyffhäuserkreis: 1 ohne Angebot vor Ort" in status
    assert "Offene Fehlermeldungen: 1 (/meldungen)" in status
