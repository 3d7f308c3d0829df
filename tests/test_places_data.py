"""knowledge/places.csv and knowledge/counties.yaml: the places a question can name.

The search finds towns, postal codes and counties only through these files, so a
missing town or a bank's postal code filed as a "place" shows up as a wrong answer.
"""

from __future__ import annotations

import csv
import importlib
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "knowledge" / "places.csv"
COUNTIES = ROOT / "knowledge" / "counties.yaml"

#: Bounding boxes with a small margin: every place of the state lies inside.
STATE_BOX = {"TH": (50.15, 51.70, 9.80, 12.70), "HE": (49.35, 51.70, 7.70, 10.30)}
GERMANY = (47.2, 55.1, 5.8, 15.1)


def _load_script() -> ModuleType:
    """scripts/build_places.py's code (bot/cli/build_places.py)."""
    return importlib.import_module("bot.cli.build_places")


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    with PLACES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def counties() -> list[dict]:
    return yaml.safe_load(COUNTIES.read_text(encoding="utf-8"))["counties"]


def _find(places: list[dict[str, str]], name: str, postcode: str | None = None) -> list[dict[str, str]]:
    return [p for p in places if p["name"] == name and (postcode is None or p["postcode"] == postcode)]


def test_header_is_the_sync_contract() -> None:
    assert PLACES.read_text(encoding="utf-8").splitlines()[0] == "postcode,name,county,state,lat,lon"


@pytest.mark.parametrize(
    ("name", "postcode", "county", "state"),
    [
        ("Sondershausen", "99706", "Kyffhäuserkreis", "TH"),
        ("Artern", "06556", "Kyffhäuserkreis", "TH"),
        ("Bad Frankenhausen", "06567", "Kyffhäuserkreis", "TH"),
        ("Meiningen", "98617", "Schmalkalden-Meiningen", "TH"),
        ("Bad Langensalza", "99947", "Unstrut-Hainich-Kreis", "TH"),
        ("Eisenach", "99817", "Wartburgkreis", "TH"),  # the data's value since 2021
        ("Kassel", "34117", "Kassel", "HE"),
        ("Frankfurt am Main", "60311", "Frankfurt am Main", "HE"),
        ("Freigericht", "63579", "Main-Kinzig-Kreis", "HE"),
        ("Hessisch Lichtenau", "37235", "Werra-Meißner-Kreis", "HE"),
        ("Neukirchen", "34626", "Schwalm-Eder-Kreis", "HE"),
    ],
)
def test_known_places(places, name, postcode, county, state) -> None:
    rows = _find(places, name, postcode)
    assert rows, f"{postcode} {name} missing"
    assert (rows[0]["county"], rows[0]["state"]) == (county, state)


def test_muehlhausen_has_its_postcode(places) -> None:
    rows = [p for p in places if p["postcode"] == "99974"]
    assert any(p["name"].startswith("Mühlhausen") for p in rows)
    assert {p["county"] for p in rows} == {"Unstrut-Hainich-Kreis"}


def test_big_cities_are_in_hessen(places) -> None:
    for city in ("Frankfurt am Main", "Kassel", "Wiesbaden", "Darmstadt"):
        rows = _find(places, city)
        assert rows and {r["state"] for r in rows} == {"HE"}, city


def test_no_organisation_rows(places) -> None:
    organisation = re.compile(
        r"GmbH|\bAG\b|e\.V\.|Deutsche Post|Amtsgericht|Verwaltung|Bank|Versicherung|Sparkasse|Klinik|"
        r"Universität|Finanzamt|Magistrat|Agentur|Hospital|Stelle\b|Ltd", re.IGNORECASE)
    bad = [p["name"] for p in places if organisation.search(p["name"])]
    assert bad == []


def test_rows_are_complete_unique_and_inside_their_state(places) -> None:
    keys = Counter((p["postcode"], p["name"]) for p in places)
    assert [k for k, n in keys.items() if n > 1] == []
    assert len(places) > 1500
    for p in places:
        assert re.fullmatch(r"\d{5}", p["postcode"]), p
        assert p["state"] in STATE_BOX, p
        lat, lon = float(p["lat"]), float(p["lon"])
        assert GERMANY[0] < lat < GERMANY[1] and GERMANY[2] < lon < GERMANY[3], p
        south, north, west, east = STATE_BOX[p["state"]]
        assert south < lat < north and west < lon < east, p


def test_every_county_has_places_and_counties_cover_both_states(places, counties) -> None:
    names = {c["name"] for c in counties}
    assert {p["county"] for p in places} <= names
    by_state = Counter(c["state"] for c in counties)
    # 17 Landkreise + 6 cities (Eisenach counted as in the listings) / 21 Landkreise + 5 cities
    assert by_state == {"TH": 23, "HE": 26}
    for county in counties:
        if county["name"] != "Eisenach":
            assert any(p["county"] == county["name"] for p in places), county["name"]


def test_counties_have_centres_inside_their_state(counties) -> None:
    for county in counties:
        south, north, west, east = STATE_BOX[county["state"]]
        assert south < county["lat"] < north and west < county["lon"] < east, county["name"]


def test_county_names_aliases_and_codes(counties) -> None:
    by_name = {c["name"]: c for c in counties}
    assert "KYF" in by_name["Kyffhäuserkreis"]["abbreviations"]
    assert "Kyffhaeuserkreis" in by_name["Kyffhäuserkreis"]["aliases"]
    assert {"UH", "UHK"} <= set(by_name["Unstrut-Hainich-Kreis"]["abbreviations"])
    assert "Kreisfreie Stadt Erfurt" in by_name["Erfurt"]["aliases"]
    # The data calls the Landkreis Kassel "Kassel": that name must stay the city's.
    assert "Kassel" not in by_name["Landkreis Kassel"]["aliases"]
    assert "Offenbach" not in by_name["Landkreis Offenbach"]["aliases"]
    # ... and "Fulda" stays the town's: the data's bare county names that are towns are left out.
    assert "Fulda" not in by_name["Landkreis Fulda"]["aliases"]
    assert "Gießen" not in by_name["Landkreis Gießen"]["aliases"]
    written = Counter()
    for county in counties:
        for label in [county["name"], *county["aliases"], *county["abbreviations"]]:
            written[label.casefold()] += 1
    assert [label for label, n in written.items() if n > 1] == []


def test_attribution() -> None:
    text = COUNTIES.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["attribution"] == "GeoNames (CC BY 4.0)"


@pytest.mark.parametrize(
    ("name", "is_place"),
    [
        ("Bad Frankenhausen/Kyffhäuser", True),
        ("Frankfurt am Main", True),
        ("Lengenfeld unterm Stein", True),
        ("Linsengericht", True),
        ("Messel", True),
        ("Reiskirchen", True),
        ("Deutsche Bank AG Filiale", False),
        ("Amtsgericht Kassel", False),
        ("AOK - Die Gesundheitskasse in Hessen", False),
        ("Bußgeldstelle", False),
        ("Köstritzer Schwarzbierbrauerei", False),
        ("The Bradford Exchange, Ltd.", False),
    ],
)
def test_organisation_filter(name: str, is_place: bool) -> None:
    assert _load_script().is_place_name(name) is is_place


def test_generated_files_match_the_source(tmp_path: Path) -> None:
    """The committed files are what the script makes of the shared data (no hand edits)."""
    module = _load_script()
    if not module.DEFAULT_SOURCE.exists():
        pytest.skip(f"the GeoNames source {module.DEFAULT_SOURCE} is not on this machine (it is not shipped: 2 MB); "
                    "scripts/build_places.py --source FILE rebuilds knowledge/places.csv from a download")
    assert module.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "places.csv").read_bytes() == PLACES.read_bytes()
    assert (tmp_path / "counties.yaml").read_bytes() == COUNTIES.read_bytes()
