"""bot.report and scripts/report.py on a database of fictional offers built for each check."""

from __future__ import annotations

import csv
import importlib
import shutil
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from bot.hours import parse_hours
from bot.importer import dump_offers
from bot.model import Address, Contact, Hours, Offer, OffersFile, Phone, Source
from bot.report import build_report, report_text, status_summary
from bot.stale import cutoff, date_end, is_stale, stale_year
from bot.store import Store
from bot.sync import sync

ROOT = Path(__file__).resolve().parent.parent
#: Three years after the fixtures' boundary (bot.stale: more than three years is stale).
TODAY = date(2027, 6, 1)
#: Numbers from the range Germany reserves for fiction (030 23125 xxx).
SHARED = "+493023125100"


def _offer(offer_id: str, county: str, *, date_: str | None = "2025-03", phone: str | None = "+493023125199",
           hours: Hours | None = None, **fields) -> Offer:
    return Offer(
        id=offer_id, name=fields.pop("name", f"Angebot {offer_id}"),
        address=fields.pop("address", Address(postcode="99706", city="Sondershausen", county=county)),
        phones=[Phone(number=phone)] if phone else [],
        hours=hours or Hours(text="Di 9-12 Uhr", osm="Tu 09:00-12:00"),
        source=Source(url="https://example.org", date=date_), **fields,
    )


def _knowledge() -> dict[str, OffersFile]:
    place = Address(street="Markt 8", postcode="99706", city="Sondershausen", county="Kyffhäuserkreis")
    kyf = [
        _offer("alt", "Kyffhäuserkreis", date_="2023-05", phone="+493023125101"),
        _offer("grenze", "Kyffhäuserkreis", date_="2024-05-31", phone="+493023125102"),
        _offer("frisch", "Kyffhäuserkreis", date_="2024-06", phone="+493023125103"),
        _offer("ohne-stand", "Kyffhäuserkreis", date_=None, phone="+493023125104"),
        _offer("ohne-zeiten", "Kyffhäuserkreis", hours=Hours(), phone="+493023125105"),
        _offer("termin", "Kyffhäuserkreis", hours=Hours(text="nach Vereinbarung", by_appointment=True),
               phone="+493023125106"),
        _offer("vierzehn", "Kyffhäuserkreis", hours=Hours(text="dienstags 14-tägig 9-12 Uhr"),
               phone="+493023125107"),
        _offer("web", "Kyffhäuserkreis", phone=None, website="https://example.org/web"),
        _offer("mail", "Kyffhäuserkreis", phone=None,
               contacts=[Contact(name="Erika Beispiel", emails=["e.beispiel@example.org"])]),
        # one switchboard for two offers of the same county list: normal, not a duplicate ...
        _offer("zentrale-1", "Kyffhäuserkreis", phone="+493023125110"),
        _offer("zentrale-2", "Kyffhäuserkreis", phone="+493023125110"),
        # ... unless the number turns up in another county's file too
        _offer("amt-1", "Kyffhäuserkreis", phone=SHARED),
        _offer("amt-2", "Kyffhäuserkreis", phone=SHARED),
        _offer("tafel", "Kyffhäuserkreis", name="Tafel am Markt", address=place, phone="+493023125108"),
    ]
    other = [
        _offer("nachbar", "Unstrut-Hainich-Kreis", phone=None,
               contacts=[Contact(name="Max Muster", phones=[Phone(number=SHARED)])]),
        _offer("tafel-kopie", "Kyffhäuserkreis", name="Tafel am  Markt!", address=place, phone="+493023125109"),
    ]
    return {"kyf": OffersFile(title="Kyffhäuserkreis", offers=kyf), "andere": OffersFile(title="Andere", offers=other)}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    base = tmp_path_factory.mktemp("report")
    knowledge = base / "knowledge"
    (knowledge / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "counties.yaml", "places.csv"):
        shutil.copy(ROOT / "knowledge" / name, knowledge / name)
    for name, offers in _knowledge().items():
        (knowledge / "offers" / f"{name}.yaml").write_text(dump_offers(offers), encoding="utf-8")
    result = sync(knowledge, base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return Store(base / "offers.db")


def _script(name: str) -> ModuleType:
    """The code of scripts/<name>.py (bot/cli/<name>.py)."""
    return importlib.import_module(f"bot.cli.{name}")


@pytest.mark.parametrize(("text", "end"), [
    ("2024-05", date(2024, 5, 31)), ("2024-02", date(2024, 2, 29)), ("2023", date(2023, 12, 31)),
    ("2024-05-03", date(2024, 5, 3)), (None, None), ("2024-13", None),
])
def test_date_end(text, end):
    assert date_end(text) == end


def test_stale_is_relative_to_today():
    assert cutoff(date(2027, 6, 1)) == date(2024, 6, 1)
    assert cutoff(date(2028, 2, 29)) == date(2025, 2, 28)
    assert cutoff(date(2027, 1, 15)) == date(2024, 1, 15)
    assert is_stale("2024-05-31", TODAY) and not is_stale("2024-06-01", TODAY)
    assert not is_stale("2024-05", date(2027, 5, 31)) and is_stale("2024-05", date(2027, 6, 1))
    assert not is_stale(None, TODAY)


def test_without_a_source_date_the_retrieval_counts():
    assert is_stale(None, TODAY, retrieved="2024-05-31") and not is_stale(None, TODAY, retrieved="2024-06-01")
    assert not is_stale("2025-01", TODAY, retrieved="2019-01-01")  # the source's own date wins
    assert stale_year("2019-04", date(2026, 12, 3)) == 2019 and stale_year("2024", date(2026, 12, 3)) is None


@pytest.mark.slow
def test_status_summary_defaults_to_today(store):
    summary = status_summary(store)
    assert summary["offer_count"] == 16
    assert "alt" in {s["id"] for s in summary["stale"]}  # stale since 2026-05-31, stale ever after


@pytest.mark.slow
def test_status_summary(store):
    summary = status_summary(store, TODAY)
    assert summary["built_at"] == store.meta()["built_at"]
    assert summary["offer_count"] == 16
    assert summary["offers_per_county"] == {"Kyffhäuserkreis": 15, "Unstrut-Hainich-Kreis": 1}
    assert [s["id"] for s in summary["stale"]] == ["alt", "grenze"]  # oldest first
    assert summary["stale"][0] == {"id": "alt", "name": "Angebot alt", "county": "Kyffhäuserkreis",
                                   "source_date": "2023-05"}
    assert summary["undated_count"] == 1
    assert summary["unstructured_hours"] == [
        {"id": "vierzehn", "name": "Angebot vierzehn", "hours_text": "dienstags 14-tägig 9-12 Uhr"}]


@pytest.mark.slow
def test_a_year_later_more_offers_are_stale(store):
    stale = [s["id"] for s in status_summary(store, date(2028, 7, 1))["stale"]]
    assert stale[:4] == ["alt", "grenze", "frisch", "amt-1"]  # by date, then id
    assert len(stale) == 15 and "ohne-stand" not in stale


@pytest.mark.slow
def test_findings_per_check(store):
    found: dict[str, set[str]] = {}
    for finding in build_report(store, TODAY):
        found.setdefault(finding.check, set()).add(finding.offer_id)
    assert found["veraltet"] == {"alt", "grenze"}
    assert found["ohne_stand"] == {"ohne-stand"}
    assert found["ohne_zeiten"] == {"ohne-zeiten"}
    assert found["ohne_kontakt"] == {"web"}  # "mail" has a contact's e-mail
    assert found["zeiten_text"] == {"vierzehn"}  # "nach Vereinbarung" says all there is
    # the shared switchboard crosses into another county's file; same name and address in two files
    assert found["doppelt"] == {"amt-1", "amt-2", "nachbar", "tafel", "tafel-kopie"}


@pytest.mark.slow
def test_duplicate_details_name_the_other_offers(store):
    details = {f.offer_id: f.detail for f in build_report(store, TODAY) if f.check == "doppelt"}
    assert details["nachbar"] == ("Telefon 030 23125100 wie amt-1 (Kyffhäuserkreis), amt-2 (Kyffhäuserkreis)")
    assert details["tafel"] == "Name „Tafel am Markt“ und Adresse Markt 8 99706 Sondershausen wie tafel-kopie " \
                               "(Kyffhäuserkreis)"


@pytest.mark.slow
def test_stale_offers_are_counted_per_county(store):
    assert status_summary(store, TODAY)["stale_per_county"] == {"Kyffhäuserkreis": 2}
    assert status_summary(store, date(2028, 7, 1))["stale_per_county"] == {"Kyffhäuserkreis": 14,
                                                                           "Unstrut-Hainich-Kreis": 1}


@pytest.mark.slow
def test_report_text_in_german(store):
    findings = build_report(store, TODAY)
    text = report_text(store, findings, TODAY)
    assert text.startswith("Bericht zu offers.db, Stichtag 2027-06-01\n")
    assert "  Kyffhäuserkreis: 15 (2 veraltet)\n" in text and "  Unstrut-Hainich-Kreis: 1\n" in text
    assert "Angaben älter als 3 Jahre: 2\n" in text
    assert "  alt · Angebot alt (Kyffhäuserkreis) – Stand 2023-05  [knowledge/offers/kyf.yaml:" in text
    assert "ohne Telefon und ohne E-Mail: 1\n" in text
    assert "nur Webseite https://example.org/web" in text
    assert "Sprechzeiten nur als Text (nicht strukturiert): 1\n" in text
    # the reason is the hours reader's own, so the admin sees why the text stayed text
    [reason] = parse_hours("dienstags 14-tägig 9-12 Uhr").problems
    assert f"„dienstags 14-tägig 9-12 Uhr“: {reason}" in text


@pytest.mark.slow
def test_script_prints_and_writes_csv(store, tmp_path, capsys):
    out = tmp_path / "bericht.csv"
    assert _script("report").main(["--db", str(store.path), "--today", "2027-06-01", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mögliche Doppelungen: 5" in printed
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert list(rows[0]) == ["Prüfung", "Angebot", "Nr", "Name", "Landkreis", "Datei", "Zeile", "Hinweis"]
    stale = [r for r in rows if r["Prüfung"] == "Angaben älter als 3 Jahre"]
    assert [(r["Angebot"], r["Hinweis"], r["Datei"]) for r in stale] == [
        ("alt", "Stand 2023-05", "knowledge/offers/kyf.yaml"), ("grenze", "Stand 2024-05-31", "knowledge/offers/kyf.yaml")]
    assert all(r["Zeile"].isdigit() for r in rows)
    assert f"{len(rows)} Befunde -> {out}" in printed


def test_script_without_database(tmp_path, capsys):
    assert _script("report").main(["--db", str(tmp_path / "fehlt.db")]) == 1
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--coverage"], []])
def test_report_to_a_reader_that_goes_away_is_no_error(args: list[str]) -> None:
    """``report.py | head`` (issue 12, 14): the pipe closes early; no traceback, exit 0."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, str(root / "scripts" / "report.py"), *args], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=120, cwd=root)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0
