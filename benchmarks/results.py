"""benchmarks/RESULTS.md is shared by every benchmark: each one replaces only its own section."""

from __future__ import annotations

import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str, text: str, path: Path = RESULTS) -> None:
    """Replace the part of RESULTS.md under the heading ``section`` ("## Sync") with ``text``
    (which starts with that heading); append it when the heading is not there yet."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    text = text.rstrip("\n") + "\n"
    start = old.find(section + "\n")
    if start < 0:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + len(section))
    rest = old[end + 1 :] if end >= 0 else ""
    path.write_text(old[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")


def cpu_model() -> str:
    """The processor's name as /proc/cpuinfo gives it (the machine type elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def machine() -> str:
    """The machine a benchmark ran on, as RESULTS.md names it: "2 cores (AMD EPYC ...), Python 3.11.7"."""
    return f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}"
