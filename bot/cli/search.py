"""``python -m bot search``: the search as JSON, for admins, scripts and outside checks.

    python -m bot search [--db PATH] [--limit N] [--near PLACE | --lat X --lon Y]
                         [--at ISO-DATETIME] --json QUESTION
    python -m bot search --jsonl [--db PATH] ...   (one question per line on stdin)

Imports nothing of aiogram, so it answers fast from a cold start.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import default_db_path
from bot.phones import display_number
from bot.search import GeoPoint, SearchResponse, search
from bot.store import Store


def result_json(response: SearchResponse) -> list[dict[str, Any]]:
    out = []
    for r in response.results:
        o = r.offer
        out.append({
            "id": o.id, "source_id": o.source_id, "name": o.name, "score": r.score,
            "distance_km": r.distance_km, "open_now": r.open_now, "provider": o.provider,
            "city": o.city, "county": o.county, "phones": [display_number(p.number) for p in o.all_phones()],
            "hours": o.hours_text, "topics": list(o.topics),
        })
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot search", description="Angebote suchen")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--near", help="Ort, PLZ oder Landkreis, nach dessen Nähe sortiert wird")
    parser.add_argument("--lat", type=float)
    parser.add_argument("--lon", type=float)
    parser.add_argument("--at", help="Zeitpunkt für 'geöffnet' (ISO, z. B. 2026-11-24T10:00)")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="eine Frage, Ergebnis als JSON-Liste")
    mode.add_argument("--jsonl", action="store_true", help="Fragen zeilenweise von stdin, je eine JSON-Liste")
    parser.add_argument("question", nargs="*")
    args = parser.parse_args(argv)
    if (args.lat is None) != (args.lon is None):
        parser.error("--lat und --lon gehören zusammen")
    if args.near and args.lat is not None:
        parser.error("--near oder --lat/--lon, nicht beides")
    at = datetime.fromisoformat(args.at) if args.at else None
    try:
        store = Store(args.db or default_db_path())
    except (FileNotFoundError, Exception) as exc:  # an unreadable file is an admin's problem to see
        print(f"Datenbank nicht lesbar: {exc}", file=sys.stderr)
        return 2
    near = GeoPoint(args.lat, args.lon) if args.lat is not None else None

    def run(question: str) -> list[dict[str, Any]]:
        response = search(store, question, limit=args.limit, near=near, place_hint=args.near, at=at)
        return result_json(response)

    if args.jsonl:
        for line in sys.stdin:
            print(json.dumps(run(line.rstrip("\n")), ensure_ascii=False), flush=True)
        return 0
    print(json.dumps(run(" ".join(args.question)), ensure_ascii=False, indent=1))
    return 0
