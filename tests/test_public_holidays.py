"""The state's public holidays: the same dates from the package and from the copy a later process reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.public_holidays import public_holidays


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_MODEL_CACHE", str(tmp_path / "copies"))
    return tmp_path / "copies"


def test_the_states_differ_in_their_holidays(cache: Path) -> None:
    thueringen = public_holidays("TH", (2026, 2027))
    hessen = public_holidays("HE", (2026, 2027))
    assert thueringen[date(2026, 9, 20)] == "Weltkindertag"
    assert thueringen[date(2026, 10, 31)] == "Reformationstag"
    assert date(2026, 6, 4) not in thueringen
    assert hessen[date(2026, 6, 4)] == "Fronleichnam"
    assert date(2026, 9, 20) not in hessen
    assert public_holidays(None, (2026,))[date(2026, 12, 25)] == "Erster Weihnachtstag"
    assert public_holidays("TH", (2026,), "en_US")[date(2026, 10, 31)] == "Reformation Day"


def test_a_later_process_reads_the_copy_without_the_holidays_package(cache: Path) -> None:
    first = public_holidays("TH", (2026, 2027))
    [copy] = cache.glob("holidays-*/TH-2026-2027-de.json")
    code = ("import sys, json; from bot.public_holidays import public_holidays; "
            "found = public_holidays('TH', (2026, 2027)); "
            "print(json.dumps({'loaded': 'holidays' in sys.modules, "
            "'days': {d.isoformat(): n for d, n in found.items()}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "BOT_MODEL_CACHE": str(cache)})
    later = json.loads(out.stdout)
    assert later["loaded"] is False
    assert later["days"] == {d.isoformat(): n for d, n in first.items()}
    assert json.loads(copy.read_text(encoding="utf-8"))["2026-10-31"] == "Reformationstag"


def test_a_damaged_copy_is_computed_again_and_replaced(cache: Path) -> None:
    public_holidays("TH", (2026, 2027))
    [copy] = cache.glob("holidays-*/TH-2026-2027-de.json")
    copy.write_text("{not json", encoding="utf-8")
    assert public_holidays("TH", (2026, 2027))[date(2026, 9, 20)] == "Weltkindertag"
    assert json.loads(copy.read_text(encoding="utf-8"))["2026-09-20"] == "Weltkindertag"


def test_without_a_writable_cache_the_holidays_still_come(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BOT_MODEL_CACHE", str(blocker / "copies"))  # below a file: cannot be created
    assert public_holidays("TH", (2026, 2027))[date(2026, 10, 31)] == "Reformationstag"
    monkeypatch.setenv("BOT_MODEL_CACHE", "off")
    assert public_holidays("TH", (2026, 2027))[date(2026, 10, 31)] == "Reformationstag"
    assert not list(tmp_path.glob("**/*.json"))
