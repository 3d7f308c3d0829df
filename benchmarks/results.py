"""benchmarks/RESULTS.md is shared by every benchmark: each one replaces only its own section."""

from __future__ import annotations

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
