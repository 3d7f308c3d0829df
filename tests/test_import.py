"""Listing -> knowledge YAML: content, re-import that keeps hand edits, idempotence, gone rows."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.cells import strip_controls, unmark
from bot.crisis import LINES
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
                               "listing": "testkreis.csv", "retrieved": "2026-11-01"}
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_the_day_an_offer_was_taken_from_the_listing_changes_only_with_the_row(tmp_path: Path) -> None:
    import_into(tmp_path, rows())
    out = tmp_path / "testkreis.yaml"
    later = date(2026, 12, 1)
    changed = rows()
    changed[1]["Sprechzeiten"] = "Mi 9-12 Uhr"
    listing = read_listing(write_rows(tmp_path / "testkreis.csv", changed))
    offers_file, summary = import_listing(listing, load_offers_file(out), TopicMatcher(VOCABULARY), today=later)
    retrieved = {o.id: o.source.retrieved for o in offers_file.offers}
    assert retrieved == {"tst-001": "2026-11-01", "tst-002": "2026-12-01", "tst-003": "2026-11-01"}
    assert list(summary.changed) == ["tst-002"]


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


@pytest.mark.slow
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
LISTINGS = ROOT / "knowledge" / "listings"


def test_hotlines_are_dialable_and_cover_every_crisis_kind() -> None:
    hotlines = HotlinesFile.model_validate(yaml.safe_load((KNOWLEDGE / "hotlines.yaml").read_text("utf-8")))
    kinds = {"suicide", "selfharm", "violence", "child", "parents", "poison", "medical", "emergency", "uncertain"}
    assert {k for h in hotlines.hotlines for k in h.crisis} == kinds
    # the lines a counsellor expects for each kind are listed for it
    for kind, ids in LINES.items():
        assert set(ids) <= {h.id for h in hotlines.hotlines if kind in h.crisis}, kind
    numbers = {p for h in hotlines.hotlines for p in h.phones}
    for number in numbers:
        assert number in ("110", "112") or normalize_number(number) == number, number
    assert {"+498001110111", "+498001110222", "+49116123", "+49116016", "+49116111", "+498001110550",
            "+498002255530", "+49361730730", "110", "112"} <= numbers


def test_every_listing_row_is_in_the_knowledge_base() -> None:
    for listing_path in sorted(LISTINGS.glob("*.csv")):
        offers_file = load_offers_file(KNOWLEDGE / "offers" / f"{listing_path.stem}.yaml")
        assert offers_file is not None, listing_path.name
        listed = {r["Nr"] for r in read_listing(listing_path).rows}
        assert listed <= {o.source_id for o in offers_file.offers}, listing_path.name


def test_seed_offers_only_carry_numbers_and_mails_the_pages_state() -> None:
    pages = " ".join(p.read_text("utf-8") for p in (LISTINGS / "seeds").glob("*.txt"))
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


# --- listings of other counties: their quirks -----------------------------------------------------

from bot.importer import Gazetteer, default_gazetteer, normalise_url, parse_stand, split_persons  # noqa: E402

BASE = {c: "" for c in COLUMNS} | {"Nr": "A-1", "Angebot": "A", "Quelle": "https://x.de"}


def convert(**values: str) -> tuple[dict, list[str]]:
    """One row through the importer, as the YAML holds it."""
    result = row_to_offer(BASE | values, "x.csv", None, TODAY)
    return result.offer.model_dump(mode="json", exclude_defaults=True), result.warnings


@pytest.mark.parametrize(
    ("stand", "iso"),
    [
        ("2024", "2024"), ("2024-03", "2024-03"), ("2024-03-12", "2024-03-12"),
        ("März 2024", "2024-03"), ("Mai 2023", "2023-05"), ("Jan. 2024", "2024-01"), ("Sept. 2023", "2023-09"),
        ("12.03.2024", "2024-03-12"), ("1.2.2024", "2024-02-01"), ("12. März 2024", "2024-03-12"),
        ("03/2024", "2024-03"), ("3/2024", "2024-03"), ("03.2024", "2024-03"), ("2024/03", "2024-03"),
        ("Stand: 01.02.2024", "2024-02-01"), ("Stand Mai 2024", "2024-05"), ("aktualisiert am 5.6.2023", "2023-06-05"),
    ],
)
def test_german_stand_forms_become_iso(stand: str, iso: str) -> None:
    offer, warnings = convert(Stand=stand)
    assert offer["source"]["date"] == iso
    assert offer["listing_row"]["Stand"] == stand
    assert warnings == []


@pytest.mark.parametrize(
    ("stand", "reason"),
    [
        ("12.3.24", "zweistellig"), ("03/24", "zweistellig"), ("2023/2024", "Zeitraum"), ("2023-2024", "Zeitraum"),
        ("Frühjahr 2024", "kein Monat"), ("31.02.2024", "gibt es nicht"), ("13/2024", "gibt es nicht"),
        ("2099", "unplausibel"), ("Mai", "kein Datum"), ("demnächst", "kein Datum"),
    ],
)
def test_ambiguous_stand_is_refused_with_a_note(stand: str, reason: str) -> None:
    assert parse_stand(stand, TODAY)[0] is None
    offer, warnings = convert(Stand=stand)
    assert "date" not in offer["source"]
    assert offer["admin_notes"] == [f"Stand der Liste nicht übernommen: {stand}"]
    assert len(warnings) == 1 and warnings[0].startswith(f"Stand: {stand!r} ist kein eindeutiges Datum (")
    assert reason in warnings[0]


@pytest.mark.parametrize(
    ("field", "persons"),
    [
        ("Frau Dr. Anna Beispiel, Herr Max Muster (Leitung)",
         [("Frau Dr. Anna Beispiel", None, None), ("Herr Max Muster", "Leitung", None)]),
        ("Anna Beispiel und Max Muster", [("Anna Beispiel", None, None), ("Max Muster", None, None)]),
        ("Anna Beispiel u. Max Muster", [("Anna Beispiel", None, None), ("Max Muster", None, None)]),
        ("Anna Beispiel; Max Muster", [("Anna Beispiel", None, None), ("Max Muster", None, None)]),
        ("Anna von Beispiel / Max Muster", [("Anna von Beispiel", None, None), ("Max Muster", None, None)]),
        ("Anna Beispiel, Max Muster und Eva Test",
         [("Anna Beispiel", None, None), ("Max Muster", None, None), ("Eva Test", None, None)]),
        ("Max Muster (Leitung), Eva Test (Sekretariat, Zimmer 3)",
         [("Max Muster", "Leitung", None), ("Eva Test", "Sekretariat", "Zimmer 3")]),
        ("Frau Beispiel (Zi. 2), Herr Muster (Zi. 3)", [("Frau Beispiel", None, "Zi. 2"), ("Herr Muster", None, "Zi. 3")]),
        ("Müller, Anna und Schmidt, Peter", [("Müller, Anna", None, None), ("Schmidt, Peter", None, None)]),
        # one person, or a desk: not split
        ("Müller, Anna", [("Müller, Anna", None, None)]),
        ("Herr und Frau Müller", [("Herr und Frau Müller", None, None)]),
        ("Anna und Max Muster", [("Anna und Max Muster", None, None)]),
        ("Team Schuldner- und Insolvenzberatung", [("Team Schuldner- und Insolvenzberatung", None, None)]),
        ("Jugendamt, Frau Müller", [("Jugendamt, Frau Müller", None, None)]),
        ("Max Muster, Leiter", [("Max Muster, Leiter", None, None)]),
        ("Christin Mäder (Sozialplanerin, Zimmer 217)", [("Christin Mäder", "Sozialplanerin", "Zimmer 217")]),
        # surnames that begin like a desk word ("Haus", "Amt", "Kreis") are still surnames
        ("Kristina Röhlig (Leiterin), Karola Hausdorf (Stellvertreterin)",
         [("Kristina Röhlig", "Leiterin", None), ("Karola Hausdorf", "Stellvertreterin", None)]),
        ("Herr Amthor, Frau Kreisel", [("Herr Amthor", None, None), ("Frau Kreisel", None, None)]),
        ("Anna Beispiel, Gotha Jugendamt", [("Anna Beispiel, Gotha Jugendamt", None, None)]),
        ("Anna Beispiel, Team Jugendamt", [("Anna Beispiel, Team Jugendamt", None, None)]),
    ],
)
def test_several_persons_in_one_field(field: str, persons: list[tuple[str, str | None, str | None]]) -> None:
    assert [(c.name, c.role, c.room) for c in map(parse_person, split_persons(field))] == persons


def test_split_persons_get_their_numbers_and_addresses_in_order() -> None:
    offer, warnings = convert(Ansprechperson="Frau Dr. Anna Beispiel | Herr Max Muster (Leitung)",
                              Telefon="03621 1234-56 | 03621 1234-57", **{"E-Mail": "a@b.de; m@b.de"})
    assert offer["contacts"] == [
        {"name": "Frau Dr. Anna Beispiel", "phones": [{"number": "+493621123456", "original": "03621 1234-56"}],
         "emails": ["a@b.de"]},
        {"name": "Herr Max Muster", "role": "Leitung",
         "phones": [{"number": "+493621123457", "original": "03621 1234-57"}], "emails": ["m@b.de"]},
    ]
    assert "phones" not in offer and "emails" not in offer and warnings == []


def test_persons_in_a_sentence_do_not_say_whose_number_is_whose() -> None:
    offer, warnings = convert(Ansprechperson="Frau Dr. Anna Beispiel, Herr Max Muster (Leitung)",
                              Telefon="03621 1234-56 oder 0170 1234567", **{"E-Mail": "a@b.de; m@b.de"})
    assert offer["contacts"] == [{"name": "Frau Dr. Anna Beispiel"}, {"name": "Herr Max Muster", "role": "Leitung"}]
    assert [p["number"] for p in offer["phones"]] == ["+493621123456", "+491701234567"]
    assert offer["emails"] == ["a@b.de", "m@b.de"] and warnings == []


@pytest.mark.parametrize(
    ("field", "role", "notes"),
    [
        ("Gisela Beispiel (Leiterin, Stand 2020)", "Leiterin", ["Gisela Beispiel (Leiterin): Stand 2020"]),
        ("Andrea Muster (Vorsitzende/Leiterin laut OTZ 2020)", "Vorsitzende/Leiterin",
         ["Andrea Muster (Vorsitzende/Leiterin): laut OTZ 2020"]),
        ("Bettina Beispiel (Leiterin ASD, Stand 2021)", "Leiterin ASD", ["Bettina Beispiel (Leiterin ASD): Stand 2021"]),
        ("Max Muster (Berater seit 2019, Zimmer 4)", "Berater", ["Max Muster (Berater): seit 2019"]),
        ("Max Muster (Leiter lt. TA vom 3.2.2021)", "Leiter", ["Max Muster (Leiter): lt. TA vom 3.2.2021"]),
        ("Max Muster (Stand: 03/2021)", None, ["Max Muster: Stand: 03/2021"]),
        ("Max Muster (Quelle: Amtsblatt)", None, ["Max Muster: Quelle: Amtsblatt"]),
        # roles without a date or a source stay as they are
        ("Max Muster (Vorstand)", "Vorstand", []),
        ("Max Muster (Standortleiter)", "Standortleiter", []),
        ("Max Muster (Berater für Menschen ab 27 Jahre)", "Berater für Menschen ab 27 Jahre", []),
    ],
)
def test_a_date_or_source_in_a_role_is_an_admin_note(tmp_path: Path, field: str, role: str | None,
                                                     notes: list[str]) -> None:
    offer, warnings = convert(Ansprechperson=field)
    assert [c.get("role") for c in offer["contacts"]] == [role] and warnings == []
    assert offer.get("admin_notes", []) == [f"Hinweis der Liste zu {n}" for n in notes]
    assert offer["listing_row"]["Ansprechperson"] == field
    # the remark is not searchable: the sync's contact text holds name, role and room only
    assert not re.search(r"\b(?:stand|otz|quelle|lt|seit)\b", " ".join(
        f"{c['name']} {c.get('role') or ''} {c.get('room') or ''}" for c in offer["contacts"]), re.IGNORECASE)
    # a re-import of the same row changes nothing: the remark is no admin's deletion, the role no hand edit
    data = [dict(rows()[1], Ansprechperson=field, Telefon="03601/800001")]
    first, _ = import_into(tmp_path, data)
    again, lines = import_into(tmp_path, data)
    assert lines[0] == "neu: 0, geändert: 0, entfernt: 0" and not any("Hand-Korrektur" in line for line in lines)
    assert again == first


@pytest.mark.parametrize(
    "hinweis",
    [
        "Adresse und Telefon aus Medieninformation des Landkreises (2017); Adresse/Telefon aktuell prüfen.",
        "Hausnummer nicht in der Quelle.",
        "Träger nicht im Auszug genannt.",
        "Zeitungsartikel ohne Datum.",
        "Telefon aus Pressemitteilung des Landratsamts zur Aktionswoche Februar 2022.",
        "Angabe aus November 2020; Uhrzeit nicht genannt.",
        "Jahr der Meldung unklar.",
        "Zeiten Stand 2020 (Corona-Hinweise auf der Seite).",
        "Telefon aus TA-Meldung März 2020 (https://www.example.org/meldung).",
    ],
)
def test_a_hinweis_about_the_data_is_an_admin_note_and_never_shown(hinweis: str) -> None:
    offer, warnings = convert(Hinweis=hinweis)
    assert "note" not in offer
    assert offer["admin_notes"] == [f"Hinweis der Liste: {hinweis}"]
    assert offer["listing_row"]["Hinweis"] == hinweis and warnings == []


@pytest.mark.parametrize(
    "hinweis",
    ["nur nach Terminvereinbarung", "anonym und kostenlos", "Ohne Voranmeldung.", "bei Lebensgefahr 112",
     "Ausgabe nach Terminvergabe (Stand 2020)", "Kontoauszug und Bescheid mitbringen; Bedürftigkeit wird geprüft",
     "Adresse wird aus Schutzgründen nicht genannt", "Hygieneartikel gibt es auch"],
)
def test_a_hinweis_for_people_stays_the_note(hinweis: str) -> None:
    offer, _ = convert(Hinweis=hinweis)
    assert offer["note"] == hinweis and "admin_notes" not in offer


def test_a_remark_for_admins_still_says_whether_appointments_are_needed(tmp_path: Path) -> None:
    offer, _ = convert(Hinweis="Sprechzeiten aus Amtsblatt-Meldung; Terminvereinbarung empfohlen.")
    assert offer["hours"] == {"by_appointment": True} and "note" not in offer
    # dates are no appointments
    offer, _ = convert(Hinweis="Termine für 2023; Folgetermine prüfen.")
    assert "hours" not in offer
    assert offer["admin_notes"] == ["Hinweis der Liste: Termine für 2023; Folgetermine prüfen."]
    for hinweis in ("Bitte vorher einen Termin per Telefon ausmachen.", "Beratungstermin vorab telefonisch",
                    "Termine nach Absprache", "nur mit Anmeldung"):
        assert convert(Hinweis=hinweis)[0]["hours"] == {"by_appointment": True}, hinweis
    # a re-import of the same row changes nothing: the remark is not taken for an admin's hand edit
    data = [dict(rows()[1], Hinweis="Angabe aus August 2020, damals provisorisch; Fortbestand prüfen.")]
    first, _ = import_into(tmp_path, data)
    again, lines = import_into(tmp_path, data)
    assert lines[0] == "neu: 0, geändert: 0, entfernt: 0" and again == first
    assert first.offers[0].admin_notes[0] == ("Hinweis der Liste: Angabe aus August 2020, damals provisorisch; "
                                              "Fortbestand prüfen.")


@pytest.mark.parametrize(
    ("field", "emails"),
    [
        ("name[at]domain.de", ["name@domain.de"]),
        ("name (at) domain (dot) de", ["name@domain.de"]),
        ("name@domain.de; other@domain.de", ["name@domain.de", "other@domain.de"]),
        ("mailto:name@domain.de", ["name@domain.de"]),
        ("name@domain.de | name@domain.de", ["name@domain.de"]),
    ],
)
def test_email_quirks(field: str, emails: list[str]) -> None:
    offer, warnings = convert(**{"E-Mail": field})
    assert (offer["emails"], warnings) == (emails, [])
    assert offer["listing_row"]["E-Mail"] == field


def test_text_beside_an_address_is_flagged_not_lost() -> None:
    offer, warnings = convert(**{"E-Mail": "info@kreis.de (Sekretariat)"})
    assert offer["emails"] == ["info@kreis.de"]
    assert warnings == ["E-Mail: E-Mail-Adresse '(Sekretariat)' ist ungültig: das @ fehlt"]
    assert offer["admin_notes"] == ["E-Mail der Liste nicht übernommen, bitte prüfen: (Sekretariat)"]


@pytest.mark.parametrize(
    ("field", "url"),
    [
        ("www.kreis.de", "https://www.kreis.de"),
        ("kreis.de/beratung", "https://kreis.de/beratung"),
        ("https://www.kreis.de/a?b=1", "https://www.kreis.de/a?b=1"),
        ("http://www.kreis.de", "http://www.kreis.de"),
        ("HTTPS://www.kreis.de", "HTTPS://www.kreis.de"),
        ("https:/www.kreis.de", "https://www.kreis.de"),
        ("<www.kreis.de>", "https://www.kreis.de"),
    ],
)
def test_web_pages_become_links_and_the_original_stays_in_listing_row(field: str, url: str) -> None:
    offer, warnings = convert(Webseite=field, Quelle=field)
    assert (offer["website"], offer["source"]["url"], warnings) == (url, url, [])
    assert offer["listing_row"]["Webseite"] == field


def test_web_page_that_is_no_address_is_flagged() -> None:
    offer, warnings = convert(Webseite="siehe Träger")
    assert "website" not in offer
    assert warnings == ["Webseite: keine Webadresse: siehe Träger"]
    assert offer["admin_notes"] == ["Webseite der Liste nicht (ganz) übernommen, bitte prüfen: siehe Träger"]
    assert normalise_url("www.a.de www.b.de") == ("https://www.a.de", "mehrere Adressen, nur die erste übernommen: "
                                                                      "www.a.de www.b.de")
    # separators alone (found by the property test below): flagged, no crash
    assert normalise_url(",") == (None, "keine Webadresse: ,")
    assert normalise_url(" ; | ") == (None, "keine Webadresse: ; |")


@pytest.mark.parametrize(
    ("field", "county"),
    [
        ("LK Gotha", "Landkreis Gotha"), ("Landkreis Gotha", "Landkreis Gotha"), ("Lkr. Gotha", "Landkreis Gotha"),
        ("Gotha", "Landkreis Gotha"), ("Gotha, Landkreis", "Landkreis Gotha"), ("Kreis Gotha", "Landkreis Gotha"),
        ("Stadt Erfurt", "Erfurt"), ("kreisfreie Stadt Weimar", "Weimar"), ("Erfurt, Stadt", "Erfurt"),
        ("Landeshauptstadt Erfurt", "Erfurt"), ("LK Kyffhäuser", "Kyffhäuserkreis"), ("UHK", "Unstrut-Hainich-Kreis"),
        ("LK Offenbach", "Landkreis Offenbach"), ("Stadt Offenbach", "Offenbach am Main"),
    ],
)
def test_county_names_become_the_canonical_ones(field: str, county: str) -> None:
    offer, warnings = convert(Landkreis=field)
    assert (offer["address"]["county"], warnings) == (county, [])
    assert offer["listing_row"]["Landkreis"] == field


@pytest.mark.parametrize("field", ["Stadt Gotha", "LK Erfurt", "Testkreis"])
def test_county_names_that_are_not_certain_stay_as_listed(field: str) -> None:
    offer, warnings = convert(Landkreis=field)
    assert offer["address"]["county"] == field
    assert warnings == [f"Landkreis: {field!r} ist kein bekannter Kreis (knowledge/counties.yaml); "
                        "das Angebot wird über PLZ und Ort gefunden, seine Zuständigkeit (service_area) bitte von "
                        "Hand eintragen"]
    assert offer.get("service_area") is None  # never guessed
    assert Gazetteer().county(field) is None


@pytest.mark.parametrize("field", ["bundesweit", "Hessen", "Thüringen"])
def test_area_words_stay_without_a_warning(field: str) -> None:
    offer, warnings = convert(Landkreis=field)
    assert (offer["address"]["county"], warnings) == (field, [])


@pytest.mark.parametrize(("field", "postcode"), [("99 706", "99706"), ("D-99706", "99706"), ("99706 ", "99706"),
                                                 ("99706 Sondershausen", "99706")])
def test_postcode_spellings(field: str, postcode: str) -> None:
    offer, warnings = convert(PLZ=field, Ort="Sondershausen")
    assert (offer["address"]["postcode"], warnings) == (postcode, [])


@pytest.mark.parametrize(
    ("field", "reason"),
    [("9867", "nur vier Ziffern"), ("10115", "keine bekannte Postleitzahl"), ("99706 Erfurt", "nicht der Ort"),
     ("PLZ fehlt", "keine fünfstellige")],
)
def test_doubtful_postcodes_are_not_guessed(field: str, reason: str) -> None:
    offer, warnings = convert(PLZ=field, Ort="Sondershausen")
    assert "postcode" not in offer["address"]
    assert offer["admin_notes"] == [f"PLZ der Liste nicht übernommen, bitte prüfen: {field}"]
    assert len(warnings) == 1 and reason in warnings[0]


def test_phone_quirks_in_the_yaml() -> None:
    offer, warnings = convert(Telefon="Tel. 03621/1234-56, Fax -57 | Mobil: 0151 12345678 | 0361-123 45 67 (Zentrale)")
    assert offer["phones"] == [
        {"number": "+493621123456", "original": "Tel. 03621/1234-56"},
        {"number": "+493621123457", "kind": "fax", "original": "Fax -57 (Tel. 03621/1234-56, Fax -57)"},
        {"number": "+4915112345678", "kind": "mobile", "original": "Mobil: 0151 12345678"},
        {"number": "+493611234567", "label": "Zentrale", "original": "0361-123 45 67 (Zentrale)"},
    ]
    assert warnings == []
    offer, warnings = convert(Telefon="Telefon: 03621 123456 / 123457")
    assert offer["phones"] == [{"number": "+493621123456", "original": "Telefon: 03621 123456"}]
    assert offer["admin_notes"] == ["Telefon der Liste nicht (ganz) übernommen, bitte prüfen: "
                                    "Telefon: 03621 123456 / 123457"]
    assert warnings == ["Telefon: Telefonnummer '123457' hat keine Vorwahl (eine Nummer beginnt mit 0 oder +49)"]


def test_default_gazetteer_is_the_shipped_one() -> None:
    geo = default_gazetteer()
    assert "99706" in geo.postcodes and geo.county("Kyffhäuser") == "Kyffhäuserkreis"


# --- a whole listing of another county, through the scripts, into offers.db -----------------------

QUIRKY = (
    "\ufeffsep=;\n"
    " nr ; Angebot ;Träger;Kategorie;Schlagworte;Zielgruppe;Beschreibung;Strasse;PLZ;Ort;Landkreis;Ansprechperson;"
    "Telefon;E-mail;Webseite;Sprechzeiten;Hinweis;Quelle;Stand;\n"
    "gth 001;Schuldnerberatung Gotha;Beispiel-Diakonie;Schuldnerberatung;Schulden, P-Konto;Familien;;Markt 1;"
    "99 867;Gotha;LK Gotha;Frau Dr. Anna Beispiel, Herr Max Muster (Leitung);"
    "Tel.: (03621) 12 34 56 oder 0170 1234567;anna[at]beispiel.de;www.beispiel.de;"
    "Mo. - Fr.: 08:00 - 12:00 Uhr;;www.beispiel.de/quelle;März 2024;\n"
    "GTH-002;Tafel Erfurt;Tafelverein;Tafel;Lebensmittel;;;;9906;Erfurt;Stadt Erfurt;Anna Beispiel und Max Muster;"
    "0361-123 45 67 (Zentrale) | Fax 0361 1234568;a@b.de, m@b.de;https://tafel.example.org;"
    "Mo-Fr 7:30-16 Uhr (Mittagspause 12-13 Uhr);;https://tafel.example.org;12.3.24;\n"
)


def _knowledge_with(tmp_path: Path, offers_yaml: Path) -> Path:
    kdir = tmp_path / "knowledge"
    (kdir / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        (kdir / name).write_bytes((KNOWLEDGE / name).read_bytes())
    (kdir / "offers" / offers_yaml.name).write_bytes(offers_yaml.read_bytes())
    return kdir


@pytest.mark.slow
def test_a_quirky_listing_is_imported_synced_and_keeps_every_field(tmp_path: Path) -> None:
    import sqlite3

    listing = tmp_path / "gotha.csv"
    listing.write_text(QUIRKY, encoding="utf-8")
    out = tmp_path / "gotha.yaml"
    done = run_import(listing, out, topics=KNOWLEDGE / "topics.yaml")
    assert done.returncode == 0, done.stderr
    assert "gotha.csv:4: PLZ: '9906' hat nur vier Ziffern (fehlt eine 0 vorn?)" in done.stdout
    assert "gotha.csv:4: Stand: '12.3.24' ist kein eindeutiges Datum (das Jahr ist zweistellig)" in done.stdout
    offers = offers_by_id(out)
    first, second = offers["gth-001"], offers["gth-002"]
    assert first["source_id"] == "gth 001"
    assert first["address"] == {"street": "Markt 1", "postcode": "99867", "city": "Gotha", "county": "Landkreis Gotha"}
    assert first["website"] == "https://www.beispiel.de"
    assert first["source"] == {"url": "https://www.beispiel.de/quelle", "date": "2024-03", "listing": "gotha.csv",
                               "retrieved": date.today().isoformat()}
    assert [(c["name"], c.get("role")) for c in first["contacts"]] == [
        ("Frau Dr. Anna Beispiel", None), ("Herr Max Muster", "Leitung")]
    # persons in a sentence: whose number is whose is not said, so the numbers stay the offer's
    assert all("phones" not in c for c in first["contacts"])
    assert [p["number"] for p in first["phones"]] == ["+493621123456", "+491701234567"]
    assert first["emails"] == ["anna@beispiel.de"]
    assert first["hours"] == {"text": "Mo. - Fr.: 08:00 - 12:00 Uhr", "osm": "Mo-Fr 08:00-12:00"}
    assert first["listing_row"]["PLZ"] == "99 867" and first["listing_row"]["Webseite"] == "www.beispiel.de"
    assert second["address"] == {"city": "Erfurt", "county": "Erfurt"}
    assert second["admin_notes"] == ["PLZ der Liste nicht übernommen, bitte prüfen: 9906",
                                     "Stand der Liste nicht übernommen: 12.3.24"]
    assert second["hours"]["osm"] == "Mo-Fr 07:30-12:00,13:00-16:00"

    db = tmp_path / "offers.db"
    sync = subprocess.run([sys.executable, "scripts/sync_offers.py", "--knowledge", str(_knowledge_with(tmp_path, out)),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    conn = sqlite3.connect(db)
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, county, state, lat IS NOT NULL, geo_approximate, website, source_date, hours_osm FROM offers")}
    assert rows == {
        "gth-001": ("Landkreis Gotha", "TH", 1, 1, "https://www.beispiel.de", "2024-03", "Mo-Fr 08:00-12:00"),
        "gth-002": ("Erfurt", "TH", 1, 1, "https://tafel.example.org", None, "Mo-Fr 07:30-12:00,13:00-16:00"),
    }
    assert conn.execute("SELECT offer_id, name, role FROM contacts ORDER BY id").fetchall() == [
        ("gth-001", "Frau Dr. Anna Beispiel", None), ("gth-001", "Herr Max Muster", "Leitung"),
        ("gth-002", "Anna Beispiel", None), ("gth-002", "Max Muster", None)]
    assert conn.execute("SELECT offer_id, contact_id, number, kind, label FROM phones ORDER BY id").fetchall() == [
        ("gth-001", None, "+493621123456", "phone", None),
        ("gth-001", None, "+491701234567", "mobile", None),
        # two persons, one voice number: the numbers stay the offer's
        ("gth-002", None, "+493611234567", "phone", "Zentrale"),
        ("gth-002", None, "+493611234568", "fax", None),
    ]


# --- property: no field content can crash the import or produce a file the sync refuses ----------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.knowledge import load_knowledge  # noqa: E402

_QUIRKS = {
    "PLZ": ["99706", "99 706", "9867", "10115", "D-99706", "99706 Sondershausen", "0", "PLZ"],
    "Landkreis": ["LK Gotha", "Stadt Erfurt", "kreisfreie Stadt Weimar", "bundesweit", "Stadt Gotha", "Hessen", "?"],
    "Telefon": ["Tel.: (03621) 12 34 56 oder 0170 1234567", "0 36 22 / 90 12-0", "Tel. 03621/123456, Fax -57",
                "Telefon: 03621 123456 / 123457", "116 117", "110", "+49(0)3621 123456", "-", "0361-", "(0)"],
    "E-Mail": ["name[at]domain.de", "a@b.de; c@d.de", "mailto:x@y.de", "@", "a@", "x (at) y (dot) de", "a@@b.de"],
    "Webseite": ["www.x.de", "https://x.de", "x", "http://", "//", "www.", "a b c"],
    "Sprechzeiten": ["Mo-Fr 7:30-16 Uhr (Mittagspause 12-13 Uhr)", "14-tägig donnerstags", "Sa/So geschlossen",
                     "24/7", "Mo 25-26", "Mo 9-12 Uhr Mittagspause 12-13 Uhr", "Mo-", "(", ")", "Mo 9-12 (im Rathaus"],
    "Stand": ["März 2024", "12.03.2024", "03/2024", "12.3.24", "2024-02-30", "0000", "9999-99", "Stand:"],
    "Ansprechperson": ["Frau Dr. Anna Beispiel, Herr Max Muster (Leitung)", "Müller, Anna", "(", "()", ",", " und ",
                       "Anna (Zimmer 3", "|", "Anna Beispiel (Leitung) (Zimmer 2)"],
}
_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def listing_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        row = {"Nr": f"PRP-{i}", "Angebot": draw(_ANY_TEXT.filter(str.strip)) , "Quelle": draw(
            st.sampled_from(["https://example.org", "www.example.org", "Flyer 2023"]))}
        for column in COLUMNS:
            if column in row:
                continue
            choices = [_ANY_TEXT] + ([st.sampled_from(_QUIRKS[column])] if column in _QUIRKS else [])
            row[column] = draw(st.one_of(*choices))
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def property_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kdir = tmp_path_factory.mktemp("prop") / "knowledge"
    (kdir / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "places.csv", "counties.yaml", "hotlines.yaml"):
        (kdir / name).write_bytes((KNOWLEDGE / name).read_bytes())
    return kdir


_MATCHER: list[TopicMatcher] = []


def _as_read(value: str) -> str:
    """A cell as read_listing gives it: line breaks as LF, stripped, without control characters and without the
    quote an export puts before a formula (bot.cells)."""
    return unmark(strip_controls(value)[0].strip()).strip()


def _real_matcher() -> TopicMatcher:
    if not _MATCHER:
        from bot.model import TopicsFile
        from bot.vocabulary import load_matcher

        topics = TopicsFile.model_validate(yaml.safe_load((KNOWLEDGE / "topics.yaml").read_text("utf-8"))).topics
        _MATCHER.append(load_matcher(topics))
    return _MATCHER[0]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(listing_rows())
def test_random_fields_never_crash_and_the_result_always_passes_the_sync_checks(
        property_knowledge: Path, data: list[dict[str, str]]) -> None:
    from bot.listing import ListingError

    listing_path = property_knowledge.parent / "zufall.csv"
    write_listing(data, listing_path)
    try:
        listing = read_listing(listing_path)
    except ListingError as exc:  # only what the listing format refuses: an empty required field, no source page
        assert all(": das Feld ist leer" in p or (": Quelle: " in p and "keine Webadresse" in p)
                   for p in exc.problems), exc.problems
        return
    out = property_knowledge / "offers" / "zufall.yaml"
    out.unlink(missing_ok=True)
    offers_file, _ = import_listing(listing, None, _real_matcher(), today=TODAY)
    out.write_text(dump_offers(offers_file), encoding="utf-8")
    # a second import over the first one: the merge must not crash either
    again, _ = import_listing(listing, load_offers_file(out), _real_matcher(), today=TODAY)
    assert dump_offers(again) == dump_offers(offers_file)
    assert len(offers_file.offers) == len(data)
    for offer, row in zip(offers_file.offers, data, strict=True):
        assert offer.listing_row is not None
        # every field of the row is kept as listed (the e-mail field as read_listing cleaned it)
        assert {c: v for c, v in offer.listing_row.items() if c in COLUMNS and c != "E-Mail"} == {
            c: _as_read(v) for c, v in row.items() if _as_read(v) and c != "E-Mail"}
    _, problems = load_knowledge(property_knowledge)
    assert [str(p) for p in problems if not p.warning] == []
