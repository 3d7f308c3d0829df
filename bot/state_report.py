"""``scripts/report.py --feedback`` and ``--demand``: the state store's reports for admins and planners.

    python scripts/report.py --feedback [--json]
    python scripts/report.py --demand [--since YYYY-MM-DD] [--region R] [--json | --html OUT]

The store is the bot's (``REDIS_URL``, else ``BOT_STATE_DB``, default ``bot-state.db``);
topic labels come from offers.db when it can be read. Exit code 1 when the store cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.botstate import StateError, open_state
from bot.demand import compact
from bot.demand_report import build, report_html, report_text
from bot.feedback import Feedback, feedback_text, public
from bot.settings import CommonSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--feedback", action="store_true", help="offene Fehlermeldungen aus dem Zustandsspeicher")
    parser.add_argument("--demand", action="store_true", help="Nachfrage-Statistik für die Sozialplanung")
    parser.add_argument("--since", type=date.fromisoformat, help="mit --demand: ab diesem Tag (JJJJ-MM-TT)")
    parser.add_argument("--region", help="mit --demand: nur dieser Landkreis")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="mit --feedback/--demand: als JSON")
    out.add_argument("--html", type=Path, metavar="OUT", help="mit --demand: eine HTML-Seite mit Diagrammen")


def _topic_labels(db: Path) -> dict[str, str]:
    try:
        from bot.store import Store

        return {t["id"]: t["label"] for t in Store(db).topics()}
    except Exception:  # labels are a courtesy: the ids stand in
        return {}


def run(args: argparse.Namespace, today: date, settings: CommonSettings | None = None) -> int:
    """``settings`` name the store and offers.db (none: read from the environment here)."""
    settings = settings if settings is not None else CommonSettings()
    try:
        state = open_state(redis_url=settings.redis_url, path=settings.bot_state_db)
        if args.feedback:
            reports = Feedback(state).reports()
            if args.json:
                print(json.dumps([public(r) for r in reports], ensure_ascii=False, indent=2))
            else:
                sys.stdout.write(feedback_text(reports))
            return 0
        compact(state, today)
        report = build(state, since=args.since, region=args.region, topic_labels=_topic_labels(args.db or settings.offers_path))
    except StateError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif args.html:
        args.html.write_text(report_html(report), encoding="utf-8")
        print(f"{report['asked']} Fragen -> {args.html}")
    else:
        sys.stdout.write(report_text(report))
    return 0
