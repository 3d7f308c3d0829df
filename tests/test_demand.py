"""Demand statistics (bot.demand) and the planners' report (bot.demand_report, scripts/report.py --demand)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from bot.botstate import SqliteState
from bot.config import PROJECT_ROOT
from bot.demand import (
    EVENTS,
    PEOPLE,
    TOPICS,
    WORDS,
    DemandRecorder,
    Event,
    compact,
    iso_week,
    outcome_of,
    region_of,
    unknown_words,
)
from bot.demand_report import build, report_html, report_text
from tests.redis_server import redis_dump

DAY = date(2025, 3, 4)  # a Tuesday of 2025-W10


@dataclass
class _Offer:
    state: str


@dataclass
class _Hit:
    offer: _Offer
    distance_km: float | None


def test_outcomes():
    calm = SimpleNamespace(crisis=None)
    assert outcome_of(SimpleNamespace(crisis="suicide"), [_Hit(_Offer("TH"), 1.0)], False) == "crisis"
    assert outcome_of(calm, [], False) == "nothing"
    assert outcome_of(calm, [_Hit(_Offer("DE"), None)], False) == "nationwide"
    assert outcome_of(calm, [_Hit(_Offer("DE"), None), _Hit(_Offer("TH"), 60.0)], False) == "far"
    assert outcome_of(calm, [_Hit(_Offer("TH"), 3.0)], True) == "far"  # the search fell back to nearby towns
    assert outcome_of(calm, [_Hit(_Offer("TH"), 60.0), _Hit(_Offer("HE"), 12.0)], False) == "local"
    assert outcome_of(calm, [_Hit(_Offer("TH"), None)], False) == "local"  # no place given: found, not far


def test_region_is_the_county():
    town = SimpleNamespace(name="Artern", county="Kyffhäuserkreis", kind="town", lat=51.36, lon=11.29)
    county = SimpleNamespace(name="Wartburgkreis", county=None, kind="county", lat=50.9, lon=10.2)
    places = SimpleNamespace(by_postcode={"06556": town})
    point = SimpleNamespace(name="Standort", county=None, kind="point", lat=51.37, lon=11.3)
    assert region_of(town) == "Kyffhäuserkreis"
    assert region_of(county) == "Wartburgkreis"
    assert region_of(point, places) == "Kyffhäuserkreis"
    assert region_of(None) == "unbekannt"


def test_unknown_words_are_single_normalised_words_without_numbers_or_names():
    analysis = SimpleNamespace(terms=["schulden", "zwetschgenbauer", "0361", "grimm", "x", "wohngeldstelle"],
                               person="grimm", word_topics={"wohngeldstelle": {"wohnen"}})
    assert unknown_words(analysis, lambda w: w == "schulden") == ("zwetschgenbauer",)


def _event(person: int, *, day: date = DAY, words: tuple[str, ...] = (), region: str = "Kyffhäuserkreis",
           outcome: str = "local", topics: tuple[str, ...] = ("schulden",)) -> Event:
    return Event(week=iso_week(day), region=region, outcome=outcome, language="de", topics=topics, words=words,
                 day=day, person=person)


def test_events_are_counted_in_one_batch(state):
    recorder = DemandRecorder(state)
    recorder.note(_event(1))
    recorder.note(_event(2, outcome="nothing", topics=("schulden", "wohnen")))
    recorder.note(_event(3, region="Kassel", topics=()))
    assert state.counts(EVENTS) == {}  # nothing written before the flush
    assert recorder.flush() == 3
    assert recorder.flush() == 0
    assert state.counts(EVENTS) == {("2025-W10", "Kyffhäuserkreis", "local", "de"): 1,
                                    ("2025-W10", "Kyffhäuserkreis", "nothing", "de"): 1,
                                    ("2025-W10", "Kassel", "local", "de"): 1}
    assert state.counts(TOPICS) == {("2025-W10", "Kyffhäuserkreis", "schulden", "local"): 1,
                                    ("2025-W10", "Kyffhäuserkreis", "schulden", "nothing"): 1,
                                    ("2025-W10", "Kyffhäuserkreis", "wohnen", "nothing"): 1,
                                    ("2025-W10", "Kassel", "", "local"): 1}


def test_a_word_is_reported_only_when_five_different_people_used_it_that_week(state):
    recorder = DemandRecorder(state)
    for day in range(5):  # one person, five days, ten times: one person
        recorder.note(_event(1, day=DAY - timedelta(days=1) + timedelta(days=day), words=("zwetschge",)))
        recorder.note(_event(1, day=DAY - timedelta(days=1) + timedelta(days=day), words=("zwetschge",)))
    for person in (2, 3, 4):
        recorder.note(_event(person, words=("zwetschge", "pflaume")))
    recorder.flush()
    assert state.counts(PEOPLE)[("2025-W10", "zwetschge")] == 4
    assert build(state)["words"] == []
    recorder.note(_event(5, day=DAY + timedelta(days=2), words=("zwetschge",)))
    recorder.note(_event(6, day=DAY + timedelta(days=15), words=("zwetschge",)))  # another week
    recorder.flush()
    assert build(state)["words"] == [{"word": "zwetschge", "uses": 14, "people": 5}]
    assert state.counts(WORDS)[("2025-W10", "pflaume")] == 3


def test_stores_hold_no_user_id_and_no_mark_next_to_a_word(state):
    recorder = DemandRecorder(state)
    person = 918273645
    recorder.note(_event(person, words=("zwetschgenbauer",)))
    recorder.flush()
    dump = redis_dump(state) if hasattr(state, "r") else "\n".join(state.conn.iterdump())
    assert str(person) not in dump
    word_lines = [line for line in dump.splitlines() if "zwetschgenbauer" in line]
    assert word_lines and not any("mark" in line or "seen" in line for line in word_lines)


def test_weeks_older_than_two_years_become_year_totals(state):
    recorder = DemandRecorder(state)
    old = date(2022, 6, 1)
    for person in range(6):
        recorder.note(_event(person, day=old, words=("alt",)))
    recorder.note(_event(9, day=old, words=("selten",)))
    recorder.note(_event(9, day=date(2023, 6, 10)))
    recorder.note(_event(9))
    recorder.flush()
    assert compact(state, DAY) > 0
    report = build(state)
    assert report["years"] == [{"year": "2022", "asked": 7, "nothing_local": 0,
                                "outcomes": {"local": 7, "far": 0, "nationwide": 0, "nothing": 0, "crisis": 0}}]
    assert report["asked"] == 2  # the weeks kept: 2023-W23 and 2025-W10
    assert ("2022", "alt") in state.counts(PEOPLE) and ("2022", "selten") not in state.counts(WORDS)
    assert compact(state, DAY) == 0


def _filled(state) -> SqliteState:
    recorder = DemandRecorder(state)
    for person in range(10):
        recorder.note(_event(person, outcome="local" if person < 6 else "nothing", words=("zwetschge",)))
    for person in range(4):
        recorder.note(_event(100 + person, day=DAY + timedelta(days=7), region="Kassel", outcome="far",
                             topics=("erziehung",)))
    recorder.flush()
    return state


def test_report_per_region_topic_week_with_filters(state):
    report = build(_filled(state), topic_labels={"schulden": "Schulden"})
    assert report["asked"] == 14 and report["nothing_local"] == 8
    assert [(r["region"], r["asked"], r["nothing_local"]) for r in report["regions"]] == [
        ("Kyffhäuserkreis", 10, 4), ("Kassel", 4, 4)]
    assert report["regions"][0]["topics"] == [{"topic": "schulden", "label": "Schulden", "asked": 10,
                                               "nothing_local": 4, "outcomes": {"local": 6, "far": 0,
                                                                                "nationwide": 0, "nothing": 4,
                                                                                "crisis": 0}}]
    assert [(w["week"], w["asked"]) for w in report["weeks"]] == [("2025-W10", 10), ("2025-W11", 4)]
    assert build(state, since=date(2025, 3, 10))["asked"] == 4
    assert build(state, region="Kassel")["asked"] == 4
    text = report_text(report)
    assert "Kyffhäuserkreis: 10 Fragen, ohne Angebot vor Ort 4" in text
    assert "zwetschge: 10× (10 Personen)" in text


def test_html_is_one_self_contained_page_with_charts(state):
    page = report_html(build(_filled(state)))
    assert page.count("<svg") == 2
    # url(#id) is the SVG's own clip path; anything else would be loaded
    assert not re.search(r"<script|<link|<img|<iframe|src=|@import|url\((?!#)", page)
    # the only addresses are SVG's namespace names, which nothing loads
    assert set(re.findall(r"https?://[^\s\"']+", page)) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<td>Kyffhäuserkreis</td>" not in page and "<th>Kyffhäuserkreis</th>" in page


def _report(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scripts/report.py", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.mark.slow
def test_report_script_json_html_and_no_aiogram(tmp_path):
    db = tmp_path / "bot-state.db"
    _filled(SqliteState(db))
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "BOT_STATE_DB": str(db)}
    out = _report(["--demand", "--json", "--region", "Kassel", "--since", "2025-03-01"], env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["region"] == "Kassel" and report["outcomes"]["far"] == 4
    html = tmp_path / "nachfrage.html"
    assert _report(["--demand", "--html", str(html)], env).returncode == 0
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
    probe = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.argv=['report.py', '--demand'];"
                            "import scripts.report as r; r.main(['--demand']); print('aiogram' in sys.modules)"],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert probe.stdout.strip().endswith("False"), probe.stderr


@pytest.mark.slow
def test_a_corrupt_state_file_is_an_error_not_a_traceback(tmp_path):
    db = tmp_path / "bot-state.db"
    db.write_bytes(b"this is not a database" * 100)
    env = {**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "BOT_STATE_DB": str(db)}
    out = _report(["--feedback"], env)
    assert out.returncode == 1 and "Traceback" not in out.stderr and "bot-state.db" in out.stderr


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="headless Chromium (Debian's chromium package) is not installed")
def test_the_html_report_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "nachfrage.html"
    page.write_text(report_html(build(_filled(SqliteState(tmp_path / "s.db")))), encoding="utf-8")
    shot = tmp_path / "shot.png"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    result = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert shot.exists(), result.stderr
    shutil.copy(shot, os.environ.get("REPORT_SCREENSHOT", tmp_path / "keep.png"))
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.size == (1200, 1600)
    # the page is not blank: charts and tables draw dark pixels
    assert sum(image.histogram()[:128]) > 5000


def test_two_instances_on_one_redis_count_together(redis_state, redis_server_url):
    from bot.botstate import RedisState

    second = RedisState(redis_server_url)
    first_recorder, second_recorder = DemandRecorder(redis_state), DemandRecorder(second)
    for person in range(3):
        first_recorder.note(_event(person, words=("zwetschge",)))
        second_recorder.note(_event(10 + person, words=("zwetschge",)))
    second_recorder.note(_event(0, words=("zwetschge",)))  # the same person, through the other instance
    first_recorder.flush()
    second_recorder.flush()
    assert redis_state.counts(EVENTS) == {("2025-W10", "Kyffhäuserkreis", "local", "de"): 7}
    assert redis_state.counts(PEOPLE) == {("2025-W10", "zwetschge"): 6}
    second.close()
