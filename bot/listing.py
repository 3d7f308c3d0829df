"""County listings: the CSV format counties send (see ../shared/listings/README.md).

Reading is forgiving where real files are messy (byte-order mark, Windows line
ends, ``(at)`` in e-mail addresses; ``Tel.:`` before numbers is left to
:mod:`bot.phones`) and strict where a mistake would lose or shift data (missing,
extra or unknown columns, a broken quote, bytes that are not UTF-8, an empty
file, a repeated ``Nr``): those are refused with ``file:line: column: message``,
every problem of the file at once, so an admin can fix them in one go.
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
#: Columns without which a row cannot become an offer (id, name, where it comes from).
REQUIRED: tuple[str, ...] = ("Nr", "Angebot", "Quelle")
#: Marks the row-level problems that concern no single column.
WHOLE_ROW = "Zeile"

_AT = re.compile(r"\s*(?:\(at\)|\[at\]|\{at\}|\(ät\)|\(a\)|\[a\]|\s+at\s+)\s*", re.IGNORECASE)
_DOT = re.compile(r"\s*(?:\(dot\)|\[dot\]|\(punkt\)|\[punkt\])\s*", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"\s*[|;,]\s*|\s+(?=[^@\s]+@)")


class ListingError(Exception):
    """A listing that cannot be read without losing or shifting data; ``problems`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ListingRow:
    """One offer row: column -> text (stripped), and the line it starts on in the file."""

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
    return _DOT.sub(".", _AT.sub("@", text.strip()))


def clean_emails(text: str) -> str:
    """An e-mail field with ``(at)`` undone, several addresses joined by `` | ``."""
    return " | ".join(clean_email(e) for e in _EMAIL_SPLIT.split(_AT.sub("@", text)) if e.strip())


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data[: exc.start].count(b"\n") + 1
        index = data[line_start : exc.start].count(b";")
        column = COLUMNS[index] if line > 1 and index < len(COLUMNS) else WHOLE_ROW
        raise ListingError(
            [f"{path}:{line}: {column}: die Datei ist nicht in UTF-8 gespeichert (Byte {exc.start}: "
             f"{data[exc.start:exc.start + 1]!r}); bitte in Excel/LibreOffice als 'CSV UTF-8' speichern"]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_header(path: Path, first_line: str) -> list[str]:
    header = [h.strip() for h in next(csv.reader([first_line], delimiter=";"))]
    if tuple(header) == COLUMNS:
        return []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h or "(leerer Name)" for h in header if h not in COLUMNS]
    twice = sorted({h for h in header if h in COLUMNS and header.count(h) > 1})
    detail = []
    if missing:
        detail.append("es fehlen die Spalten " + ", ".join(missing))
    if unknown:
        detail.append("unbekannte Spalten " + ", ".join(unknown))
    if twice:
        detail.append("doppelte Spalten " + ", ".join(twice))
    if not detail:
        detail.append("die Spalten stehen nicht in der Reihenfolge " + ";".join(COLUMNS))
    return [f"{path}:1: Kopfzeile: " + "; ".join(detail)]


def _open_quote_column(text: str) -> str:
    """The column whose opening quote is never closed, read from the raw text of the broken row."""
    index = opened = i = 0
    quoted, at_field_start = False, True
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    i += 1  # an escaped quote inside the field
                else:
                    quoted = False
        elif ch == '"' and at_field_start:
            quoted, opened = True, index
        elif ch == ";":
            index += 1
        elif ch == "\n":
            break
        at_field_start = ch == ";"
        i += 1
    return COLUMNS[opened] if opened < len(COLUMNS) else WHOLE_ROW


def _count_problem(path: Path, line: int, record: list[str]) -> str:
    n, want = len(record), len(COLUMNS)
    if n < want:
        return (f"{path}:{line}: {COLUMNS[n]}: die Zeile hat nur {n} von {want} Spalten, es fehlen "
                f"{', '.join(COLUMNS[n:])} (ein ';' zu wenig?)")
    hint = " oder ein Anführungszeichen nicht geschlossen" if any('"' in v or "\n" in v for v in record) else ""
    return (f"{path}:{line}: {COLUMNS[-1]}: die Zeile hat {n} statt {want} Spalten, {n - want} zu viel "
            f"(ein ';' in einem Feld ohne Anführungszeichen{hint}?)")


def read_listing(path: str | Path) -> Listing:
    """Read and check a listing; raise :class:`ListingError` with every problem found."""
    path = Path(path)
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise ListingError([f"{path}:1: {WHOLE_ROW}: die Datei ist leer"])
    lines = text.split("\n")
    problems = _check_header(path, lines[0])
    if problems:
        raise ListingError(problems)

    listing = Listing(path=path)
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"', strict=True)
    next(reader)
    seen: dict[str, int] = {}
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            column = _open_quote_column("\n".join(lines[start - 1 :]))
            if "end of data" in str(exc):
                message = ("ein Anführungszeichen wird nicht geschlossen, das Feld liefe bis zum Dateiende; "
                           'bitte das fehlende " ergänzen')
            else:
                message = ('nach einem schließenden Anführungszeichen steht noch Text; ein " innerhalb '
                           'eines Feldes wird verdoppelt ("")')
            problems.append(f"{path}:{start}: {column}: {message}")
            break
        if not record or all(not v.strip() for v in record):
            continue
        if len(record) != len(COLUMNS):
            problems.append(_count_problem(path, start, record))
            continue
        values = {col: val.strip() for col, val in zip(COLUMNS, record, strict=True)}
        for col in REQUIRED:
            if not values[col]:
                problems.append(f"{path}:{start}: {col}: das Feld ist leer, es wird gebraucht")
        nr = values["Nr"]
        if nr and nr in seen:
            problems.append(f"{path}:{start}: Nr: {nr} steht schon in Zeile {seen[nr]}; jede Nr nur einmal")
        seen.setdefault(nr, start)
        values["E-Mail"] = clean_emails(values["E-Mail"])
        listing.rows.append(ListingRow(line=start, values=values))
    if not problems and not listing.rows:
        problems.append(f"{path}:2: {WHOLE_ROW}: die Liste enthält nur die Kopfzeile, keine Angebote")
    if problems:
        raise ListingError(problems)
    return listing


def write_listing(rows: Iterable[Mapping[str, str]], path: str | Path) -> None:
    """Write rows (column -> text) in the listing format: UTF-8, ``;``, standard quoting, ``\\n``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(col, "") or "" for col in COLUMNS])
