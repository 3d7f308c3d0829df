"""``python scripts/report.py --coverage --csv OUT --png OUT`` on the shipped offers.db (issue 12, 10):
the matrix of Thüringen's 23 regions by the 12 core services, and its heatmap, made in CI from the data."""

from __future__ import annotations

import csv
import sqlite3
import struct

import pytest

from bot.config import PROJECT_ROOT

SERVICES = ["Jugendamt", "Sozialamt", "Jobcenter", "Schuldnerberatung", "Suchtberatung", "Familienberatung",
            "Schwangerschaftsberatung", "Frauenhaus", "Tafel", "Pflegeberatung", "Migrationsberatung",
            "Wohnungslosenhilfe"]
TOPICS = ["jugendamt", "grundsicherung", "jobcenter", "schulden", "sucht", "erziehung", "schwangerschaft",
          "frauenhaus", "tafel", "pflege", "migration", "wohnungslosigkeit"]
THURINGIA = {"Erfurt", "Gera", "Jena", "Suhl", "Weimar", "Eisenach", "Eichsfeld", "Landkreis Nordhausen",
             "Wartburgkreis", "Unstrut-Hainich-Kreis", "Kyffhäuserkreis", "Schmalkalden-Meiningen",
             "Landkreis Gotha", "Landkreis Sömmerda", "Landkreis Hildburghausen", "Ilm-Kreis", "Weimarer Land",
             "Landkreis Sonneberg", "Saalfeld-Rudolstadt", "Saale-Holzland-Kreis", "Saale-Orla-Kreis",
             "Landkreis Greiz", "Altenburger Land"}
DB = PROJECT_ROOT / "offers.db"


def _report_main(argv: list[str]) -> int:
    from bot.cli import report

    return report.main(argv)


def _expected(region: str, topic: str) -> int:
    """The cell counted straight from the database: offers located in the region with the topic."""
    with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(DISTINCT o.id) FROM offers o JOIN offer_topics t ON t.offer_id = o.id "
                            "WHERE o.county = ? AND t.topic_id = ?", (region, topic)).fetchone()[0]


@pytest.mark.slow
def test_coverage_csv_and_heatmap_from_the_shipped_data(tmp_path, capsys):
    csv_path, png_path = tmp_path / "abdeckung.csv", tmp_path / "abdeckung.png"
    assert _report_main(["--db", str(DB), "--coverage", "--csv", str(csv_path), "--png", str(png_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Abdeckung: 23 Regionen × 12 Kerndienste, ")
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rows[0] == ["Region", *SERVICES]
    assert {row[0] for row in rows[1:]} == THURINGIA and len(rows) == 24
    for row in rows[1:]:
        assert [int(n) for n in row[1:]] == [_expected(row[0], topic) for topic in TOPICS], row[0]
    holes = sum(1 for row in rows[1:] for n in row[1:] if n == "0")
    assert f"{holes} Lücken" in out
    # Some service is somewhere: the picture is not all holes (the shipped data has food banks in Thüringen).
    assert any(int(n) for row in rows[1:] for n in row[1:])
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 600 and height >= 600


def test_png_needs_coverage(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        _report_main(["--db", str(DB), "--png", str(tmp_path / "x.png")])
    assert stop.value.code == 2
    assert "--png gibt es nur mit --coverage" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
