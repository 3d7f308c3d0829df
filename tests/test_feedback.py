"""Error reports in the state store (bot.feedback) on both backends: SQLite and a real redis-server."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.botstate import SqliteState
from bot.feedback import (
    FLOOD_LIMIT,
    Bundler,
    Feedback,
    allow,
    clean_note,
    feedback_text,
    notification_text,
    public,
)
from bot.opening import TZ
from tests.redis_server import redis_dump

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=TZ)
REPORTER, OTHER = 918273645, 564738291


def test_the_same_person_counts_once_per_offer_another_person_counts_again(state):
    fb = Feedback(state)
    first = fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    assert first.counted and first.report_id == 1
    assert fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW).counted is False
    assert fb.file(REPORTER, "t-a", "Tafel A", "zeiten", NOW).counted is False  # same offer, other reason
    assert fb.file(OTHER, "t-a", "Tafel A", "telefon", NOW + timedelta(days=1)).report_id == 1
    assert fb.file(REPORTER, "t-b", "Tafel B", "weg", NOW).report_id == 2
    reports = fb.reports()
    assert [(r["id"], r["offer_id"], r["reason_label"], r["count"], r["first_reported"], r["last_reported"])
            for r in reports] == [(1, "t-a", "Telefon", 2, "2025-03-04", "2025-03-05"),
                                  (2, "t-b", "gibt es nicht mehr", 1, "2025-03-04", "2025-03-04")]


def test_a_note_is_kept_only_on_the_reporters_own_report(state):
    fb = Feedback(state)
    report = fb.file(REPORTER, "t-a", "Tafel A", "anders", NOW).report_id
    assert report is not None
    assert fb.add_note(report, OTHER, "t-a", "fremde Zeile", NOW) is False  # not their report
    assert fb.add_note(report, REPORTER, "t-b", "falsches Angebot", NOW) is False
    assert fb.add_note(999, REPORTER, "t-a", "unbekannte Meldung", NOW) is False
    assert fb.add_note(report, REPORTER, "t-a", "  Die Tafel ist\n umgezogen  ", NOW) is True
    assert public(fb.reports()[0])["notes"] == [{"text": "Die Tafel ist umgezogen", "date": "2025-03-04"}]


def test_no_clear_user_id_in_the_store(state, tmp_path):
    fb = Feedback(state)
    fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    fb.add_note(1, REPORTER, "t-a", "Nummer falsch", NOW)
    dump = redis_dump(state) if hasattr(state, "r") else "\n".join(state.conn.iterdump())
    assert "Nummer falsch" in dump  # the line is there (it goes to the editors) ...
    assert str(REPORTER) not in dump  # ... the id is not


def test_forget_drops_the_persons_line_and_mark_but_keeps_the_count(state):
    fb = Feedback(state)
    fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    fb.add_note(1, REPORTER, "t-a", "meine Zeile", NOW)
    fb.file(OTHER, "t-a", "Tafel A", "telefon", NOW)
    fb.add_note(1, OTHER, "t-a", "andere Zeile", NOW)
    assert fb.forget(REPORTER) == 1
    report = public(fb.reports()[0])
    assert [n["text"] for n in report["notes"]] == ["andere Zeile"]
    assert report["count"] == 2
    # the mark is gone too: nothing links this person to the offer any more
    assert fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW).counted is True


def test_closing_twice_and_closing_an_unknown_report_change_nothing(state):
    fb = Feedback(state)
    fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    assert fb.close(1, NOW)["status"] == "closed"
    assert fb.close(1, NOW) is None
    assert fb.close(77, NOW) is None
    assert fb.reports() == []
    assert fb.reports(status=None)[0]["closed_at"] == "2025-03-04"
    # a new report of the same thing opens a new one
    assert fb.file(OTHER, "t-a", "Tafel A", "telefon", NOW).report_id == 2


def test_marks_and_salt_expire_after_30_days(tmp_path):
    clock = [NOW.timestamp()]
    state = SqliteState(tmp_path / "s.db", clock=lambda: clock[0])
    fb = Feedback(state)
    fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    salt = state.peek_secret("feedback")
    clock[0] += timedelta(days=30, seconds=1).total_seconds()
    assert state.peek_secret("feedback") is None
    assert fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW + timedelta(days=31)).counted is True
    assert state.peek_secret("feedback") != salt
    assert state.conn.execute("SELECT count(*) FROM mark").fetchone()[0] == 1  # the old mark is gone


def test_prune_drops_the_marks_of_old_lines(tmp_path):
    state = SqliteState(tmp_path / "s.db")
    fb = Feedback(state)
    fb.file(REPORTER, "t-a", "Tafel A", "telefon", NOW)
    fb.add_note(1, REPORTER, "t-a", "alt", NOW)
    fb.prune(NOW + timedelta(days=10))
    assert "key" in state.get("feedback", 1)["notes"][0]
    fb.prune(NOW + timedelta(days=31))
    assert state.get("feedback", 1)["notes"] == [{"text": "alt", "date": "2025-03-04"}]


def test_flood_limit_per_hour():
    times: list[float] = []
    for _ in range(FLOOD_LIMIT):
        ok, times = allow(times, NOW)
        assert ok
    assert allow(times, NOW + timedelta(minutes=59))[0] is False
    ok, times = allow(times, NOW + timedelta(minutes=61))
    assert ok and len(times) == 1
    assert allow(["x", None], NOW)[0] is True  # forged state data is ignored


def test_bundler_sends_the_first_at_once_and_bundles_the_rest():
    bundler = Bundler(timedelta(minutes=5))
    item = {"offer_id": "t-a", "offer_name": "Tafel A", "reason_label": "Telefon"}
    assert bundler.add(item, NOW) == [item]
    assert bundler.add(item, NOW + timedelta(minutes=1)) == []
    assert bundler.add(item, NOW + timedelta(minutes=2)) == []
    assert bundler.due() == NOW + timedelta(minutes=5)
    assert len(bundler.take(NOW + timedelta(minutes=5))) == 2
    assert bundler.add(item, NOW + timedelta(minutes=11)) == [item]
    assert notification_text([item, item]) == ("⚠️ 2 neue Fehlermeldungen:\n• Tafel A (t-a): Telefon\n"
                                                "• Tafel A (t-a): Telefon\nAlle offenen Meldungen: /meldungen")


def test_note_is_one_short_line():
    assert clean_note("a\n\tb  c") == "a b c"
    assert len(clean_note("x" * 500)) == 200


def test_feedback_text(state):
    fb = Feedback(state)
    assert feedback_text(fb.reports()) == "Keine offenen Fehlermeldungen.\n"
    fb.file(REPORTER, "t-a", "Tafel A", "adresse", NOW)
    assert "#1 Tafel A (t-a): Adresse, 1× gemeldet, zuerst 2025-03-04, zuletzt 2025-03-04" in feedback_text(fb.reports())
