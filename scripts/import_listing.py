"""Import a county listing (CSV) into the knowledge base.

    python scripts/import_listing.py LISTING.csv --out knowledge/offers/NAME.yaml [--title TITLE]

Writes or updates the county's YAML file: new rows are added, changed rows are
updated, hand corrections by admins are kept, rows gone from the listing are
removed; the summary says which. Exit code 1 when the listing cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.config import KNOWLEDGE_DIR  # noqa: E402
from bot.importer import dump_offers, import_listing, load_offers_file  # noqa: E402
from bot.listing import ListingError, read_listing  # noqa: E402
from bot.model import TopicsFile  # noqa: E402
from bot.vocabulary import load_matcher  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kreisliste (CSV) in die Wissensbasis übernehmen")
    parser.add_argument("listing", type=Path, help="die Liste im CSV-Format der Kreise")
    parser.add_argument("--out", type=Path, required=True, help="die YAML-Datei des Kreises")
    parser.add_argument("--title", help="Titel der Datei (sonst der Landkreis aus der Liste)")
    parser.add_argument("--topics", type=Path, default=KNOWLEDGE_DIR / "topics.yaml",
                        help="Themen-Vokabular für die Zuordnung der Angebote")
    args = parser.parse_args(argv)

    try:
        listing = read_listing(args.listing)
    except ListingError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("Die Liste wurde nicht übernommen.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.listing}: {exc.strerror}", file=sys.stderr)
        return 1

    import yaml

    matcher = None
    if args.topics.exists():
        matcher = load_matcher(TopicsFile.model_validate(yaml.safe_load(args.topics.read_text("utf-8"))).topics)
    existing = load_offers_file(args.out)
    offers_file, summary = import_listing(listing, existing, matcher, args.title)
    text = dump_offers(offers_file)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
        args.out.write_text(text, encoding="utf-8")
    print(f"{args.listing.name} -> {args.out}: {len(offers_file.offers)} Angebote")
    for line in summary.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
