"""``python -m bot search`` as outside checks call it: a subprocess, JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: each test runs ``python -m bot search`` as a process of its own
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"id", "source_id", "name", "score", "distance_km", "open_now"}


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "search", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=60)


@pytest.fixture(scope="module")
def db(search_db: Path) -> str:
    return str(search_db)


def test_json_shape(db: str) -> None:
    proc = run("--db", db, "--json", "schuldnerberatung", "arnstadt")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert isinstance(results, list) and results
    assert all(set(r) >= KEYS for r in results)
    first = results[0]
    assert (first["source_id"], first["name"], first["distance_km"]) == (
        "TST-001", "Schuldner- und Insolvenzberatung Arnstadt", 0.0)
    assert first["id"] == "tst-001" and first["phones"] == ["+493023125501"]
    assert isinstance(first["score"], float) and first["open_now"] in (True, False)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_nothing_found_is_an_empty_array(db: str) -> None:
    proc = run("--db", db, "--json", "wie wird das wetter morgen")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []


def test_jsonl_answers_each_line_in_order(db: str) -> None:
    questions = ["tafel apolda", "asdfghjkl", "", "telefon frau sommerfeld", "suchtberatung bei 99310"]
    proc = run("--db", db, "--jsonl", stdin="\n".join(questions) + "\n")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == len(questions)
    firsts = [answer[0]["source_id"] if answer else None for answer in lines]
    assert firsts == ["TST-013", None, None, "TST-033", "TST-005"]


def test_near_a_place_and_a_location(db: str) -> None:
    by_name = json.loads(run("--db", db, "--near", "Apolda", "--json", "tafel").stdout)
    assert by_name[0]["source_id"] == "TST-013" and by_name[0]["distance_km"] == 0.0
    distances = [r["distance_km"] for r in by_name]
    assert distances == sorted(distances)
    by_point = json.loads(run("--db", db, "--lat", "50.6832", "--lon", "10.9186", "--json", "tafel").stdout)
    assert by_point[0]["source_id"] == "TST-012"


def test_unknown_near_place_is_said_on_stderr(db: str) -> None:
    proc = run("--db", db, "--near", "Atlantis", "--json", "tafel")
    assert proc.returncode == 0 and "Atlantis" in proc.stderr
    assert json.loads(proc.stdout)[0]["distance_km"] is None


def test_open_now_at_a_moment(db: str) -> None:
    tuesday = json.loads(run("--db", db, "--at", "2026-11-24T11:00", "--json", "tafel arnstadt").stdout)
    monday = json.loads(run("--db", db, "--at", "2026-11-23T11:00", "--json", "tafel arnstadt").stdout)
    assert (tuesday[0]["source_id"], tuesday[0]["open_now"]) == ("TST-011", True)
    assert (monday[0]["source_id"], monday[0]["open_now"]) == ("TST-011", False)


def test_limit(db: str) -> None:
    assert len(json.loads(run("--db", db, "--limit", "2", "--json", "beratung").stdout)) <= 2


def test_default_database_from_the_environment(db: str) -> None:
    proc = run("--json", "tafel apolda", env={"OFFERS_DB": db})
    assert json.loads(proc.stdout)[0]["source_id"] == "TST-013"


@pytest.mark.parametrize("args", [
    ("--json",), ("--lat", "50.9", "--json", "tafel"), ("--near", "Apolda", "--lat", "50.9", "--lon", "11.5",
                                                        "--json", "tafel"),
    ("--at", "gestern", "--json", "tafel"), ("--limit", "-1", "--json", "tafel"),
    # issue 11, 12: inf and nan were a traceback, 1000 was taken (14,932 km)
    ("--lat", "inf", "--lon", "10", "--json", "tafel"), ("--lat", "1000", "--lon", "10", "--json", "tafel"),
    ("--lat", "nan", "--lon", "10", "--json", "tafel"), ("--lat", "50", "--lon=-inf", "--json", "tafel"),
    ("--lat", "50", "--lon", "180.5", "--json", "tafel"),
])
def test_wrong_arguments_exit_2(db: str, args: tuple[str, ...]) -> None:
    proc = run("--db", db, *args)
    assert proc.returncode == 2 and proc.stderr and "Traceback" not in proc.stderr
    if "--lat" in args and any(a.startswith("--lon") for a in args) and "--near" not in args:
        assert "liegt nicht zwischen" in proc.stderr


def test_missing_or_foreign_database_is_reported(tmp_path: Path) -> None:
    proc = run("--db", str(tmp_path / "none.db"), "--json", "tafel")
    assert proc.returncode == 2 and "Datenbank" in proc.stderr and not proc.stdout
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"not a database at all" * 100)
    proc = run("--db", str(foreign), "--json", "tafel")
    assert proc.returncode == 2 and "Datenbank" in proc.stderr


def test_the_command_loads_neither_aiogram_nor_pydantic(db: str) -> None:
    code = (f"import runpy, sys; sys.argv = ['bot', 'search', '--db', {db!r}, '--json', 'tafel arnstadt'];"
            "\ntry:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiogram', 'pydantic', 'phonenumbers', "
            "'sqlite_utils', 'simplemma')), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(proc.stdout)[0]["source_id"] == "TST-011"
