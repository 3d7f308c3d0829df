"""Error reports through the real dispatcher: "⚠️ Fehler melden", the reasons, the line, /meldungen, closing.

The state store is a SQLite file (as ``BOT_STATE_DB`` in production); the admin is
another private chat. What the admin sees in /meldungen is also what
``scripts/report.py --feedback --json`` prints.
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
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.botstate import SqliteState
from bot.config import PROJECT_ROOT
from bot.settings import CommonSettings
from bot.telegram.local import Updates
from bot.telegram.services import StateServices
from tests.telegram.tg_helpers import buttons, only, texts

ADMIN = 9001
REPORTER = 918273645


@pytest.fixture
def state_db(tmp_path: Path) -> Path:
    return tmp_path / "bot-state.db"


@pytest.fixture
def fb(make_harness, monkeypatch, state_db):
    monkeypatch.setenv("ADMIN_IDS", str(ADMIN))
    services = StateServices(SqliteState(state_db), admin_ids=[ADMIN])
    harness = make_harness(services=services)
    harness.updates = Updates(user_id=REPORTER)
    harness.services = services
    return harness


def to(calls, chat_id):
    return texts([c for c in calls if isinstance(c, SendMessage) and c.chat_id == chat_id])


def report_json(state_db: Path) -> list[dict]:
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "BOT_STATE_DB": str(state_db)}
    out = subprocess.run([sys.executable, "scripts/report.py", "--feedback", "--json"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.slow
async def test_a_report_reaches_the_admin_meldungen_and_report_json(fb, state_db):
    await fb.ask("Schuldnerberatung Sondershausen")
    details = only(await fb.press("o:details:t-schulden-sdh"), SendMessage)
    assert dict(buttons(details))["⚠️ Fehler melden"] == "r:ask:t-schulden-sdh"

    ask = only(await fb.press("r:ask:t-schulden-sdh"), SendMessage)
    assert texts([ask]) == ["Was stimmt bei Schuldnerberatung Sondershausen nicht?"]
    assert buttons(ask) == [("Telefon", "r:telefon:t-schulden-sdh"), ("Zeiten", "r:zeiten:t-schulden-sdh"),
                            ("Adresse", "r:adresse:t-schulden-sdh"), ("gibt es nicht mehr", "r:weg:t-schulden-sdh"),
                            ("etwas anderes", "r:anders:t-schulden-sdh")]

    calls = await fb.press("r:telefon:t-schulden-sdh")
    prompt = to(calls, REPORTER)
    assert len(prompt) == 1 and "Dieser Text geht an die Redaktion" in prompt[0]
    assert [b for b, _ in buttons(next(c for c in calls if isinstance(c, SendMessage) and c.chat_id == REPORTER))] \
        == ["Ohne Text absenden"]
    assert to(calls, ADMIN) == ["⚠️ Neue Fehlermeldung:\n• Schuldnerberatung Sondershausen (t-schulden-sdh): Telefon\n"
                                "Alle offenen Meldungen: /meldungen"]

    calls = await fb.send("Die Nummer ist seit Mai abgeschaltet")
    assert to(calls, REPORTER) == ["Vielen Dank! Ihre Meldung ist bei der Redaktion angekommen."]
    assert "Schuldnerberatung Artern" in await fb.ask("Schuldnerberatung Artern")  # a question again

    admin = Updates(user_id=ADMIN)
    listing = only(await fb.feed(admin.text("/meldungen")), SendMessage)
    text = texts([listing])[0]
    assert "Offene Fehlermeldungen: 1" in text
    assert "#1 Schuldnerberatung Sondershausen (t-schulden-sdh)\nGrund: Telefon · 1× gemeldet · " \
           "zuerst 2025-03-04, zuletzt 2025-03-04\n„Die Nummer ist seit Mai abgeschaltet“" in text
    assert buttons(listing) == [("✅ #1 erledigt", "c:1")]

    assert report_json(state_db) == [{
        "id": 1, "offer_id": "t-schulden-sdh", "offer_name": "Schuldnerberatung Sondershausen", "reason": "telefon",
        "reason_label": "Telefon", "first_reported": "2025-03-04", "last_reported": "2025-03-04", "count": 1,
        "status": "open", "closed_at": None,
        "notes": [{"text": "Die Nummer ist seit Mai abgeschaltet", "date": "2025-03-04"}]}]

    calls = await fb.feed(admin.callback("c:1"))
    assert only(calls, AnswerCallbackQuery).text == "Meldung #1 erledigt."
    assert to(calls, ADMIN) == ["Erledigt: #1 Schuldnerberatung Sondershausen (Telefon)."]
    again = await fb.feed(admin.callback("c:1"))
    assert only(again, AnswerCallbackQuery).text == "Meldung #1 ist schon erledigt oder unbekannt."
    assert texts(await fb.feed(admin.text("/meldungen"))) == ["Keine offenen Fehlermeldungen."]
    assert report_json(state_db) == []


async def test_without_a_line_and_a_second_person_raises_the_count(fb):
    await fb.press("r:weg:t-schulden-art")
    calls = await fb.press("n:skip")
    assert to(calls, REPORTER) == ["Vielen Dank! Ihre Meldung ist bei der Redaktion angekommen."]
    assert to(await fb.press("n:skip"), REPORTER) == []  # a repeated press: thanked once
    fb.updates = Updates(user_id=REPORTER + 1)
    await fb.press("r:weg:t-schulden-art")
    await fb.press("n:skip")
    [report] = fb.services.feedback.reports()
    assert (report["count"], report["reason_label"], report["notes"]) == (2, "gibt es nicht mehr", [])


async def test_repeated_and_forged_presses_store_nothing_wrong(fb):
    await fb.press("r:telefon:t-schulden-sdh")
    await fb.press("n:skip")
    for data in ("r:telefon:t-schulden-sdh", "r:zeiten:t-schulden-sdh"):
        calls = await fb.press(data)
        assert to(calls, REPORTER) == ["Dieses Angebot haben Sie schon gemeldet – vielen Dank! "
                                       "Die Redaktion kümmert sich darum."]
        assert to(calls, ADMIN) == []
    calls = await fb.press("r:telefon:t-gibt-es-nicht")
    assert only(calls, AnswerCallbackQuery).text == "Dieses Angebot gibt es nicht mehr."
    for data in ("r:loeschen:t-schulden-sdh", "r:telefon:../../etc", "c:0", "c:abc", "n:close"):
        calls = await fb.press(data)
        assert [type(c) for c in calls] == [AnswerCallbackQuery], data
    # a non-admin pressing another report's close button changes nothing
    calls = await fb.press("c:1")
    assert only(calls, AnswerCallbackQuery).text is None
    reports = fb.services.feedback.reports()
    assert [(r["offer_id"], r["count"], r["status"]) for r in reports] == [("t-schulden-sdh", 1, "open")]
    # /meldungen is not for everyone: the help text, as for any unknown admin command
    assert "Meldung" not in " ".join(texts(await fb.send("/meldungen")))


async def test_a_flood_of_reports_is_throttled(fb):
    offers = ["t-schulden-sdh", "t-schulden-art", "t-schulden-bfh", "t-schulden-ndh", "t-schulden-kyf",
              "t-erziehung-sdh"]
    for offer in offers[:5]:
        await fb.press(f"r:adresse:{offer}")
        await fb.press("n:skip")
    calls = await fb.press(f"r:adresse:{offers[5]}")
    assert only(calls, AnswerCallbackQuery).text == ("Sie haben gerade viele Meldungen geschickt. Bitte versuchen "
                                                     "Sie es später noch einmal.")
    assert len(fb.services.feedback.reports()) == 5
    fb.now[0] += timedelta(hours=1, minutes=1)
    await fb.press(f"r:adresse:{offers[5]}")
    assert len(fb.services.feedback.reports()) == 6


async def test_admins_are_told_at_once_and_then_in_bundles(fb):
    first = await fb.press("r:telefon:t-schulden-sdh")
    assert len(to(first, ADMIN)) == 1
    for user in (2, 3):
        fb.updates = Updates(user_id=REPORTER + user)
        calls = await fb.press("r:zeiten:t-schulden-art")
        assert to(calls, ADMIN) == []  # within five minutes of the last message: waiting
    start = len(fb.session.calls)
    await fb.services.notifier.send_waiting(fb.bot, fb.now[0] + timedelta(minutes=5))
    assert to(fb.session.calls[start:], ADMIN) == [
        "⚠️ 2 neue Fehlermeldungen:\n• Schuldnerberatung Artern (t-schulden-art): Zeiten\n"
        "• Schuldnerberatung Artern (t-schulden-art): Zeiten\nAlle offenen Meldungen: /meldungen"]


async def test_vergessen_erases_the_line_and_the_mark(fb, state_db):
    await fb.press("r:anders:t-schulden-sdh")
    await fb.send("Das Büro ist jetzt im Rathaus")
    assert fb.services.feedback.reports()[0]["notes"]
    await fb.send("/vergessen")
    [report] = fb.services.feedback.reports()
    assert report["notes"] == [] and report["count"] == 1
    dump = "\n".join(SqliteState(state_db).conn.iterdump())
    assert "Rathaus" not in dump and str(REPORTER) not in dump


async def test_a_corrupt_state_file_never_stops_the_answers(make_harness, monkeypatch, tmp_path, caplog):
    db = tmp_path / "bot-state.db"
    db.write_bytes(b"kaputt" * 1000)
    monkeypatch.setenv("ADMIN_IDS", str(ADMIN))
    monkeypatch.setenv("BOT_STATE_DB", str(db))
    monkeypatch.delenv("REDIS_URL", raising=False)
    with caplog.at_level(logging.ERROR):
        services = StateServices.open(CommonSettings(), [ADMIN])  # BOT_STATE_DB from the environment
    assert "state store unavailable" in caplog.text
    harness = make_harness(services=services)
    assert "Schuldnerberatung Sondershausen" in await harness.ask("Schuldnerberatung Sondershausen")
    calls = await harness.press("r:telefon:t-schulden-sdh")
    assert only(calls, AnswerCallbackQuery).text.startswith("Ihre Meldung kann ich gerade nicht speichern.")
    await services.flush()  # the demand batch is dropped, not kept forever
    assert services.demand.pending == 0
    status = texts(await harness.feed(Updates(user_id=ADMIN).text("/status")))[0]
    assert "⚠️ Zustandsspeicher nicht nutzbar (SQLite " in status
    assert "Fehlermeldungen und Nachfrage-Statistik werden nicht gespeichert." in status


async def test_a_state_file_that_breaks_while_running_is_logged_and_shown(fb, state_db, caplog):
    await fb.ask("Schuldnerberatung Sondershausen")
    fb.services.state.conn.execute("DROP TABLE counter")
    with caplog.at_level(logging.ERROR):
        assert await fb.services.flush() == 0
    assert "state store failed" in caplog.text
    assert "Schuldnerberatung Artern" in await fb.ask("Schuldnerberatung Artern")
    status = texts(await fb.feed(Updates(user_id=ADMIN).text("/status")))[0]
    assert "⚠️ Zustandsspeicher nicht nutzbar" in status


def test_meldungen_keeps_whole_reports_within_telegrams_length():
    from bot.telegram.handlers.feedback import reports_text

    note = {"text": "<i>" + "x" * 196, "date": "2025-03-04"}
    reports = [{"id": i, "offer_name": f"Tafel <b>{i}</b>", "offer_id": "t-x", "reason_label": "Telefon", "count": 1,
                "first_reported": "2025-03-04", "last_reported": "2025-03-04", "notes": [note] * 3}
               for i in range(1, 16)]
    text = reports_text(reports)
    assert len(text) <= 3900
    assert "Tafel &lt;b&gt;1&lt;/b&gt;" in text and "&lt;i&gt;" in text and "<i>" not in text
    shown = text.count("Grund: Telefon")
    assert 1 < shown < 15 and text.endswith(f"… und {15 - shown} weitere (python scripts/report.py --feedback)")


async def test_a_text_long_after_the_reason_is_a_question_not_a_line(fb):
    await fb.press("r:zeiten:t-schulden-sdh")
    fb.now[0] += timedelta(minutes=11)
    assert "Schuldnerberatung Artern" in await fb.ask("Schuldnerberatung Artern")
    assert fb.services.feedback.reports()[0]["notes"] == []
