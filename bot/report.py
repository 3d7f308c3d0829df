"""What admins must look after in offers.db: stale, incomplete and doubled offers.

Used by scripts/report.py (plain text and CSV for admins) and by the bot's
``/status`` command (:func:`status_summary`). Every check is relative to a
``today`` passed in, so reports are reproducible and tests do not age.

- Stale: the rule of bot.stale (more than three years since the source's date, or since the
  offer was retrieved when the source gave none), counted per county too. Offers without a
  source date are listed separately.
- Unstructured hours: a hours text without OSM form, except texts that say no
  more than "nach Vereinbarung" (nothing to structure there).
- Duplicates: the same phone number in offers of different counties or files
  (one office's switchboard shared inside one county list is normal), or the same
  normalised name and address anywhere.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import second_opinion, semantic
from bot.cells import spreadsheet_cell
from bot.config import TIMEZONE
from bot.hours import parse_hours
from bot.normalize import normalize
from bot.phones import national_number
from bot.stale import STALE_YEARS, date_end, is_stale, offer_date
from bot.store import OfferRecord, Store

NO_COUNTY = "ohne Landkreis"

#: Check id -> heading in the report (German, for admins).
CHECKS: dict[str, str] = {
    "veraltet": f"Angaben älter als {STALE_YEARS} Jahre",
    "ohne_stand": "ohne Stand (Datum der Quelle)",
    "ohne_zeiten": "ohne Sprechzeiten",
    "ohne_kontakt": "ohne Telefon und ohne E-Mail",
    "zeiten_text": "Sprechzeiten nur als Text (nicht strukturiert)",
    "doppelt": "mögliche Doppelungen",
}
CSV_COLUMNS = ("Prüfung", "Angebot", "Nr", "Name", "Landkreis", "Datei", "Zeile", "Hinweis")


@dataclass(frozen=True)
class Finding:
    """One thing an admin should look at, on one offer."""

    check: str
    offer_id: str
    name: str
    county: str | None
    detail: str
    source_id: str | None = None
    file: str | None = None
    line: int | None = None


def unstructured_reason(record: OfferRecord) -> str | None:
    """Why an hours text has no OSM form; None when it has one or says only "nach Vereinbarung"."""
    if not record.hours_text or record.hours_osm:
        return None
    parsed = parse_hours(record.hours_text)
    if not parsed.problems and parsed.by_appointment:
        return None
    return "; ".join(parsed.problems) or "nicht als Wochenplan lesbar"


Where = dict[str, tuple[str | None, int | None]]


def _locations(store: Store) -> Where:
    """Offer id -> (knowledge file, line), for pointing admins at the YAML to edit."""
    return {row["id"]: (row["file"], row["line"]) for row in store.conn.execute("SELECT id, file, line FROM offers")}


def _has_contact(record: OfferRecord) -> bool:
    return bool(record.all_phones() or record.emails or any(c.emails for c in record.contacts))


def _duplicates(records: list[OfferRecord], where: Where) -> list[tuple[str, list[OfferRecord]]]:
    """(what they share, offers) for every group of likely duplicates."""
    by_phone: dict[str, list[OfferRecord]] = {}
    by_place: dict[tuple[str, str, str], list[OfferRecord]] = {}
    for record in records:
        for number in {p.number for p in record.all_phones()}:
            by_phone.setdefault(number, []).append(record)
        address = (normalize(record.street or ""), record.postcode or "")
        if any(address):
            by_place.setdefault((normalize(record.name), *address), []).append(record)
    groups = []
    for number, group in sorted(by_phone.items()):
        origins = {(r.county, where.get(r.id, (None, None))[0]) for r in group}
        counties = {county for county, _ in origins}
        files = {file for _, file in origins}
        if len(group) > 1 and (len(counties) > 1 or len(files) > 1):
            groups.append((f"Telefon {national_number(number)}", group))
    for group in by_place.values():
        if len(group) > 1:
            place = " ".join(filter(None, (group[0].street, group[0].postcode, group[0].city)))
            groups.append((f"Name „{group[0].name}“ und Adresse {place}", group))
    return groups


def build_report(store: Store, today: date) -> list[Finding]:
    """Every finding, grouped by check in the order of :data:`CHECKS`."""
    records = store.offers()
    where = _locations(store)
    found: dict[str, list[Finding]] = {check: [] for check in CHECKS}

    def add(check: str, record: OfferRecord, detail: str) -> None:
        file, line = where.get(record.id, (None, None))
        found[check].append(Finding(check, record.id, record.name, record.county, detail,
                                    record.source_id, file, line))

    for record in records:
        if is_stale(record.source_date, today, record.source_retrieved):
            add("veraltet", record, f"Stand {record.source_date}" if record.source_date else
                f"übernommen {record.source_retrieved}")
        if not record.source_date:
            add("ohne_stand", record, "kein Stand angegeben")
        if not record.hours_text and not record.hours_osm:
            add("ohne_zeiten", record, "Termine nach Vereinbarung" if record.by_appointment else "keine Angabe")
        if not _has_contact(record):
            add("ohne_kontakt", record, f"nur Webseite {record.website}" if record.website else "keine Angabe")
        if (reason := unstructured_reason(record)) is not None:
            add("zeiten_text", record, f"„{record.hours_text}“: {reason}")
    for shared, group in _duplicates(records, where):
        for record in group:
            others = ", ".join(f"{o.id} ({o.county or NO_COUNTY})" for o in group if o.id != record.id)
            add("doppelt", record, f"{shared} wie {others}")
    return [finding for check in CHECKS for finding in found[check]]


def today_in_germany() -> date:
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def status_summary(store: Store, today: date | None = None) -> dict[str, Any]:
    """The figures of the admins' ``/status``: build time, offers per county, stale offers, text-only hours.

    ``today`` defaults to the current day in Germany; tests and reports pass a fixed one.
    """
    today = today or today_in_germany()
    records = store.offers()
    meta = store.meta()
    per_county = Counter(r.county or NO_COUNTY for r in records)
    stale = sorted((r for r in records if is_stale(r.source_date, today, r.source_retrieved)),
                   key=lambda r: (date_end(offer_date(r.source_date, r.source_retrieved)) or date.min, r.id))
    return {
        "built_at": meta.get("built_at"),
        "offer_count": len(records),
        "offers_per_county": dict(sorted(per_county.items())),
        "stale": [{"id": r.id, "name": r.name, "county": r.county,
                   "source_date": offer_date(r.source_date, r.source_retrieved)} for r in stale],
        "stale_per_county": dict(sorted(Counter(r.county or NO_COUNTY for r in stale).items())),
        "undated_count": sum(1 for r in records if not r.source_date),
        "semantic": semantic.status() if meta.get("semantic_model") else
        "Semantik: die Datenbank hat keine Beispielvektoren (ohne Beispiele oder Sprachmodell gebaut) – "
        "nur Wortlisten und Muster",
        "second": second_opinion.status() if meta.get("second_model") else
        "Zweite Meinung bei Krisen: die Datenbank hat keine Vektoren dafür – das erste Sprachmodell entscheidet allein",
        "unstructured_hours": [
            {"id": r.id, "name": r.name, "hours_text": r.hours_text}
            for r in records if unstructured_reason(r) is not None
        ],
    }


def report_text(store: Store, findings: list[Finding], today: date) -> str:
    """The report as plain German text, one block per check."""
    summary = status_summary(store, today)
    lines = [
        f"Bericht zu {store.path.name}, Stichtag {today.isoformat()}",
        f"Datenbank gebaut: {summary['built_at'] or 'unbekannt'} · {summary['offer_count']} Angebote",
        "",
        "Angebote je Landkreis (davon veraltet):",
        *(f"  {county}: {count}" + (f" ({summary['stale_per_county'][county]} veraltet)"
                                    if county in summary["stale_per_county"] else "")
          for county, count in summary["offers_per_county"].items()),
    ]
    for check, heading in CHECKS.items():
        rows = [f for f in findings if f.check == check]
        lines += ["", f"{heading}: {len(rows)}"]
        for finding in rows:
            place = f"{finding.file}:{finding.line}" if finding.file else "-"
            lines.append(f"  {finding.offer_id} · {finding.name} ({finding.county or NO_COUNTY}) – "
                         f"{finding.detail}  [{place}]")
    return "\n".join(lines) + "\n"


def write_report_csv(findings: list[Finding], path: str | Path) -> None:
    """The findings as a CSV for spreadsheets (``;``, UTF-8, like the county listings)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for f in findings:
            # no formulas and no control characters for the spreadsheet (bot.cells, OWASP's CSV injection)
            writer.writerow([spreadsheet_cell(str(cell)) for cell in (
                CHECKS[f.check], f.offer_id, f.source_id or "", f.name, f.county or "", f.file or "",
                "" if f.line is None else f.line, f.detail)])
