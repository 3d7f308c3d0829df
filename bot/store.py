"""Read-only access to offers.db, with hot reload when the file is replaced.

The sync script writes a new database next to the old one and renames it over
``offers.db``; an admin may also copy a file over it in place (same inode). So the
store never reads the file while serving: it reads it once into a private copy in
memory (:func:`load_database`, about 10 ms and the file's size in memory: 9 MB
shipped, 28 MB at 10,000 offers), checks the copy whole (SQLite's quick check,
every table and column of :mod:`bot.schema`, the meta table), and only then
switches to it, the next time :meth:`Store.refresh` sees another inode, mtime or
size. A file that is not a complete offers database (random bytes, an empty or
half-copied file, another program's tables) is logged with the reason and the old
data keeps being served; ``/reload`` names the reason to the admin.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.schema import META_KEYS, SCHEMA_VERSION, TABLES

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PhoneRecord:
    number: str
    kind: str = "phone"
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRecord:
    name: str
    role: str | None = None
    room: str | None = None
    phones: tuple[PhoneRecord, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """One offer as the renderer and the search see it (a row of ``offers`` plus its contacts)."""

    id: str
    name: str
    source_id: str | None = None
    provider: str | None = None
    category: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    county: str | None = None
    state: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_approximate: bool = True
    website: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[PhoneRecord, ...] = ()
    contacts: tuple[ContactRecord, ...] = ()
    hours_text: str | None = None
    hours_osm: str | None = None
    by_appointment: bool = False
    note: str | None = None
    admin_notes: tuple[str, ...] = ()
    source_url: str | None = None
    source_date: str | None = None
    #: When the offer was taken from its source (``source.retrieved``).
    source_retrieved: str | None = None
    #: Whom it serves (``nationwide``, ``state``, ``counties``, ``town``; None: not known) and where.
    service_area: str | None = None
    service_regions: tuple[str, ...] = ()
    #: ``public`` or ``professionals`` (bot.model.Offer.intended_for).
    intended_for: str = "public"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def all_phones(self) -> list[PhoneRecord]:
        """The offer's own numbers, then each contact's, without repeats."""
        seen: set[str] = set()
        out: list[PhoneRecord] = []
        for phone in [*self.phones, *(p for c in self.contacts for p in c.phones)]:
            if phone.number not in seen:
                seen.add(phone.number)
                out.append(phone)
        return out


#: How many offer records a store keeps between reloads (a few MB); past that it starts afresh.
RECORD_CACHE = 5_000


def _tuple(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value)) if value else ()


class UnusableDatabase(sqlite3.DatabaseError):
    """A file at the database path that is no complete offers database of this code's layout."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} ist keine nutzbare Angebotsdatenbank: {reason} "
                         "(neu bauen mit: python scripts/sync_offers.py)")
        self.reason = reason


def schema_problem(conn: sqlite3.Connection) -> str | None:
    """Why ``conn`` is no whole offers database of :data:`bot.schema.TABLES` (German), or None."""
    damage = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if damage != ["ok"]:
        return "die Datei ist beschädigt (" + "; ".join(damage) + ")"
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not present:
        return "die Datei ist leer"
    missing = [t for t in TABLES if t not in present]
    if missing:
        return "es fehlen die Tabellen " + ", ".join(missing)
    for table, columns in TABLES.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")}
        if lacking := [c for c in columns if c not in have]:
            return f"der Tabelle {table} fehlen die Spalten " + ", ".join(lacking)
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if lacking := [k for k in META_KEYS if k not in meta]:
        return "in der Tabelle meta fehlen " + ", ".join(lacking)
    if meta["schema_version"] != SCHEMA_VERSION:
        return f"Aufbau Version {meta['schema_version']!r}, dieser Code liest Version {SCHEMA_VERSION!r}"
    count = conn.execute("SELECT count(*) FROM offers").fetchone()[0]
    if str(count) != meta["offer_count"]:
        return f"meta nennt {meta['offer_count']} Angebote, die Tabelle offers hat {count}"
    return None


def load_database(path: Path) -> sqlite3.Connection:
    """A checked private copy of the offers database at ``path``, in memory.

    A copy, because a file replaced in place changes under an open connection (every
    question would fail); in memory, because it needs no writable folder. Raises
    FileNotFoundError, or :class:`UnusableDatabase` saying why the file cannot be used.
    """
    if not path.exists():
        raise FileNotFoundError(f"offers database {path} not found: run scripts/sync_offers.py")
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()
        problem = schema_problem(memory)
    except sqlite3.DatabaseError as exc:
        memory.close()
        kind = "keine SQLite-Datenbank" if "not a database" in str(exc) else "die Datei ist beschädigt"
        raise UnusableDatabase(path, f"{kind}: {exc}") from None
    if problem is not None:
        memory.close()
        raise UnusableDatabase(path, problem)
    memory.row_factory = sqlite3.Row
    return memory


def _area(row: sqlite3.Row) -> dict[str, Any]:
    """Service area and audience of an offers row (absent in databases built before they existed)."""
    keys = row.keys()
    if "service_area" not in keys:
        return {}
    return {"service_area": row["service_area"], "service_regions": _tuple(row["service_regions"]),
            "intended_for": row["intended_for"] or "public"}


class Store:
    """The open offers database. Thread-safe for reads; cheap to :meth:`refresh` often."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        stamp = self._stat(self.path) if self.path.exists() else None  # before the read: a change during it shows
        self._conn = load_database(self.path)
        self._stamp = stamp
        #: Increases on every successful reload; caches built on the data compare it.
        self.generation = 0
        #: Offers already read from this generation's file: every answer reads its few offers
        #: again, and building a record (JSON columns, contacts, phones) costs more than the search.
        self._records: dict[str, OfferRecord] = {}

    @staticmethod
    def _stat(path: Path) -> tuple[int, int, int]:
        st = path.stat()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def refresh(self) -> bool:
        """Switch to a replaced database file; return True when new data was loaded."""
        try:
            stamp = self._stat(self.path)
        except FileNotFoundError:
            return False
        if stamp == self._stamp:
            return False
        with self._lock:
            if stamp == self._stamp:
                return False
            try:
                conn = load_database(self.path)
            except (sqlite3.DatabaseError, OSError) as exc:
                log.error("new offers database is unusable, keeping the old data: %s", exc)
                self._stamp = stamp  # do not retry the same broken file on every question
                return False
            old, self._conn, self._stamp = self._conn, conn, stamp
            self._records = {}
            self.generation += 1
            log.info("offers database reloaded (generation %d)", self.generation)
        old.close()
        return True

    # --- reads -----------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._conn.execute("SELECT key, value FROM meta")}

    def offer_ids(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT id FROM offers ORDER BY id")]

    def drop_records(self) -> None:
        """Forget the offer records read so far (they are read again on demand)."""
        self._records.clear()

    def offer(self, offer_id: str) -> OfferRecord | None:
        found = self.offers([offer_id])
        return found[0] if found else None

    def offers(self, ids: list[str] | None = None) -> list[OfferRecord]:
        """Offers by id, in the order asked (unknown ids are skipped); all offers when ids is None."""
        # Connection and cache of one generation together: a reload in between cannot mix them.
        conn, cache = self._conn, self._records
        if ids is None:
            return self._read(conn, conn.execute("SELECT * FROM offers ORDER BY id").fetchall())
        found = {i: cache[i] for i in ids if i in cache}
        missing = [i for i in dict.fromkeys(ids) if i not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            read = self._read(conn, conn.execute(f"SELECT * FROM offers WHERE id IN ({marks})", missing).fetchall())
            found.update((r.id, r) for r in read)
            if len(cache) + len(read) > RECORD_CACHE:
                cache.clear()
            cache.update((r.id, r) for r in read)
        return [found[i] for i in ids if i in found]

    def _read(self, conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[OfferRecord]:
        """Records of offer rows, with their phones and contacts, in the rows' order."""
        if not rows:
            return []
        wanted = [row["id"] for row in rows]
        marks = ",".join("?" * len(wanted))
        phones: dict[str, list[sqlite3.Row]] = {}
        for p in conn.execute(
            f"SELECT * FROM phones WHERE offer_id IN ({marks}) ORDER BY offer_id, id", wanted
        ):
            phones.setdefault(p["offer_id"], []).append(p)
        contacts: dict[str, list[sqlite3.Row]] = {}
        for c in conn.execute(
            f"SELECT * FROM contacts WHERE offer_id IN ({marks}) ORDER BY offer_id, position", wanted
        ):
            contacts.setdefault(c["offer_id"], []).append(c)
        return [self._record(row, phones.get(row["id"], []), contacts.get(row["id"], [])) for row in rows]

    @staticmethod
    def _record(row: sqlite3.Row, phones: list[sqlite3.Row], contacts: list[sqlite3.Row]) -> OfferRecord:
        def phone(p: sqlite3.Row) -> PhoneRecord:
            return PhoneRecord(number=p["number"], kind=p["kind"], label=p["label"])

        contact_records = tuple(
            ContactRecord(
                name=c["name"], role=c["role"], room=c["room"],
                phones=tuple(phone(p) for p in phones if p["contact_id"] == c["id"]),
                emails=_tuple(c["emails"]),
            )
            for c in contacts
        )
        return OfferRecord(
            id=row["id"], name=row["name"], source_id=row["source_id"], provider=row["provider"],
            category=row["category"], description=row["description"],
            keywords=_tuple(row["keywords"]), audience=_tuple(row["audience"]), topics=_tuple(row["topics"]),
            street=row["street"], postcode=row["postcode"], city=row["city"], county=row["county"],
            state=row["state"], lat=row["lat"], lon=row["lon"],
            geo_approximate=bool(row["geo_approximate"]) if row["geo_approximate"] is not None else True,
            website=row["website"], emails=_tuple(row["emails"]),
            phones=tuple(phone(p) for p in phones if p["contact_id"] is None),
            contacts=contact_records,
            hours_text=row["hours_text"], hours_osm=row["hours_osm"], by_appointment=bool(row["by_appointment"]),
            note=row["note"], admin_notes=_tuple(row["admin_notes"]),
            source_url=row["source_url"], source_date=row["source_date"],
            # (an sqlite3.Row's "in" looks at values: the names are its keys())
            source_retrieved=row["source_retrieved"] if "source_retrieved" in row.keys() else None,  # noqa: SIM118
            **_area(row),
        )

    def topics(self) -> list[dict[str, Any]]:
        return [
            {"id": r["id"], "label": r["label"], "words": _tuple(r["words"]), "related": _tuple(r["related"]),
             "not_words": _tuple(r["not_words"]) if "not_words" in r.keys() else ()}  # noqa: SIM118 (a Row)
            for r in self._conn.execute("SELECT * FROM topics ORDER BY label")
        ]

    def hotlines(self) -> list[dict[str, Any]]:
        return [
            {**dict(r), "phones": _tuple(r["phones"]), "crisis": _tuple(r["crisis"])}
            for r in self._conn.execute("SELECT * FROM hotlines")
        ]
