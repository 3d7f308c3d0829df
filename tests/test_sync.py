"""The sync builds offers.db from knowledge/: rows, FTS, diff, idempotence, --check, atomic swap.

A small knowledge dir is written by hand (fictional numbers 030 23125 xxx,
example.org); one test syncs offers from benchmarks/synthetic.py against the
real topics and places.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from benchmarks.synthetic import generate_offers, write_knowledge
from bot import sync as sync_module
from bot.knowledge import input_hash
from bot.schema import TABLES
from bot.store import Store
from bot.sync import sync

ROOT = Path(__file__).resolve().parent.parent

TOPICS = """\
topics:
  - {id: schulden, label: Schulden, words: [schulden, mahnung], related: [sucht]}
  - {id: sucht, label: Sucht, words: [sucht, alkohol]}
"""
PLACES = """\
postcode,name,county,state,lat,lon
99706,Sondershausen,Kyffhäuserkreis,TH,51.3667,10.8667
99706,Berka,Kyffhäuserkreis,TH,51.3500,10.8500
36037,Fulda,Fulda,HE,50.5558,9.6808
"""
COUNTIES = """\
counties:
  - {name: Kyffhäuserkreis, state: TH, aliases: [Kyffhäuser], abbreviations: [KYF], lat: 51.38, lon: 10.9}
  - {name: Fulda, state: HE, aliases: [Landkreis Fulda], abbreviations: [FD], lat: 50.55, lon: 9.68}
"""
HOTLINES = """\
hotlines:
  - id: test-hotline
    name: Testtelefon
    phones: ["+493023125199"]
    hours: rund um die Uhr
    crisis: [suicide]
    source: {url: "https://example.org/hotline"}
"""
OFFERS = """\
title: Testkreis
offers:
  - id: a-1
    source_id: TK-001
    name: Schuldnerberatung Sondershausen
    provider: Diakonie Testregion
    category: Beratungsstelle
    keywords: [Insolvenz, P-Konto]
    topics: [schulden]
    address: {street: Markt 1, postcode: "99706", city: Berka, county: Kyffhäuserkreis}
    contacts:
      - name: Erika Beispiel
        role: Beraterin
        room: Zimmer 3
        phones: [{number: "+493023125111", label: direkt}]
        emails: [erika@example.org]
    phones:
      - {number: "+493023125101"}
      - {number: "+493023125109", kind: fax}
    emails: [schuldner@example.org]
    hours: {text: Di 9-16 Uhr, osm: "Tu 09:00-16:00", by_appointment: true}
    source: {url: "https://example.org/a-1", date: "2024-05", listing: testkreis.csv}
  - id: a-2
    name: Suchtberatung Fulda
    topics: [sucht, schulden]
    address: {city: Fulda}
    source: {url: "https://example.org/a-2"}
  - id: a-3
    name: Tafel im Kyffhäuser
    address: {county: KYF}
    source: {url: "https://example.org/a-3"}
  - id: a-4
    name: Bundesweites Testtelefon
    address: {county: bundesweit}
    phones: [{number: "+493023125103"}]
    source: {url: "https://example.org/a-4"}
  - id: a-5
    name: Beratung mit genauem Ort
    address: {postcode: "36037", city: Fulda, county: Hessen}
    geo: {lat: 50.55, lon: 9.675, approximate: false}
    source: {url: "https://example.org/a-5"}
"""

OWN_TABLES = {"offers", "contacts", "phones", "topics", "offer_topics", "places", "counties", "hotlines", "meta",
              "offers_fts"}


@pytest.fixture
def search_builds(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Stand-in for bot.searchindex.build (seconds of work, tested by the search area): records the tables it saw
    and creates the search tables empty, as the shipped offers.db declares them (the store checks the layout)."""
    seen: list[set[str]] = []
    shipped = sqlite3.connect(ROOT / "offers.db")
    layout = [sql for name, sql in shipped.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
              if name.startswith("search_") and name in TABLES]
    shipped.close()

    def build(db: sqlite_utils.Database) -> None:
        seen.append(set(db.table_names()))
        for sql in layout:
            db.execute(sql)

    monkeypatch.setattr(sync_module.searchindex, "build", build)
    return seen


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    k = tmp_path / "knowledge"
    (k / "offers").mkdir(parents=True)
    for name, text in (("topics.yaml", TOPICS), ("places.csv", PLACES), ("counties.yaml", COUNTIES),
                       ("hotlines.yaml", HOTLINES), ("offers/test.yaml", OFFERS)):
        (k / name).write_text(text, encoding="utf-8")
    return k


def script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "scripts/sync_offers.py", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=120)


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_full_build_fills_every_table(kdir: Path, tmp_path: Path, search_builds: list[set[str]]) -> None:
    db = tmp_path / "offers.db"
    result = sync(kdir, db)
    assert result.ok and result.written and result.added == ["a-1", "a-2", "a-3", "a-4", "a-5"]

    offer = dict(zip(
        ("name", "provider", "keywords", "topics", "street", "postcode", "city", "county", "state", "lat", "lon",
         "geo_approximate", "emails", "hours_text", "hours_osm", "by_appointment", "source_url", "source_date",
         "source_listing", "file", "line"),
        rows(db, "SELECT name, provider, keywords, topics, street, postcode, city, county, state, lat, lon, "
                 "geo_approximate, emails, hours_text, hours_osm, by_appointment, source_url, source_date, "
                 "source_listing, file, line FROM offers WHERE id = 'a-1'")[0], strict=True))
    assert offer == {
        "name": "Schuldnerberatung Sondershausen", "provider": "Diakonie Testregion",
        "keywords": '["Insolvenz", "P-Konto"]', "topics": '["schulden"]', "street": "Markt 1", "postcode": "99706",
        "city": "Berka", "county": "Kyffhäuserkreis", "state": "TH", "lat": 51.35, "lon": 10.85,
        "geo_approximate": 1, "emails": '["schuldner@example.org"]', "hours_text": "Di 9-16 Uhr",
        "hours_osm": "Tu 09:00-16:00", "by_appointment": 1, "source_url": "https://example.org/a-1",
        "source_date": "2024-05", "source_listing": "testkreis.csv", "file": "knowledge/offers/test.yaml", "line": 3}
    # where the others are placed: town, county centre, nowhere (nationwide), exact point
    assert rows(db, "SELECT id, state, lat, lon, geo_approximate FROM offers WHERE id != 'a-1' ORDER BY id") == [
        ("a-2", "HE", 50.5558, 9.6808, 1), ("a-3", "TH", 51.38, 10.9, 1), ("a-4", "DE", None, None, 1),
        ("a-5", "HE", 50.55, 9.675, 0)]

    assert rows(db, "SELECT id, offer_id, position, name, role, room, emails FROM contacts") == [
        ("a-1#c0", "a-1", 0, "Erika Beispiel", "Beraterin", "Zimmer 3", '["erika@example.org"]')]
    assert rows(db, "SELECT id, offer_id, contact_id, number, kind, label FROM phones ORDER BY id") == [
        ("a-1#0", "a-1", None, "+493023125101", "phone", None), ("a-1#1", "a-1", None, "+493023125109", "fax", None),
        ("a-1#c0#0", "a-1", "a-1#c0", "+493023125111", "phone", "direkt"),
        ("a-4#0", "a-4", None, "+493023125103", "phone", None)]
    assert rows(db, "SELECT id, label, words, related FROM topics ORDER BY id") == [
        ("schulden", "Schulden", '["schulden", "mahnung"]', '["sucht"]'), ("sucht", "Sucht", '["sucht", "alkohol"]', "[]")]
    assert rows(db, "SELECT offer_id, topic_id FROM offer_topics ORDER BY 1, 2") == [
        ("a-1", "schulden"), ("a-2", "schulden"), ("a-2", "sucht")]
    assert rows(db, "SELECT id, county, state, lat FROM places ORDER BY id") == [
        ("36037-Fulda", "Fulda", "HE", 50.5558), ("99706-Berka", "Kyffhäuserkreis", "TH", 51.35),
        ("99706-Sondershausen", "Kyffhäuserkreis", "TH", 51.3667)]
    assert rows(db, "SELECT name, state, abbreviations, lat, lon FROM counties ORDER BY name") == [
        ("Fulda", "HE", '["FD"]', 50.55, 9.68), ("Kyffhäuserkreis", "TH", '["KYF"]', 51.38, 10.9)]
    assert rows(db, "SELECT id, name, phones, crisis FROM hotlines") == [
        ("test-hotline", "Testtelefon", '["+493023125199"]', '["suicide"]')]

    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert meta["offer_count"] == "5" and meta["input_hash"] == input_hash(kdir)
    assert meta["schema_version"] == sync_module.SCHEMA_VERSION and meta["builder_hash"] == sync_module.builder_hash()
    assert datetime.fromisoformat(meta["built_at"]).utcoffset().total_seconds() == 0
    # the search area's tables are added after the sync's own, on the same database
    assert len(search_builds) == 1 and OWN_TABLES - {"meta"} <= search_builds[0]
    assert set(name for (name,) in rows(db, "SELECT name FROM sqlite_master WHERE type='table'")) >= OWN_TABLES


def test_a_town_two_states_share_is_placed_in_the_offers_county(kdir: Path, tmp_path: Path,
                                                                 search_builds: list) -> None:
    # the real gazetteer: places.csv names Weimar (Lahn) in Hessen (35096) before Weimar in Thüringen (99423)
    for name in ("places.csv", "counties.yaml"):
        (kdir / name).write_text((ROOT / "knowledge" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (kdir / "offers" / "test.yaml").write_text("""\
title: Weimar
offers:
  - id: w-1
    name: Pflegestützpunkt Weimar
    address: {street: Schwanseestraße 17, city: Weimar, county: Weimar}
    source: {url: "https://example.org/w-1"}
  - id: w-2
    name: Beratung in Weimar (Lahn)
    address: {city: Weimar, county: Landkreis Marburg-Biedenkopf}
    source: {url: "https://example.org/w-2"}
""", encoding="utf-8")
    db = tmp_path / "offers.db"
    assert sync(kdir, db).ok
    placed = {i: (state, round(lat, 2), round(lon, 2)) for i, state, lat, lon in
              rows(db, "SELECT id, state, lat, lon FROM offers")}
    assert placed["w-1"][0] == "TH" and 50.9 < placed["w-1"][1] < 51.1 and 11.2 < placed["w-1"][2] < 11.4
    assert placed["w-2"] == ("HE", 50.75, 8.7)


def test_store_reads_what_the_sync_wrote(kdir: Path, tmp_path: Path, search_builds: list[set[str]]) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    offer = Store(db).offer("a-1")
    assert offer is not None and offer.name == "Schuldnerberatung Sondershausen"
    assert [p.number for p in offer.all_phones()] == ["+493023125101", "+493023125109", "+493023125111"]
    assert offer.contacts[0].name == "Erika Beispiel" and offer.contacts[0].phones[0].label == "direkt"
    assert offer.topics == ("schulden",) and offer.by_appointment


def test_fts_finds_offers_with_and_without_umlauts(kdir: Path, tmp_path: Path, search_builds: list) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)

    def match(query: str) -> list[str]:
        return [r[0] for r in rows(db, "SELECT offers.id FROM offers_fts JOIN offers ON offers.rowid = offers_fts.rowid "
                                       "WHERE offers_fts MATCH ? ORDER BY offers.id", query)]

    assert match("schuldnerberatung") == ["a-1"]
    assert match("kyffhauser*") == ["a-1", "a-3"]  # "Kyffhäuserkreis", "Tafel im Kyffhäuser"
    assert match("beispiel") == ["a-1"]  # a contact's name
    assert match("insolvenz") == ["a-1"]  # a keyword
    assert match("fulda") == ["a-2", "a-5"]


@pytest.mark.slow
def test_second_run_changes_nothing(kdir: Path, tmp_path: Path, search_builds: list) -> None:
    db = tmp_path / "offers.db"
    assert sync(kdir, db).written
    before, stat = db.read_bytes(), db.stat()
    again = script("--knowledge", str(kdir), "--db", str(db))
    assert again.returncode == 0
    assert again.stdout.strip() == f"{db} ist aktuell (5 Angebote)."
    assert db.read_bytes() == before and db.stat().st_mtime_ns == stat.st_mtime_ns and db.stat().st_ino == stat.st_ino


def test_build_is_deterministic_apart_from_the_build_time(kdir: Path, tmp_path: Path, search_builds: list) -> None:
    def dump(db: Path) -> list[str]:
        conn = sqlite3.connect(db)
        try:
            return [line for line in conn.iterdump() if "built_at" not in line]
        finally:
            conn.close()

    sync(kdir, tmp_path / "one.db")
    sync(kdir, tmp_path / "two.db")
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")


def test_diff_lists_added_changed_and_removed(kdir: Path, tmp_path: Path, search_builds: list,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    path = kdir / "offers" / "test.yaml"
    edit(path, "name: Suchtberatung Fulda", "name: Sucht- und Drogenberatung Fulda")
    edit(path, "  - id: a-3\n    name: Tafel im Kyffhäuser\n    address: {county: KYF}\n"
               '    source: {url: "https://example.org/a-3"}\n', "")
    (kdir / "offers" / "neu.yaml").write_text(
        'title: Neu\noffers:\n  - {id: n-1, name: Neue Beratung, source: {url: "https://example.org/n"}}\n',
        encoding="utf-8")
    from bot.cli import sync_offers

    assert sync_offers.main(["--knowledge", str(kdir), "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-4:] == [f"{db} neu gebaut: 5 Angebote (neu 1, geändert 1, entfernt 1)", "  + n-1", "  ~ a-2", "  - a-3"]
    assert rows(db, "SELECT name FROM offers WHERE id = 'a-2'") == [("Sucht- und Drogenberatung Fulda",)]


@pytest.mark.slow
def test_check_says_whether_the_database_is_in_step(kdir: Path, tmp_path: Path, search_builds: list,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "offers.db"
    missing = script("--knowledge", str(kdir), "--db", str(db), "--check")
    assert missing.returncode == 1 and "fehlt" in missing.stderr
    sync(kdir, db)
    fresh = script("--knowledge", str(kdir), "--db", str(db), "--check")
    assert fresh.returncode == 0 and fresh.stdout.strip() == f"{db} ist aktuell."
    edit(kdir / "offers" / "test.yaml", "Markt 1", "Markt 2")
    stale = script("--knowledge", str(kdir), "--db", str(db), "--check")
    assert stale.returncode == 1
    assert "ist nicht aktuell: die Wissensbasis" in stale.stderr
    assert "Bitte 'python scripts/sync_offers.py' ausführen" in stale.stderr
    sync(kdir, db)
    assert sync_module.staleness(kdir, db) is None
    monkeypatch.setattr(sync_module, "builder_hash", lambda: "anderer Code")
    assert "der Code, der die Datenbank baut" in (sync_module.staleness(kdir, db) or "")


def test_changed_code_rebuilds_even_with_the_same_files(kdir: Path, tmp_path: Path, search_builds: list,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    monkeypatch.setattr(sync_module, "builder_hash", lambda: "anderer Code")
    result = sync(kdir, db)
    assert result.written and result.added == result.changed == result.removed == []
    assert dict(rows(db, "SELECT key, value FROM meta"))["builder_hash"] == "anderer Code"


def test_open_store_keeps_old_data_until_refresh(kdir: Path, tmp_path: Path, search_builds: list,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    store = Store(db)
    assert store.offer("a-1").name == "Schuldnerberatung Sondershausen"
    before, inode = db.read_bytes(), db.stat().st_ino
    edit(kdir / "offers" / "test.yaml", "name: Schuldnerberatung Sondershausen", "name: Schuldenhilfe Berka")
    during: list[bool] = []
    stand_in = sync_module.searchindex.build
    monkeypatch.setattr(sync_module.searchindex, "build",
                        lambda new: (during.append(db.read_bytes() == before), stand_in(new)))
    assert sync(kdir, db).changed == ["a-1"]
    assert during == [True]  # while the new file is written, offers.db is the old one, whole
    assert db.stat().st_ino != inode  # renamed over it: readers of the old file keep their inode
    assert store.offer("a-1").name == "Schuldnerberatung Sondershausen"  # the old file, still open
    assert store.refresh() is True
    assert store.offer("a-1").name == "Schuldenhilfe Berka"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_failed_build_leaves_database_and_no_temp_file(kdir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, search_builds: list) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    before = db.read_bytes()
    edit(kdir / "offers" / "test.yaml", "Markt 1", "Markt 2")

    def broken(db: object) -> None:
        raise RuntimeError("search tables failed")

    monkeypatch.setattr(sync_module.searchindex, "build", broken)
    with pytest.raises(RuntimeError):
        sync(kdir, db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["knowledge", "offers.db"]


def test_database_is_readable_by_others(kdir: Path, tmp_path: Path, search_builds: list) -> None:
    db = tmp_path / "offers.db"
    sync(kdir, db)
    assert os.stat(db).st_mode & 0o777 == 0o644


@pytest.mark.slow
def test_generated_offers_sync_against_the_real_vocabulary(tmp_path: Path, search_builds: list) -> None:
    offers = generate_offers(120, seed=7)
    assert len({o.id for o in offers}) == 120
    numbers = [p.number for o in offers for p in [*o.phones, *(p for c in o.contacts for p in c.phones)]]
    assert numbers and all(n.startswith("+493023125") and len(n) == 13 for n in numbers)
    assert all(e.endswith("@example.org") for o in offers for e in o.emails)
    write_knowledge(tmp_path / "knowledge", offers, per_file=50)
    assert len(list((tmp_path / "knowledge" / "offers").glob("*.yaml"))) == 3
    result = sync(tmp_path / "knowledge", tmp_path / "offers.db")
    assert result.ok, [str(p) for p in result.problems if not p.warning]
    assert rows(tmp_path / "offers.db", "SELECT count(*), count(lat), min(state), max(state) FROM offers") == [
        (120, 120 - sum(o.address.county == "bundesweit" for o in offers), "DE" if any(
            o.address.county == "bundesweit" for o in offers) else "TH", "TH")]
    assert rows(tmp_path / "offers.db", "SELECT count(*) FROM offer_topics")[0][0] > 120


@pytest.mark.slow
def test_sync_with_the_real_search_tables(kdir: Path, tmp_path: Path) -> None:
    """Once with the search area's real bot.searchindex.build: it runs on the new file before the swap."""
    db = tmp_path / "offers.db"
    result = sync(kdir, db)
    assert result.ok and result.written
    tables = {name for (name,) in rows(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables >= OWN_TABLES
    assert Store(db).offer("a-2").name == "Suchtberatung Fulda"


def test_builder_hash_covers_the_modules_the_search_tables_are_built_with() -> None:
    names = {path.name for path in sync_module.builder_modules()}
    assert {"sync.py", "searchindex.py", "knowledge.py", "model.py", "normalize.py"} <= names
    assert "store.py" not in names and "render.py" not in names  # readers, not builders
