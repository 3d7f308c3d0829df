"""Export offers.db as Open Referral HSDS 3.0, for counties and partner portals.

    python scripts/export_hsds.py [--db PATH] [--county NAME] --out DIR [--json FILE]

``--out`` writes a tabular datapackage (organizations, services, locations,
addresses, phones, schedules, contacts, service_at_location as CSV, plus
datapackage.json); ``--json`` writes one page of the API's /services answer with
every service in full. Ids are stable UUIDs, so a second export of the same data
gives the same ids. Exit code 1 when there is nothing to export.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from bot.config import default_db_path
from bot.hsds import offers_to_hsds, to_service_list, write_datapackage
from bot.pipes import ends_quietly
from bot.store import Store


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Angebote im Format Open Referral HSDS ausgeben")
    parser.add_argument("--db", type=Path, default=None, help="die Datenbank (Standard: offers.db)")
    parser.add_argument("--county", help="nur die Angebote dieses Landkreises")
    parser.add_argument("--out", type=Path, help="Ordner für das Datenpaket (CSV-Tabellen)")
    parser.add_argument("--json", type=Path, help="JSON-Datei (Liste der Dienste)")
    args = parser.parse_args(argv)
    if not args.out and not args.json:
        parser.error("bitte --out ORDNER und/oder --json DATEI angeben")

    try:
        store = Store(args.db or default_db_path())
    except (OSError, sqlite3.DatabaseError) as exc:  # the reason, not a traceback
        print(exc, file=sys.stderr)
        return 1
    records = store.offers()
    if args.county:
        records = [r for r in records if (r.county or "").casefold() == args.county.casefold()]
    if not records:
        print(f"keine Angebote{' im Landkreis ' + args.county if args.county else ''} gefunden", file=sys.stderr)
        return 1
    data = offers_to_hsds(records)
    if args.out:
        files = write_datapackage(data, args.out)
        print(f"{len(records)} Angebote -> {args.out} ({len(files)} Dateien)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(to_service_list(data), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{len(records)} Angebote -> {args.json}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.export_hsds
    raise SystemExit(main())
