"""Build knowledge/places.csv and knowledge/counties.yaml from the GeoNames postal codes.

Input: ../shared/data/places/zipcodes.de.csv (GeoNames, CC BY 4.0). Output: every
municipality and PLZ of Thüringen and Hessen with its county and coordinates, and
every county with its names, abbreviations and centre. Both outputs are generated:
edit this script, not the files, and run it again.

Where the hand-maintained parts live: the ``COUNTIES`` table below (county name as
people use it, state, aliases, licence-plate codes and common short forms). The
source names counties inconsistently ("Erfurt, Stadt", "Kreisfreie Stadt Erfurt",
"Landkreis Gotha", "Gotha"), so counties are keyed by the official county key
(``community_code``); places.csv carries the table's clean name, and the data's own
county names are merged into the aliases (with umlaut-free spellings such as
"Kyffhaeuserkreis"), so that a listing writing "Kreisfreie Stadt Erfurt" still finds
Erfurt. Large-customer postal codes (organisations, not places) are dropped.

Usage: python scripts/build_places.py [--source CSV] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from bot.pipes import ends_quietly

DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data" / "places" / "zipcodes.de.csv"

#: county key -> (name, state, aliases, abbreviations). Eisenach (16056) joined the
#: Wartburgkreis in 2021: the postal data files its PLZ under the Wartburgkreis and
#: places.csv keeps that value, while the listings still name "Eisenach" as a county,
#: so Eisenach stays a county here with its centre taken from the town.
#: Abbreviations are the current licence-plate codes plus short forms in common use
#: (UHK, DADI, FFM, MKK, MTK, RTK, HTK); codes shared by two counties are given to one
#: (OF and KS to the cities). SON (Sonneberg) is left out on purpose: bot/geo.py
#: matches codes of three letters as lower-case words, and "son" is an English word.
COUNTIES: dict[str, tuple[str, str, list[str], list[str]]] = {
    "16051": ("Erfurt", "TH", ["Stadt Erfurt", "Landeshauptstadt Erfurt"], ["EF"]),
    "16052": ("Gera", "TH", ["Stadt Gera"], ["G"]),
    "16053": ("Jena", "TH", ["Stadt Jena"], ["J"]),
    "16054": ("Suhl", "TH", ["Stadt Suhl"], ["SHL"]),
    "16055": ("Weimar", "TH", ["Stadt Weimar"], ["WE"]),
    "16056": ("Eisenach", "TH", ["Stadt Eisenach", "Wartburgstadt Eisenach"], ["EA"]),
    "16061": ("Eichsfeld", "TH", ["Landkreis Eichsfeld", "Eichsfeldkreis"], ["EIC"]),
    "16062": ("Landkreis Nordhausen", "TH", ["Nordhausen", "Kreis Nordhausen"], ["NDH"]),
    "16063": ("Wartburgkreis", "TH", ["Wartburg-Kreis"], ["WAK"]),
    "16064": ("Unstrut-Hainich-Kreis", "TH", ["Unstrut-Hainich", "Unstrut Hainich Kreis"], ["UH", "UHK"]),
    "16065": ("Kyffhäuserkreis", "TH", ["Kyffhäuser", "Kyffhäuser-Kreis", "Landkreis Kyffhäuser"], ["KYF"]),
    "16066": ("Schmalkalden-Meiningen", "TH", ["Landkreis Schmalkalden-Meiningen"], ["SM"]),
    "16067": ("Landkreis Gotha", "TH", ["Gotha", "Kreis Gotha"], ["GTH"]),
    "16068": ("Landkreis Sömmerda", "TH", ["Sömmerda", "Kreis Sömmerda"], ["SÖM"]),
    "16069": ("Landkreis Hildburghausen", "TH", ["Hildburghausen"], ["HBN"]),
    "16070": ("Ilm-Kreis", "TH", ["Ilmkreis"], ["IK"]),
    "16071": ("Weimarer Land", "TH", ["Landkreis Weimarer Land"], ["AP"]),
    "16072": ("Landkreis Sonneberg", "TH", ["Sonneberg"], []),
    "16073": ("Saalfeld-Rudolstadt", "TH", ["Landkreis Saalfeld-Rudolstadt"], ["SLF"]),
    "16074": ("Saale-Holzland-Kreis", "TH", ["Saale-Holzland"], ["SHK"]),
    "16075": ("Saale-Orla-Kreis", "TH", ["Saale-Orla"], ["SOK"]),
    "16076": ("Landkreis Greiz", "TH", ["Greiz"], ["GRZ"]),
    "16077": ("Altenburger Land", "TH", ["Landkreis Altenburger Land"], ["ABG"]),
    "06411": ("Darmstadt", "HE", ["Stadt Darmstadt", "Wissenschaftsstadt Darmstadt"], ["DA"]),
    "06412": ("Frankfurt am Main", "HE", ["Frankfurt", "Stadt Frankfurt"], ["F", "FFM"]),
    "06413": ("Offenbach am Main", "HE", ["Offenbach", "Stadt Offenbach"], ["OF"]),
    "06414": ("Wiesbaden", "HE", ["Landeshauptstadt Wiesbaden", "Stadt Wiesbaden"], ["WI"]),
    "06431": ("Landkreis Bergstraße", "HE", ["Kreis Bergstraße", "Bergstraße"], ["HP"]),
    "06432": ("Darmstadt-Dieburg", "HE", ["Landkreis Darmstadt-Dieburg"], ["DADI"]),
    "06433": ("Landkreis Groß-Gerau", "HE", ["Kreis Groß-Gerau", "Groß-Gerau"], ["GG"]),
    "06434": ("Hochtaunuskreis", "HE", ["Hochtaunus"], ["HG", "HTK"]),
    "06435": ("Main-Kinzig-Kreis", "HE", ["Main-Kinzig"], ["MKK"]),
    "06436": ("Main-Taunus-Kreis", "HE", ["Main-Taunus"], ["MTK"]),
    "06437": ("Odenwaldkreis", "HE", ["Odenwald"], ["ERB"]),
    "06438": ("Landkreis Offenbach", "HE", ["Kreis Offenbach"], []),
    "06439": ("Rheingau-Taunus-Kreis", "HE", ["Rheingau-Taunus"], ["RÜD", "RTK"]),
    "06440": ("Wetteraukreis", "HE", ["Wetterau"], ["FB"]),
    "06531": ("Landkreis Gießen", "HE", ["Kreis Gießen"], ["GI"]),
    "06532": ("Lahn-Dill-Kreis", "HE", ["Lahn-Dill"], ["LDK"]),
    "06533": ("Landkreis Limburg-Weilburg", "HE", ["Limburg-Weilburg"], ["LM"]),
    "06534": ("Landkreis Marburg-Biedenkopf", "HE", ["Marburg-Biedenkopf"], ["MR"]),
    "06535": ("Vogelsbergkreis", "HE", ["Vogelsberg"], ["VB"]),
    "06611": ("Kassel", "HE", ["Stadt Kassel", "documenta-Stadt Kassel"], ["KS"]),
    "06631": ("Landkreis Fulda", "HE", ["Kreis Fulda"], ["FD"]),
    "06632": ("Landkreis Hersfeld-Rotenburg", "HE", ["Hersfeld-Rotenburg"], ["HEF"]),
    "06633": ("Landkreis Kassel", "HE", ["Kreis Kassel"], []),
    "06634": ("Schwalm-Eder-Kreis", "HE", ["Schwalm-Eder"], ["HR"]),
    "06635": ("Landkreis Waldeck-Frankenberg", "HE", ["Waldeck-Frankenberg"], ["KB"]),
    "06636": ("Werra-Meißner-Kreis", "HE", ["Werra-Meißner"], ["ESW"]),
}

STATES = {"Thüringen": "TH", "Thuringia": "TH", "Hessen": "HE", "Hesse": "HE"}

#: Large-customer postal codes name an organisation instead of a place
#: ("Commerzbank AG", "AOK - Die Gesundheitskasse in Hessen"). A place name is
#: made of capitalised words and the small connectors of German place names.
#: The organisation words are anchored so that real municipalities survive:
#: Freigericht and Linsengericht (not a court), Messel (not a fair), Kammerforst,
#: Hessisch Lichtenau, Neukirchen, Reiskirchen (not a church).
_CONNECTORS = {"am", "an", "der", "die", "im", "in", "bei", "vor", "dem", "den", "ob", "auf", "und", "unterm",
               "zum", "zur", "a.", "v.", "d."}
_PLACE_WORD = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*\.?$")
_ORGANISATION = re.compile(
    r"bank|kasse\b|versicherung|klinik|krankenhaus|hospital|zentrum|institut|verband|verein|"
    r"(?:amts|land|arbeits|sozial|verwaltungs|finanz|oberlandes)gericht|amt\b|stelle\b|"
    r"dezernat|geschäftsstelle|vorstand|deutschland|komitee|rechnungswesen|verwaltung|ministerium|"
    r"verlag|zeitung|redaktion|stadtwerke|service|universität|hochschule|agentur|zustell|\bmesse\b|zentrale|"
    r"werk\b|genossenschaft|rundfunk|magistrat|präsidium|gesundheit|finanz|medien|beihilfe|post\b|landes|"
    r"betrieb|bund\b|versicherer|anwaltschaft|gewerkschaft|fürsorge|\bkirche\b|deutsche|\bhessische|"
    r"thüringer|landkreis|kreisausschu|lotterie|aktiengesellschaft|sparkasse|labor|kammer\b|kriegsgräber|"
    r"verrechnung|buchhandlung|american|missionshaus|brauerei|dienste?\b|kommunikation|^haus\s|^gebr\.|"
    r"\bltd\b|\bthe\b",
    re.IGNORECASE,
)
#: Prefixes the data puts before a municipality's name ("Gemeinde Sulzbach (Taunus)").
_NAME_PREFIX = re.compile(r"^(?:Gemeinde|Stadt)\s+")


def clean_place_name(name: str) -> str:
    """The name as people write it: "Gemeinde Sulzbach (Taunus)" -> "Sulzbach (Taunus)"."""
    return _NAME_PREFIX.sub("", name.strip())


def is_place_name(name: str) -> bool:
    """True for "Bad Frankenhausen/Kyffhäuser", False for "Deutsche Bank AG Filiale"."""
    if _ORGANISATION.search(name):
        return False
    words = [w for w in re.split(r"[\s/(),]+", name) if w]
    return bool(words) and all(w in _CONNECTORS or _PLACE_WORD.match(w) for w in words)


def ascii_spelling(name: str) -> str:
    """ "Kyffhäuserkreis" -> "Kyffhaeuserkreis": how people type without umlauts."""
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        name = name.replace(umlaut, plain)
    return name


def _key(name: str) -> str:
    """Comparable form of a county name (case and punctuation do not matter)."""
    return " ".join(re.findall(r"\w+", name.casefold()))


def county_aliases(code: str, data_names: set[str], towns: set[str]) -> list[str]:
    """Hand aliases, then the data's own names and umlaut-free spellings.

    A data name that another county uses as its name or alias is left out (the data
    calls the Landkreis Kassel just "Kassel", which is the city's name), and so is a
    data name that is a town's name ("Fulda", "Gießen"): the place finder reads county
    names before town names, and someone typing "Fulda" means the town.
    """
    name, _, aliases, _ = COUNTIES[code]
    taken = {_key(n) for other, (n, _, a, _) in COUNTIES.items() if other != code for n in [n, *a]}
    found = [*aliases, *sorted(n for n in data_names if _key(n) not in towns)]
    found += [ascii_spelling(a) for a in [name, *found]]
    result: list[str] = []
    seen = {_key(name)}
    for alias in found:
        if _key(alias) not in seen and _key(alias) not in taken:
            seen.add(_key(alias))
            result.append(alias)
    return result


def build(source: Path) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """Rows of places.csv (sorted by PLZ, name) and the counties with their centres."""
    places: dict[tuple[str, str], dict[str, str]] = {}
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    data_names: dict[str, set[str]] = defaultdict(set)
    with source.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["community_code"]
            if STATES.get(row["state"]) is None or code not in COUNTIES:
                continue
            data_names[code].add(row["community"].strip())
            name = clean_place_name(row["place"])
            if not is_place_name(name):
                continue
            county, state, _, _ = COUNTIES[code]
            key = (row["zipcode"], name)
            if key in places:
                continue
            lat, lon = float(row["latitude"]), float(row["longitude"])
            places[key] = {
                "postcode": row["zipcode"], "name": name, "county": county, "state": state,
                "lat": f"{lat:.4f}", "lon": f"{lon:.4f}",
            }
            coords[code].append((lat, lon))
    towns = {_key(r["name"]) for r in places.values()}
    counties = []
    for code, (name, state, _, abbreviations) in COUNTIES.items():
        # Eisenach's postal codes are filed under the Wartburgkreis (its county since
        # 2021): its centre is then taken from the places that carry its name.
        points = coords.get(code) or [
            (float(r["lat"]), float(r["lon"])) for r in places.values() if r["name"] == name
        ]
        if not points:
            raise ValueError(f"no place of {name} in {source}")
        counties.append({
            "name": name, "key": code, "state": state,
            "aliases": county_aliases(code, data_names.get(code, set()), towns), "abbreviations": abbreviations,
            "lat": round(sum(p[0] for p in points) / len(points), 4),
            "lon": round(sum(p[1] for p in points) / len(points), 4),
        })
    rows = sorted(places.values(), key=lambda r: (r["postcode"], r["name"]))
    return rows, counties


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "knowledge")
    args = parser.parse_args(argv)
    rows, counties = build(args.source)
    with (args.out / "places.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["postcode", "name", "county", "state", "lat", "lon"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    header = (
        "# Counties and independent cities of Thüringen and Hessen, with the names and\n"
        "# abbreviations people use. Generated by scripts/build_places.py (edit the table\n"
        "# there); centres computed from the postal codes. Place data: GeoNames (CC BY 4.0).\n"
    )
    text = yaml.safe_dump({"attribution": "GeoNames (CC BY 4.0)", "counties": counties},
                          allow_unicode=True, sort_keys=False, width=120)
    (args.out / "counties.yaml").write_text(header + text, encoding="utf-8")
    print(f"{len(rows)} Orte/PLZ, {len(counties)} Kreise geschrieben nach {args.out}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.build_places
    raise SystemExit(main())
