"""Reading county listings: messy but harmless quirks are read, data-shifting mistakes refused precisely."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.listing import COLUMNS, ListingError, read_listing, write_listing

HEADER = ";".join(COLUMNS)
LISTINGS = Path(__file__).resolve().parents[1] / "knowledge" / "listings"


def row(nr: str, **values: str) -> str:
    """One CSV line with sensible defaults; ``values`` by column name (``Straße`` via ``Strasse``)."""
    fields = {c: "" for c in COLUMNS}
    fields.update({"Nr": nr, "Angebot": f"Angebot {nr}", "Quelle": "https://www.example.org"})
    fields.update({k.replace("Strasse", "Straße").replace("E_Mail", "E-Mail"): v for k, v in values.items()})
    return ";".join(fields[c] for c in COLUMNS)


def write(tmp_path: Path, text: str, name: str = "kreis.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ListingError) as info:
        read_listing(path)
    return info.value.problems


def test_rows_are_read_with_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('KYF-001', Ort='Sondershausen')}\n"
                           f'{row("KYF-002", Beschreibung=chr(34) + "zwei; Zeilen" + chr(10) + "lang" + chr(34))}\n'
                           f"{row('KYF-003')}\n")
    listing = read_listing(path)
    assert [(r.line, r["Nr"]) for r in listing.rows] == [(2, "KYF-001"), (3, "KYF-002"), (5, "KYF-003")]
    assert listing.rows[0]["Ort"] == "Sondershausen"
    assert listing.rows[1]["Beschreibung"] == "zwei; Zeilen\nlang"


def test_bom_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + HEADER + "\r\n" + row("A-1", Ort="Mühlhausen") + "\r\n" + row("A-2") + "\r\n")
    listing = read_listing(path)
    assert [r["Nr"] for r in listing.rows] == ["A-1", "A-2"]
    assert listing.rows[0]["Ort"] == "Mühlhausen"
    assert listing.rows[0]["Stand"] == ""


def test_spam_protected_email_addresses_are_restored(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1', E_Mail='Christin.Maeder(at)eisenach.de')}\n"
                           f"{row('A-2', E_Mail='f.mueller(a)lra-sm.de, info [at] lra-sm.de')}\n")
    listing = read_listing(path)
    assert listing.rows[0]["E-Mail"] == "Christin.Maeder@eisenach.de"
    assert listing.rows[1]["E-Mail"] == "f.mueller@lra-sm.de | info@lra-sm.de"


def test_tel_prefix_is_read_as_listed(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1', Telefon='Tel.: 0361 730730')}\n")
    assert read_listing(path).rows[0]["Telefon"] == "Tel.: 0361 730730"


def test_missing_columns_in_a_row(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1')}\nA-2;Angebot;Träger\n")
    assert problems(path) == [
        f"{path}:3: Kategorie: die Zeile hat nur 3 von 19 Spalten, es fehlen Kategorie, Schlagworte, "
        "Zielgruppe, Beschreibung, Straße, PLZ, Ort, Landkreis, Ansprechperson, Telefon, E-Mail, Webseite, "
        "Sprechzeiten, Hinweis, Quelle, Stand (ein ';' zu wenig?)"
    ]


def test_extra_column_in_a_row(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1', Hinweis='nur Di; Do')}\n")
    assert problems(path) == [
        f"{path}:2: Stand: die Zeile hat 20 statt 19 Spalten, 1 zu viel "
        "(ein ';' in einem Feld ohne Anführungszeichen?)"
    ]


def test_missing_and_unknown_header_columns(tmp_path: Path) -> None:
    header = HEADER.replace("Straße", "Str.").replace(";Stand", "")
    path = write(tmp_path, f"{header}\n")
    assert problems(path) == [f"{path}:1: Kopfzeile: es fehlen die Spalten Straße, Stand; unbekannte Spalten Str."]


def test_extra_header_column(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER};Bemerkung\n{row('A-1')};x\n")
    assert problems(path) == [f"{path}:1: Kopfzeile: unbekannte Spalten Bemerkung"]


def test_header_in_wrong_order(tmp_path: Path) -> None:
    swapped = HEADER.replace("PLZ;Ort", "Ort;PLZ")
    path = write(tmp_path, f"{swapped}\n")
    assert problems(path) == [f"{path}:1: Kopfzeile: die Spalten stehen nicht in der Reihenfolge {HEADER}"]


def test_broken_quote_names_line_and_column(tmp_path: Path) -> None:
    broken = row("A-2", Beschreibung='"Lebensmittel; Kleidung')
    path = write(tmp_path, f"{HEADER}\n{row('A-1')}\n{broken}\n{row('A-3')}\n")
    assert problems(path) == [
        f"{path}:3: Beschreibung: ein Anführungszeichen wird nicht geschlossen, das Feld liefe bis zum "
        'Dateiende; bitte das fehlende " ergänzen'
    ]


def test_text_after_closing_quote_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1', Hinweis=chr(34) + 'Tafel' + chr(34) + ' Artern')}\n")
    assert problems(path) == [
        f'{path}:2: Hinweis: nach einem schließenden Anführungszeichen steht noch Text; ein " innerhalb '
        'eines Feldes wird verdoppelt ("")'
    ]


def test_non_utf8_bytes_are_refused_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1')}\n{row('A-2', Ort='Mühlhausen')}\n")
    path.write_bytes(path.read_bytes().replace("ü".encode(), "ü".encode("latin-1")))
    (message,) = problems(path)
    assert message.startswith(f"{path}:3: Ort: die Datei ist nicht in UTF-8 gespeichert")
    assert "'CSV UTF-8'" in message


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert problems(path) == [f"{path}:1: Zeile: die Datei ist leer"]
    blank = write(tmp_path, "\r\n  \n", name="leer.csv")
    assert problems(blank) == [f"{blank}:1: Zeile: die Datei ist leer"]


def test_header_without_rows(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n")
    assert problems(path) == [f"{path}:2: Zeile: die Liste enthält nur die Kopfzeile, keine Angebote"]


def test_duplicate_nr(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1')}\n{row('A-2')}\n{row('A-1')}\n")
    assert problems(path) == [f"{path}:4: Nr: A-1 steht schon in Zeile 2; jede Nr nur einmal"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('A-1', Angebot='')}\nA-2;x\n{row('A-1')}\n")
    found = problems(path)
    assert [p.split(": ")[0] for p in found] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert found[0] == f"{path}:2: Angebot: das Feld ist leer, es wird gebraucht"


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n\n{row('A-1')}\n;;;;;;;;;;;;;;;;;;\n")
    assert [(r.line, r["Nr"]) for r in read_listing(path).rows] == [(3, "A-1")]


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from(
    [";", '"', "\n", "ä", "ß"]), max_size=30).map(str.strip)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: _text for c in COLUMNS if c not in ("Nr", "Angebot", "Quelle", "E-Mail")}),
                min_size=1, max_size=4))
def test_write_then_read_gives_the_same_rows(tmp_path_factory: pytest.TempPathFactory,
                                             rows: list[dict[str, str]]) -> None:
    for i, values in enumerate(rows):
        values.update({"Nr": f"X-{i}", "Angebot": f"Angebot {i}", "Quelle": "https://www.example.org"})
    path = tmp_path_factory.mktemp("roundtrip") / "liste.csv"
    write_listing(rows, path)
    read = read_listing(path)
    assert [{c: r[c] for c in rows[0]} for r in read.rows] == rows


def test_written_file_is_standard_csv(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_listing([{"Nr": "A-1", "Angebot": "Tafel; Ausgabe", "Quelle": "https://x.de"}], path)
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith('A-1;"Tafel; Ausgabe";')
    with path.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh, delimiter=";")) == list(COLUMNS)


def test_every_shipped_listing_is_readable() -> None:
    for path in sorted(LISTINGS.glob("*.csv")):
        listing = read_listing(path)
        assert listing.rows, path
        assert all(r["Nr"] and r["Quelle"] for r in listing.rows)


# --- quirks of other counties' exports -----------------------------------------------------------


def test_header_names_differing_only_in_case_spaces_or_bom_are_read(tmp_path: Path) -> None:
    header = "\ufeff nr ;" + ";".join(f"  {c}  " for c in COLUMNS[1:]).replace("Straße", "Strasse").replace(
        "E-Mail", "E-mail")
    path = write(tmp_path, f"{header}\n{row('A-1', Strasse='Markt 8', E_Mail='a@b.de')}\n")
    first = read_listing(path).rows[0]
    assert (first["Nr"], first["Straße"], first["E-Mail"]) == ("A-1", "Markt 8", "a@b.de")


def test_excel_separator_line_is_skipped_and_lines_still_count(tmp_path: Path) -> None:
    path = write(tmp_path, f"sep=;\n{HEADER}\n{row('A-1')}\n{row('A-2')}\n")
    assert [(r.line, r["Nr"]) for r in read_listing(path).rows] == [(3, "A-1"), (4, "A-2")]


def test_every_line_ending_with_a_semicolon_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER};\n{row('A-1', Stand='2024-03')};\n{row('A-2')};\n")
    listing = read_listing(path)
    assert [(r["Nr"], r["Stand"]) for r in listing.rows] == [("A-1", "2024-03"), ("A-2", "")]
    # header without the ";", but every row has it: the same export quirk
    path = write(tmp_path, f"{HEADER}\n{row('A-1', Stand='2024-03')};\n{row('A-2')};\n")
    assert [r["Stand"] for r in read_listing(path).rows] == ["2024-03", ""]


def test_a_semicolon_in_one_field_is_still_refused_when_the_file_ends_lines_with_one(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER};\n{row('A-1')};\n{row('A-2', Hinweis='nur Di; Do')};\n")
    assert problems(path) == [
        f"{path}:3: Stand: die Zeile hat 20 statt 19 Spalten, 1 zu viel "
        "(ein ';' in einem Feld ohne Anführungszeichen?)"
    ]


def test_nr_spellings_that_give_the_same_id_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{row('KYF-001')}\n{row('kyf 001')}\n{row('---')}\n")
    assert problems(path) == [
        f"{path}:3: Nr: kyf 001 ergibt dieselbe id 'kyf-001' wie KYF-001 in Zeile 2; jede Nr nur einmal",
        f"{path}:4: Nr: '---' enthält keine Buchstaben oder Ziffern; die Nr wird die id des Angebots",
    ]


def test_a_comma_separated_file_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, ",".join(COLUMNS) + "\n")
    assert "Trennzeichen ist nicht ';'" in problems(path)[0]


@pytest.mark.parametrize(
    ("field", "cleaned"),
    [
        ("name[at]domain.de", "name@domain.de"),
        ("name (at) domain (dot) de", "name@domain.de"),
        ("name at domain dot de", "name@domain.de"),
        ("name @ domain.de", "name@domain.de"),
        ("name@domain.de; other@domain.de", "name@domain.de | other@domain.de"),
        ("name@domain.de / other@domain.de", "name@domain.de | other@domain.de"),
        ("name@domain.de oder other@domain.de", "name@domain.de | other@domain.de"),
        ("a@b.de c@d.de", "a@b.de | c@d.de"),
        ("mailto:name@domain.de", "name@domain.de"),
        ("E-Mail: name@domain.de", "name@domain.de"),
        ("<name@domain.de>", "name@domain.de"),
        ("name@domain.de.", "name@domain.de"),
        ("mailto:a@b.de?subject=Hallo", "a@b.de"),
        # text that is no address stays a piece of its own, for the importer to flag
        ("name@domain.de (Sekretariat)", "name@domain.de | (Sekretariat)"),
        ("info\u200b@kreis.de", "info@kreis.de"),
    ],
)
def test_email_fields_are_cleaned(field: str, cleaned: str) -> None:
    from bot.listing import clean_emails

    assert clean_emails(field) == cleaned
