"""Benchmark the memory of the import and the sync against their input size (issue 11, 14).

    python benchmarks/bench_memory.py [--rows 1000 10000 100000] [--kinds import sync] [--no-write]

For each size a generated county listing (bench_import.synthetic_rows: fake people and
numbers, never real offers) is imported into an empty YAML file by
``scripts/import_listing.py``, and generated offers (benchmarks/synthetic.py) are synced
into a fresh offers.db by ``scripts/sync_offers.py`` (the semantic examples' vectors are
taken over from the shipped offers.db, so the sentence model does not run). Each script
runs as its own process; its peak RSS is what the kernel reports for it (``wait4``). The
baseline, measured in the same run, is the peak RSS of a process that only imports the
same modules. Linear memory means the RSS above the baseline grows by about the same
number of bytes per row. Figures go to the "Import and sync memory" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_import import synthetic_rows  # noqa: E402
from benchmarks.results import machine, write_section  # noqa: E402
from benchmarks.synthetic import generate_offers, write_knowledge  # noqa: E402
from bot.listing import write_listing  # noqa: E402

SECTION = "## Import and sync memory"
IMPORTS = {
    "import": "import bot.cli.import_listing",
    "sync": "import bot.sync, bot.semantic",
}


def peak(command: list[str]) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit code) of a child process."""
    start = time.perf_counter()
    # scripts/*.py import the installed bot: PYTHONPATH makes it this checkout's, installed or not.
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, time.perf_counter() - start, proc.returncode


def baseline(kind: str) -> float:
    return peak([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); {IMPORTS[kind]}"])[0]


def run_import(rows: int, folder: Path) -> tuple[float, float, int]:
    listing = folder / f"liste-{rows}.csv"
    write_listing(synthetic_rows(rows), listing)
    out = folder / f"import-{rows}.yaml"
    return peak([sys.executable, "scripts/import_listing.py", str(listing), "--out", str(out)])


def run_sync(rows: int, folder: Path) -> tuple[float, float, int]:
    knowledge = write_knowledge(folder / f"knowledge-{rows}", generate_offers(rows, seed=3), per_file=1000)
    for extra in ("crisis", "situations"):
        shutil.copytree(ROOT / "knowledge" / extra, knowledge / extra)
    db = folder / f"offers-{rows}.db"
    shutil.copyfile(ROOT / "offers.db", db)  # the examples' vectors are taken from the file being replaced
    return peak([sys.executable, "scripts/sync_offers.py", "--knowledge", str(knowledge), "--db", str(db)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--kinds", nargs="+", choices=("import", "sync"), default=["import", "sync"])
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    args = parser.parse_args(argv)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, run in (("import", run_import), ("sync", run_sync)):
            if kind not in args.kinds:
                continue
            base = baseline(kind)
            previous: tuple[int, float] | None = None
            for rows in args.rows:
                rss, seconds, code = run(rows, Path(tmp))
                assert code == 0, f"{kind} of {rows} rows exited with {code}"
                growth = f"{(rss - base) * 1024 / rows:.1f} kB" if rows else "-"
                step = ""
                if previous is not None:
                    step = f"{(rss - previous[1]) * 1024 / (rows - previous[0]):.1f} kB"
                previous = (rows, rss)
                line = f"| {kind} | {rows:,} | {rss:.0f} MB | {base:.0f} MB | {growth} | {step} | {seconds:.1f} s |"
                print(line, flush=True)
                lines.append(line)
    text = "\n".join([
        SECTION, "",
        f"`python benchmarks/bench_memory.py --rows {' '.join(map(str, args.rows))}` — generated listings and "
        f"offers (fake people and numbers); machine: {machine()}, load average {os.getloadavg()[0]:.1f}. "
        "Each script in its own process, peak RSS as the kernel reports it; the baseline is a process that "
        "only imports the same modules, in the same run.", "",
        "| what | rows | peak RSS | baseline | above baseline per row | per added row (from the size before) "
        "| time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *lines,
    ])
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
