"""Report for admins: stale, incomplete and doubled offers in offers.db.

    python scripts/report.py [--db PATH] [--today YYYY-MM-DD] [--csv FILE]
    python scripts/report.py --coverage [--csv OUT] [--png OUT]
    python scripts/report.py --feedback [--json]
    python scripts/report.py --demand [--since YYYY-MM-DD] [--region R] [--json | --html OUT]

Prints the report as plain German text; ``--csv`` also writes every finding as
one row (``;``, UTF-8) for a spreadsheet. Checks: data older than three years
(bot/stale.py; counted per county too) or without a source date, no hours, no phone
and no e-mail, hours only as text, and likely duplicates (same phone number in different counties or files, same name
and address). ``--coverage`` prints instead the matrix of Thüringen's regions by core
services (bot.coverage); ``--csv`` then writes that matrix and ``--png`` its heatmap.
``--feedback`` and ``--demand`` read the bot's state store instead (bot.state_report).
Exit code 1 when the database cannot be opened.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path

from bot import state_report
from bot.config import default_db_path
from bot.coverage import coverage, coverage_text, write_coverage_csv, write_coverage_png
from bot.pipes import ends_quietly
from bot.report import build_report, report_text, today_in_germany, write_report_csv
from bot.store import Store


@ends_quietly
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bericht über veraltete, unvollständige und doppelte Angebote")
    parser.add_argument("--db", type=Path, default=None, help="die Datenbank (Standard: offers.db)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="Stichtag (JJJJ-MM-TT, sonst heute)")
    parser.add_argument("--csv", type=Path, help="die Befunde (mit --coverage: die Matrix) als CSV-Datei schreiben")
    parser.add_argument("--coverage", action="store_true",
                        help="Abdeckung: Regionen × Kerndienste (Jugendamt, Sozialamt, Jobcenter, ...)")
    parser.add_argument("--png", type=Path, help="mit --coverage: die Matrix als Heatmap (PNG)")
    state_report.add_arguments(parser)
    args = parser.parse_args(argv)
    today = args.today or today_in_germany()
    if args.feedback or args.demand:
        return state_report.run(args, today)
    try:
        store = Store(args.db or default_db_path())
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.coverage:
        return _coverage(store, args.csv, args.png)
    if args.png:
        parser.error("--png gibt es nur mit --coverage")
    findings = build_report(store, today)
    sys.stdout.write(report_text(store, findings, today))
    if args.csv:
        write_report_csv(findings, args.csv)
        print(f"\n{len(findings)} Befunde -> {args.csv}")
    return 0


def _coverage(store: Store, csv_path: Path | None, png_path: Path | None) -> int:
    matrix = coverage(store)
    sys.stdout.write(coverage_text(matrix))
    if csv_path:
        write_coverage_csv(matrix, csv_path)
        print(f"\nMatrix -> {csv_path}")
    if png_path:
        write_coverage_png(matrix, png_path)
        print(f"Heatmap -> {png_path}")
    return 0


if __name__ == "__main__":  # python -m bot.cli.report
    raise SystemExit(main())
