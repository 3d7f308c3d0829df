"""scripts/export_offers.py: offers.db -> county listing CSV, and back through the listing import."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from bot.importer import dump_offers, load_offers_file
from bot.listing import COLUMNS, read_listing
from bot.model import Address, Contact, Hours, Offer, OffersFile, Phone, Source
from bot.store import Store
from bot.sync import sync

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = ROOT / "knowledge" / "listings"


#: Fields the listing format has no column for (documented in scripts/export_offers.py),
#: plus the import's bookkeeping of the raw row and the file it came from.
NOT_EXPORTED = {"listing_row": True, "admin_notes": True, "source": {"listing"}}


def _script(name: str) -> ModuleType:
    """The code of scripts/<name>.py (bot/cli/<name>.py)."""
    return importlib.import_module(f"bot.cli.{name}")


def _fictional() -> OffersFile:
    """Offers no listing has (hand-written in YAML); numbers from the range reserved for fiction."""
    address = Address(street="Markt 8", postcode="99706", city="Sondershausen", county="Testkreis")
    return OffersFile(title="Test", offers=[
        Offer(id="hand-1", name="Offener Treff", provider="Testverein", address=address,
              hours=Hours(osm="Mo,We,Fr 09:00-17:00; Tu,Th 09:00-19:00"),
              contacts=[Contact(name="Erika Beispiel", role="Beraterin", room="Zimmer 12",
                                phones=[Phone(number="+493023125102")], emails=["e.beispiel@example.org"]),
                        Contact(name="Max Muster", phones=[Phone(number="+493023125103")])],
              phones=[Phone(number="+442079460958"), Phone(number="+493023125109", kind="fax")],
              source=Source(url="https://example.org/treff", date="2024-11")),
    ])


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> dict:
    """Every shipped listing (knowledge/listings) imported with scripts/import_listing.py, plus fictional offers, synced."""
    importer = _script("import_listing")
    base = tmp_path_factory.mktemp("export")
    knowledge = base / "knowledge"
    (knowledge / "offers").mkdir(parents=True)
    for name in ("topics.yaml", "counties.yaml", "places.csv"):
        shutil.copy(ROOT / "knowledge" / name, knowledge / name)
    imported: dict[str, Offer] = {}
    for listing in sorted(LISTINGS.glob("*.csv")):
        out = knowledge / "offers" / f"{listing.stem}.yaml"
        assert importer.main([str(listing), "--out", str(out), "--topics", str(knowledge / "topics.yaml")]) == 0
        imported.update({o.id: o for o in load_offers_file(out).offers})
    (knowledge / "offers" / "hand.yaml").write_text(dump_offers(_fictional()), encoding="utf-8")
    result = sync(knowledge, base / "offers.db")
    assert result.ok, [str(p) for p in result.problems]
    return {"base": base, "db": base / "offers.db", "imported": imported, "importer": importer,
            "topics": knowledge / "topics.yaml"}


def _export(pipeline: dict, out: Path, *extra: str) -> int:
    return _script("export_offers").main(["--db", str(pipeline["db"]), "--out", str(out), *extra])


def _rows(path: Path) -> dict[str, dict[str, str]]:
    return {row["Nr"]: row.values for row in read_listing(path).rows}


@pytest.mark.slow
def test_round_trip_gives_the_same_offers(pipeline, tmp_path):
    exported = tmp_path / "alle.csv"
    assert _export(pipeline, exported) == 0
    again = tmp_path / "again.yaml"
    assert pipeline["importer"].main([str(exported), "--out", str(again), "--topics", str(pipeline["topics"])]) == 0
    second = {o.id: o for o in load_offers_file(again).offers}
    first = pipeline["imported"]
    assert len(first) > 25 and set(first) <= set(second)

    def comparable(offer: Offer) -> dict:
        data = offer.model_dump(exclude=NOT_EXPORTED)
        for phone in [*data["phones"], *(p for c in data["contacts"] for p in c["phones"])]:
            phone.pop("original")  # the number as the source wrote it: the export writes one form
        return data

    for offer_id, offer in first.items():
        assert comparable(second[offer_id]) == comparable(offer), offer_id


@pytest.mark.slow
def test_listing_format_and_values(pipeline, tmp_path):
    exported = tmp_path / "kyf.csv"
    assert _export(pipeline, exported, "--county", "kyffhäuserkreis") == 0
    text = exported.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ";".join(COLUMNS)
    rows = _rows(exported)
    assert list(rows) == [f"KYF-00{n}" for n in range(1, 8)]  # listing order, one county only
    grimm = rows["KYF-002"]
    assert grimm["Angebot"] == "Sozialplanung und Armutsprävention"
    assert grimm["Ansprechperson"] == "Laura Grimm (Planungskoordinatorin für Armutsprävention)"
    assert grimm["Telefon"] == "03632 741670 | Fax 03632 74188561"
    assert grimm["E-Mail"] == "l.grimm@kyffhaeuser.de"
    assert rows["KYF-001"]["Ansprechperson"] == "Andreas Blume (Zimmer 317)"
    assert rows["KYF-001"]["Sprechzeiten"] == "Di 9-16Uhr, Do 9-16Uhr"  # the text as the county wrote it
    assert rows["KYF-003"]["Stand"] == "2019-12"
    # a field holding ";" is quoted, so the spreadsheet keeps it in one cell
    assert '"Der Landkreis beantragt beim Land Mittel zur Familienförderung und gibt sie an Projekte vor Ort ' \
           'weiter; hier wird beraten' in text


@pytest.mark.slow
def test_offers_from_other_sources(pipeline, tmp_path):
    exported = tmp_path / "test.csv"
    assert _export(pipeline, exported, "--county", "Testkreis") == 0
    [row] = _rows(exported).values()
    assert row["Nr"] == "hand-1"  # no listing id: the offer id
    assert row["Sprechzeiten"] == ("Montag, Mittwoch und Freitag 9:00–17:00 Uhr; "
                                   "Dienstag und Donnerstag 9:00–19:00 Uhr")
    assert row["Telefon"] == "030 23125102 | 030 23125103 | +44 20 7946 0958 | Fax 030 23125109"
    assert row["Ansprechperson"] == "Erika Beispiel (Beraterin, Zimmer 12) | Max Muster"
    assert row["Stand"] == "2024-11"


@pytest.mark.slow
def test_unknown_county_names_the_known_ones(pipeline, tmp_path, capsys):
    assert _export(pipeline, tmp_path / "x.csv", "--county", "Nirgendwo") == 1
    err = capsys.readouterr().err
    assert "keine Angebote im Landkreis 'Nirgendwo'" in err and "Kyffhäuserkreis" in err
    assert not (tmp_path / "x.csv").exists()


def test_missing_database(tmp_path, capsys):
    code = _script("export_offers").main(["--db", str(tmp_path / "fehlt.db"), "--out", str(tmp_path / "x.csv")])
    assert code == 1
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
def test_export_reads_only_the_database(pipeline, tmp_path):
    """The county's copy comes from offers.db alone: the knowledge files are not needed."""
    db = tmp_path / "copy.db"
    shutil.copy(pipeline["db"], db)
    exported = tmp_path / "eisenach.csv"
    assert _script("export_offers").main(["--db", str(db), "--county", "Eisenach", "--out", str(exported)]) == 0
    rows = _rows(exported)
    assert set(rows) == {o.source_id for o in Store(db).offers() if o.county == "Eisenach"}
