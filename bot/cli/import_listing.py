"""Import a county listing (CSV) into the knowledge base.

    python scripts/import_listing.py LISTING.csv --out knowledge/offers/NAME.yaml [--title TITLE]

Writes or updates the county's YAML file: new rows are added, changed rows are
updated, hand corrections by admins are kept, rows gone from the listing are
removed; the summary says which (see knowledge/README.md). The file is only
rewritten when its content changes, so a second run on the same listing leaves
it byte-identical. Exit code 1 when the listing or the existing file cannot be
read, or when the import would remove most of the file's offers (``--allow-removals``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.config import KNOWLEDGE_DIR
from bot.importer import ImportRefused, dump_offers, import_listing, load_offers_file
from bot.listing import ListingError, read_listing
from bot.model import OffersFile, TopicsFile
from bot.pipes import ends_quietly
from bot.vocabulary import TopicMatcher, load_matcher


def add_topics_option(parser: argparse.ArgumentParser) -> None:
    """``--topics``: the vocabulary the offers' topics are found with (this import and the HSDS import)."""
    parser.add_argument("--topics", type=Path, default=KNOWLEDGE_DIR / "topics.yaml",
                        help="Themen-Vokabular für die Zuordnung der Angebote")


def topic_matcher(path: Path) -> TopicMatcher | None:
    """The topic vocabulary, or None (no topic links) when topics.yaml does not exist yet."""
    if not path.exists():
        return None
    return load_matcher(TopicsFile.model_validate(yaml.safe_load(path.read_text("utf-8"))).topics)


def write_offers(path: Path, offers_file: OffersFile) -> None:
    """Write the YAML file only when its content changes: a second import leaves it byte-identical."""
    text = dump_offers(offers_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kreisliste (CSV) in die Wissensbasis übernehmen")
    parser.add_argument("listing", type=Path, help="die Liste im CSV-Format der Kreise")
    parser.add_argument("--out", type=Path, required=True, help="die YAML-Datei des Kreises")
    parser.add_argument("--title", help="Titel der Datei (sonst der bisherige Titel oder der Landkreis)")
    add_topics_option(parser)
    parser.add_argument("--allow-removals", action="store_true",
                        help="auch übernehmen, wenn mehr als die Hälfte der Angebote der Datei wegfiele")
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

    try:
        existing = load_offers_file(args.out)
        matcher = topic_matcher(args.topics)
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        print(f"{exc}\nDie vorhandenen Dateien sind nicht lesbar; Zeilen und Felder nennt "
              "python scripts/sync_offers.py --check. Nichts wurde geändert.", file=sys.stderr)
        return 1
    if matcher is None:
        print(f"Hinweis: {args.topics} fehlt, die Angebote bekommen keine Themen", file=sys.stderr)
    try:
        offers_file, summary = import_listing(listing, existing, matcher, args.title,
                                              allow_removals=args.allow_removals)
    except ImportRefused as exc:
        print(f"{args.out}: {exc} Nichts wurde geändert.", file=sys.stderr)
        return 1
    write_offers(args.out, offers_file)
    print(f"{args.listing.name} -> {args.out}: {len(offers_file.offers)} Angebote (gelesen als {listing.encoding})")
    for line in summary.lines():
        print(line)
    return 0


if __name__ == "__main__":  # python -m bot.cli.import_listing
    raise SystemExit(main())
