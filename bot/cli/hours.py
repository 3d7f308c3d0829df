"""``python -m bot hours "TEXT"``: show admins how their hours text is read.

stdout holds exactly the OSM form (so scripts can compare it); everything for
people (appointments, why a text is not certain) goes to stderr.
"""

from __future__ import annotations

import argparse
import sys

from bot.hours import parse_hours


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot hours", description="Sprechzeiten-Text prüfen")
    parser.add_argument("text", nargs="+", help="die Sprechzeiten, wie sie auf der Seite stehen")
    args = parser.parse_args(argv)
    text = " ".join(args.text)
    result = parse_hours(text)
    if result.osm:
        print(result.osm)
        if result.by_appointment:
            print("außerdem: nach Vereinbarung", file=sys.stderr)
        return 0
    if result.problems:
        print("Nicht sicher lesbar, bleibt als Text stehen:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    elif result.by_appointment:
        print("Keine festen Zeiten: nur nach Vereinbarung.", file=sys.stderr)
    else:
        print("Keine Zeiten angegeben.", file=sys.stderr)
    return 1
