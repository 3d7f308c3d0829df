"""``python -m bot hours "TEXT"``: show admins how their hours text is read.

stdout holds exactly the OSM form and a newline (so scripts can compare it);
everything for people (the reading in words, appointments, places left out, why
a text is not certain) goes to stderr. Exit 0 when the text was read with
certainty, 1 otherwise (including "nach Vereinbarung" alone: no fixed hours).
"""

from __future__ import annotations

import argparse
import sys

from bot.hours import parse_hours
from bot.opening import describe_de


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot hours", description="Sprechzeiten-Text prüfen")
    parser.add_argument("text", nargs="+", help="die Sprechzeiten, wie sie auf der Seite stehen")
    text = " ".join(parser.parse_args(argv).text)
    result = parse_hours(text)
    if result.osm:
        print(result.osm)
        print(f"gelesen als: {describe_de(result.osm)}", file=sys.stderr)
    elif result.problems:
        print("Nicht sicher lesbar, bleibt als Text stehen:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    elif result.by_appointment:
        print("Keine festen Zeiten: nur nach Vereinbarung.", file=sys.stderr)
    else:
        print("Keine Zeiten angegeben.", file=sys.stderr)
    if result.osm and result.by_appointment:
        print("außerdem: nach Vereinbarung", file=sys.stderr)
    for remark in result.remarks:
        print(f"Ortsangabe, nicht Teil der Zeiten: {remark}", file=sys.stderr)
    return 0 if result.osm else 1
