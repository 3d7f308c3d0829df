"""County listings: the CSV format counties send (see knowledge/listings/README.md).

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

_AT = re.compile(r"\s*(?:\(\s*(?:at|ät|a|@)\s*\)|\[\s*(?:at|ät|a|@)\s*\]|\{\s*(?:at|ät|a|@)\s*\}"
                 r"|\s+(?:at|ät)\s+|\s+@\s*|\s*@\s+)\s*", re.IGNORECASE)
_DOT = re.compile(r"\s*(?:\(\s*(?:dot|punkt)\s*\)|\[\s*(?:dot|punkt)\s*\]|\{\s*(?:dot|punkt)\s*\})\s*",
                  re.IGNORECASE)
#: `` dot `` / `` punkt `` spelled out, only in the domain part (after the ``@``).
_DOMAIN_DOT = re.compile(r"(@[^\s@|;,]+)\s+(?:dot|punkt)\s+(?=[a-z0-9])", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"\s*[|;,/\n]\s*|\s+(?:oder|und|u\.|bzw\.?)\s+", re.IGNORECASE)
#: What may stand before an address without being part of it: ``mailto:``, ``E-Mail:``, ``Mail:``.
_EMAIL_PREFIX = re.compile(r"^(?:mailto:\s*|(?:e-?mail|mail)(?:-?adresse)?\s*:\s*)+", re.IGNORECASE)
#: Characters that never belong to an id, a number or an address (zero-width space, soft hyphen, ...).
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")

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
    text = _AT.sub("@", INVISIBLE.sub("", text).strip())
    text = _DOT.sub(".", text)
    while (undone := _DOMAIN_DOT.sub(r"\1.", text)) != text:
        text = undone
    return text


def _email_pieces(piece: str) -> list[str]:
    """One piece between separators: the addresses in it, and any other text as one piece of its own."""
    piece = _EMAIL_PREFIX.sub("", piece.strip())
    words = piece.split()
    if len(words) > 1 and any("@" in w for w in words):
        addresses = [w for w in words if "@" in w]
        rest = " ".join(w for w in words if "@" not in w)
        return [_bare(a) for a in addresses] + ([rest.strip()] if rest.strip(" ()<>:.,") else [])
    return [_bare(piece)] if piece.strip(" ()<>:.,") else []


def _bare(address: str) -> str:
    """An address without what surrounds it: ``<x@y.de>``, ``mailto:x@y.de``, ``(x@y.de)``, ``x@y.de.``."""
    address = _EMAIL_PREFIX.sub("", address.strip())
    if "@" in address:
        address = address.strip("<>()[]\"'").rstrip(".,:;").split("?", 1)[0]
    return address


def clean_emails(text: str) -> str:
    """An e-mail field with ``(at)`` undone, several addresses joined by `` | ``.

    Separators: ``|``, ``;``, ``,``, ``/``, ``oder``, ``und``, spaces between addresses;
    ``mailto:`` and ``E-Mail:`` before an address and ``<...>`` around it are dropped.
    Text that is no address (``(Sekretariat)``) stays as a piece, so the importer can flag it.
    """
    cleaned = clean_email(text or "")
    return " | ".join(p for part in _EMAIL_SPLIT.split(cleaned) if part.strip() for p in _email_pieces(part))


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


def _column_key(name: str) -> str:
    """A header name as compared: case, spaces, ``ss``/``ß`` and hyphens do not matter (``E-mail``, ``Strasse``)."""
    key = re.sub(r"[\s_-]+", "", INVISIBLE.sub("", name).casefold()).replace("ß", "ss")
    return {"email": "email", "emailadresse": "email", "mail": "email", "nummer": "nr", "nr.": "nr"}.get(key, key)


_COLUMN_KEYS = {_column_key(c): c for c in COLUMNS}


def _header_names(first_line: str) -> list[str]:
    return [INVISIBLE.sub("", h).strip() for h in next(csv.reader([first_line], delimiter=";"))]


def _trailing_empty(values: list[str]) -> int:
    """How many fields at the end of a header or row beyond the listing's columns are empty."""
    n = 0
    while len(values) - n > len(COLUMNS) and not values[len(values) - n - 1].strip():
        n += 1
    return n


def _header(first_line: str) -> list[str]:
    """The header's names, mapped to the listing's spelling where they differ only in case or spaces."""
    header = _header_names(first_line)
    header = header[: len(header) - _trailing_empty(header)]  # ";" after "Stand": empty columns
    return [_COLUMN_KEYS.get(_column_key(h), h) if h else h for h in header]


def _check_header(path: Path, first_line: str, line: int = 1) -> list[str]:
    header = _header(first_line)
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
    if len(header) == 1 and ("," in first_line or "\t" in first_line):
        detail.append("Trennzeichen ist nicht ';' (bitte als CSV mit Semikolon speichern)")
    return [f"{path}:{line}: Kopfzeile: " + "; ".join(detail)]


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


def row_id(nr: str) -> str:
    """The offer id of a ``Nr``: ``KYF-001`` -> ``kyf-001`` (umlauts spelled out, anything else a ``-``)."""
    text = INVISIBLE.sub("", nr).lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:48].rstrip("-")


#: Excel's first line naming the separator ("sep=;"), written by some exports.
_SEP_LINE = re.compile(r"^\s*sep=.\s*$", re.IGNORECASE)


def read_listing(path: str | Path) -> Listing:
    """Read and check a listing; raise :class:`ListingError` with every problem found."""
    path = Path(path)
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise ListingError([f"{path}:1: {WHOLE_ROW}: die Datei ist leer"])
    lines = text.split("\n")
    skip = 1 if _SEP_LINE.match(lines[0]) and len(lines) > 1 else 0
    problems = _check_header(path, lines[skip], skip + 1)
    if problems:
        raise ListingError(problems)

    listing = Listing(path=path)
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"', strict=True)
    for _ in range(skip + 1):
        next(reader)
    records: list[tuple[int, list[str]]] = []
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
        if record and any(v.strip() for v in record):
            records.append((start, record))
    # Empty fields after "Stand" are harmless only when the whole file has them (an export that
    # ends every line with ";"); in a single row they mean a ";" slipped into a field and shifted it.
    trailing = _trailing_empty(_header_names(lines[skip])) or (
        min(_trailing_empty(r) for _, r in records) if len(records) > 1 else 0)
    seen: dict[str, int] = {}
    ids: dict[str, tuple[str, int]] = {}
    for start, record in records:
        if trailing:
            record = record[: len(record) - min(trailing, _trailing_empty(record))]
        if len(record) != len(COLUMNS):
            problems.append(_count_problem(path, start, record))
            continue
        values = {col: val.strip() for col, val in zip(COLUMNS, record, strict=True)}
        for col in REQUIRED:
            if not INVISIBLE.sub("", values[col]).strip():
                problems.append(f"{path}:{start}: {col}: das Feld ist leer, es wird gebraucht")
        nr = values["Nr"]
        if nr and nr in seen:
            problems.append(f"{path}:{start}: Nr: {nr} steht schon in Zeile {seen[nr]}; jede Nr nur einmal")
        elif nr and INVISIBLE.sub("", nr).strip():
            slug = row_id(nr)
            if not slug:
                problems.append(f"{path}:{start}: Nr: {nr!r} enthält keine Buchstaben oder Ziffern; "
                                "die Nr wird die id des Angebots")
            elif slug in ids:
                other, line = ids[slug]
                problems.append(f"{path}:{start}: Nr: {nr} ergibt dieselbe id {slug!r} wie {other} in Zeile "
                                f"{line}; jede Nr nur einmal")
            ids.setdefault(slug, (nr, start))
        seen.setdefault(nr, start)
        values["E-Mail"] = clean_emails(values["E-Mail"])
        listing.rows.append(ListingRow(line=start, values=values))
    if not problems and not listing.rows:
        problems.append(f"{path}:{skip + 2}: {WHOLE_ROW}: die Liste enthält nur die Kopfzeile, keine Angebote")
    if problems:
        raise ListingError(problems)
    return listing


def write_listing(rows: Iterable[Mapping[str, str]], path: str | Path) -> None:
    """Write rows (column -> text) in the listing format: UTF-8, ``;``, standard quoting, ``\\n``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            # a line break inside a field is always "\n" (a lone "\r" would not be quoted)
            writer.writerow([(row.get(col, "") or "").replace("\r\n", "\n").replace("\r", "\n") for col in COLUMNS])
