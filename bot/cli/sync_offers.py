"""Check knowledge/ and rebuild offers.db from it.

    python scripts/sync_offers.py [--knowledge DIR] [--db PATH] [--check]

On any error every problem is printed as ``file:line: field: message``, the exit
code is 1 and the existing database stays byte-identical. ``--check`` only says
whether offers.db is in step with the knowledge files (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import KNOWLEDGE_DIR, default_db_path
from bot.pipes import ends_quietly
from bot.sync import staleness, sync

#: Ids listed per kind of change; a first build of thousands would flood the terminal.
SHOWN_IDS = 50


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Wissensbasis prüfen und offers.db neu bauen")
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="Ordner der Wissensbasis")
    parser.add_argument("--db", type=Path, default=None, help="die Datenbank (Standard: offers.db)")
    parser.add_argument("--check", action="store_true", help="nur prüfen, ob offers.db aktuell ist")
    args = parser.parse_args(argv)
    db_path = args.db or default_db_path()

    if args.check:
        reason = staleness(args.knowledge, db_path)
        if reason:
            print(f"{reason}. Bitte 'python scripts/sync_offers.py' ausführen und die neue Datei "
                  "einchecken.", file=sys.stderr)
            return 1
        print(f"{db_path} ist aktuell.")
        return 0

    result = sync(args.knowledge, db_path)
    for problem in result.problems:
        print(problem, file=sys.stderr if not problem.warning else sys.stdout)
    if not result.ok:
        errors = sum(not p.warning for p in result.problems)
        print(f"{errors} Fehler – {db_path} wurde nicht verändert.", file=sys.stderr)
        return 1
    if not result.written:
        print(f"{db_path} ist aktuell ({result.offer_count} Angebote).")
        return 0
    print(f"{db_path} neu gebaut: {result.offer_count} Angebote "
          f"(neu {len(result.added)}, geändert {len(result.changed)}, entfernt {len(result.removed)})")
    for label, ids in (("+", result.added), ("~", result.changed), ("-", result.removed)):
        for offer_id in ids[:SHOWN_IDS]:
            print(f"  {label} {offer_id}")
        if len(ids) > SHOWN_IDS:
            print(f"  {label} … und {len(ids) - SHOWN_IDS} weitere")
    return 0


if __name__ == "__main__":  # python -m bot.cli.sync_offers
    raise SystemExit(main())
