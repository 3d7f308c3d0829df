"""HSDS import on the official Open Referral examples, and offers.db -> HSDS -> offers round trips."""

from __future__ import annotations

import csv
import importlib
import json
import shutil
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from bot.hsds import (
    HsdsError,
    load_hsds_offers,
    offers_to_hsds,
    osm_to_spans,
    read_hsds,
    schedules_to_hours,
    to_service_list,
    write_datapackage,
)
from bot.importer import dump_offers
from bot.model import Address, Contact, Geo, Hours, Offer, OffersFile, Phone, Source
from bot.store import Store
from bot.sync import sync

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "data" / "hsds" / "spec-v3-examples"
LISTINGS = ROOT / "knowledge" / "listings"
TODAY = date(2025, 6, 1)
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"



def _script(name: str) -> ModuleType:
    """The code of scripts/<name>.py (bot/cli/<name>.py)."""
    return importlib.import_module(f"bot.cli.{name}")


# --- the official examples ---------------------------------------------------------


@pytest.fixture(scope="module")
def csv_import():
    return load_hsds_offers(EXAMPLES / "csv", listing="csv", today=TODAY)


def test_csv_datapackage_gives_the_example_service(csv_import):
    [offer] = csv_import.offers
    assert offer.id == "hsds-ac148810"
    assert offer.source_id == SERVICE_ID
    assert offer.name == "Community Counselling"
    assert offer.provider == "Example Organization Inc."
    assert offer.keywords == ["MyCity Counselling Services"]
    assert offer.description.startswith("Counselling Services provided by trained professionals.")
    assert offer.website == "http://example.com/counselling"
    assert offer.emails == ["email@example.com"]
    assert offer.source.url == "http://example.com/counselling"
    assert offer.source.date == "2023-03-15"
    assert offer.note.startswith("Following COVID-19 we have moved")
    assert "lunch break" in offer.note  # the schedule's notes


def test_phone_with_literal_quotes_is_kept_as_valid_e164(csv_import):
    [offer] = csv_import.offers
    [phone] = offer.phones
    assert phone.number == "+441234234567"
    assert phone.original == '"+44 1234 234567"'
    assert phone.label == "Durchwahl 100"
    [contact] = offer.contacts
    assert contact.name == "Ann Persona"
    assert contact.role == "Reception Manager, Reception"
    assert contact.emails == ["email@example.com"]
    assert [p.number for p in contact.phones] == ["+441234234567"]
    # the long phone description is kept for the admin
    assert any(n.startswith("Telefon +44 1234 234567: Our main reception phone number") for n in offer.admin_notes)


def test_address_outside_germany_is_kept_without_postcode_and_flagged(csv_import):
    [offer] = csv_import.offers
    assert offer.address == Address(street="1-30 Main Street, MyVillage", postcode=None, city="MyCity",
                                    county="MyRegion")
    assert offer.geo is None  # latitude 100 is impossible
    assert "Postleitzahl aus HSDS nicht übernommen: ABC 1234" in offer.admin_notes
    assert "die Adresse liegt nicht in Deutschland (US)" in offer.admin_notes
    assert "Koordinaten 100, 101 sind ungültig und wurden nicht übernommen" in offer.admin_notes


def test_contradicting_schedule_stays_text_with_warnings(csv_import):
    [offer] = csv_import.offers
    assert offer.hours.text == ("The service is available from 10 am to 6pm weekdays. "
                                "The service is not available on public holidays.")
    assert offer.hours.osm is None
    assert offer.hours.by_appointment  # "ring our reception to arrange an appointment"
    warnings = "\n".join(csv_import.warnings)
    assert "nennt die Tage Mo, Di, Mi, Do, Fr, die Wiederholungsfelder (byday) Do, Fr" in warnings
    assert "timezone=3: die Zeiten gelten in einer anderen Zeitzone" in warnings
    assert "valid_to=2005-01-01: der Plan ist abgelaufen" in warnings
    assert "byweekno=41,42" in warnings
    assert any(n.startswith("Öffnungszeiten aus HSDS nicht strukturiert übernommen") for n in offer.admin_notes)


def test_broken_datapackage_descriptor_is_reported_and_tables_still_read(csv_import):
    assert any("datapackage.json: keine gültige Paketbeschreibung" in w for w in csv_import.warnings)


@pytest.mark.parametrize("name", ["service_full.json", "organization_full.json", "service_at_location_full.json"])
def test_json_examples_give_the_same_offer_as_the_csv(csv_import, name):
    result = load_hsds_offers(EXAMPLES / name, listing="csv", today=TODAY)
    assert result.offers == csv_import.offers


def test_service_list_page_gives_the_summary_and_warns_about_missing_pages():
    result = load_hsds_offers(EXAMPLES / "service_list.json", today=TODAY)
    [offer] = result.offers
    assert (offer.name, offer.provider) == ("Community Counselling", "Example Organization Inc.")
    assert offer.phones == [] and offer.hours == Hours(text=None, osm=None, by_appointment=True)
    assert "die Datei ist Seite 1 von 10; die übrigen Seiten fehlen" in result.warnings


@pytest.mark.parametrize("name", ["organization_list.json", "location.json"])
def test_files_without_services_are_refused(name):
    with pytest.raises(HsdsError, match="keine Dienste"):
        load_hsds_offers(EXAMPLES / name, today=TODAY)


def test_unreadable_json_is_refused(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(HsdsError, match="kein lesbares JSON"):
        read_hsds(broken)


def _copy_example(tmp_path: Path, **schedule: str) -> Path:
    """The CSV example with a cleaned-up schedule (the official one has every quirk at once)."""
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    path = folder / "schedules.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = rows[0]
    for key in ("valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst", "byweekno",
                "bymonthday", "byyearday"):
        row[key] = ""
    row.update(schedule)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return folder


def test_consistent_schedule_becomes_osm(tmp_path):
    folder = _copy_example(tmp_path, byday="MO,TU,WE,TH,FR")
    [offer] = load_hsds_offers(folder, today=TODAY).offers
    assert offer.hours.osm == "Mo-Fr 10:00-18:00"
    assert not any(n.startswith("Öffnungszeiten") for n in offer.admin_notes)


def test_german_description_contradicting_the_recurrence_is_not_guessed(tmp_path):
    folder = _copy_example(tmp_path, byday="MO", description="Di 9-12 Uhr")
    result = load_hsds_offers(folder, today=TODAY)
    assert result.offers[0].hours == Hours(text="Di 9-12 Uhr", osm=None, by_appointment=True)
    assert any("Widerspruch: die Beschreibung 'Di 9-12 Uhr' ergibt Tu 09:00-12:00, die Wiederholungsfelder "
               "Mo 10:00-18:00" in w for w in result.warnings)


# --- schedules and phones in detail ----------------------------------------------------


def _hours(*schedules: dict) -> tuple[Hours, list[str]]:
    return schedules_to_hours(list(schedules), TODAY)


def test_monthly_nth_weekdays():
    hours, problems = _hours({"freq": "MONTHLY", "byday": "2WE,4WE", "opens_at": "10:00", "closes_at": "12:00"})
    assert (hours.osm, problems) == ("We[2,4] 10:00-12:00", [])


def test_several_schedules_are_combined_per_day():
    hours, problems = _hours(
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "08:00:00", "closes_at": "12:00:00"},
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "13:00:00", "closes_at": "16:00:00"},
        {"freq": "WEEKLY", "byday": "FR", "opens_at": "08:00:00", "closes_at": "12:00:00", "timezone": 1},
    )
    assert (hours.osm, problems) == ("Mo-Th 08:00-12:00,13:00-16:00; Fr 08:00-12:00", [])


def test_round_the_clock_with_german_description():
    hours, problems = _hours({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00",
                              "closes_at": "23:59", "description": "rund um die Uhr"})
    assert (hours.osm, hours.text, problems) == ("24/7", "rund um die Uhr", [])


def test_description_with_holidays_keeps_them():
    hours, _ = _hours({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "08:00", "closes_at": "12:00",
                       "description": "Mo–Fr 8–12 Uhr, an Feiertagen geschlossen"})
    assert hours.osm == "Mo-Fr 08:00-12:00; PH off"


@pytest.mark.parametrize(("extra", "reason"), [
    ({"interval": 2}, "interval=2"),
    ({"opens_at": "10:00Z"}, "Uhrzeit mit Zeitzone Z"),
    ({"valid_from": "2030-01-01"}, "der Plan gilt erst später"),
    ({"byday": "2MO"}, "braucht freq=MONTHLY"),
    ({"closes_at": "09:00"}, "liegt nicht nach opens_at"),
])
def test_recurrences_osm_cannot_say_are_refused(extra, reason):
    schedule = {"freq": "WEEKLY", "byday": "MO", "opens_at": "10:00", "closes_at": "12:00", **extra}
    hours, problems = _hours(schedule)
    assert hours.osm is None
    assert any(reason in p for p in problems)


def test_description_only_schedule_is_read_like_a_listing():
    hours, problems = _hours({"description": "Di und Do 9-16 Uhr"})
    assert (hours.osm, problems) == ("Tu,Th 09:00-16:00", [])


def test_osm_that_overrides_itself_is_not_split_into_schedules():
    assert osm_to_spans("Mo-Fr 08:00-12:00; We 14:00-16:00") is None
    assert osm_to_spans("Tu,Th 09:00-16:00; PH off") == [(1, None, 540, 960), (3, None, 540, 960)]


def _phones_import(tmp_path: Path, number: str, kind: str = "voice", country: str = "DE") -> Offer:
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    for table, changes in (("phones.csv", {"number": number, "type": kind, "extension": ""}),
                           ("addresses.csv", {"country": country, "postal_code": "99706"})):
        path = folder / table
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows[0].update(changes)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return load_hsds_offers(folder, today=TODAY).offers[0]


def test_german_fax_number_without_country_code(tmp_path):
    offer = _phones_import(tmp_path, "03632/741528", kind="fax")
    assert [(p.number, p.kind) for p in offer.phones] == [("+493632741528", "fax")]
    assert offer.address.postcode == "99706"


def test_unreadable_number_goes_to_admin_notes_not_phones(tmp_path):
    offer = _phones_import(tmp_path, "Zentrale 12", country="GB")
    assert offer.phones == [] and offer.contacts[0].phones == []
    assert "Telefon aus HSDS nicht übernommen, bitte prüfen: Zentrale 12" in offer.admin_notes


# --- round trip: offers.db -> HSDS -> offers -----------------------------------------


def _fictional_offers() -> OffersFile:
    """Offers with every shape the export must carry; numbers from the range reserved for fiction."""
    source = Source(url="https://example.org/angebote", date="2025-01-15")
    address = Address(street="Markt 8", postcode="99706", city="Sondershausen", county="Kyffhäuserkreis")
    return OffersFile(title="Test", offers=[
        Offer(id="t-monat", name="Sprechstunde im Monat", provider="Testträger", address=address,
              hours=Hours(text="jeden 2. und 4. Mittwoch im Monat 10–12 Uhr", osm="We[2,4] 10:00-12:00"),
              phones=[Phone(number="+493023125101", label="Zentrale"), Phone(number="+493023125109", kind="fax")],
              emails=["beratung@example.org"], source=source,
              geo=Geo(lat=51.37, lon=10.87, approximate=False)),
        Offer(id="t-feiertag", name="Beratung werktags", provider="Testträger", address=address,
              hours=Hours(text="Mo–Fr 8–12 Uhr, an Feiertagen geschlossen", osm="Mo-Fr 08:00-12:00; PH off"),
              contacts=[
                  Contact(name="Erika Beispiel", role="Beraterin", room="Zimmer 12",
                          phones=[Phone(number="+493023125102", label="Durchwahl 12")],
                          emails=["e.beispiel@example.org"]),
                  Contact(name="Max Muster", role="Leiter", phones=[Phone(number="+493023125103")]),
              ],
              note="Bitte vorher einen Termin ausmachen.", source=source),
        Offer(id="t-nur-osm", name="Treff ohne Text", address=address,
              hours=Hours(osm="Mo,We,Fr 09:00-17:00; Tu,Th 09:00-19:00"), source=source),
        Offer(id="t-text", name="Sprechstunde vierzehntägig", address=address,
              hours=Hours(text="dienstags 14-tägig 9-12 Uhr"), source=Source(url="https://example.org/x")),
    ])


@pytest.fixture(scope="module")
def offers_db(tmp_path_factory) -> Store:
    """Shared listings and fictional offers, imported and synced into a fresh offers.db."""
    importer = _script("import_listing")
    base = tmp_path_factory.mktemp("hsds")
    knowledge = base / "knowledge"
    (knowledge / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "counties.yaml", "places.csv"):
        shutil.copy(ROOT / "knowledge" / name, knowledge / name)
    for listing in sorted(LISTINGS.glob("*.csv")):
        assert importer.main([str(listing), "--out", str(knowledge / "offers" / f"{listing.stem}.yaml"),
                              "--topics", str(knowledge / "topics.yaml")]) == 0
    (knowledge / "offers" / "test.yaml").write_text(dump_offers(_fictional_offers()), encoding="utf-8")
    result = sync(knowledge, base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return Store(base / "offers.db")


def _essentials(offer) -> dict:
    """Names, phones, contacts, addresses and hours of an offer record or model."""
    if isinstance(offer, Offer):
        return {
            "name": offer.name, "provider": offer.provider, "description": offer.description,
            "address": (offer.address.street, offer.address.postcode, offer.address.city, offer.address.county),
            "phones": [(p.number, p.kind, p.label) for p in offer.phones],
            "contacts": [(c.name, c.role, c.room, list(c.emails), [(p.number, p.kind, p.label) for p in c.phones])
                         for c in offer.contacts],
            "emails": list(offer.emails), "website": offer.website, "note": offer.note,
            "hours": (offer.hours.text, offer.hours.osm, offer.hours.by_appointment),
            "area": (offer.service_area.kind, list(offer.service_area.regions)) if offer.service_area else None,
        }
    return {
        "name": offer.name, "provider": offer.provider, "description": offer.description,
        "address": (offer.street, offer.postcode, offer.city, offer.county),
        "phones": [(p.number, p.kind, p.label) for p in offer.phones],
        "contacts": [(c.name, c.role, c.room, list(c.emails), [(p.number, p.kind, p.label) for p in c.phones])
                     for c in offer.contacts],
        "emails": list(offer.emails), "website": offer.website, "note": offer.note,
        "hours": (offer.hours_text, offer.hours_osm, offer.by_appointment),
        "area": (offer.service_area, list(offer.service_regions)) if offer.service_area else None,
    }


@pytest.mark.slow
@pytest.mark.parametrize("form", ["datapackage", "json"])
def test_round_trip_gives_the_same_offers(offers_db, tmp_path, form):
    records = offers_db.offers()
    data = offers_to_hsds(records)
    if form == "datapackage":
        write_datapackage(data, tmp_path / "hsds")
        source = tmp_path / "hsds"
    else:
        source = tmp_path / "services.json"
        source.write_text(json.dumps(to_service_list(data), ensure_ascii=False), encoding="utf-8")
    # the source page: some offers have no website, and a file name is no source (issue 11, 11)
    result = load_hsds_offers(source, today=TODAY, source_url="https://portal.example.org/hsds")
    assert len(result.offers) == len(records) > 30
    for record, offer in zip(records, result.offers, strict=True):
        assert _essentials(offer) == _essentials(record), record.id
    by_name = {o.name: o for o in result.offers}
    assert by_name["Sprechstunde im Monat"].hours.osm == "We[2,4] 10:00-12:00"
    assert by_name["Sprechstunde im Monat"].geo == Geo(lat=51.37, lon=10.87, approximate=False)
    assert by_name["Beratung werktags"].contacts[0].phones[0].label == "Durchwahl 12"
    assert by_name["Treff ohne Text"].hours.osm == "Mo,We,Fr 09:00-17:00; Tu,Th 09:00-19:00"
    assert by_name["Sprechstunde vierzehntägig"].hours.osm is None


@pytest.mark.slow
def test_export_tables_hold_what_partners_read(offers_db, tmp_path):
    files = write_datapackage(offers_to_hsds(offers_db.offers(["t-feiertag", "t-monat"])), tmp_path)
    assert {f.name for f in files} == {
        "organizations.csv", "services.csv", "locations.csv", "addresses.csv", "phones.csv", "schedules.csv",
        "contacts.csv", "service_at_location.csv", "service_areas.csv", "datapackage.json"}
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]][:2] == ["organizations.csv", "services.csv"]
    with (tmp_path / "phones.csv").open(encoding="utf-8") as fh:
        phones = list(csv.DictReader(fh))
    assert {(p["number"], p["type"], p["extension"]) for p in phones} == {
        ("+49 30 23125102", "voice", "12"), ("+49 30 23125103", "voice", ""),
        ("+49 30 23125101", "voice", ""), ("+49 30 23125109", "fax", "")}
    with (tmp_path / "schedules.csv").open(encoding="utf-8") as fh:
        schedules = {(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in csv.DictReader(fh)}
    assert schedules == {("WEEKLY", "MO,TU,WE,TH,FR", "08:00", "12:00"), ("MONTHLY", "2WE,4WE", "10:00", "12:00")}
    with (tmp_path / "addresses.csv").open(encoding="utf-8") as fh:
        [address, _] = list(csv.DictReader(fh))
    assert (address["address_1"], address["postal_code"], address["region"], address["state_province"],
            address["country"]) == ("Markt 8", "99706", "Kyffhäuserkreis", "Thüringen", "DE")


@pytest.mark.slow
def test_service_area_maps_both_ways(offers_db, tmp_path):
    """Whom an offer serves is HSDS ``service_areas``: one row per region, the kind in its description."""
    records = offers_db.offers(["kyf-003", "he-001", "bw-001"])
    folder = _write(offers_to_hsds(records), tmp_path / "hsds")
    with (folder / "service_areas.csv").open(encoding="utf-8") as fh:
        rows = {(r["name"], r["description"]) for r in csv.DictReader(fh)}
    assert rows == {("Kyffhäuserkreis", "Landkreis oder kreisfreie Stadt"), ("Hessen", "Land"),
                    ("bundesweit", "bundesweit")}
    areas = {o.name: (o.service_area.kind, o.service_area.regions)
             for o in load_hsds_offers(folder, source_url="https://www.example.org/hsds", today=TODAY).offers}
    assert areas == {"Tafel Sondershausen": ("counties", ["Kyffhäuserkreis"]),
                     "Landesprogramm Gemeinwesenarbeit": ("state", ["Hessen"]),
                     "TelefonSeelsorge": ("nationwide", [])}


def test_an_unknown_service_area_is_flagged_not_guessed():
    # the official example serves "the MyCity area": no region of Thüringen or Hessen
    result = load_hsds_offers(EXAMPLES / "csv", listing="csv", today=TODAY)
    [offer] = result.offers
    assert any("Zuständigkeit (service_area)" in w for w in result.warnings)
    assert any("Zuständigkeit aus HSDS nicht übernommen" in n for n in offer.admin_notes)


@pytest.mark.slow
def test_export_ids_are_stable(offers_db, tmp_path):
    write_datapackage(offers_to_hsds(offers_db.offers()), tmp_path / "a")
    write_datapackage(offers_to_hsds(offers_db.offers()), tmp_path / "b")
    for name in ("services.csv", "phones.csv", "schedules.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_offer_imported_from_hsds_keeps_its_service_id(tmp_path):
    import_script = _script("import_hsds")
    knowledge = tmp_path / "knowledge"
    (knowledge / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "counties.yaml", "places.csv"):
        shutil.copy(ROOT / "knowledge" / name, knowledge / name)
    out = knowledge / "offers" / "hsds.yaml"
    assert import_script.main([str(EXAMPLES / "csv"), "--out", str(out), "--today", "2025-06-01",
                               "--topics", str(knowledge / "topics.yaml")]) == 0
    assert sync(knowledge, tmp_path / "offers.db").ok
    data = offers_to_hsds(Store(tmp_path / "offers.db").offers())
    assert list(data.tables["services"]) == [SERVICE_ID]
    [offer] = load_hsds_offers(_write(data, tmp_path / "again"), today=TODAY).offers
    assert offer.id == "hsds-ac148810"
    assert [p.number for p in offer.phones] == ["+441234234567"]


def _write(data, folder: Path) -> Path:
    write_datapackage(data, folder)
    return folder


# --- the scripts ---------------------------------------------------------------------


def test_import_script_writes_yaml_and_keeps_hand_added_offers(tmp_path, capsys):
    import_script = _script("import_hsds")
    out = tmp_path / "offers" / "hsds.yaml"
    hand = Offer(id="von-hand", name="Von Hand ergänzt", source=Source(url="https://example.org"))
    out.parent.mkdir()
    out.write_text(dump_offers(OffersFile(title="Partnerportal", offers=[hand])), encoding="utf-8")
    code = import_script.main([str(EXAMPLES / "service_full.json"), "--out", str(out), "--today", "2025-06-01",
                               "--source-url", "https://portal.example.org/hsds"])
    assert code == 0
    written = OffersFile.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert written.title == "Partnerportal"
    assert [o.id for o in written.offers] == ["hsds-ac148810", "von-hand"]
    assert written.offers[0].source.url == "https://portal.example.org/hsds"
    printed = capsys.readouterr().out
    assert "service_full.json -> " in printed and "+ hsds-ac148810" in printed
    assert "! Community Counselling" in printed


def test_import_script_refuses_files_without_services(tmp_path, capsys):
    import_script = _script("import_hsds")
    code = import_script.main([str(EXAMPLES / "location.json"), "--out", str(tmp_path / "x.yaml")])
    assert code == 1
    assert "keine Dienste (services) gefunden" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.slow
def test_export_script_writes_package_and_json(offers_db, tmp_path, capsys):
    export_script = _script("export_hsds")
    code = export_script.main(["--db", str(offers_db.path), "--county", "kyffhäuserkreis",
                               "--out", str(tmp_path / "pkg"), "--json", str(tmp_path / "s.json")])
    assert code == 0
    page = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    names = [s["name"] for s in page["contents"]]
    assert "Sozialplanung und Armutsprävention" in names and "Tafel Artern" in names
    assert page["total_items"] == len(names)
    grimm = next(s for s in page["contents"] if s["name"] == "Sozialplanung und Armutsprävention")
    assert grimm["organization"]["name"] == "Landratsamt Kyffhäuserkreis, Jugend- und Sozialamt"
    assert [(p["number"], p["type"]) for p in grimm["phones"]] == [("+49 3632 74188561", "fax")]
    [laura] = grimm["contacts"]
    assert (laura["name"], [p["number"] for p in laura["phones"]]) == ("Laura Grimm", ["+49 3632 741670"])
    assert (tmp_path / "pkg" / "services.csv").exists()
    assert "Angebote -> " in capsys.readouterr().out
