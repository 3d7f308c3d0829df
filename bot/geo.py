"""Places in questions: postal codes, towns (also misspelled), counties and their abbreviations.

Built per database generation from the ``places`` and ``counties`` tables. Town
names are matched as word sequences of the question ("bad frankenhausen"), with
rapidfuzz only against the list of place names (never the offers) for typos.
Short county codes such as "EA" or "DA" are also German words ("da"), so codes of
one or two letters count only when typed in capitals.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.normalize import normalize, words

_PLZ = re.compile(r"\b(\d{5})\b")
#: Words that are also town names somewhere in Thüringen or Hessen, or too short to trust.
_NOT_PLACES = {
    "sinn", "ohne", "berg", "au", "haina", "tann", "mark", "linden", "grund", "hain", "steinbach", "wald",
    "hof", "ort", "rain", "heide", "lohra", "lich", "wehr", "elend", "schmiede", "ebersberg", "holz",
    "hilfe", "alt", "neu", "wolf", "nieder", "ober", "unter", "ost", "west", "sud", "nord", "bad", "stadt",
    "kreis", "land", "landkreis", "gemeinde", "dorf", "markt",
}
_COUNTY_WORDS = {"landkreis", "kreis", "lk", "lkr"}
#: First words of town names that people leave out or shorten: "Salzungen" for Bad Salzungen,
#: "Lichtenau" and "Hess. Lichtenau" for Hessisch Lichtenau (canonical words -> shortened forms).
_NAME_PREFIXES = {"bad": ("",), "hessisch": ("", "hess"), "sankt": ("st",)}
#: A town's name without its first word counts only when this long (not "orb", "konig").
_MIN_SHORT_NAME = 6
#: Words before a place name that make it one: "in langen", "bei schotten", "nahe wetter".
_LOCATIVE = {"in", "im", "bei", "nach", "aus", "um", "von", "nahe", "nah", "raum", "umgebung", "richtung", "ort",
             "stadt", "gemeinde", "landkreis", "kreis", "umkreis"}


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    county: str | None = None
    state: str | None = None
    postcode: str | None = None
    #: "town", "postcode", "county" or "point" (a shared location).
    kind: str = "town"
    #: False for a town whose name is also an everyday word ("wetter") typed without "in"/"bei".
    certain: bool = True
    #: A county that is one town (kreisfreie Stadt: Erfurt, Kassel): "in Erfurt", not "im Landkreis".
    city: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _base_name(name: str) -> str:
    """"Mühlhausen/Thüringen" -> "Mühlhausen", "Neundorf (bei Schleiz)" -> "Neundorf"."""
    return re.split(r"\s*[/(]", name)[0].strip()


PlaceRow = tuple[str, str, str, float, float, str | None, str | None, str | None]


def place_rows(conn: sqlite3.Connection) -> list[PlaceRow]:
    """The lookup keys of every place, worked out once when the database is built (the
    search command reads them without normalising two thousand names at each start):
    (namespace, key, name, lat, lon, county, state, postcode) with namespace "postcode",
    "town" (key: canonical words), "county" (name, alias or code of three letters and
    more) or "code" (one or two capitals, kept as typed)."""
    # A postcode covers several villages; it stands for the town the offers there name
    # as their city (99310 is Arnstadt, not Alkersleben), else its first place.
    main_town = {postcode: normalize(city) for postcode, city, _ in conn.execute(
        "SELECT postcode, city, count(*) AS n FROM offers WHERE postcode IS NOT NULL AND city IS NOT NULL "
        "GROUP BY postcode, city ORDER BY n, city DESC")}
    postcodes: dict[str, PlaceRow] = {}
    towns: dict[str, PlaceRow] = {}
    rows = conn.execute("SELECT postcode, name, county, state, lat, lon FROM places ORDER BY state DESC, postcode")
    for postcode, name, county, state, lat, lon in rows:
        base = _base_name(name)
        row: PlaceRow = ("postcode", postcode, base, lat, lon, county, state, postcode)
        if main_town.get(postcode) in (normalize(name), normalize(base)):
            postcodes[postcode] = row
        else:
            postcodes.setdefault(postcode, row)
        for variant in {name, base, name.replace("Heilbad ", "")}:
            key = normalize(variant)
            if key:
                towns.setdefault(key, ("town", key, base, lat, lon, county, state, postcode))
    # Shortened names come after every full name: a town really called "Lichtenau" keeps its name.
    for key, row in list(towns.items()):
        first, _, rest = key.partition(" ")
        for short in _NAME_PREFIXES.get(first, ()) if rest else ():
            variant = f"{short} {rest}".strip()
            if len(rest.replace(" ", "")) >= _MIN_SHORT_NAME:
                towns.setdefault(variant, ("town", variant, *row[2:]))
    counties: dict[tuple[str, str], PlaceRow] = {}
    for name, state, aliases, abbreviations, lat, lon in conn.execute(
        "SELECT name, state, aliases, abbreviations, lat, lon FROM counties"
    ):
        if lat is None:
            continue
        for alias in [name, *json.loads(aliases or "[]")]:
            key = normalize(alias)
            counties.setdefault(("county", key), ("county", key, name, lat, lon, name, state, None))
        for code in json.loads(abbreviations or "[]"):
            key = normalize(code)
            namespace, key = ("county", key) if len(key) >= 3 else ("code", code)
            counties.setdefault((namespace, key), (namespace, key, name, lat, lon, name, state, None))
    return [*postcodes.values(), *towns.values(), *counties.values()]


class PlaceIndex:
    """Finds the place a question names (from the ``search_places`` table bot.searchindex writes)."""

    def __init__(self, conn: sqlite3.Connection, stopwords: set[str] | frozenset[str] = frozenset()) -> None:
        self.by_postcode: dict[str, Place] = {}
        self.by_name: dict[tuple[str, ...], Place] = {}
        self.counties: dict[tuple[str, ...], Place] = {}
        self.short_codes: dict[str, Place] = {}
        self.stopwords = set(stopwords) | _NOT_PLACES
        for namespace, key, name, lat, lon, county, state, postcode in conn.execute(
            "SELECT namespace, key, name, lat, lon, county, state, postcode FROM search_places"
        ):
            if namespace == "postcode":
                self.by_postcode[key] = Place(name, lat, lon, county, state, postcode, "postcode")
                continue
            place = Place(name, lat, lon, county, state, postcode, "town" if namespace == "town" else "county")
            if namespace == "code":
                self.short_codes[key] = place
                continue
            words_ = tuple(key.split())
            if namespace == "county":
                self.counties[words_] = place
            elif not (len(words_) == 1 and words_[0] in self.stopwords):
                self.by_name[words_] = place
        for table in (self.counties, self.short_codes):
            for key, place in table.items():
                if tuple(words(place.name)) in self.by_name:
                    table[key] = replace(place, city=True)
        self.ambiguous = {r[0] for r in conn.execute("SELECT word FROM search_place_words")}
        self._fuzzy_names = [" ".join(k) for k in self.by_name if len(" ".join(k)) >= 5]
        self._max_len = max((len(k) for k in [*self.by_name, *self.counties]), default=1)

    def find(self, text: str) -> tuple[Place | None, set[int]]:
        """The place a text names and the positions of its words in ``words(text)``."""
        tokens = words(text)
        match = _PLZ.search(text)
        if match and match.group(1) in self.by_postcode:
            pos = {i for i, t in enumerate(tokens) if t == match.group(1)}
            return self.by_postcode[match.group(1)], pos
        # Longest word sequence first: "bad frankenhausen" before "frankenhausen". A town
        # that is also an everyday word ("wetter") counts only when nothing surer is named.
        doubtful: tuple[Place | None, set[int]] = (None, set())
        for n in range(min(self._max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                key = tuple(tokens[i : i + n])
                if n == 1 and key[0] in self.stopwords:
                    continue
                county, town = self.counties.get(key), self.by_name.get(key)
                # "nordhausen" is the town (distances from its centre); "landkreis nordhausen" the county
                place = town if town is not None and (i == 0 or tokens[i - 1] not in _COUNTY_WORDS) else county
                if place is None:
                    continue
                if n == 1 and key[0] in self.ambiguous and (i == 0 or tokens[i - 1] not in _LOCATIVE):
                    if doubtful[0] is None:
                        doubtful = (replace(place, certain=False), {i})
                    continue
                return place, set(range(i, i + n))
        for raw in re.findall(r"\b[A-ZÄÖÜ]{1,2}\b", text):
            if raw in self.short_codes:
                pos = {i for i, t in enumerate(tokens) if t == normalize(raw)}
                return self.short_codes[raw], pos
        fuzzy = self._fuzzy([t if i not in doubtful[1] else "" for i, t in enumerate(tokens)])
        return fuzzy if fuzzy[0] is not None else doubtful

    def other_places(self, tokens: list[str], taken: set[int]) -> set[int]:
        """Positions of the places a question names besides the one ``find`` took ("ich wohne in
        Sontra und arbeite in Kassel"): a second town is no word to look for in the offers."""
        found: set[int] = set()
        for n in range(min(self._max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                span = set(range(i, i + n))
                key = tuple(tokens[i : i + n])
                if span & (taken | found) or (n == 1 and key[0] in self.stopwords):
                    continue
                if key not in self.by_name and key not in self.counties:
                    continue
                if n == 1 and key[0] in self.ambiguous and (i == 0 or tokens[i - 1] not in _LOCATIVE):
                    continue
                found |= span
        return found

    def _fuzzy(self, tokens: list[str]) -> tuple[Place | None, set[int]]:
        """Misspelled town names ("sonderhausen", "mühlhasen"): rapidfuzz over place names."""
        best: tuple[float, Place | None, set[int]] = (0.0, None, set())
        for n in (2, 1):
            for i in range(len(tokens) - n + 1):
                chunk = tokens[i : i + n]
                if any(t in self.stopwords or not 5 <= len(t) <= 40 for t in chunk):
                    continue
                phrase = " ".join(chunk)
                found = process.extractOne(phrase, self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=86)
                if found and found[1] > best[0]:
                    best = (found[1], self.by_name[tuple(found[0].split())], set(range(i, i + n)))
        return best[1], best[2]

    def same_county(self, place: Place, county_text: str) -> bool:
        """Whether an offer's county (canonical words) is the county ``place`` names."""
        county = self.counties.get(tuple(county_text.split()))
        return county is not None and county.name == place.name

    def resolve(self, name: str) -> Place | None:
        """A place name typed on its own (``--near``, ``/ort``)."""
        place, _ = self.find(name)
        return place
