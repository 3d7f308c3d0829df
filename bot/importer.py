"""County listing rows -> offers in a knowledge YAML file, merged with what admins changed.

A re-import must not undo an admin's work. Every imported offer keeps the listing
row it came from (``listing_row``). On the next import the previous row is turned
into an offer again: a field where the YAML differs from that is an admin's
correction and is kept; a field where it does not is taken from the new listing.
Offers that left the listing are removed from the file and named in the summary
(git keeps the old file); offers an admin added by hand (no ``source_id``) stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.hours import parse_hours
from bot.listing import COLUMNS, Listing
from bot.model import Address, Contact, Hours, Offer, OffersFile, Phone, Source
from bot.phones import parse_phone_field
from bot.vocabulary import TopicMatcher

_ROOM = re.compile(r"\b(?:zimmer|raum|haus|büro|etage|og|eg)\b", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_APPOINTMENT_NOTE = re.compile(r"termin|vereinbarung|absprache|anmeldung", re.IGNORECASE)
_SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Fields compared on re-import; ``id`` and ``listing_row`` are bookkeeping.
MERGED_FIELDS = tuple(f for f in Offer.model_fields if f not in ("id", "listing_row"))


def offer_id(nr: str) -> str:
    """``KYF-001`` -> ``kyf-001`` (safe for deep links and callback data)."""
    slug = re.sub(r"[^a-z0-9]+", "-", nr.lower()).strip("-")
    return slug[:48] or "angebot"


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s*[,|]\s*", text or "") if part.strip()]


def parse_person(text: str) -> Contact:
    """``Laura Grimm (Planungskoordinatorin)`` -> name + role; ``(Zimmer 317)`` -> room."""
    match = re.match(r"^(?P<name>[^()]+?)\s*(?:\((?P<extra>[^)]*)\))?\s*$", text.strip())
    if not match:
        return Contact(name=text.strip())
    role_parts, room_parts = [], []
    for part in split_list(match["extra"] or ""):
        (room_parts if _ROOM.search(part) else role_parts).append(part)
    return Contact(
        name=match["name"].strip(),
        role=", ".join(role_parts) or None,
        room=", ".join(room_parts) or None,
    )


@dataclass
class RowResult:
    offer: Offer
    warnings: list[str] = field(default_factory=list)


def row_to_offer(row: dict[str, str], listing_name: str, matcher: TopicMatcher | None) -> RowResult:
    """One listing row as an offer; problems go to warnings and admin notes, never lost."""
    warnings: list[str] = []
    notes: list[str] = []
    nr = row.get("Nr", "").strip()

    phones, phone_problems = parse_phone_field(row.get("Telefon", ""))
    for problem in phone_problems:
        warnings.append(f"Telefon: {problem}")
        notes.append(f"Telefon aus der Liste nicht übernommen, bitte prüfen: {row.get('Telefon', '')}")

    emails, bad_emails = [], []
    for email in split_list(row.get("E-Mail", "")):
        (emails if _EMAIL.match(email) else bad_emails).append(email)
    for email in bad_emails:
        warnings.append(f"E-Mail: {email!r} ist keine gültige Adresse")
        notes.append(f"E-Mail aus der Liste nicht übernommen, bitte prüfen: {email}")

    contacts = [parse_person(p) for p in re.split(r"\s*\|\s*", row.get("Ansprechperson", "")) if p.strip()]
    voice = [p for p in phones if p.kind != "fax"]
    offer_phones: list[Phone] = phones
    if len(contacts) > 1 and len(voice) == len(contacts) and len(voice) == len(phones):
        contacts = [c.model_copy(update={"phones": [p]}) for c, p in zip(contacts, voice, strict=True)]
        offer_phones = []
    offer_emails = emails
    if len(contacts) > 1 and len(emails) == len(contacts):
        contacts = [c.model_copy(update={"emails": [e]}) for c, e in zip(contacts, emails, strict=True)]
        offer_emails = []

    hours_text = row.get("Sprechzeiten", "").strip()
    parsed = parse_hours(hours_text)
    for problem in parsed.problems:
        warnings.append(f"Sprechzeiten bleiben Text: {problem}")
    note = row.get("Hinweis", "").strip() or None
    by_appointment = parsed.by_appointment or bool(note and _APPOINTMENT_NOTE.search(note))

    postcode = row.get("PLZ", "").strip()
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        warnings.append(f"PLZ: {postcode!r} ist keine fünfstellige Postleitzahl")
        notes.append(f"PLZ aus der Liste nicht übernommen, bitte prüfen: {postcode}")
        postcode = ""
    source_date = row.get("Stand", "").strip()
    if source_date and not _SOURCE_DATE.match(source_date):
        warnings.append(f"Stand: {source_date!r} ist kein Datum (JJJJ-MM oder JJJJ-MM-TT)")
        notes.append(f"Stand aus der Liste nicht übernommen: {source_date}")
        source_date = ""

    topic_text = " ".join(row.get(c, "") for c in ("Angebot", "Kategorie", "Schlagworte", "Beschreibung"))
    topics = sorted(matcher.topics(topic_text)) if matcher else []

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
        hours=Hours(text=hours_text or None, osm=parsed.osm, by_appointment=by_appointment),
        note=note,
        admin_notes=notes,
        source=Source(url=row.get("Quelle", "").strip(), date=source_date or None, listing=listing_name),
        listing_row={c: row[c] for c in COLUMNS if row.get(c, "").strip()},
    )
    return RowResult(offer, warnings)


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"neu: {len(self.added)}, geändert: {len(self.changed)}, entfernt: {len(self.gone)}"]
        out += [f"  + {i}" for i in self.added]
        out += [f"  ~ {i}: {', '.join(fields)}" for i, fields in self.changed.items()]
        out += [f"  - {i} (nicht mehr in der Liste)" for i in self.gone]
        out += [f"  = {i}: Hand-Korrektur behalten in {', '.join(fields)}" for i, fields in self.kept.items()]
        out += [f"  ! {w}" for w in self.warnings]
        return out


def merge(existing: Offer | None, new: Offer, previous_import: Offer | None) -> tuple[Offer, list[str], list[str]]:
    """Combine an offer in the YAML with its newly imported version.

    Returns the merged offer, the fields that changed and the fields where an
    admin's hand edit was kept.
    """
    if existing is None:
        return new, [], []
    values: dict[str, Any] = {"id": existing.id, "listing_row": new.listing_row}
    changed, kept = [], []
    for name in MERGED_FIELDS:
        mine = getattr(existing, name)
        theirs = getattr(new, name)
        was = getattr(previous_import, name) if previous_import is not None else mine
        if mine != was and mine != theirs:
            values[name] = mine
            kept.append(name)
        else:
            values[name] = theirs
            if theirs != mine:
                changed.append(name)
    return Offer(**values), changed, kept


def import_listing(
    listing: Listing, existing: OffersFile | None, matcher: TopicMatcher | None, title: str | None = None
) -> tuple[OffersFile, ImportSummary]:
    """Merge a listing into a county's offers file."""
    summary = ImportSummary()
    listing_name = listing.path.name
    by_source = {o.source_id: o for o in existing.offers if o.source_id} if existing else {}
    result: list[Offer] = []
    seen: set[str] = set()
    for row in listing.rows:
        converted = row_to_offer(row.values, listing_name, matcher)
        summary.warnings += [f"{listing.path}:{row.line}: {w}" for w in converted.warnings]
        new = converted.offer
        old = by_source.get(new.source_id)
        previous = (
            row_to_offer(old.listing_row, listing_name, matcher).offer if old and old.listing_row else None
        )
        merged, changed, kept = merge(old, new, previous)
        if old is None:
            summary.added.append(merged.id)
        elif changed:
            summary.changed[merged.id] = changed
        if kept:
            summary.kept[merged.id] = kept
        seen.add(new.source_id or "")
        result.append(merged)
    if existing:
        for offer in existing.offers:
            if offer.source_id and offer.source_id not in seen:
                summary.gone.append(offer.id)
            elif not offer.source_id:
                result.append(offer)
    counties = {r["Landkreis"] for r in listing.rows if r["Landkreis"]}
    title = title or (existing.title if existing else None) or (counties.pop() if len(counties) == 1 else listing_name)
    return OffersFile(title=title, offers=result), summary


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Dumper(yaml.SafeDumper):
    """Block style, umlauts kept; strings that YAML would read as numbers or times stay quoted."""


_Dumper.add_representer(str, _str_presenter)


def dump_offers(offers_file: OffersFile) -> str:
    data = offers_file.model_dump(mode="json", exclude_defaults=True)
    data = {"title": offers_file.title, **data}
    header = (
        "# Angebote, erzeugt mit scripts/import_listing.py und von Hand ergänzt.\n"
        "# Aufbau der Felder: knowledge/README.md. Nach Änderungen: python scripts/sync_offers.py\n"
    )
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load_offers_file(path: Path) -> OffersFile | None:
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return OffersFile.model_validate(data) if data else None
