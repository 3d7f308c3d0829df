"""County listing rows -> offers in a knowledge YAML file, merged with what admins changed.

A re-import must not undo an admin's work. Every imported offer keeps the listing
row it came from (``listing_row``). On the next import that previous row is turned
into an offer again (what the import made of it) and compared field by field:

- the YAML still equals the previous import -> the field is taken from the new listing;
- the YAML differs from it -> an admin corrected it by hand: kept; when the listing
  changed that field too, the new listing value goes into an admin note (a conflict);
- topics and admin notes merge item by item: items an admin added stay, items an
  admin deleted stay deleted, items the new import finds are added.

The topics and the OSM hours the import derived are snapshotted in ``listing_row``
(:data:`TOPICS_KEY`, :data:`OSM_KEY`), because the vocabulary (topics.yaml) and the
hours parser change independently of the listing: recomputed with today's
vocabulary or parser, an old result would look like an admin's hand edit and be
kept forever. Offers that left the listing are removed (the summary names them,
and those an admin had edited by hand are named again as warnings); offers an admin
added by hand (no ``source_id``) always stay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bot.hours import parse_hours
from bot.listing import COLUMNS, Listing
from bot.model import Address, Contact, Hours, Offer, OffersFile, Phone, Source
from bot.phones import display_number, parse_phone_field
from bot.vocabulary import TopicMatcher

#: Key in ``listing_row`` holding the topics the import assigned (comma-separated).
TOPICS_KEY = "Themen (Import)"
#: Key in ``listing_row`` holding the OSM hours the import read from ``Sprechzeiten`` ("" when none).
OSM_KEY = "OSM-Zeiten (Import)"
#: A listing older than this many years gets an admin note asking to check it.
STALE_YEARS = 3
#: Fields merged on re-import; ``id`` stays as in the YAML, ``listing_row`` is bookkeeping.
MERGED_FIELDS = tuple(f for f in Offer.model_fields if f not in ("id", "listing_row"))
#: Fields merged item by item (an admin adds or deletes single entries).
SET_FIELDS = ("topics", "admin_notes")

_ROOM = re.compile(r"\b(?:zimmer|raum|haus|büro|etage|og|eg|geschoss|gebäude)\b", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_APPOINTMENT_NOTE = re.compile(r"termin|vereinbarung|absprache|anmeldung", re.IGNORECASE)
_NO_APPOINTMENT = re.compile(
    r"\b(?:ohne|kein(?:e|en)?|nicht\s+nötig)\s+(?:\w+\s+)?(?:termin|anmeldung|voranmeldung|vereinbarung)",
    re.IGNORECASE,
)
_SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIME = re.compile(r"\d:\d\d")


def offer_id(nr: str) -> str:
    """``KYF-001`` -> ``kyf-001`` (safe for deep links and callback data)."""
    slug = re.sub(r"[^a-z0-9]+", "-", nr.lower()).strip("-")
    return slug[:48].rstrip("-") or "angebot"


def split_list(text: str) -> list[str]:
    """``Familien, Alleinerziehende`` -> the single entries (``,`` or ``|`` separate them)."""
    return [part.strip() for part in re.split(r"\s*[,|]\s*", text or "") if part.strip()]


def parse_person(text: str) -> Contact:
    """``Laura Grimm (Planungskoordinatorin)`` -> name + role; ``(Zimmer 317)``, ``(Haus II, Raum 143)`` -> room."""
    match = re.match(r"^(?P<name>[^()]+?)\s*(?:\((?P<extra>[^)]*)\))?\s*$", text.strip())
    if not match:
        return Contact(name=text.strip())
    role_parts: list[str] = []
    room_parts: list[str] = []
    for part in split_list(match["extra"] or ""):
        (room_parts if _ROOM.search(part) else role_parts).append(part)
    return Contact(
        name=match["name"].strip(),
        role=", ".join(role_parts) or None,
        room=", ".join(room_parts) or None,
    )


def is_stale(source_date: str, today: date) -> bool:
    """True when a ``YYYY``/``YYYY-MM``/``YYYY-MM-DD`` date lies more than :data:`STALE_YEARS` back."""
    parts = [int(p) for p in source_date.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    try:
        limit = today.replace(year=today.year - STALE_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - STALE_YEARS, day=28)
    return date(year, month, day) < limit


def _valid_date(text: str) -> bool:
    if not _SOURCE_DATE.match(text):
        return False
    try:
        is_stale(text, date.today())
    except ValueError:  # month 13, 31 February, ...
        return False
    return True


@dataclass
class RowResult:
    offer: Offer
    #: Problems for the import's output (``Spalte: Meldung``).
    warnings: list[str] = field(default_factory=list)


def _by_appointment(note: str | None) -> bool:
    return bool(note and _APPOINTMENT_NOTE.search(note) and not _NO_APPOINTMENT.search(note))


def _contacts(row: dict[str, str], phones: list[Phone], emails: list[str]
              ) -> tuple[list[Contact], list[Phone], list[str]]:
    """Persons of the row; numbers and addresses go to them by position when the counts match."""
    contacts = [parse_person(p) for p in re.split(r"\s*\|\s*", row.get("Ansprechperson", "")) if p.strip()]
    offer_phones, offer_emails = phones, emails
    voice = [p for p in phones if p.kind != "fax"]
    if contacts and len(voice) == len(contacts):
        contacts = [c.model_copy(update={"phones": [p]}) for c, p in zip(contacts, voice, strict=True)]
        offer_phones = [p for p in phones if p.kind == "fax"]
    if contacts and len(emails) == len(contacts):
        contacts = [c.model_copy(update={"emails": [e]}) for c, e in zip(contacts, emails, strict=True)]
        offer_emails = []
    return contacts, offer_phones, offer_emails


def row_to_offer(row: dict[str, str], listing_name: str, matcher: TopicMatcher | None,
                 today: date | None = None) -> RowResult:
    """One listing row as an offer; doubtful data is kept as listed and flagged in admin notes."""
    today = today or date.today()
    warnings: list[str] = []
    notes: list[str] = []
    nr = row.get("Nr", "").strip()

    raw_phone = row.get("Telefon", "").strip()
    phones, phone_problems = parse_phone_field(raw_phone)
    for problem in phone_problems:
        warnings.append(f"Telefon: {problem}")
    if phone_problems:
        notes.append(f"Telefon der Liste nicht (ganz) übernommen, bitte prüfen: {raw_phone}")

    emails: list[str] = []
    for email in split_list(row.get("E-Mail", "")):
        if _EMAIL.match(email):
            emails.append(email)
        else:
            warnings.append(f"E-Mail: {email!r} ist keine gültige Adresse")
            notes.append(f"E-Mail der Liste nicht übernommen, bitte prüfen: {email}")
    contacts, offer_phones, offer_emails = _contacts(row, phones, emails)

    hours_text = row.get("Sprechzeiten", "").strip()
    parsed = parse_hours(hours_text)
    for problem in parsed.problems:
        warnings.append(f"Sprechzeiten bleiben Text: {problem}")
    note = row.get("Hinweis", "").strip() or None

    postcode = row.get("PLZ", "").strip()
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        warnings.append(f"PLZ: {postcode!r} ist keine fünfstellige Postleitzahl")
        notes.append(f"PLZ der Liste nicht übernommen, bitte prüfen: {postcode}")
        postcode = ""
    source_date = row.get("Stand", "").strip()
    if source_date and not _valid_date(source_date):
        warnings.append(f"Stand: {source_date!r} ist kein Datum (JJJJ, JJJJ-MM oder JJJJ-MM-TT)")
        notes.append(f"Stand der Liste nicht übernommen: {source_date}")
        source_date = ""
    elif source_date and is_stale(source_date, today):
        notes.append(f"Stand {source_date} ist älter als {STALE_YEARS} Jahre: bitte prüfen, ob die Angaben "
                     "noch stimmen")

    topic_text = " ".join(row.get(c, "") for c in ("Kategorie", "Schlagworte", "Angebot", "Beschreibung"))
    topics = sorted(matcher.topics(topic_text)) if matcher else []
    snapshot = {c: row[c] for c in COLUMNS if row.get(c, "").strip()}
    snapshot[TOPICS_KEY] = ", ".join(topics)
    if hours_text:
        snapshot[OSM_KEY] = parsed.osm or ""

    offer = Offer(
        id=offer_id(nr),
        source_id=nr or None,
        name=row.get("Angebot", "").strip(),
        provider=row.get("Träger", "").strip() or None,
        category=row.get("Kategorie", "").strip() or None,
        keywords=split_list(row.get("Schlagworte", "")),
        audience=split_list(row.get("Zielgruppe", "")),
        description=row.get("Beschreibung", "").strip() or None,
        topics=topics,
        address=Address(
            street=row.get("Straße", "").strip() or None,
            postcode=postcode or None,
            city=row.get("Ort", "").strip() or None,
            county=row.get("Landkreis", "").strip() or None,
        ),
        contacts=contacts,
        phones=offer_phones,
        emails=offer_emails,
        website=row.get("Webseite", "").strip() or None,
        hours=Hours(text=hours_text or None, osm=parsed.osm,
                    by_appointment=parsed.by_appointment or _by_appointment(note)),
        note=note,
        admin_notes=notes,
        source=Source(url=row.get("Quelle", "").strip(), date=source_date or None, listing=listing_name),
        listing_row=snapshot,
    )
    return RowResult(offer, warnings)


def _previous_import(old: Offer, listing_name: str, matcher: TopicMatcher | None, today: date) -> Offer | None:
    """What the import made of the row stored in ``old.listing_row`` (None for hand-made offers)."""
    if not old.listing_row:
        return None
    row = {c: v for c, v in old.listing_row.items() if c in COLUMNS}
    previous = row_to_offer(row, old.source.listing or listing_name, matcher, today).offer
    derived: dict[str, Any] = {}
    if TOPICS_KEY in old.listing_row:
        derived["topics"] = split_list(old.listing_row[TOPICS_KEY])
    if OSM_KEY in old.listing_row:
        derived["hours"] = previous.hours.model_copy(update={"osm": old.listing_row[OSM_KEY] or None})
    return previous.model_copy(update=derived)


def describe(value: Any) -> str:
    """A field value in a few words for notes and the summary (numbers as people read them)."""
    if value is None or value == [] or value == "":
        return "(leer)"
    if isinstance(value, Phone):
        return display_number(value.number) + (" (Fax)" if value.kind == "fax" else "")
    if isinstance(value, Contact):
        phones = ", ".join(describe(p) for p in value.phones)
        return value.name + (f" {phones}" if phones else "")
    if isinstance(value, list):
        return "; ".join(describe(v) for v in value)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
    return str(value)


def _merge_set(mine: list[str], theirs: list[str], was: list[str]) -> list[str]:
    """Three-way merge of a list: the admin's additions and deletions win, new items are added."""
    added_by_admin = [x for x in mine if x not in was]
    deleted_by_admin = {x for x in was if x not in mine}
    merged = [x for x in theirs if x not in deleted_by_admin]
    return merged + [x for x in added_by_admin if x not in merged]


@dataclass
class Merge:
    """Result of merging one offer: values by field, and what the summary should say."""

    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def field(self, name: str, mine: Any, theirs: Any, was: Any) -> Any:
        """One field: listing value unless an admin changed it (recursing into addresses, hours, source)."""
        if isinstance(mine, BaseModel) and type(mine) is type(theirs) is type(was):
            sub = {n: self.field(f"{name}.{n}", getattr(mine, n), getattr(theirs, n), getattr(was, n))
                   for n in type(mine).model_fields}
            return type(mine)(**sub)
        if name in SET_FIELDS:
            merged = _merge_set(mine, theirs, was)
            if merged != mine:
                self.changed.append(name)
            if any(x not in was for x in mine) or any(x not in mine for x in was if x in theirs):
                self.kept.append(name)
            return merged
        if mine in (was, theirs):
            if theirs != mine:
                self.changed.append(name)
            return theirs
        self.kept.append(name)
        if was != theirs:
            self.conflicts.append(f"Die Liste hat {name} geändert auf: {describe(theirs)}; "
                                  "die Hand-Korrektur wurde behalten, bitte prüfen")
        return mine


def merge(existing: Offer | None, new: Offer, previous_import: Offer | None) -> tuple[Offer, Merge]:
    """Combine an offer in the YAML with its newly imported version (see the module docstring)."""
    result = Merge()
    if existing is None:
        return new, result
    was = previous_import if previous_import is not None else existing
    for name in MERGED_FIELDS:
        result.values[name] = result.field(name, getattr(existing, name), getattr(new, name), getattr(was, name))
    notes = result.values["admin_notes"]
    fresh = [c for c in result.conflicts if c not in notes]
    if fresh:
        result.values["admin_notes"] = [*notes, *fresh]
        if "admin_notes" not in result.changed:
            result.changed.append("admin_notes")
    merged = Offer(id=existing.id, listing_row=new.listing_row, **result.values)
    if merged.listing_row != existing.listing_row and not result.changed:
        result.changed.append("listing_row")
    return merged, result


@dataclass
class ImportSummary:
    """What an import did, for the admin: added / changed (with fields) / gone / hand edits kept."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"neu: {len(self.added)}, geändert: {len(self.changed)}, entfernt: {len(self.gone)}"]
        out += [f"  + {i}" for i in self.added]
        out += [f"  ~ {i}: {', '.join(fields)}" for i, fields in self.changed.items()]
        out += [f"  - {i} (nicht mehr in der Liste, aus der Datei entfernt)" for i in self.gone]
        out += [f"  = {i}: Hand-Korrektur behalten in {', '.join(fields)}" for i, fields in self.kept.items()]
        out += [f"  ! {w}" for w in self.warnings]
        return out


class ImportRefused(Exception):
    """An import that would remove most of a file's offers: probably the wrong listing."""


def import_listing(
    listing: Listing,
    existing: OffersFile | None,
    matcher: TopicMatcher | None,
    title: str | None = None,
    *,
    today: date | None = None,
    allow_removals: bool = False,
) -> tuple[OffersFile, ImportSummary]:
    """Merge a listing into a county's offers file (existing order kept, new offers appended)."""
    today = today or date.today()
    summary = ImportSummary()
    listing_name = listing.path.name
    old_offers = existing.offers if existing else []
    by_source = {o.source_id: o for o in old_offers if o.source_id}
    merged_by_source: dict[str, Offer] = {}
    new_offers: list[Offer] = []
    for row in listing.rows:
        converted = row_to_offer(row.values, listing_name, matcher, today)
        summary.warnings += [f"{listing.path.name}:{row.line}: {w}" for w in converted.warnings]
        new = converted.offer
        old = by_source.get(new.source_id or "")
        previous = _previous_import(old, listing_name, matcher, today) if old else None
        offer, result = merge(old, new, previous)
        if old is None:
            summary.added.append(offer.id)
            new_offers.append(offer)
        else:
            merged_by_source[old.source_id or ""] = offer
            if result.changed:
                summary.changed[offer.id] = result.changed
        if result.kept:
            summary.kept[offer.id] = result.kept
        summary.warnings += [f"{offer.id}: {c}" for c in result.conflicts]

    offers: list[Offer] = []
    for old in old_offers:
        if not old.source_id:
            offers.append(old)
        elif old.source_id in merged_by_source:
            offers.append(merged_by_source[old.source_id])
        else:
            summary.gone.append(old.id)
            _warn_gone(old, listing_name, matcher, today, summary)
    imported = [o for o in old_offers if o.source_id]
    if not allow_removals and len(imported) >= 4 and len(summary.gone) > len(imported) // 2:
        raise ImportRefused(
            f"{len(summary.gone)} von {len(imported)} Angeboten der Datei fehlen in {listing_name}: "
            "ist das die richtige Liste für diese Datei? Wenn ja, mit --allow-removals übernehmen."
        )
    counties = {r["Landkreis"] for r in listing.rows if r["Landkreis"]}
    title = title or (existing.title if existing else None) or (
        next(iter(counties)) if len(counties) == 1 else listing.path.stem)
    return OffersFile(title=title, offers=offers + new_offers), summary


def _warn_gone(old: Offer, listing_name: str, matcher: TopicMatcher | None, today: date,
               summary: ImportSummary) -> None:
    """Name the hand edits that leave the file with a removed offer, so nothing goes unnoticed."""
    previous = _previous_import(old, listing_name, matcher, today)
    if previous is None:
        return
    _, result = merge(old, previous, previous)
    if result.kept:
        summary.warnings.append(
            f"{old.id} ({old.name}) ist entfernt; es hatte Hand-Korrekturen in {', '.join(result.kept)} "
            "(die alte Fassung steht in der Versionsgeschichte, git log -p)"
        )


class _Quoted(str):
    """A string always written in double quotes (opening hours: ``10:30`` must not become 630)."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else '"' if _TIME.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _quoted_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


class _Dumper(yaml.SafeDumper):
    """Block style, umlauts kept, times and hours always quoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # lists indented under their key: easier to read and to edit by hand
        super().increase_indent(flow, False)


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_representer(_Quoted, _quoted_presenter)

HEADER = (
    "# Angebote, erzeugt mit scripts/import_listing.py und von Hand ergänzt.\n"
    "# Aufbau der Felder: knowledge/README.md. Nach Änderungen: python scripts/sync_offers.py\n"
)


def dump_offers(offers_file: OffersFile) -> str:
    """The YAML text of an offers file: readable by admins, identical for identical content."""
    data = offers_file.model_dump(mode="json", exclude_defaults=True)
    for offer in data.get("offers", []):
        hours = offer.get("hours", {})
        for key in ("text", "osm"):
            if key in hours:
                hours[key] = _Quoted(hours[key])
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load_offers_file(path: Path) -> OffersFile | None:
    """The offers file at ``path``, or None when it does not exist yet (raises on invalid content)."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return OffersFile.model_validate(data) if data else None
