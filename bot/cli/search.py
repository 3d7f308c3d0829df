"""``python -m bot search``: the search as JSON, for admins, scripts and outside checks.

    python -m bot search [--db PATH] [--limit N] [--near PLACE | --lat X --lon Y]
                         [--at ISO-DATETIME] --json QUESTION
    python -m bot search --jsonl [--db PATH] ...   (one question per line on stdin,
                                                    one JSON array per line on stdout)

Each result: ``id``, ``source_id`` (the listing's Nr or null), ``name``, ``score``,
``distance_km`` and ``open_now`` (or null), then ``city``, ``county``, ``phones``
(E.164), ``hours`` and ``topics``. Nothing found: ``[]``.

Imports nothing of aiogram, pydantic or the phone library, so it answers well
within half a second from a cold start.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import default_db_path
from bot.search import GeoPoint, SearchResponse, engine_for, search
from bot.store import Store


def result_json(response: SearchResponse) -> list[dict[str, Any]]:
    """The results as the JSON objects the command prints, best first."""
    out = []
    for r in response.results:
        o = r.offer
        out.append({
            "id": o.id, "source_id": o.source_id, "name": o.name, "score": r.score,
            "distance_km": r.distance_km, "open_now": r.open_now, "provider": o.provider,
            "city": o.city, "county": o.county, "phones": [p.number for p in o.all_phones() if p.kind != "fax"],
            "hours": o.hours_text, "topics": list(o.topics),
        })
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot search", description="Angebote suchen")
    parser.add_argument("--db", type=Path, default=None, help="Datenbank (Standard: OFFERS_DB oder offers.db)")
    parser.add_argument("--limit", type=int, default=10, help="höchstens so viele Ergebnisse (Standard 10)")
    parser.add_argument("--near", help="Ort, PLZ oder Landkreis, nach dessen Nähe sortiert wird")
    parser.add_argument("--lat", type=float, help="Breitengrad eines Standorts (mit --lon)")
    parser.add_argument("--lon", type=float, help="Längengrad eines Standorts (mit --lat)")
    parser.add_argument("--at", help="Zeitpunkt für 'geöffnet' (ISO, z. B. 2026-11-24T10:00)")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="eine Frage, Ergebnis als JSON-Liste")
    mode.add_argument("--jsonl", action="store_true", help="Fragen zeilenweise von stdin, je eine JSON-Liste")
    parser.add_argument("question", nargs="*")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.lat is None) != (args.lon is None):
        parser.error("--lat und --lon gehören zusammen")
    if args.near and args.lat is not None:
        parser.error("--near oder --lat/--lon, nicht beides")
    for name, value, bound in (("--lat", args.lat, 90), ("--lon", args.lon, 180)):
        # float() takes "inf" and "nan", and a latitude of 1000 gave distances of 14,932 km
        if value is not None and not -bound <= value <= bound:  # (False for nan)
            parser.error(f"{name} {value} liegt nicht zwischen -{bound} und {bound}")
    if args.limit < 0:
        parser.error("--limit darf nicht negativ sein")
    if args.json and not args.question:
        parser.error("--json braucht eine Frage")
    try:
        at = datetime.fromisoformat(args.at) if args.at else None
    except ValueError:
        parser.error(f"--at {args.at!r} ist kein ISO-Zeitpunkt (z. B. 2026-11-24T10:00)")
    try:
        store = Store(args.db or default_db_path())
        engine = engine_for(store)
    except Exception as exc:  # a broken or old file is the admin's to see, not a traceback
        print(f"Datenbank nicht lesbar: {exc}", file=sys.stderr)
        return 2
    if args.near and engine.places.resolve(args.near) is None:
        print(f"Ort {args.near!r} unbekannt: Ergebnisse ohne Ortsbezug", file=sys.stderr)
    near = GeoPoint(args.lat, args.lon) if args.lat is not None else None

    def run(question: str) -> list[dict[str, Any]]:
        return result_json(search(store, question, limit=args.limit, near=near, place_hint=args.near, at=at))

    if args.jsonl:
        for line in sys.stdin:
            print(json.dumps(run(line.rstrip("\r\n")), ensure_ascii=False), flush=True)
        return 0
    print(json.dumps(run(" ".join(args.question)), ensure_ascii=False, indent=1))
    return 0
