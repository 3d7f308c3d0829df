"""Build offers.db from knowledge/ with sqlite-utils: checked first, swapped in atomically.

The bot reads offers.db while admins rebuild it, so the new database is written
to a temporary file beside the old one and renamed over it in one step; a
running bot keeps reading the old file until it notices the new one. Nothing is
written at all when the knowledge files did not change (same input hash), so a
second sync leaves the file byte-identical, and ``--check`` can tell CI whether
the committed database is stale.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot import areas, exemplars, searchindex
from bot.knowledge import Knowledge, Problem, county_index, input_hash, load_knowledge, paused_gc
from bot.model import Offer
from bot.normalize import normalize
from bot.schema import SCHEMA_VERSION

#: Where the code that decides what lands in offers.db starts: these modules and every
#: bot module they import (found by reading their import statements). When one of
#: them changes, the committed database is stale even though the knowledge files are
#: the same (the search tables are built with bot.normalize and bot.query's stopwords,
#: which the queries use too).
BUILDER_ROOTS = ("sync", "searchindex", "exemplars")

_STATE_WORDS = {"bundesweit": "DE", "deutschland": "DE", "hessen": "HE", "thuringen": "TH"}


@dataclass
class SyncResult:
    ok: bool
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    offer_count: int = 0


def builder_modules() -> list[Path]:
    """The source files of BUILDER_ROOTS and of every bot module they import, sorted."""
    package = Path(__file__).resolve().parent
    found: set[str] = set()
    todo = list(BUILDER_ROOTS)
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in found or not path.exists():
            continue
        found.add(name)
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.module == "bot":
                todo.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot."):
                todo.append(node.module.split(".")[1])  # type: ignore[union-attr]
            elif isinstance(node, ast.Import):
                todo.extend(a.name.split(".")[1] for a in node.names if a.name.startswith("bot."))
    return sorted(package / f"{name}.py" for name in found)


def builder_hash() -> str:
    """sha256 over the schema version and the source of the modules that build the database."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in builder_modules():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read_pairs(db_path: Path, sql: str) -> dict[str, str]:
    """The (key, value) rows a query reads from an existing database, opened read-only; {} when
    there is none or it is unreadable (a sync then builds it anew)."""
    if not db_path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return dict(conn.execute(sql).fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}


def existing_meta(db_path: Path) -> dict[str, str]:
    """The meta table of an existing database, or {} when there is none or it is unreadable."""
    return _read_pairs(db_path, "SELECT key, value FROM meta")


def _existing_hashes(db_path: Path) -> dict[str, str]:
    """Each offer's content hash in an existing database (what a sync compares to say what changed)."""
    return _read_pairs(db_path, "SELECT id, content_hash FROM offers")


class _Locator:
    """Coordinates and state of an offer from its PLZ, town or county."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.by_postcode: dict[str, list[tuple[str, dict[str, str]]]] = {}
        self.by_name: dict[str, list[dict[str, str]]] = {}
        for place in knowledge.places:
            name = normalize(place["name"])
            self.by_postcode.setdefault(place["postcode"], []).append((name, place))
            self.by_name.setdefault(name, []).append(place)
        self.counties = county_index(knowledge.counties)
        #: The county of the place the last located offer's postcode or town is in.
        self.last_place_county: str | None = None

    def county(self, name: str | None) -> dict[str, Any] | None:
        return self.counties.get(normalize(name or "")) if name else None

    def service_area(self, offer: Offer, place_county: str | None) -> tuple[str | None, list[str]]:
        """(kind, regions) of whom an offer serves: as stated, else what its address says (the
        county named, "bundesweit", a state; else the county of its postcode); (None, []) unknown."""
        area = offer.service_area or areas.area_of(offer.address.county, self._county_name) or \
            areas.area_of(place_county, self._county_name)
        if area is None:
            return None, []
        regions = [self._county_name(r) or r for r in area.regions] if area.kind == "counties" else area.regions
        return area.kind, regions

    def _county_name(self, text: str) -> str | None:
        county = self.county(text)
        return str(county["name"]) if county else None

    def town_county(self, town: str) -> str | None:
        places = self.by_name.get(normalize(town), [])
        return places[0]["county"] if places else None

    def locate(self, offer: Offer) -> tuple[float | None, float | None, bool, str | None]:
        """(lat, lon, approximate, state) for an offer."""
        address = offer.address
        county = self.county(address.county)
        state = county["state"] if county else _STATE_WORDS.get(normalize(address.county or ""))
        place = None
        if address.postcode and address.postcode in self.by_postcode:
            candidates = self.by_postcode[address.postcode]
            city = normalize(address.city or "")
            place = next((p for name, p in candidates if name == city), candidates[0][1])
        elif address.city:
            # a town name two states share (Weimar in Thüringen and in Hessen): the one in the offer's county
            places = self.by_name.get(normalize(address.city), [])
            place = next((p for p in places if county and p["county"] == county["name"]), places[0] if places else None)
        if place and not state:
            state = place["state"]
        self.last_place_county = place["county"] if place else None
        if offer.geo:
            return offer.geo.lat, offer.geo.lon, offer.geo.approximate, state
        if place:
            return float(place["lat"]), float(place["lon"]), True, state
        if county and county.get("lat") is not None:
            return float(county["lat"]), float(county["lon"]), True, state
        return None, None, True, state


def _offer_rows(knowledge: Knowledge) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    locator = _Locator(knowledge)
    offers, contacts, phones = [], [], []
    for located in knowledge.offers:
        offer = located.offer
        lat, lon, approximate, state = locator.locate(offer)
        area_kind, area_regions = locator.service_area(offer, locator.last_place_county)
        payload = offer.model_dump_json(exclude={"listing_row"}) + json.dumps([lat, lon, approximate, state])
        contact_text = " ".join(filter(None, (f"{c.name} {c.role or ''} {c.room or ''}" for c in offer.contacts)))
        offers.append({
            "id": offer.id, "source_id": offer.source_id, "name": offer.name, "provider": offer.provider,
            "category": offer.category, "description": offer.description,
            "keywords": json.dumps(offer.keywords, ensure_ascii=False),
            "audience": json.dumps(offer.audience, ensure_ascii=False), "intended_for": offer.intended_for,
            "service_area": area_kind, "service_regions": json.dumps(area_regions, ensure_ascii=False),
            "service_town_county": locator.town_county(area_regions[0]) if area_kind == "town" else None,
            "topics": json.dumps(offer.topics), "street": offer.address.street,
            "postcode": offer.address.postcode, "city": offer.address.city, "county": offer.address.county,
            "state": state, "lat": lat, "lon": lon, "geo_approximate": int(approximate),
            "website": offer.website, "emails": json.dumps(offer.emails),
            "hours_text": offer.hours.text, "hours_osm": offer.hours.osm,
            "by_appointment": int(offer.hours.by_appointment), "note": offer.note,
            "admin_notes": json.dumps(offer.admin_notes, ensure_ascii=False),
            "source_url": offer.source.url, "source_date": offer.source.date,
            "source_retrieved": offer.source.retrieved,
            "source_listing": offer.source.listing, "contact_text": contact_text.strip() or None,
            "file": located.file, "line": located.line,
            "content_hash": hashlib.sha256(payload.encode()).hexdigest()[:16],
        })
        for n, phone in enumerate(offer.phones):
            phones.append({"id": f"{offer.id}#{n}", "offer_id": offer.id, "contact_id": None,
                           "number": phone.number, "kind": phone.kind, "label": phone.label})
        for c_n, contact in enumerate(offer.contacts):
            contact_id = f"{offer.id}#c{c_n}"
            contacts.append({"id": contact_id, "offer_id": offer.id, "position": c_n, "name": contact.name,
                             "role": contact.role, "room": contact.room, "emails": json.dumps(contact.emails)})
            for p_n, phone in enumerate(contact.phones):
                phones.append({"id": f"{contact_id}#{p_n}", "offer_id": offer.id, "contact_id": contact_id,
                               "number": phone.number, "kind": phone.kind, "label": phone.label})
    return offers, contacts, phones


def build_database(knowledge: Knowledge, path: Path, *, examples: Sequence[exemplars.Example] = (),
                   previous: Path | None = None) -> None:
    """Write a complete database to ``path`` (a new file); the semantic examples' vectors are
    taken from ``previous`` (the database being replaced) where their texts did not change."""
    db = sqlite_utils.Database(path)
    # A fresh file nobody reads until it is renamed: no journal and no fsync per
    # insert chunk (sqlite-utils commits every chunk); the file is synced once at the end.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    offers, contacts, phones = _offer_rows(knowledge)
    db.table("offers").insert_all(offers, pk="id", columns={"lat": float, "lon": float, "line": int,
                                                            "service_area": str, "service_town_county": str})
    db.table("contacts").insert_all(contacts, pk="id", foreign_keys=[("offer_id", "offers", "id")])
    db.table("phones").insert_all(phones, pk="id", foreign_keys=[("offer_id", "offers", "id")],
                            columns={"contact_id": str, "label": str})
    db.table("topics").insert_all(
        ({"id": t.id, "label": t.label, "words": json.dumps(t.words, ensure_ascii=False),
          "related": json.dumps(t.related), "not_words": json.dumps(t.not_words, ensure_ascii=False)}
         for t in knowledge.topics), pk="id")
    db.table("offer_topics").insert_all(
        ({"offer_id": o["id"], "topic_id": t} for o in offers for t in json.loads(o["topics"])),
        pk=("offer_id", "topic_id"))
    db.table("places").insert_all(
        ({"id": f"{p['postcode']}-{p['name']}", "postcode": p["postcode"], "name": p["name"],
          "county": p["county"], "state": p["state"], "lat": float(p["lat"]), "lon": float(p["lon"])}
         for p in knowledge.places), pk="id")
    db.table("counties").insert_all(
        ({"name": c["name"], "state": c["state"], "aliases": json.dumps(c.get("aliases", []), ensure_ascii=False),
          "abbreviations": json.dumps(c.get("abbreviations", []), ensure_ascii=False),
          "lat": c.get("lat"), "lon": c.get("lon")} for c in knowledge.counties), pk="name")
    db.table("hotlines").insert_all(
        ({"id": h.id, "name": h.name, "phones": json.dumps(h.phones), "hours": h.hours,
          "crisis": json.dumps(h.crisis), "description": h.description, "source_url": h.source.url,
          "source_date": h.source.date} for h in knowledge.hotlines), pk="id")
    for table in ("offers", "contacts", "phones", "topics", "offer_topics", "places", "counties", "hotlines"):
        db.table(table).create(_EMPTY_COLUMNS[table], pk=_PKS[table], if_not_exists=True)
    db.table("offers").enable_fts(
        ["name", "provider", "category", "keywords", "description", "city", "county", "contact_text"],
        tokenize="unicode61 remove_diacritics 2", create_triggers=False)
    db.table("phones").create_index(["offer_id"], if_not_exists=True)
    db.table("contacts").create_index(["offer_id"], if_not_exists=True)
    db.table("places").create_index(["postcode"], if_not_exists=True)
    searchindex.build(db)
    models = exemplars.build(db, list(examples), previous)
    db.table("meta").insert_all(
        [{"key": "built_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
         {"key": "offer_count", "value": str(len(offers))},
         {"key": "input_hash", "value": knowledge.input_hash},
         {"key": "builder_hash", "value": builder_hash()},
         {"key": "schema_version", "value": SCHEMA_VERSION},
         *({"key": key, "value": value} for key, value in models.items())], pk="key")
    db.conn.commit()
    db.conn.execute("VACUUM")
    db.close()


# Empty tables still need their columns (a knowledge base without hotlines, say).
_EMPTY_COLUMNS: dict[str, dict[str, type]] = {
    "offers": {"id": str, "name": str},
    "contacts": {"id": str, "offer_id": str, "position": int, "name": str, "role": str, "room": str, "emails": str},
    "phones": {"id": str, "offer_id": str, "contact_id": str, "number": str, "kind": str, "label": str},
    "topics": {"id": str, "label": str, "words": str, "related": str, "not_words": str},
    "offer_topics": {"offer_id": str, "topic_id": str},
    "places": {"id": str, "postcode": str, "name": str, "county": str, "state": str, "lat": float, "lon": float},
    "counties": {"name": str, "state": str, "aliases": str, "abbreviations": str, "lat": float, "lon": float},
    "hotlines": {"id": str, "name": str, "phones": str, "hours": str, "crisis": str, "description": str,
                 "source_url": str, "source_date": str},
}
_PKS: dict[str, Any] = {"offer_topics": ("offer_id", "topic_id"), "counties": "name"}
for _table in _EMPTY_COLUMNS:
    _PKS.setdefault(_table, "id")


def _fsync(path: Path) -> None:
    """Put the new file on disk before it replaces the old one (a crash leaves one or the other)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync(knowledge_dir: Path, db_path: Path) -> SyncResult:
    """Check the knowledge base and, when it changed, rebuild the database atomically.

    When neither the knowledge files nor the building code changed since the
    database was built, the files passed this very check then: nothing is read
    or written.
    """
    meta = existing_meta(db_path)
    if not _stale(meta, input_hash(knowledge_dir)):
        return SyncResult(ok=True, offer_count=int(meta.get("offer_count", "0")))
    knowledge, problems = load_knowledge(knowledge_dir)
    examples, example_problems = exemplars.load_examples(knowledge_dir, [t.id for t in knowledge.topics])
    problems += example_problems
    errors = [p for p in problems if not p.warning]
    result = SyncResult(ok=not errors, problems=problems, offer_count=len(knowledge.offers))
    if errors:
        return result
    before = _existing_hashes(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        with paused_gc():  # the rows of 10,000 offers are no cycles either
            build_database(knowledge, tmp, examples=examples, previous=db_path)
        _fsync(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, db_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    after = _existing_hashes(db_path)
    result.written = True
    result.added = sorted(set(after) - set(before))
    result.removed = sorted(set(before) - set(after))
    result.changed = sorted(i for i in set(after) & set(before) if after[i] != before[i])
    return result


def _stale(meta: dict[str, str], knowledge_hash: str) -> bool:
    return meta.get("input_hash") != knowledge_hash or meta.get("builder_hash") != builder_hash()


def staleness(knowledge_dir: Path, db_path: Path) -> str | None:
    """Why the database is out of step with the knowledge files or the code (None when it is not)."""
    meta = existing_meta(db_path)
    if not meta:
        return f"{db_path} fehlt oder ist keine Angebotsdatenbank"
    if meta.get("input_hash") != input_hash(knowledge_dir):
        return f"{db_path} ist nicht aktuell: die Wissensbasis {knowledge_dir} wurde geändert"
    if meta.get("builder_hash") != builder_hash():
        modules = ", ".join("bot/" + p.name for p in builder_modules())
        return f"{db_path} ist nicht aktuell: der Code, der die Datenbank baut ({modules}), wurde geändert"
    return None
