"""German Excel (issue 12, 13): listings saved as "CSV (Trennzeichen-getrennt)" (cp1252) or as
"Unicode-Text" (UTF-16, tabs) are read and the import says which; the export can write a BOM for
Excel and can write to stdout."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from bot.config import PROJECT_ROOT
from bot.listing import COLUMNS, CP1252, UTF8, UTF16, ListingError, read_listing

DB = PROJECT_ROOT / "offers.db"


def _script(name: str) -> ModuleType:
    """The code of scripts/<name>.py (bot/cli/<name>.py)."""
    return importlib.import_module(f"bot.cli.{name}")


def _fields(nr: str, **values: str) -> list[str]:
    fields = {c: "" for c in COLUMNS}
    fields.update({"Nr": nr, "Angebot": f"Beratung {nr}", "Quelle": "https://www.example.org"})
    fields.update(values)
    return [fields[c] for c in COLUMNS]


def test_cp1252_from_excel_is_read_and_named(tmp_path):
    text = ";".join(COLUMNS) + "\r\n" + ";".join(_fields("A-1", Ort="Mühlhausen", Träger="Größte Straße e.V.")) + "\r\n"
    path = tmp_path / "kreis.csv"
    path.write_bytes(text.encode("cp1252"))
    listing = read_listing(path)
    assert listing.encoding == CP1252
    assert listing.rows[0]["Ort"] == "Mühlhausen" and listing.rows[0]["Träger"] == "Größte Straße e.V."


def test_unicode_text_from_excel_is_read_with_its_tabs(tmp_path):
    """UTF-16 with BOM, tab separated; a ";" and a line break inside fields stay inside them."""
    first = _fields("A-1", Ort="Sömmerda", Beschreibung="Beratung; auch online")
    second = _fields("A-2", Ort="Gera", Beschreibung='"zwei\nZeilen"')
    text = "\t".join(COLUMNS) + "\r\n" + "\t".join(first) + "\r\n" + "\t".join(second) + "\r\n"
    path = tmp_path / "kreis.txt"
    path.write_bytes(text.encode("utf-16"))  # with BOM, as Excel writes it
    listing = read_listing(path)
    assert listing.encoding == UTF16
    assert [(r.line, r["Ort"], r["Beschreibung"]) for r in listing.rows] == [
        (2, "Sömmerda", "Beratung; auch online"), (3, "Gera", "zwei\nZeilen")]


def test_utf8_is_named_utf8(tmp_path):
    path = tmp_path / "kreis.csv"
    path.write_text(";".join(COLUMNS) + "\n" + ";".join(_fields("A-1", Ort="Jena")) + "\n", encoding="utf-8")
    assert read_listing(path).encoding == UTF8


def test_utf8_mixed_with_cp1252_is_still_refused(tmp_path):
    """Any one reading would garble some letters: the file must be saved again."""
    text = ";".join(COLUMNS) + "\n" + ";".join(_fields("A-1", Ort="Mühlhausen")) + "\n"
    path = tmp_path / "kreis.csv"
    path.write_bytes(text.encode("utf-8").replace("ü".encode(), "ü".encode("cp1252")))
    with pytest.raises(ListingError) as info:
        read_listing(path)
    assert "die Datei ist nicht in UTF-8 gespeichert" in info.value.problems[0]


def test_import_says_which_encoding_it_read(tmp_path, capsys):
    text = ";".join(COLUMNS) + "\r\n" + ";".join(_fields("A-1", Ort="Mühlhausen")) + "\r\n"
    listing = tmp_path / "kreis.csv"
    listing.write_bytes(text.encode("cp1252"))
    out = tmp_path / "kreis.yaml"
    assert _script("import_listing").main([str(listing), "--out", str(out)]) == 0
    assert "(gelesen als Windows-1252 (Excel „CSV (Trennzeichen-getrennt)“))" in capsys.readouterr().out
    assert "Mühlhausen" in out.read_text(encoding="utf-8")


def test_export_with_bom_for_excel_reads_back(tmp_path, capsys):
    path = tmp_path / "erfurt.csv"
    assert _script("export_offers").main(["--db", str(DB), "--county", "Erfurt", "--excel", "--out", str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfNr;Angebot;Tr\xc3\xa4ger;")
    rows = read_listing(path).rows
    assert rows and all(r["Landkreis"] == "Erfurt" for r in rows)
    assert f"{len(rows)} Angebote -> {path}" in capsys.readouterr().out


def test_export_to_stdout(capsysbinary):
    assert _script("export_offers").main(["--db", str(DB), "--county", "Erfurt", "--output", "-"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out.startswith("Nr;Angebot;Träger;".encode())  # no BOM unless asked for
    assert captured.out.decode("utf-8").count("\n") > 1
    assert b"Angebote -> Standardausgabe" in captured.err
