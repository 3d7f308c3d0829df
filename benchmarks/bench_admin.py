"""Admin data tools on many offers: report, /status summary, listing export, HSDS export and import.

    python benchmarks/bench_admin.py [--offers 2000] [--repeat 3]

Builds a database of synthetic offers (benchmarks/synthetic.py: fictional contact
data only) with the real sync, then times each tool against a baseline measured
in the same run: reading every offer from offers.db with ``Store.offers()``,
which each tool has to do anyway. Ratios say what the tool costs on top of that.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate_offers, write_knowledge  # noqa: E402
from bot.cli import export_offers  # noqa: E402
from bot.hsds import load_hsds_offers, offers_to_hsds, to_service_list, write_datapackage  # noqa: E402
from bot.listing import write_listing  # noqa: E402
from bot.report import build_report, report_text, status_summary  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.sync import sync  # noqa: E402

TODAY = date(2025, 6, 1)


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        knowledge = write_knowledge(tmp / "knowledge", generate_offers(args.offers, seed=1))
        result = sync(knowledge, tmp / "offers.db")
        if not result.ok:
            print("\n".join(str(p) for p in result.problems if not p.warning), file=sys.stderr)
            return 1
        store = Store(tmp / "offers.db")
        package = tmp / "hsds"
        write_datapackage(offers_to_hsds(store.offers()), package)

        baseline = _best(store.offers, args.repeat)
        cases: dict[str, Callable[[], object]] = {
            "status_summary (/status)": lambda: status_summary(store, TODAY),
            "report (text)": lambda: report_text(store, build_report(store, TODAY), TODAY),
            "listing export (CSV)": lambda: write_listing(
                (export_offers.offer_row(r) for r in export_offers.export_records(store)), tmp / "export.csv"),
            "HSDS export (datapackage)": lambda: write_datapackage(offers_to_hsds(store.offers()), tmp / "out"),
            "HSDS export (JSON page)": lambda: to_service_list(offers_to_hsds(store.offers())),
            "HSDS import (datapackage)": lambda: load_hsds_offers(package, today=TODAY),
        }
        print(f"{args.offers} synthetic offers, {platform.python_version()}, best of {args.repeat}")
        print(f"baseline Store.offers(): {baseline * 1000:8.1f} ms")
        for name, run in cases.items():
            seconds = _best(run, args.repeat)
            print(f"{name:28s} {seconds * 1000:8.1f} ms  {seconds / baseline:6.1f}x baseline  "
                  f"{seconds / args.offers * 1e6:7.1f} µs/offer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
