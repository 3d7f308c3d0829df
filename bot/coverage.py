"""Coverage for planners: which core services offers.db knows in each county and independent city.

``python scripts/report.py --coverage [--csv OUT] [--png OUT]``: a matrix of the state's regions
(Thüringen's 23 counties and independent cities, from the ``counties`` table) by core services
(youth office, social welfare office, ... homelessness help), each cell the number of offers of
that service located in that region. Nationwide and state-wide lines are left out: they would
fill every cell and hide the holes a planner looks for. The heatmap is drawn with matplotlib,
imported only when a picture is asked for (it is no part of the bot's paths).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from bot.store import Store

#: The core services (German column headings) and the topic that makes an offer one of them.
CORE_SERVICES: tuple[tuple[str, str], ...] = (
    ("Jugendamt", "jugendamt"),
    ("Sozialamt", "grundsicherung"),
    ("Jobcenter", "jobcenter"),
    ("Schuldnerberatung", "schulden"),
    ("Suchtberatung", "sucht"),
    ("Familienberatung", "erziehung"),
    ("Schwangerschaftsberatung", "schwangerschaft"),
    ("Frauenhaus", "frauenhaus"),
    ("Tafel", "tafel"),
    ("Pflegeberatung", "pflege"),
    ("Migrationsberatung", "migration"),
    ("Wohnungslosenhilfe", "wohnungslosigkeit"),
)
REGION_HEADING = "Region"


@dataclass(frozen=True)
class Coverage:
    """Offers per region (rows) and core service (columns)."""

    regions: list[str]
    services: list[str]
    counts: list[list[int]]

    def holes(self) -> int:
        """Cells without any offer."""
        return sum(1 for row in self.counts for n in row if n == 0)


def coverage(store: Store, state: str = "TH") -> Coverage:
    """The matrix for one state's regions, in the order of knowledge/counties.yaml."""
    conn = store.conn
    regions = [row[0] for row in conn.execute("SELECT name FROM counties WHERE state = ? ORDER BY rowid", (state,))]
    found = {(county, topic): count for county, topic, count in conn.execute(
        "SELECT o.county, t.topic_id, count(DISTINCT o.id) FROM offers o "
        "JOIN offer_topics t ON t.offer_id = o.id GROUP BY o.county, t.topic_id")}
    counts = [[found.get((region, topic), 0) for _, topic in CORE_SERVICES] for region in regions]
    return Coverage(regions, [name for name, _ in CORE_SERVICES], counts)


def coverage_text(cov: Coverage) -> str:
    """The matrix as plain text for the terminal: one line per region, "–" for a hole."""
    width = max(len(r) for r in cov.regions) if cov.regions else len(REGION_HEADING)
    short = [name[:6] for name in cov.services]
    lines = [f"Abdeckung: {len(cov.regions)} Regionen × {len(cov.services)} Kerndienste, "
             f"{cov.holes()} Lücken (Angebote mit Sitz in der Region; bundesweite Angebote nicht gezählt)",
             "", " " * width + " " + " ".join(f"{s:>6}" for s in short)]
    for region, row in zip(cov.regions, cov.counts, strict=True):
        lines.append(f"{region:<{width}} " + " ".join(f"{(n if n else '–'):>6}" for n in row))
    lines += ["", "Spalten: " + ", ".join(f"{s} = {name}" for s, name in zip(short, cov.services, strict=True))]
    return "\n".join(lines) + "\n"


def write_coverage_csv(cov: Coverage, path: str | Path) -> None:
    """The matrix as CSV (``;``, UTF-8, like the listings): a header row, then one row per region."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([REGION_HEADING, *cov.services])
    for region, row in zip(cov.regions, cov.counts, strict=True):
        writer.writerow([region, *row])
    Path(path).write_text(out.getvalue(), encoding="utf-8")


def write_coverage_png(cov: Coverage, path: str | Path) -> None:
    """A heatmap: regions by services, the count in each cell, the holes in red at a glance."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    peak = max((n for row in cov.counts for n in row), default=0)
    # 0 = a hole (red), then greens from light to dark for one, two, ... offers
    greens = plt.get_cmap("Greens")
    colours = ["#e34a33"] + [greens(0.3 + 0.6 * i / max(peak, 1)) for i in range(1, max(peak, 1) + 1)]
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(cov.services), 1.4 + 0.38 * len(cov.regions)), dpi=100)
    ax.imshow(cov.counts, cmap=ListedColormap(colours), vmin=-0.5, vmax=len(colours) - 0.5, aspect="auto")
    ax.set_xticks(range(len(cov.services)), labels=cov.services, rotation=45, ha="right", fontsize=9)
    ax.set_yticks(range(len(cov.regions)), labels=cov.regions, fontsize=9)
    for y, row in enumerate(cov.counts):
        for x, n in enumerate(row):
            ax.text(x, y, str(n), ha="center", va="center", fontsize=8, color="white" if n == 0 or n > peak / 2
                    else "black")
    ax.set_title(f"Kerndienste je Region ({cov.holes()} Lücken, rot = kein Angebot)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
