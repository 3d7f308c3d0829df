"""County listings: the CSV format counties send (see ../shared/listings/README.md).

Reading is forgiving where real files are messy (byte-order mark, Windows line
ends, ``(at)`` in e-mail addresses, ``Tel.:`` before numbers) and strict where a
mistake would lose or shift data (missing or extra columns, a broken quote,
bytes that are not UTF-8): those are refused with ``file:line: column: message``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS: tuple[str, ...] = (
    "Nr", "Angebot", "Träger", "Kategorie", "Schlagworte", "Zielgruppe", "Beschreibung",
    "Straße", "PLZ", "Ort", "Landkreis", "Ansprechperson", "Telefon", "E-Mail", "Webseite",
    "Sprechzeiten", "Hinweis", "Quelle", "Stand",
)
REQUIRED: tuple[str, ...] = ("Nr", "Angebot", "Quelle")

_AT = re.compile(r"\s*(?:\(at\)|\[at\]|\{at\}|\(ät\)| at )\s*", re.IGNORECASE)
_DOT = re.compile(r"\s*(?:\(dot\)|\[dot\]|\(punkt\)|\[punkt\])\s*", re.IGNORECASE)


class ListingError(Exception):
    """A listing that cannot be read without losing or shifting data."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ListingRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Listing:
    path: Path
    rows: list[ListingRow] = field(default_factory=list)


def clean_email(text: str) -> str:
    """Undo spam protection: ``f.mueller(a)lra-sm.de`` and ``x(at)y.de`` become real addresses."""
    text = _AT.sub("@", text.strip())
    text = re.sub(r"\s*\(a\)\s*", "@", text)
    return _DOT.sub(".", text)


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ListingError(
            [f"{path}:{line}: -: die Datei ist nicht in UTF-8 gespeichert (Byte {exc.start}); "
             "bitte als 'CSV UTF-8' speichern"]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_listing(path: str | Path) -> Listing:
    """Read and check a listing; raise :class:`ListingError` with every problem found."""
    path = Path(path)
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise ListingError([f"{path}:1: -: die Datei ist leer"])
    problems: list[str] = []
    lines = text.split("\n")
    header = next(csv.reader([lines[0]], delimiter=";"))
    header = [h.strip() for h in header]
    if tuple(header) != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        extra = [h for h in header if h not in COLUMNS]
        detail = []
        if missing:
            detail.append("es fehlen die Spalten " + ", ".join(missing))
        if extra:
            detail.append("unbekannte Spalten " + ", ".join(extra))
        if not detail:
            detail.append("die Spalten stehen nicht in der Reihenfolge " + ";".join(COLUMNS))
        raise ListingError([f"{path}:1: Kopfzeile: " + "; ".join(detail)])

    listing = Listing(path=path)
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"', strict=True)
    seen: dict[str, int] = {}
    start = 2
    try:
        next(reader)
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not record or all(not v.strip() for v in record):
                continue
            if len(record) != len(COLUMNS):
                what = "fehlen Spalten" if len(record) < len(COLUMNS) else "sind zu viele Spalten"
                hint = " (ein Anführungszeichen nicht geschlossen?)" if any('"' in v or "\n" in v for v in record) else ""
                problems.append(
                    f"{path}:{start}: -: in der Zeile {what}: {len(record)} statt {len(COLUMNS)}{hint}"
                )
                continue
            values = {col: val.strip() for col, val in zip(COLUMNS, record, strict=True)}
            for col in REQUIRED:
                if not values[col]:
                    problems.append(f"{path}:{start}: {col}: Pflichtfeld ist leer")
            nr = values["Nr"]
            if nr in seen:
                problems.append(f"{path}:{start}: Nr: {nr} steht schon in Zeile {seen[nr]}")
            seen[nr] = start
            values["E-Mail"] = " | ".join(clean_email(e) for e in re.split(r"\s*[|;,]\s*", values["E-Mail"]) if e)
            listing.rows.append(ListingRow(line=start, values=values))
    except csv.Error as exc:
        problems.append(f"{path}:{start}: -: die Zeile ist kaputt ({exc}); "
                        "wahrscheinlich ein nicht geschlossenes Anführungszeichen")
    if problems:
        raise ListingError(problems)
    return listing


def write_listing(rows: Iterable[Mapping[str, str]], path: str | Path) -> None:
    """Write rows (column -> text) in the listing format, UTF-8, ``;``, standard quoting."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(col, "") or "" for col in COLUMNS])
