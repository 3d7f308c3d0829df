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
from typing import NoReturn

from bot.cells import formula_like, spreadsheet_cell, strip_controls, unmark
from bot.model import LONG_LENGTH, NAME_LENGTH, SHORT_LENGTH, URL_LENGTH

COLUMNS: tuple[str, ...] = (
    "Nr", "Angebot", "Träger", "Kategorie", "Schlagworte", "Zielgruppe", "Beschreibung",
    "Straße", "PLZ", "Ort", "Landkreis", "Ansprechperson", "Telefon", "E-Mail", "Webseite",
    "Sprechzeiten", "Hinweis", "Quelle", "Stand",
)
#: Columns without which a row cannot become an offer (id, name, where it comes from).
REQUIRED: tuple[str, ...] = ("Nr", "Angebot", "Quelle")
#: Marks the row-level problems that concern no single column.
WHOLE_ROW = "Zeile"
#: Longest cell of a column (characters): the length of the offer field it becomes (bot.model).
FIELD_LIMITS: dict[str, int] = {"Angebot": NAME_LENGTH, "Beschreibung": LONG_LENGTH, "Sprechzeiten": LONG_LENGTH,
                                "Hinweis": LONG_LENGTH, "Webseite": URL_LENGTH, "Quelle": URL_LENGTH}

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

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?(?:[a-z0-9äöüß](?:[a-z0-9äöüß-]*[a-z0-9äöüß])?\.)+[a-z]{2,}(?::\d+)?"
                          r"(?:[/?#][^\s]*)?$", re.IGNORECASE)


def normalise_url(text: str) -> tuple[str | None, str | None]:
    """A web address as a link: ``www.x.de`` -> ``https://www.x.de``; (url, problem for the admin)."""
    value = INVISIBLE.sub("", text).strip().strip("<>").strip()
    if not value:
        return None, None
    parts = [p for p in re.split(r"\s*[|;,]\s*|\s+", value) if p]
    if not parts:  # separators only (",", "; |")
        return None, f"keine Webadresse: {value}"
    first = parts[0].rstrip(".,")
    problem = f"mehrere Adressen, nur die erste übernommen: {value}" if len(parts) > 1 else None
    if re.match(r"^https?:/+", first, re.IGNORECASE):
        first = re.sub(r"^(https?):/+", r"\1://", first, flags=re.IGNORECASE)
        if _URL.match(first):
            return first, problem
    elif first.lower().startswith("//") and _BARE_DOMAIN.match(first[2:]):
        return "https:" + first, problem
    elif _BARE_DOMAIN.match(first) and "@" not in first:
        return "https://" + first, problem
    return None, f"keine Webadresse: {value}"

#: The encodings German spreadsheets save CSV in, as the import names them.
UTF8 = "UTF-8"
CP1252 = "Windows-1252 (Excel „CSV (Trennzeichen-getrennt)“)"
UTF16 = "UTF-16 (Excel „Unicode-Text“, Tabulator-getrennt)"




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
    #: What was changed or is doubtful but not refused (``file:line: column: message``).
    warnings: list[str] = field(default_factory=list)
    #: The encoding the file was read in (UTF-8, cp1252 or UTF-16 from Excel), for the import to say.
    encoding: str = UTF8


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


#: A character of two to four bytes in UTF-8: a file that has them is UTF-8, whatever else is in it.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a listing and the encoding it was read in: UTF-8, German Excel's cp1252 ("CSV"),
    or its UTF-16 "Unicode-Text" (tab separated, turned into the ``;`` format here). A file mixing
    UTF-8 with other bytes is refused: any reading of it would garble some letters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _tabs_to_semicolons(data.decode("utf-16")), UTF16
        except UnicodeDecodeError:
            raise ListingError([f"{path}:1: {WHOLE_ROW}: die Datei beginnt wie UTF-16 („Unicode-Text“), ist "
                                "aber nicht lesbar; bitte in Excel/LibreOffice als 'CSV UTF-8' speichern"]) from None
    try:
        text, encoding = data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            _not_utf8(path, data, exc.start)
        try:
            text, encoding = data.decode("cp1252"), CP1252
        except UnicodeDecodeError as cp_exc:
            _not_utf8(path, data, cp_exc.start)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _not_utf8(path: Path, data: bytes, start: int) -> NoReturn:
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data[:start].count(b"\n") + 1
    index = data[line_start:start].count(b";")
    column = COLUMNS[index] if line > 1 and index < len(COLUMNS) else WHOLE_ROW
    raise ListingError(
        [f"{path}:{line}: {column}: die Datei ist nicht in UTF-8 gespeichert (Byte {start}: "
         f"{data[start:start + 1]!r}); bitte in Excel/LibreOffice als 'CSV UTF-8' speichern"]
    )


def _tabs_to_semicolons(text: str) -> str:
    """Excel's "Unicode-Text" separates fields by tabs; the listing format by ``;`` (each field
    quoted as needed, so a ``;`` inside a field stays inside it; line breaks stay where they were)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "\t" not in first:
        return text
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    for record in csv.reader(io.StringIO(text.lstrip("\ufeff").replace("\r\n", "\n")), delimiter="\t"):
        writer.writerow(record)
    return out.getvalue()


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
    text, encoding = _decode(path, path.read_bytes())
    if not text.strip():
        raise ListingError([f"{path}:1: {WHOLE_ROW}: die Datei ist leer"])
    lines = text.split("\n")
    skip = 1 if _SEP_LINE.match(lines[0]) and len(lines) > 1 else 0
    problems = _check_header(path, lines[skip], skip + 1)
    if problems:
        raise ListingError(problems)

    listing = Listing(path=path, encoding=encoding)
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
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                pieces = lines[start - 1].split(";")
                column = next((COLUMNS[i] for i, piece in enumerate(pieces[: len(COLUMNS)]) if len(piece) > limit),
                              column)
                message = f"Feld zu groß (mehr als {_number(limit)} Zeichen)"
            elif "end of data" in str(exc):
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
        values = {col: _cell(listing, f"{path}:{start}: {col}", val) for col, val in zip(COLUMNS, record, strict=True)}
        for col, value in values.items():
            if len(value) > (limit := FIELD_LIMITS.get(col, SHORT_LENGTH)):
                problems.append(f"{path}:{start}: {col}: Feld zu groß: {_number(len(value))} Zeichen, höchstens "
                                f"{_number(limit)}")
        if values["Quelle"] and normalise_url(values["Quelle"])[0] is None:
            problems.append(f"{path}:{start}: Quelle: {values['Quelle'][:80]!r} ist keine Webadresse (http/https); "
                            "jedes Angebot nennt die Seite, von der es stammt")
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


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _cell(listing: Listing, where: str, value: str) -> str:
    """A field as the import takes it: stripped, control characters removed, an export's formula quote taken
    off (bot.cells); what was removed or looks like a spreadsheet formula goes into the listing's warnings."""
    value, removed = strip_controls(value)
    value = unmark(value).strip()  # the quote is the first character an export wrote, before any space
    if removed:
        listing.warnings.append(f"{where}: Steuerzeichen entfernt ({', '.join(removed)})")
    if formula_like(value):
        listing.warnings.append(f"{where}: beginnt mit {value.lstrip(' ')[0]!r} wie eine Tabellenformel "
                                f"({value[:40]!r}); in Exporten mit ' davor entschärft, bitte prüfen")
    return value


def listing_text(rows: Iterable[Mapping[str, str]]) -> str:
    """Rows (column -> text) in the listing format: ``;``, standard quoting, ``\\n``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        # a line break inside a field is always "\n" (a lone "\r" would not be quoted); no control characters
        # and no formulas for the spreadsheet (bot.cells, OWASP's CSV injection)
        writer.writerow([spreadsheet_cell(row.get(col, "") or "") for col in COLUMNS])
    return out.getvalue()


def listing_bytes(rows: Iterable[Mapping[str, str]], *, bom: bool = False) -> bytes:
    """The listing as UTF-8; with ``bom`` a byte order mark first, so Excel opens it as UTF-8
    (without one, German Excel reads the umlauts as cp1252: "MÃ¼hlhausen")."""
    return ("\ufeff" if bom else "").encode() + listing_text(rows).encode("utf-8")


def write_listing(rows: Iterable[Mapping[str, str]], path: str | Path, *, bom: bool = False) -> None:
    """Write rows (column -> text) in the listing format: UTF-8, ``;``, standard quoting, ``\\n``."""
    Path(path).write_bytes(listing_bytes(rows, bom=bom))
