"""Export offers.db as a county listing CSV, the format counties send us.

    python scripts/export_offers.py [--db PATH] [--county NAME] [--bom | --excel] --out FILE.csv
    python scripts/export_offers.py [--county NAME] --output - | ...     (the CSV on stdout)

``--bom`` (or ``--excel``) starts the file with a byte order mark, so Excel opens
the UTF-8 file with its umlauts intact. ``--out -`` (``--output -``) writes the CSV
to standard output and the count to standard error.

A county can check its offers in a spreadsheet and send the file back;
``scripts/import_listing.py`` reads it into the same offers again. The columns
are those of knowledge/listings/README.md: Nr is the listing's own id (the offer
id when there is none), phone numbers in the national form people read
(``03632 741528``, ``Fax 03632 74188561``; foreign ones international), persons
as ``Name (Rolle, Raum)``, Sprechzeiten the hours text as the source wrote it
(a German description of the OSM hours when there is no text), Stand the
source date.

The Hinweis column holds the note people see, or, when the listing's Hinweis was
a remark for admins (where a detail came from, what to check) and the import kept it
as an admin note, that remark again, so the import reads the same offer back.

Not in the listing format, so not exported: (other) admin notes, geo coordinates,
topics (the import finds them again), phone labels, and which person a number
belongs to when that cannot be told from the order (the import gives each person
a number only when persons and numbers pair up one to one).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from bot.config import default_db_path
from bot.importer import HINWEIS_NOTE
from bot.listing import listing_bytes
from bot.opening import describe_de
from bot.phones import display_number, national_number
from bot.pipes import ends_quietly
from bot.store import ContactRecord, OfferRecord, PhoneRecord, Store


def phone_text(phone: PhoneRecord) -> str:
    """``+493632741528`` -> ``03632 741528``; fax numbers get ``Fax`` in front."""
    text = national_number(phone.number) if phone.number.startswith("+49") else display_number(phone.number)
    return f"Fax {text}" if phone.kind == "fax" else text


def person_text(contact: ContactRecord) -> str:
    """``Laura Grimm (Planungskoordinatorin, Zimmer 317)``, as the listings write persons."""
    extra = ", ".join(filter(None, (contact.role, contact.room)))
    return f"{contact.name} ({extra})" if extra else contact.name


def hinweis_text(record: OfferRecord) -> str:
    """The note people see, else the listing's own Hinweis the import kept for admins ("" when neither)."""
    if record.note:
        return record.note
    prefix = HINWEIS_NOTE.format("")
    return next((n.removeprefix(prefix) for n in record.admin_notes if n.startswith(prefix)), "")


def offer_row(record: OfferRecord) -> dict[str, str]:
    """One offer as a listing row (column -> text)."""
    # The persons' numbers first, in the persons' order: the import hands numbers to persons by position.
    phones = [*(p for c in record.contacts for p in c.phones), *record.phones]
    emails = [*record.emails, *(e for c in record.contacts for e in c.emails)]
    hours = record.hours_text or (describe_de(record.hours_osm) if record.hours_osm else "")
    return {
        "Nr": record.source_id or record.id,
        "Angebot": record.name,
        "Träger": record.provider or "",
        "Kategorie": record.category or "",
        "Schlagworte": ", ".join(record.keywords),
        "Zielgruppe": ", ".join(record.audience),
        "Beschreibung": record.description or "",
        "Straße": record.street or "",
        "PLZ": record.postcode or "",
        "Ort": record.city or "",
        "Landkreis": record.county or "",
        "Ansprechperson": " | ".join(person_text(c) for c in record.contacts),
        "Telefon": " | ".join(dict.fromkeys(phone_text(p) for p in phones)),
        "E-Mail": " | ".join(dict.fromkeys(emails)),
        "Webseite": record.website or "",
        "Sprechzeiten": hours,
        "Hinweis": hinweis_text(record),
        "Quelle": record.source_url or "",
        "Stand": record.source_date or "",
    }


def export_records(store: Store, county: str | None = None) -> list[OfferRecord]:
    """Offers in the order of their knowledge files (so a county's rows keep their listing order)."""
    rows = store.conn.execute("SELECT id, county FROM offers ORDER BY file, line, id").fetchall()
    wanted = [r["id"] for r in rows if county is None or (r["county"] or "").casefold() == county.casefold()]
    return store.offers(wanted)


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Angebote als Kreisliste (CSV) ausgeben")
    parser.add_argument("--db", type=Path, default=None, help="die Datenbank (Standard: offers.db)")
    parser.add_argument("--county", help="nur die Angebote dieses Landkreises (wie in der Spalte Landkreis)")
    parser.add_argument("--out", "--output", dest="out", required=True,
                        help="die CSV-Datei; '-' schreibt auf die Standardausgabe")
    parser.add_argument("--bom", "--excel", dest="bom", action="store_true",
                        help="mit Byte-Order-Mark (BOM), damit Excel die Datei als UTF-8 öffnet")
    args = parser.parse_args(argv)
    try:
        store = Store(args.db or default_db_path())
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:  # the reason, not a traceback
        print(exc, file=sys.stderr)
        return 1
    records = export_records(store, args.county)
    if not records:
        counties = sorted({r[0] for r in store.conn.execute("SELECT county FROM offers") if r[0]})
        print(f"keine Angebote im Landkreis {args.county!r}; bekannt sind: {', '.join(counties)}", file=sys.stderr)
        return 1
    data = listing_bytes((offer_row(r) for r in records), bom=args.bom)
    if args.out == "-":
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:  # "... --output - | head": the reader has gone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"{len(records)} Angebote -> Standardausgabe", file=sys.stderr)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{len(records)} Angebote -> {out}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.export_offers
    raise SystemExit(main())
