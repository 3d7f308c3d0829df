"""Each benchmark replaces only its own section of benchmarks/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.results import write_section


def test_a_section_is_replaced_and_the_others_stay(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n## Sync\nold sync\n\n## Search\nsearch figures\n", encoding="utf-8")
    write_section("## Sync", "## Sync\nnew sync\n", path)
    assert path.read_text(encoding="utf-8") == "# Benchmark results\n\n## Sync\nnew sync\n\n## Search\nsearch figures\n"


def test_a_missing_section_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    write_section("## Load", "## Load\n5000 updates\n", path)
    assert path.read_text(encoding="utf-8") == "# Benchmark results\n\n## Load\n5000 updates\n"
