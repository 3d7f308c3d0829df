"""Listing -> knowledge YAML: content, re-import that keeps hand edits, idempotence, gone rows."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.importer import (
    TOPICS_KEY,
    ImportRefused,
    dump_offers,
    import_listing,
    load_offers_file,
    parse_person,
    row_to_offer,
)
from bot.listing import COLUMNS, read_listing, write_listing
from bot.model import HotlinesFile, OffersFile
from bot.phones import normalize_number
from bot.vocabulary import TopicMatcher

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 1)
VOCABULARY = [
    ("schulden", ["schulden", "schuldnerberatung", "p-konto", "insolvenz"]),
    ("tafel", ["tafel", "lebensmittel"]),
    ("familie", ["familie", "familien"]),
]


def rows() -> list[dict[str, str]]:
    """A small county listing in the shape of the real ones (fake people and numbers)."""
    return [
        {
            "Nr": "TST-001", "Angebot": "Schuldner- und Insolvenzberatung", "Träger": "Beispiel-Diakonie",
            "Kategorie": "Schuldnerberatung", "Schlagworte": "Schulden, P-Konto", "Zielgruppe": "Familien",
            "Beschreibung": "Hilft bei Mahnungen.", "Straße": "Markt 8", "PLZ": "99706", "Ort": "Sondershausen",
            "Landkreis": "Testkreis", "Ansprechperson": "Erika Beispiel (Beraterin, Zimmer 12)",
            "Telefon": "Tel.: 03632/741500 | Fax 03632/741599", "E-Mail": "erika(at)beispiel.de",
            "Sprechzeiten": "Mo–Fr 8.00–12.00 Uhr", "Hinweis": "nur nach Terminvereinbarung",
            "Quelle": "https://www.example.org/schulden", "Stand": "2026-01",
        },
        {
            "Nr": "TST-002", "Angebot": "Tafel Musterstadt", "Träger": "Tafelverein", "Kategorie": "Tafel",
            "Schlagworte": "Lebensmittel", "PLZ": "99974", "Ort": "Mühlhausen", "Landkreis": "Testkreis",
            "Ansprechperson": "Max Muster | Mia Muster", "Telefon": "03601/800001 | 03601/800002",
            "Sprechzeiten": "14-tägig donnerstags", "Quelle": "https://www.example.org/tafel", "Stand": "2019-12",
        },
        {
            "Nr": "TST-003", "Angebot": "Beratung ohne Vorwahl", "Landkreis": "Testkreis",
            "Telefon": "741528", "PLZ": "9997", "Quelle": "https://www.example.org/x",
        },
    ]


def write_rows(path: Path, data: list[dict[str, str]]) -> Path:
    write_listing(data, path)
    return path


def vocabulary_file(tmp_path: Path, extra: list[tuple[str, list[str]]] | None = None) -> Path:
    """The test vocabulary as a topics.yaml, so the script does not read the real knowledge/."""
    path = tmp_path / "topics.yaml"
    topics = [{"id": i, "label": i.title(), "words": w} for i, w in [*VOCABULARY, *(extra or [])]]
    path.write_text(yaml.safe_dump({"topics": topics}, allow_unicode=True), encoding="utf-8")
    return path


def run_import(listing: Path, out: Path, *extra: str, topics: Path | None = None
               ) -> subprocess.CompletedProcess[str]:
    topics = topics or vocabulary_file(listing.parent)
    return subprocess.run(
        [sys.executable, "scripts/import_listing.py", str(listing), "--out", str(out), "--topics", str(topics),
         *extra],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )


def offers_by_id(path: Path) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {o["id"]: o for o in data["offers"]}


def import_into(tmp_path: Path, data: list[dict[str, str]], *, matcher: TopicMatcher | None = None,
                name: str = "testkreis.csv", **kwargs: object) -> tuple[OffersFile, list[str]]:
    """Import ``data`` into tmp_path/testkreis.yaml like the script does; return the file and summary lines."""
    listing = read_listing(write_rows(tmp_path / name, data))
    out = tmp_path / "testkreis.yaml"
    offers_file, summary = import_listing(listing, load_offers_file(out), matcher or TopicMatcher(VOCABULARY),
                                          today=TODAY, **kwargs)
    out.write_text(dump_offers(offers_file), encoding="utf-8")
    return offers_file, summary.lines()


def test_listing_rows_become_offers(tmp_path: Path) -> None:
    offers_file, lines = import_into(tmp_path, rows())
    assert offers_file.title == "Testkreis"
    assert lines[0] == "neu: 3, geändert: 0, entfernt: 0"
    offers = offers_by_id(tmp_path / "testkreis.yaml")
    first = offers["tst-001"]
    assert first["source_id"] == "TST-001"
    assert first["source"] == {"url": "https://www.example.org/schulden", "date": "2026-01",
                               "listing": "testkreis.csv"}
    assert first["topics"] == ["schulden"]  # the audience "Familien" is no topic of the offer
    assert first["keywords"] == ["Schulden", "P-Konto"]
    assert first["audience"] == ["Familien"]
    # one person, one voice number: the number is the person's; the fax stays with the offer
    assert first["contacts"] == [{"name": "Erika Beispiel", "role": "Beraterin", "room": "Zimmer 12",
                                  "phones": [{"number": "+493632741500", "original": "Tel.: 03632/741500"}],
                                  "emails": ["erika@beispiel.de"]}]
    assert first["phones"] == [{"number": "+493632741599", "kind": "fax", "original": "Fax 03632/741599"}]
    assert first["hours"] == {"text": "Mo–Fr 8.00–12.00 Uhr", "osm": "Mo-Fr 08:00-12:00", "by_appointment": True}
    assert first["note"] == "nur nach Terminvereinbarung"
    assert "admin_notes" not in first
    assert first["listing_row"]["Telefon"] == "Tel.: 03632/741500 | Fax 03632/741599"
    assert first["listing_row"][TOPICS_KEY] == "schulden"


def test_two_persons_two_numbers_are_paired(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    tafel = offers_by_id(tmp_path / "testkreis.yaml")["tst-002"]
    assert [(c["name"], c["phones"][0]["number"]) for c in tafel["contacts"]] == [
        ("Max Muster", "+493601800001"), ("Mia Muster", "+493601800002")]
    assert "phones" not in tafel


def test_doubtful_rows_are_kept_and_flagged(tmp_path: Path) -> None:
    _, lines = import_into(tmp_path, rows())
    offers = offers_by_id(tmp_path / "testkreis.yaml")
    # fortnightly hours are not guessed: kept as text, reported
    assert offers["tst-002"]["hours"] == {"text": "14-tägig donnerstags"}
    assert any("testkreis.csv:3: Sprechzeiten bleiben Text" in line for line in lines)
    assert offers["tst-002"]["admin_notes"] == [
        "Stand 2019-12 ist älter als 3 Jahre: bitte prüfen, ob die Angaben noch stimmen"]
    # a number without area code and a four-digit PLZ: raw text kept for the admin
    odd = offers["tst-003"]
    assert "phones" not in odd
    assert odd["admin_notes"] == ["Telefon der Liste nicht (ganz) übernommen, bitte prüfen: 741528",
                                  "PLZ der Liste nicht übernommen, bitte prüfen: 9997"]
    assert "postcode" not in odd.get("address", {})
    assert "  ! testkreis.csv:4: Telefon: Telefonnummer '741528' hat keine Vorwahl " \
           "(eine Nummer beginnt mit 0 oder +49)" in lines


def test_times_are_quoted_in_the_yaml(tmp_path: Path) -> None:
    data = rows()
    data[0]["Sprechzeiten"] = "10:30"
    import_into(tmp_path, data)
    text = (tmp_path / "testkreis.yaml").read_text(encoding="utf-8")
    assert 'text: "10:30"' in text
    assert 'osm: "Mo-Fr 08:00-12:00"' not in text  # the row's hours changed
    assert offers_by_id(tmp_path / "testkreis.yaml")["tst-001"]["hours"]["text"] == "10:30"


def test_yaml_is_block_style_with_umlauts(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    text = (tmp_path / "testkreis.yaml").read_text(encoding="utf-8")
    assert "Mühlhausen" in text and "\\u" not in text
    assert "{" not in text
    assert text.index("  - id: tst-001") < text.index("    source_id: TST-001") < text.index("    name:")


def test_script_twice_is_byte_identical(tmp_path: Path) -> None:
    listing = write_rows(tmp_path / "testkreis.csv", rows())
    out = tmp_path / "offers" / "testkreis.yaml"
    first = run_import(listing, out)
    assert first.returncode == 0, first.stderr
    assert "neu: 3, geändert: 0, entfernt: 0" in first.stdout
    assert "  + tst-001" in first.stdout
    before = out.read_bytes()
    stamp = out.stat().st_mtime_ns
    second = run_import(listing, out)
    assert second.returncode == 0, second.stderr
    assert "neu: 0, geändert: 0, entfernt: 0" in second.stdout
    assert out.read_bytes() == before
    assert out.stat().st_mtime_ns == stamp  # not even rewritten


def test_reimport_keeps_admin_edits_and_takes_listing_changes(tmp_path: Path) -> None:
    listing = write_rows(tmp_path / "testkreis.csv", rows())
    out = tmp_path / "testkreis.yaml"
    assert run_import(listing, out).returncode == 0
    # the admin adds a topic, an admin note, coordinates and corrects the description
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    offer = data["offers"][0]
    offer["topics"].append("wohnen")
    offer["admin_notes"] = ["Frau Beispiel ist dienstags im Außendienst"]
    offer["description"] = "Hilft bei Mahnungen, Inkasso und Pfändung."
    offer["geo"] = {"lat": 51.37, "lon": 10.87, "approximate": False}
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the county changes the phone number and the hours
    new_rows = rows()
    new_rows[0]["Telefon"] = "03632/741555 | Fax 03632/741599"
    new_rows[0]["Sprechzeiten"] = "Di 9-16 Uhr"
    write_rows(listing, new_rows)

    richer = vocabulary_file(tmp_path, [("wohnen", ["wohnung"])])
    result = run_import(listing, out, topics=richer)
    assert result.returncode == 0, result.stderr
    assert "neu: 0, geändert: 1, entfernt: 0" in result.stdout
    assert "  ~ tst-001: contacts, hours.text, hours.osm" in result.stdout
    assert "  = tst-001: Hand-Korrektur behalten in description, topics, geo, admin_notes" in result.stdout
    offer = offers_by_id(out)["tst-001"]
    assert offer["contacts"][0]["phones"][0]["number"] == "+493632741555"
    assert offer["hours"] == {"text": "Di 9-16 Uhr", "osm": "Tu 09:00-16:00", "by_appointment": True}
    assert offer["description"] == "Hilft bei Mahnungen, Inkasso und Pfändung."
    assert offer["topics"] == ["schulden", "wohnen"]
    assert offer["admin_notes"] == ["Frau Beispiel ist dienstags im Außendienst"]
    assert offer["geo"] == {"lat": 51.37, "lon": 10.87, "approximate": False}
    assert offer["listing_row"]["Telefon"] == "03632/741555 | Fax 03632/741599"
    # and once more: nothing left to do
    before = out.read_bytes()
    again = run_import(listing, out, topics=richer)
    assert "neu: 0, geändert: 0, entfernt: 0" in again.stdout
    assert out.read_bytes() == before


def test_admin_edit_of_a_field_the_listing_also_changed_is_kept_with_a_note(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    out = tmp_path / "testkreis.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["offers"][0]["name"] = "Schuldnerberatung der Diakonie"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    new_rows = rows()
    new_rows[0]["Angebot"] = "Schuldnerberatung"
    _, lines = import_into(tmp_path, new_rows)
    offer = offers_by_id(out)["tst-001"]
    assert offer["name"] == "Schuldnerberatung der Diakonie"
    conflict = ("Die Liste hat name geändert auf: Schuldnerberatung; die Hand-Korrektur wurde behalten, "
                "bitte prüfen")
    assert offer["admin_notes"] == [conflict]
    assert f"  ! tst-001: {conflict}" in lines
    # the conflict is reported once; the next import is quiet
    _, lines = import_into(tmp_path, new_rows)
    assert lines[0] == "neu: 0, geändert: 0, entfernt: 0"
    assert offers_by_id(out)["tst-001"]["admin_notes"] == [conflict]


def test_topic_removed_by_admin_stays_removed_and_new_vocabulary_is_used(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    out = tmp_path / "testkreis.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["offers"][0]["topics"] = []  # the admin finds "schulden" wrong here
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    richer = TopicMatcher([*VOCABULARY, ("mahnung", ["mahnungen"])])
    _, lines = import_into(tmp_path, rows(), matcher=richer)
    assert offers_by_id(out)["tst-001"]["topics"] == ["mahnung"]
    assert "  ~ tst-001: topics" in lines


def test_topics_come_when_the_vocabulary_appears_later(tmp_path: Path) -> None:
    listing = read_listing(write_rows(tmp_path / "testkreis.csv", rows()))
    empty = TopicMatcher([])
    first, _ = import_listing(listing, None, empty, today=TODAY)
    assert first.offers[0].topics == []
    second, summary = import_listing(listing, first, TopicMatcher(VOCABULARY), today=TODAY)
    assert second.offers[0].topics == ["schulden"]
    assert summary.changed["tst-001"] == ["topics"]


def test_gone_rows_are_removed_and_hand_made_offers_stay(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    out = tmp_path / "testkreis.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["offers"][1]["admin_notes"] = ["Ausgabe zieht 2027 um"]
    data["offers"].insert(1, {"id": "hand-1", "name": "Sozialberatung im Rathaus",
                              "source": {"url": "https://www.example.org/rathaus"}})
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, lines = import_into(tmp_path, [rows()[0], rows()[2]])
    assert list(offers_by_id(out)) == ["tst-001", "hand-1", "tst-003"]
    assert lines[0] == "neu: 0, geändert: 0, entfernt: 1"
    assert "  - tst-002 (nicht mehr in der Liste, aus der Datei entfernt)" in lines
    assert any(line.startswith("  ! tst-002 (Tafel Musterstadt) ist entfernt; es hatte Hand-Korrekturen in "
                               "admin_notes") for line in lines)


def test_new_rows_are_appended_in_listing_order(tmp_path: Path) -> None:
    import_into(tmp_path, rows()[1:])
    _, lines = import_into(tmp_path, rows())
    assert list(offers_by_id(tmp_path / "testkreis.yaml")) == ["tst-002", "tst-003", "tst-001"]
    assert lines[:2] == ["neu: 1, geändert: 0, entfernt: 0", "  + tst-001"]


def test_wrong_listing_for_a_file_is_refused(tmp_path: Path) -> None:
    many = [dict(rows()[0], Nr=f"TST-{i:03}") for i in range(1, 7)]
    import_into(tmp_path, many)
    other = [dict(rows()[0], Nr="ABC-001")]
    with pytest.raises(ImportRefused, match="6 von 6 Angeboten der Datei fehlen"):
        import_into(tmp_path, other, name="anderer-kreis.csv")
    offers_file, _ = import_into(tmp_path, other, name="anderer-kreis.csv", allow_removals=True)
    assert [o.id for o in offers_file.offers] == ["abc-001"]


def test_script_refuses_a_broken_listing_and_changes_nothing(tmp_path: Path) -> None:
    listing = write_rows(tmp_path / "testkreis.csv", rows())
    out = tmp_path / "testkreis.yaml"
    assert run_import(listing, out).returncode == 0
    before = out.read_bytes()
    text = listing.read_text(encoding="utf-8").replace("Tafel Musterstadt", '"Tafel Musterstadt')
    listing.write_text(text, encoding="utf-8")
    result = run_import(listing, out)
    assert result.returncode == 1
    assert f"{listing}:3: Angebot: ein Anführungszeichen wird nicht geschlossen" in result.stderr
    assert "Die Liste wurde nicht übernommen." in result.stderr
    assert out.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "name", "role", "room"),
    [
        ("Laura Grimm (Planungskoordinatorin für Armutsprävention)", "Laura Grimm",
         "Planungskoordinatorin für Armutsprävention", None),
        ("Andreas Blume (Zimmer 317)", "Andreas Blume", None, "Zimmer 317"),
        ("Franziska Müller (Haus II, Raum 143)", "Franziska Müller", None, "Haus II, Raum 143"),
        ("Christin Mäder (Sozialplanerin, Zimmer 217)", "Christin Mäder", "Sozialplanerin", "Zimmer 217"),
        ("Margit Schönfeld", "Margit Schönfeld", None, None),
    ],
)
def test_persons(text: str, name: str, role: str | None, room: str | None) -> None:
    contact = parse_person(text)
    assert (contact.name, contact.role, contact.room) == (name, role, room)


def test_appointment_words_in_the_note() -> None:
    base = {c: "" for c in COLUMNS} | {"Nr": "A-1", "Angebot": "A", "Quelle": "https://x.de"}
    for note, expected in [("Bitte vorher einen Termin ausmachen.", True), ("Ausgabe nach Terminvergabe", True),
                           ("ohne Termin, einfach vorbeikommen", False), ("anonym und kostenlos", False)]:
        offer = row_to_offer(base | {"Hinweis": note}, "x.csv", None, TODAY).offer
        assert offer.hours.by_appointment is expected, note
        assert offer.note == note


def test_bad_stand_is_kept_for_the_admin() -> None:
    base = {c: "" for c in COLUMNS} | {"Nr": "A-1", "Angebot": "A", "Quelle": "https://x.de"}
    result = row_to_offer(base | {"Stand": "2021-13"}, "x.csv", None, TODAY)
    assert result.offer.source.date is None
    assert result.offer.admin_notes == ["Stand der Liste nicht übernommen: 2021-13"]
    assert result.warnings == ["Stand: '2021-13' ist kein eindeutiges Datum (diesen Tag oder Monat gibt es nicht)"]


# --- the shipped knowledge base -------------------------------------------------------------------------

KNOWLEDGE = ROOT / "knowledge"
SHARED = ROOT.parent / "shared"


def test_hotlines_are_dialable_and_cover_every_crisis_kind() -> None:
    hotlines = HotlinesFile.model_validate(yaml.safe_load((KNOWLEDGE / "hotlines.yaml").read_text("utf-8")))
    kinds = {"suicide", "violence", "child", "parents", "poison", "medical", "emergency"}
    assert {k for h in hotlines.hotlines for k in h.crisis} == kinds
    numbers = {p for h in hotlines.hotlines for p in h.phones}
    for number in numbers:
        assert number in ("110", "112") or normalize_number(number) == number, number
    assert {"+498001110111", "+498001110222", "+49116123", "+49116016", "+49116111", "+498001110550",
            "+498002255530", "+49361730730", "110", "112"} <= numbers


@pytest.mark.skipif(not (SHARED / "listings").is_dir(), reason="shared listings not present")
def test_every_listing_row_is_in_the_knowledge_base() -> None:
    for listing_path in sorted((SHARED / "listings").glob("*.csv")):
        offers_file = load_offers_file(KNOWLEDGE / "offers" / f"{listing_path.stem}.yaml")
        assert offers_file is not None, listing_path.name
        listed = {r["Nr"] for r in read_listing(listing_path).rows}
        assert listed <= {o.source_id for o in offers_file.offers}, listing_path.name


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seeds not present")
def test_seed_offers_only_carry_numbers_and_mails_the_pages_state() -> None:
    pages = " ".join(p.read_text("utf-8") for p in (SHARED / "seeds").glob("*.txt"))
    digits = re.sub(r"\D", "", pages)
    seeds = load_offers_file(KNOWLEDGE / "offers" / "seeds.yaml")
    assert seeds is not None
    assert all(o.id.startswith("seed-") and o.source_id is None for o in seeds.offers)
    for offer in seeds.offers:
        phones = [*offer.phones, *(p for c in offer.contacts for p in c.phones)]
        for phone in phones:
            national = "0" + phone.number.removeprefix("+49")
            assert national in digits or phone.number[1:] in digits, (offer.id, phone.number)
        for email in [*offer.emails, *(e for c in offer.contacts for e in c.emails)]:
            assert email.split("@")[0].lower() in pages.lower(), (offer.id, email)


def test_the_admin_readme_example_is_a_valid_offers_file() -> None:
    readme = (KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    offers_file = OffersFile.model_validate(yaml.safe_load(example.group(1)))
    offer = offers_file.offers[0]
    assert offer.hours.osm == "Tu,Th 09:00-16:00"
    assert offer.contacts[0].phones[0].number == "+493632741528"
    assert "GeoNames" in readme and "CC BY 4.0" in readme


def test_a_better_hours_parser_updates_osm_but_an_admins_osm_stays(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.importer as importer
    from bot.hours import ParsedHours

    real = importer.parse_hours
    monkeypatch.setattr(importer, "parse_hours", lambda text: ParsedHours(osm=None, problems=["alt"]))
    import_into(tmp_path, rows())
    out = tmp_path / "testkreis.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["offers"][1]["hours"]["osm"] = "Th 10:00-12:00"  # the admin knows the fortnightly day's hours
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(importer, "parse_hours", real)
    _, lines = import_into(tmp_path, rows())
    offers = offers_by_id(out)
    assert offers["tst-001"]["hours"]["osm"] == "Mo-Fr 08:00-12:00"  # the old parser's None is replaced
    assert offers["tst-002"]["hours"]["osm"] == "Th 10:00-12:00"  # the admin's reading is kept
    assert "  ~ tst-001: hours.osm" in lines
    assert "  = tst-002: Hand-Korrektur behalten in hours.osm" in lines
