"""Import Open Referral HSDS data into the knowledge base.

    python scripts/import_hsds.py INPUT --out knowledge/offers/NAME.yaml
        [--title TITLE] [--source-url URL] [--today YYYY-MM-DD]

INPUT is a datapackage folder of HSDS CSV tables or a JSON file of the HSDS API
(service_full.json, organization_full.json, a page of /services ...). Every
service becomes an offer ``hsds-<first 8 characters of its id>``. Offers of an
earlier import are replaced; offers an admin added by hand (without source id)
stay. Everything that could not be taken over is printed and kept in the offers'
admin notes. Exit code 1 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.cli.import_listing import add_topics_option, topic_matcher, write_offers
from bot.hsds import HsdsError, load_hsds_offers
from bot.importer import load_offers_file
from bot.model import Offer, OffersFile
from bot.pipes import ends_quietly


def merge_file(existing: OffersFile | None, imported: list[Offer], title: str) -> tuple[OffersFile, list[str]]:
    """The new file and one summary line per change; hand-added offers (no source id) stay."""
    old = {o.id: o for o in existing.offers} if existing else {}
    new_ids = {o.id for o in imported}
    lines = []
    for offer in imported:
        if offer.id not in old:
            lines.append(f"  + {offer.id}")
        elif old[offer.id] != offer:
            lines.append(f"  ~ {offer.id}")
    kept = [o for o in old.values() if o.id not in new_ids and not o.source_id]
    lines += [f"  - {o.id} (nicht mehr in den HSDS-Daten)" for o in old.values()
              if o.id not in new_ids and o.source_id]
    return OffersFile(title=title, offers=[*imported, *kept]), lines


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="HSDS-Daten (Open Referral) in die Wissensbasis übernehmen")
    parser.add_argument("input", type=Path, help="Ordner mit HSDS-CSV-Tabellen oder eine HSDS-JSON-Datei")
    parser.add_argument("--out", type=Path, required=True, help="die YAML-Datei in knowledge/offers/")
    parser.add_argument("--title", help="Titel der Datei (sonst der Träger oder der Dateiname)")
    parser.add_argument("--source-url", help="Quelle der Daten (sonst die Webseite des Dienstes)")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="Stichtag für abgelaufene Zeitpläne (JJJJ-MM-TT, sonst heute)")
    add_topics_option(parser)
    args = parser.parse_args(argv)

    try:
        result = load_hsds_offers(args.input, source_url=args.source_url, listing=args.input.name,
                                  today=args.today, matcher=topic_matcher(args.topics))
    except HsdsError as exc:
        print(exc, file=sys.stderr)
        print("Die HSDS-Daten wurden nicht übernommen.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.input}: {exc.strerror}", file=sys.stderr)
        return 1

    existing = load_offers_file(args.out)
    providers = {o.provider or "" for o in result.offers} - {""}
    title = args.title or (existing.title if existing else None) or (
        providers.pop() if len(providers) == 1 else args.input.stem)
    offers_file, lines = merge_file(existing, result.offers, title)
    write_offers(args.out, offers_file)
    print(f"{args.input.name} -> {args.out}: {len(result.offers)} Angebote aus HSDS")
    for line in lines:
        print(line)
    for warning in result.warnings:
        print(f"  ! {warning}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.import_hsds
    raise SystemExit(main())
