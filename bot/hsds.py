"""Open Referral HSDS 3.x (Human Services Data Specification) <-> our offers.

Counties and partner portals exchange service directories in HSDS, either as a
tabular datapackage (one CSV per table, rows linked by UUIDs) or as the API's
nested JSON (``service_full.json``, ``organization_full.json``, paged lists).
Both are first flattened into the same tables (:class:`HsdsData`), so one
conversion serves both, and the export writes the same tables back.

The import never guesses:

- A schedule's recurrence (``freq``, ``byday``, ``opens_at``, ``closes_at``)
  becomes OSM hours only when OSM can say it exactly and the schedule's free-text
  description does not contradict it; otherwise the description stays text and
  every reason is a warning and an admin note (the official example has all of
  them: byday ``TH,FR`` against "weekdays", ``timezone`` 3, expired dates).
- Times without a time zone are the service's local time, which is how real
  feeds write them; a ``timezone`` other than Germany's UTC offsets (1 or 2) or
  a time with another offset is reported, not converted (a fixed offset cannot
  follow German summer time).
- Phone numbers are read with the country of the address (German rules from
  :mod:`bot.phones` for Germany), after removing stray quote marks; what cannot
  be read stays in the admin notes, never in the phones.

The export writes times as Europe/Berlin local time without a ``timezone``
field, for the same reason. Fields the listing model has no place for in HSDS
(keywords, audience, topics, a contact's second e-mail) are not exported.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import opening_hours
import phonenumbers
from pydantic import ValidationError

from bot import areas
from bot.cells import strip_controls
from bot.hours import DAYS, parse_hours
from bot.importer import Gazetteer, default_gazetteer, parse_person
from bot.importer import offer_id as slug
from bot.model import (
    URL_LENGTH,
    URL_PATTERN,
    Address,
    Contact,
    Geo,
    Hours,
    Offer,
    Phone,
    PhoneKind,
    ServiceArea,
    Source,
    explain,
)
from bot.phones import display_number, parse_phone_field
from bot.store import OfferRecord
from bot.vocabulary import TopicMatcher

#: The tables this module reads and writes, with the columns of HSDS 3.0 in their order.
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
        "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ),
    "services": (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
        "status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
        "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
        "assurer_email", "licenses", "alert", "last_modified",
    ),
    "locations": (
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
        "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type",
    ),
    "addresses": (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
        "postal_code", "country", "address_type",
    ),
    "phones": (
        "id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
        "number", "extension", "type", "description",
    ),
    "schedules": (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
        "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
        "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
    ),
    "contacts": (
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
        "department", "email",
    ),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "service_areas": ("id", "service_id", "service_at_location_id", "name", "description", "extent", "extent_type",
                      "uri"),
}
#: How an exported service area's ``description`` names its kind (bot.model.ServiceArea), read back on import.
_AREA_KINDS = {"nationwide": "bundesweit", "state": "Land", "counties": "Landkreis oder kreisfreie Stadt",
               "town": "Ort"}

_TABLE_OF_KIND = {
    "organization": "organizations", "service": "services", "location": "locations", "address": "addresses",
    "phone": "phones", "schedule": "schedules", "contact": "contacts",
    "service_at_location": "service_at_location", "service_area": "service_areas",
}
#: Nested lists in the JSON form: key -> (kind of the items, their link to the parent).
_CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "services": ("service", "organization_id"), "phones": ("phone", "organization_id"),
        "contacts": ("contact", "organization_id"), "locations": ("location", "organization_id"),
    },
    "service": {
        "phones": ("phone", "service_id"), "schedules": ("schedule", "service_id"),
        "contacts": ("contact", "service_id"), "service_at_locations": ("service_at_location", "service_id"),
        "service_areas": ("service_area", "service_id"),
    },
    "service_at_location": {
        "phones": ("phone", "service_at_location_id"), "schedules": ("schedule", "service_at_location_id"),
        "contacts": ("contact", "service_at_location_id"),
    },
    "location": {
        "addresses": ("address", "location_id"), "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"), "contacts": ("contact", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
}
#: Nested single objects: key -> (their kind, the link on the parent row).
_PARENTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id")},
    "service_at_location": {"service": ("service", "service_id"), "location": ("location", "location_id")},
}

_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PHONE_KINDS: dict[str, PhoneKind] = {"fax": "fax", "cell": "mobile"}
_PHONE_TYPE_LABELS = {"text": "SMS", "textphone": "Schreibtelefon", "video": "Videotelefon", "pager": "Pager"}
_EXPORT_PHONE_TYPES = {"phone": "voice", "fax": "fax", "mobile": "cell"}
_STATE_NAMES = {"TH": "Thüringen", "HE": "Hessen", "DE": "Deutschland"}
_EXTENSION_LABEL = re.compile(r"^Durchwahl (\d+)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WEB = re.compile(URL_PATTERN)
#: Words that mean "by appointment" in a service's application process.
_APPOINTMENT = re.compile(r"termin|vereinbarung|absprache|anmeldung|appointment", re.IGNORECASE)
#: HSDS has no appointment flag; the export says it in the application process.
_APPOINTMENT_TEXT = "Termine nach Vereinbarung"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")
#: Germany is UTC+1 in winter and UTC+2 in summer.
_GERMAN_OFFSETS = {"+01", "+0100", "+01:00", "+02", "+0200", "+02:00"}
#: The label of a phone stays short; longer phone descriptions are notes for the admin.
_MAX_LABEL = 60
#: Stable ids for exported rows: the same offer always gets the same UUIDs.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/sozialhilfe-bot/offers")
#: Hours are compared on nine weeks from a Monday: every "n-th weekday of the month" occurs.
_PROBE_START = datetime(2025, 3, 3)
_PROBE_DAYS = 63


class HsdsError(Exception):
    """HSDS input that cannot be read at all."""


Row = dict[str, Any]


@dataclass
class HsdsData:
    """HSDS as tables (table name -> id -> row), whatever form it was read from."""

    tables: dict[str, dict[str, Row]] = field(default_factory=lambda: {t: {} for t in TABLES})
    #: Problems met while reading (German, for the admin).
    warnings: list[str] = field(default_factory=list)
    #: (table, link column) -> id -> rows; built on first use, dropped when the table changes.
    _index: dict[tuple[str, str], dict[str, list[Row]]] = field(default_factory=dict, repr=False)
    _order: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    def rows(self, table: str) -> list[Row]:
        return list(self.tables[table].values())

    def linked(self, table: str, **links: str | Iterable[str] | None) -> list[Row]:
        """Rows whose link column (``service_id=...``) holds one of the given ids, in table order.

        Indexed, because a feed holds thousands of services and each looks up its rows.
        """
        found: dict[str, Row] = {}
        for column, wanted in links.items():
            index = self._index.get((table, column))
            if index is None:
                index = {}
                for row in self.tables[table].values():
                    if (value := _text(row.get(column))) is not None:
                        index.setdefault(value, []).append(row)
                self._index[(table, column)] = index
            for value in [wanted] if isinstance(wanted, str) else (wanted or ()):
                found.update((row["id"], row) for row in index.get(value, ()))
        if len(found) < 2:
            return list(found.values())
        order = self._order.get(table)
        if order is None:
            order = self._order[table] = {row_id: n for n, row_id in enumerate(self.tables[table])}
        return sorted(found.values(), key=lambda row: order[row["id"]])

    def get(self, table: str, row_id: str | None) -> Row | None:
        return self.tables[table].get(row_id) if row_id else None

    def add(self, table: str, row: Row) -> str:
        """Add a row; a repeated id (nested JSON repeats objects) fills in the links it lacked."""
        row = self._without_controls(table, row)
        row_id = _text(row.get("id")) or f"_{table}-{len(self.tables[table]) + 1}"
        for index_key in [k for k in self._index if k[0] == table]:
            del self._index[index_key]
        self._order.pop(table, None)
        known = self.tables[table].get(row_id)
        if known is None:
            self.tables[table][row_id] = {**row, "id": row_id}
        else:
            for key, value in row.items():
                if _text(known.get(key)) is None and _text(value) is not None:
                    known[key] = value
        return row_id


    def _without_controls(self, table: str, row: Row) -> Row:
        """The row with CR LF as LF and control characters (NUL, escapes) removed; said in a warning."""
        cleaned: Row = {}
        for key, value in row.items():
            if isinstance(value, str):
                value, removed = strip_controls(value)
                if removed:
                    self.warnings.append(f"{table} {_text(row.get('id')) or '?'}: {key}: Steuerzeichen entfernt "
                                         f"({', '.join(removed)})")
            cleaned[key] = value
        return cleaned


def _text(value: Any) -> str | None:
    """A field as stripped text; None for empty. JSON numbers become their decimal text."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    try:
        return float(value) if _text(value) is not None else None
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


# --- reading -------------------------------------------------------------------------


def read_hsds(path: str | Path) -> HsdsData:
    """Read a datapackage folder (CSV tables) or a JSON file of the HSDS API."""
    path = Path(path)
    if path.is_dir():
        return read_datapackage(path)
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HsdsError(f"{path}: kein lesbares JSON ({exc})") from None
        except RecursionError:  # [[[[... thousands deep: no HSDS document nests like that
            raise HsdsError(f"{path}: das JSON ist zu tief verschachtelt") from None
        except ValueError as exc:  # a number of more than 4,300 digits (Python's limit for int())
            raise HsdsError(f"{path}: kein lesbares JSON ({exc})") from None
        try:
            return read_json(document)
        except RecursionError:
            raise HsdsError(f"{path}: die Objekte sind zu tief ineinander verschachtelt") from None
    raise HsdsError(f"{path}: erwartet einen Ordner mit CSV-Tabellen oder eine .json-Datei")


def _resource_paths(directory: Path, data: HsdsData) -> dict[str, Path]:
    """Table -> CSV file, from datapackage.json where it is usable, else the standard names."""
    paths = {table: directory / f"{table}.csv" for table in TABLES}
    descriptor = directory / "datapackage.json"
    if not descriptor.exists():
        return paths
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8-sig"))
        resources = package["resources"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        data.warnings.append(f"{descriptor}: keine gültige Paketbeschreibung; die Tabellen werden unter "
                             "ihren Standardnamen gelesen")
        return paths
    for resource in resources:
        resource_path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(resource_path, str) and (table := Path(resource_path).stem) in paths:
            paths[table] = directory / resource_path
    return paths


def read_datapackage(directory: str | Path) -> HsdsData:
    directory = Path(directory)
    data = HsdsData()
    paths = _resource_paths(directory, data)
    if not paths["services"].exists():
        raise HsdsError(f"{directory}: keine Tabelle services.csv gefunden")
    for table, path in paths.items():
        if not path.exists():
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    data.add(table, {k: v for k, v in row.items() if k and _text(v) is not None})
        except (UnicodeDecodeError, csv.Error) as exc:
            raise HsdsError(f"{path}: nicht lesbar ({exc})") from None
    return data


def _kind(item: Row) -> str | None:
    """What a top-level JSON object is: the API's endpoints return each of these."""
    if "service" in item and "location" in item:
        return "service_at_location"
    if "services" in item or any(k in item for k in ("legal_status", "tax_status", "year_incorporated")):
        return "organization"
    if any(k in item for k in ("organization", "service_at_locations", "status", "organization_id")):
        return "service"
    if "addresses" in item or "location_type" in item:
        return "location"
    return None


def _walk(obj: Row, kind: str, data: HsdsData, links: dict[str, str]) -> str:
    row = {k: v for k, v in obj.items() if not isinstance(v, (dict, list))}
    for key, value in links.items():
        if _text(row.get(key)) is None:
            row[key] = value
    table = _TABLE_OF_KIND[kind]
    row_id = data.add(table, row)
    for key, (child_kind, link) in _PARENTS.get(kind, {}).items():
        if isinstance(obj.get(key), dict):
            child_id = _walk(obj[key], child_kind, data, {})
            data.add(table, {"id": row_id, link: child_id})
    for key, (child_kind, link) in _CHILDREN.get(kind, {}).items():
        for child in obj.get(key) or []:
            if isinstance(child, dict):
                _walk(child, child_kind, data, {link: row_id})
    return row_id


def read_json(document: Any) -> HsdsData:
    """Flatten the API's nested JSON (one object, a list, or a page with ``contents``)."""
    data = HsdsData()
    items = document
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = document["contents"]
        pages = document.get("total_pages")
        if isinstance(pages, int) and pages > 1:
            data.warnings.append(f"die Datei ist Seite {document.get('page_number', '?')} von {pages}; "
                                 "die übrigen Seiten fehlen")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise HsdsError("das JSON enthält weder ein HSDS-Objekt noch eine Liste davon")
    for item in items:
        kind = _kind(item) if isinstance(item, dict) else None
        if kind is None:
            data.warnings.append(f"unbekanntes Objekt übersprungen: {str(item)[:60]}")
            continue
        _walk(item, kind, data, {})
    return data


# --- hours: HSDS schedules <-> OSM ---------------------------------------------------

#: (weekday 0=Mo, n-th weekday of the month or None for every week, start minute, end minute)
Span = tuple[int, int | None, int, int]


def _clock(value: Any) -> tuple[int | None, str | None]:
    """``10:00:00`` -> (600, None); ``10:00+03:00`` -> (600, "+03:00"); unreadable -> (None, None)."""
    match = _CLOCK.match(_text(value) or "")
    if not match:
        return None, None
    hours, minutes = int(match[1]), int(match[2])
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None, None
    return hours * 60 + minutes, match[4]


def _german_timezone(value: Any) -> bool:
    text = _text(value)
    if text is None or text in ("Europe/Berlin", "CET", "CEST", "MEZ", "MESZ"):
        return True
    number = _number(text)
    return number in (1.0, 2.0)


_GERMAN_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def _days_text(days: Iterable[int]) -> str:
    return ", ".join(_GERMAN_DAYS[d] for d in sorted(set(days)))


def _schedule_spans(schedule: Row, today: date) -> tuple[list[Span], list[str]]:
    """The recurrence of one schedule row, and every reason it cannot become OSM hours."""
    freq = (_text(schedule.get("freq")) or "").upper()
    byday = _text(schedule.get("byday"))
    start, start_offset = _clock(schedule.get("opens_at"))
    end, end_offset = _clock(schedule.get("closes_at"))
    if not (freq or byday or _text(schedule.get("opens_at")) or _text(schedule.get("closes_at"))):
        return [], []
    problems: list[str] = []
    if freq not in ("", "WEEKLY", "MONTHLY"):
        problems.append(f"freq={freq} lässt sich nicht als Wochenplan angeben")
    interval = _text(schedule.get("interval"))
    if interval not in (None, "1"):
        problems.append(f"interval={interval}: ohne sichere Bezugswoche nicht als Wochenplan angebbar")
    for name in ("byweekno", "bymonthday", "byyearday"):
        if _text(schedule.get(name)):
            problems.append(f"{name}={_text(schedule.get(name))} schränkt die Tage ein und wird nicht übernommen")
    if _text(schedule.get("count")):
        problems.append(f"count={_text(schedule.get('count'))}: der Termin findet nur so oft statt")
    for name in ("valid_to", "until"):
        ends = _date(schedule.get(name))
        if ends and ends < today:
            problems.append(f"{name}={ends.isoformat()}: der Plan ist abgelaufen")
    begins = _date(schedule.get("valid_from"))
    if begins and begins > today:
        problems.append(f"valid_from={begins.isoformat()}: der Plan gilt erst später")
    if not _german_timezone(schedule.get("timezone")):
        problems.append(f"timezone={_text(schedule.get('timezone'))}: die Zeiten gelten in einer anderen "
                        "Zeitzone als der deutschen und werden nicht umgerechnet")
    for offset in (start_offset, end_offset):
        if offset and offset not in _GERMAN_OFFSETS:
            problems.append(f"Uhrzeit mit Zeitzone {offset}: wird nicht umgerechnet")
    if start is None or end is None:
        problems.append("opens_at/closes_at fehlen oder sind keine Uhrzeiten")
        return [], problems
    if end in (0, 23 * 60 + 59):
        end = 24 * 60
    if end <= start:
        problems.append(f"closes_at {_text(schedule.get('closes_at'))} liegt nicht nach opens_at")
        return [], problems
    if not byday:
        problems.append("byday fehlt: die Wochentage sind nicht angegeben")
        return [], problems
    spans: list[Span] = []
    for token in re.split(r"\s*,\s*", byday.upper()):
        match = re.fullmatch(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)", token)
        if not match:
            problems.append(f"byday={byday}: {token!r} ist kein Wochentag")
            continue
        nth = int(match[1]) if match[1] else None
        if nth is not None and freq != "MONTHLY":
            problems.append(f"byday={byday}: {token} braucht freq=MONTHLY")
        spans.append((_RRULE_DAYS.index(match[2]), nth, start, end))
    return spans, problems


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _merge(intervals: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(intervals)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _day_list(days: Iterable[int]) -> str:
    """OSM days in the form bot.hours writes them: ranges from three days on (``Mo-Th``, ``Tu,We``)."""
    ordered = sorted(set(days))
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        parts += [f"{DAYS[run[0]]}-{DAYS[run[-1]]}"] if len(run) >= 3 else [DAYS[d] for d in run]
    return ",".join(parts)


def _times(spans: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in spans)


def spans_to_osm(spans: list[Span]) -> str | None:
    """Canonical OSM for recurring spans; None when weekly and monthly times share a day."""
    weekly: dict[int, list[tuple[int, int]]] = {}
    monthly: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for day, nth, start, end in spans:
        if nth is None:
            weekly.setdefault(day, []).append((start, end))
        else:
            monthly.setdefault(day, {}).setdefault(nth, []).append((start, end))
    if set(weekly) & set(monthly):
        return None
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day in sorted(weekly):
        groups.setdefault(_merge(weekly[day]), []).append(day)
    parts = [f"{_day_list(days)} {_times(times)}" for times, days in sorted(groups.items(), key=lambda kv: kv[1][0])]
    for day in sorted(monthly):
        by_times: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for nth, intervals in sorted(monthly[day].items()):
            by_times.setdefault(_merge(intervals), []).append(nth)
        for times, nths in by_times.items():
            parts.append(f"{DAYS[day]}[{','.join(str(n) for n in sorted(nths))}] {_times(times)}")
    osm = "; ".join(parts)
    return osm if osm and opening_hours.validate(osm) else None


def _open_spans(osm: str) -> list[tuple[datetime, datetime]] | None:
    try:
        hours = opening_hours.OpeningHours(osm)
    except Exception:  # the library raises its own parser errors
        return None
    end = _PROBE_START + timedelta(days=_PROBE_DAYS)
    return [(a, b) for a, b, state, _ in hours.intervals(_PROBE_START, end) if state == opening_hours.State.OPEN]


def same_hours(first: str, second: str) -> bool:
    """Whether two OSM strings open at the same times in ordinary weeks (holidays aside)."""
    spans = _open_spans(first)
    return spans is not None and spans == _open_spans(second)


_DAY_WORDS = {
    0: r"mon(?:day)?s?|montags?", 1: r"tue(?:s(?:day)?)?s?|dienstags?", 2: r"wed(?:nesday)?s?|mittwochs?",
    3: r"thu(?:rs?(?:day)?)?s?|donnerstags?", 4: r"fri(?:day)?s?|freitags?", 5: r"sat(?:urday)?s?|samstags?",
    6: r"sun(?:day)?s?|sonntags?",
}
#: German two-letter days; only read in German texts ("do" and "so" are English words).
_GERMAN_ABBREVIATIONS = ("mo", "di", "mi", "do", "fr", "sa", "so")
_GERMAN = re.compile(r"\buhr\b|tags?\b|[äöüß]", re.IGNORECASE)
_DAY_GROUP_WORDS = {
    r"weekdays?|wochentags|werktags?\s+außer\s+samstag": (0, 1, 2, 3, 4), r"werktags?": (0, 1, 2, 3, 4, 5),
    r"weekends?|wochenende": (5, 6), r"daily|every\s+day|täglich|7\s+days\s+a\s+week": tuple(range(7)),
}


def _day_token(german: bool) -> re.Pattern[str]:
    days = {d: f"{w}|{_GERMAN_ABBREVIATIONS[d]}" if german else w for d, w in _DAY_WORDS.items()}
    return re.compile(
        "|".join([*(f"(?P<d{d}>\\b(?:{w})\\b\\.?)" for d, w in days.items()),
                  *(f"(?P<g{i}>\\b(?:{w})\\b)" for i, w in enumerate(_DAY_GROUP_WORDS))]),
        re.IGNORECASE,
    )


_DAY_TOKENS = {german: _day_token(german) for german in (False, True)}
_RANGE_GAP = re.compile(r"^\s*(?:-|–|to|through|thru|until|till|bis)\s*$", re.IGNORECASE)
_TIME_TOKEN = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])|\b(\d{1,2})[:.](\d{2})\b|\b(\d{1,2})\s*uhr\b",
    re.IGNORECASE,
)


def _mentioned(text: str) -> tuple[set[int], set[int]]:
    """Weekdays and clock times a free-text description names (English or German)."""
    days: set[int] = set()
    matches = list(_DAY_TOKENS[bool(_GERMAN.search(text))].finditer(text))
    groups = list(_DAY_GROUP_WORDS.values())
    previous: tuple[int, int] | None = None  # (day, end of its match)
    for match in matches:
        name = match.lastgroup or ""
        if name.startswith("g"):
            days.update(groups[int(name[1:])])
            previous = None
            continue
        day = int(name[1:])
        if previous and _RANGE_GAP.match(text[previous[1]:match.start()]):
            first = previous[0]
            days.update(range(first, day + 1) if first <= day else [*range(first, 7), *range(0, day + 1)])
        days.add(day)
        previous = (day, match.end())
    times: set[int] = set()
    for match in _TIME_TOKEN.finditer(text):
        if match[3]:
            hour = int(match[1]) % 12 + (12 if match[3].lower().startswith("p") else 0)
            times.add(hour * 60 + int(match[2] or 0))
        elif match[4]:
            times.add(int(match[4]) * 60 + int(match[5]))
        else:
            times.add(int(match[6]) * 60)
    return days, {t for t in times if t < 24 * 60}


def _contradiction(text: str, spans: list[Span], described: str | None) -> str | None:
    """Why the description and the recurrence disagree, or None when they do not."""
    recurrence = spans_to_osm(spans)
    if described and recurrence:
        if same_hours(described, recurrence):
            return None
        return f"die Beschreibung {text!r} ergibt {described}, die Wiederholungsfelder {recurrence}"
    days, times = _mentioned(text)
    span_days = {day for day, _, _, _ in spans}
    bounds = {minute for _, _, start, end in spans for minute in (start, end % (24 * 60))}
    if days and days != span_days:
        return (f"die Beschreibung {text!r} nennt die Tage {_days_text(days)}, die Wiederholungsfelder "
                f"(byday) {_days_text(span_days)}")
    if times - bounds:
        return (f"die Beschreibung {text!r} nennt die Uhrzeiten {', '.join(_fmt(t) for t in sorted(times))}, "
                f"die Wiederholungsfelder {', '.join(_fmt(t) for t in sorted(bounds))}")
    return None


def schedules_to_hours(schedules: list[Row], today: date) -> tuple[Hours, list[str]]:
    """Hours of an offer from its schedule rows; warnings say why OSM was not taken."""
    texts = list(dict.fromkeys(t for s in schedules if (t := _text(s.get("description")))))
    text = "; ".join(texts) or None
    spans: list[Span] = []
    problems: list[str] = []
    for schedule in schedules:
        found, trouble = _schedule_spans(schedule, today)
        spans += found
        problems += trouble
    parsed = parse_hours(text) if text else None
    described = parsed.osm if parsed else None
    recurrence = spans_to_osm(spans) if spans else None
    if spans and recurrence is None:
        problems.append("wöchentliche und monatliche Zeiten am selben Tag lassen sich nicht zusammenfassen")
    conflict = _contradiction(text, spans, described) if text and spans else None
    if conflict:
        problems.append(f"Widerspruch: {conflict}")
    has_recurrence = bool(spans) or any(
        _text(s.get(k)) for s in schedules for k in ("freq", "byday", "opens_at", "closes_at"))
    if problems:
        osm = None
    elif recurrence:
        osm = described or recurrence
    else:
        osm = None if has_recurrence else described
    by_appointment = bool(parsed and parsed.by_appointment)
    return Hours(text=text, osm=osm, by_appointment=by_appointment), problems


_OSM_RULE = re.compile(r"^(?P<days>[A-Za-z]{2}(?:\[[-\d,]+\])?(?:-[A-Za-z]{2})?(?:,[A-Za-z]{2}(?:\[[-\d,]+\])?"
                       r"(?:-[A-Za-z]{2})?)*)\s+(?P<times>\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*)$")


def osm_to_spans(osm: str) -> list[Span] | None:
    """Spans of simple OSM hours (days, n-th weekdays, times, ``24/7``, ``PH off``); None otherwise.

    ``PH off`` is dropped: HSDS has no holidays, and the description keeps the words.
    The result is checked against the original, so rules that override each other
    (``Mo-Fr 8-12; We 14-16``) are refused instead of being read wrongly.
    """
    if osm.strip() == "24/7":
        return [(day, None, 0, 24 * 60) for day in range(7)]
    spans: list[Span] = []
    for rule in (r.strip() for r in osm.split(";")):
        if rule == "PH off":
            continue
        match = _OSM_RULE.match(rule)
        if not match:
            return None
        times = [(_clock(a)[0], _clock(b)[0]) for a, b in (t.split("-") for t in match["times"].split(","))]
        for part in re.findall(r"[A-Za-z]{2}(?:\[[-\d,]+\])?(?:-[A-Za-z]{2})?", match["days"]):
            head = re.match(r"([A-Za-z]{2})(?:\[([-\d,]+)\])?(?:-([A-Za-z]{2}))?", part)
            if not head or head[1] not in DAYS or (head[3] and head[3] not in DAYS) or (head[2] and head[3]):
                return None
            first, last = DAYS.index(head[1]), DAYS.index(head[3] or head[1])
            days = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
            nths = [int(n) for n in head[2].split(",")] if head[2] else [None]
            for day in days:
                for nth in nths:
                    for start, end in times:
                        if start is None or end is None or end <= start:
                            return None
                        spans.append((day, nth, start, end))
    weekly_osm = "; ".join(r for r in (x.strip() for x in osm.split(";")) if r != "PH off")
    rebuilt = spans_to_osm(spans)
    return spans if rebuilt and same_hours(rebuilt, weekly_osm) else None


# --- import: tables -> offers ----------------------------------------------------------


@dataclass
class HsdsImport:
    offers: list[Offer]
    #: German, one line per problem, prefixed with the service.
    warnings: list[str]


def _country(address: Row | None) -> str | None:
    text = (_text(address.get("country")) if address else None) or "DE"
    upper = text.upper()
    if upper in ("DE", "DEU", "DEUTSCHLAND", "GERMANY"):
        return "DE"
    return upper if len(upper) == 2 and upper.isalpha() else None


def _phone(row: Row, country: str | None) -> tuple[Phone | None, str | None]:
    """One HSDS phone row as a Phone, or the reason it was not taken."""
    raw = _text(row.get("number")) or ""
    cleaned = re.sub(r"[\"'“”„]", "", raw).strip()
    kind: PhoneKind = _PHONE_KINDS.get((_text(row.get("type")) or "voice").lower(), "phone")
    labels = []
    extension = _text(row.get("extension"))
    if extension:
        labels.append(f"Durchwahl {extension}")
    if (type_label := _PHONE_TYPE_LABELS.get((_text(row.get("type")) or "").lower())):
        labels.append(type_label)
    description = _text(row.get("description"))
    if description and len(description) <= _MAX_LABEL and "\n" not in description:
        labels.append(description)
    label = ", ".join(labels) or None
    if not cleaned:
        return None, "Telefonnummer fehlt"
    if country == "DE":
        parsed, problems = parse_phone_field(cleaned)
        if len(parsed) != 1 or problems:
            return None, f"Telefonnummer {raw!r} ist nicht lesbar"
        phone = parsed[0]
        return phone.model_copy(update={"kind": kind if kind != "phone" else phone.kind,
                                        "label": label, "original": raw}), None
    try:
        number = phonenumbers.parse(cleaned, country)
    except phonenumbers.NumberParseException:
        return None, f"Telefonnummer {raw!r} ist nicht lesbar"
    if not phonenumbers.is_valid_number(number):
        return None, f"Telefonnummer {raw!r} ist keine gültige Nummer ({country or 'Land unbekannt'})"
    if kind == "phone" and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        kind = "mobile"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(number=e164, kind=kind, label=label, original=raw), None


class _OfferBuilder:
    """Collects one offer's fields and the problems found on the way."""

    def __init__(self, service: Row) -> None:
        self.name = _text(service.get("name")) or ""
        self.service_id = _text(service.get("id")) or ""
        self.warnings: list[str] = []
        self.notes: list[str] = []

    def problem(self, message: str, note: str | None = None) -> None:
        self.warnings.append(f"{self.name} ({self.service_id}): {message}")
        self.notes.append(note or message)

    def email(self, value: Any) -> str | None:
        text = _text(value)
        if text and not _EMAIL.match(text):
            self.problem(f"E-Mail {text!r} ist keine gültige Adresse", f"E-Mail aus HSDS nicht übernommen: {text}")
            return None
        return text


def _linked(data: HsdsData, table: str, service_id: str, sal_ids: set[str], location_id: str | None) -> list[Row]:
    """Rows of a phones/contacts/schedules table that belong to this service at this location."""
    rows = data.linked(table, service_id=service_id, service_at_location_id=sal_ids, location_id=location_id)

    def belongs(row: Row) -> bool:
        sal = _text(row.get("service_at_location_id"))
        service = _text(row.get("service_id"))
        location = _text(row.get("location_id"))
        if (sal and sal in sal_ids) or (service == service_id and location in (None, location_id)):
            return True
        return bool(location_id) and location == location_id and not service and not sal

    return [row for row in rows if belongs(row)]


def _schedules(data: HsdsData, service_id: str, sal_ids: set[str], location_id: str | None) -> list[Row]:
    """The most specific schedules: of the service at this location, else the service's, else the location's."""
    rows = data.linked("schedules", service_id=service_id, service_at_location_id=sal_ids, location_id=location_id)
    for wanted in (
        [r for r in rows if _text(r.get("service_at_location_id")) in sal_ids],
        [r for r in rows if _text(r.get("service_id")) == service_id
         and _text(r.get("location_id")) in (None, location_id)],
        [r for r in rows if location_id and _text(r.get("location_id")) == location_id
         and not _text(r.get("service_id"))],
    ):
        if wanted:
            return wanted
    return []


def _address(builder: _OfferBuilder, data: HsdsData, location: Row | None) -> tuple[Address, Row | None]:
    if location is None:
        return Address(), None
    addresses = data.linked("addresses", location_id=location["id"])
    physical = [a for a in addresses if (_text(a.get("address_type")) or "physical").lower() == "physical"]
    chosen = next(iter(physical or addresses), None)
    if chosen is None:
        return Address(), None
    country = _country(chosen)
    if country != "DE":
        builder.problem(f"die Adresse liegt nicht in Deutschland ({_text(chosen.get('country'))})")
    postcode = _text(chosen.get("postal_code"))
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        builder.problem(f"Postleitzahl {postcode!r} ist keine deutsche Postleitzahl",
                        f"Postleitzahl aus HSDS nicht übernommen: {postcode}")
        postcode = None
    street = ", ".join(filter(None, (_text(chosen.get("address_1")), _text(chosen.get("address_2")))))
    return Address(street=street or None, postcode=postcode, city=_text(chosen.get("city")),
                   county=_text(chosen.get("region"))), chosen


def _geo(builder: _OfferBuilder, location: Row | None) -> Geo | None:
    if location is None:
        return None
    lat, lon = _number(location.get("latitude")), _number(location.get("longitude"))
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        builder.problem(f"Koordinaten {lat:g}, {lon:g} sind ungültig und wurden nicht übernommen")
        return None
    return Geo(lat=lat, lon=lon, approximate=False)


def _contacts(builder: _OfferBuilder, rows: list[Row]) -> list[tuple[str, Contact]]:
    contacts = []
    for row in rows:
        name = _text(row.get("name")) or _text(row.get("title")) or _text(row.get("department"))
        if not name:
            continue
        title = _text(row.get("title")) if _text(row.get("name")) else None
        person = parse_person(f"{name} ({title})") if title and "(" not in title and ")" not in title else None
        role_parts = [person.role if person else title, _text(row.get("department"))]
        email = builder.email(row.get("email"))
        contacts.append((row["id"], Contact(
            name=name, role=", ".join(p for p in role_parts if p) or None, room=person.room if person else None,
            emails=[email] if email else [],
        )))
    return contacts


def web_address(value: Any) -> str | None:
    """A field as a web address when it is one with http:// or https:// (never ``javascript:``, ``file:``...)."""
    text = _text(value)
    return text if text and len(text) <= URL_LENGTH and _WEB.match(text) else None


def _source(service: Row, org: Row | None, source_url: str | None, listing: str | None, today: date) -> Source:
    candidates = [source_url, service.get("url"), *((org.get("website"), org.get("uri")) if org else ())]
    url = next((u for u in map(web_address, candidates) if u), None)
    if url is None:  # every offer names the page it comes from; a file name or "HSDS" is none
        raise HsdsError(f"{_text(service.get('name'))} ({_text(service.get('id'))}): keine Webadresse (http/https) "
                        "als Quelle; bitte mit --source-url angeben, woher die Daten stammen")
    stamp = _date(service.get("last_modified")) or _date(service.get("assured_date"))
    return Source(url=url, date=stamp.isoformat() if stamp else None, listing=listing, retrieved=today.isoformat())


def _offer_id(service: Row, taken: set[str], name: str) -> str:
    service_id = (_text(service.get("id")) or "").lower()
    base = f"hsds-{service_id[:8]}" if re.fullmatch(r"[0-9a-z]{8}", service_id[:8]) else slug(f"hsds-{name}")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[:44]}-{n}"
    taken.add(candidate)
    return candidate


@dataclass
class _Context:
    """What every offer of one import shares."""

    data: HsdsData
    source_url: str | None
    listing: str | None
    today: date
    matcher: TopicMatcher | None
    taken: set[str] = field(default_factory=set)


def hsds_to_offers(
    data: HsdsData,
    *,
    source_url: str | None = None,
    listing: str | None = None,
    today: date | None = None,
    matcher: TopicMatcher | None = None,
) -> HsdsImport:
    """One offer per service and location (one per service when it names no location)."""
    if source_url is not None and web_address(source_url) is None:
        raise HsdsError(f"--source-url {source_url!r} ist keine Webadresse mit http:// oder https://")
    context = _Context(data, source_url, listing, today or date.today(), matcher)
    offers: list[Offer] = []
    warnings = list(data.warnings)
    for service in data.rows("services"):
        name, service_id = _text(service.get("name")), _text(service.get("id"))
        status = (_text(service.get("status")) or "active").lower()
        if not name:
            warnings.append(f"Dienst {service_id} ohne Namen übersprungen")
            continue
        if status in ("inactive", "defunct"):
            warnings.append(f"{name} ({service_id}): Status {status}, nicht übernommen")
            continue
        sals = data.linked("service_at_location", service_id=service_id)
        location_ids: list[str | None] = list(dict.fromkeys(
            lid for r in sals if (lid := _text(r.get("location_id"))) and data.get("locations", lid)))
        for location_id in location_ids or [None]:
            sal_ids = {r["id"] for r in sals if _text(r.get("location_id")) == location_id}
            offer, problems = _build_offer(context, service, location_id, sal_ids)
            offers.append(offer)
            warnings += problems
    return HsdsImport(offers, warnings)


def _phones(
    context: _Context, builder: _OfferBuilder, org: Row | None, scope: tuple[str, set[str], str | None],
    contact_ids: set[str], country: str | None,
) -> tuple[list[Phone], dict[str, list[Phone]]]:
    """The offer's own numbers and each contact's. A row linked to both (as in the official
    example) is both: the service's number and the person's."""
    service_id, sal_ids, location_id = scope
    offer_phones: list[Phone] = []
    contact_phones: dict[str, list[Phone]] = {cid: [] for cid in contact_ids}
    data = context.data
    rows = data.linked("phones", service_id=service_id, service_at_location_id=sal_ids, location_id=location_id,
                       contact_id=contact_ids)

    def direct(row: Row) -> bool:
        links = {k: _text(row.get(k)) for k in ("service_id", "service_at_location_id", "location_id", "contact_id")}
        return (links["service_id"] == service_id or links["service_at_location_id"] in sal_ids
                or (bool(location_id) and links["location_id"] == location_id
                    and not any((links["service_id"], links["service_at_location_id"], links["contact_id"]))))

    chosen = [r for r in rows if direct(r) or _text(r.get("contact_id")) in contact_phones]
    if not chosen and org:
        chosen = [r for r in data.linked("phones", organization_id=org["id"]) if not any(
            _text(r.get(k)) for k in ("service_id", "location_id", "contact_id", "service_at_location_id"))]
    for row in chosen:
        phone, problem = _phone(row, country)
        if phone is None:
            builder.problem(problem or "Telefonnummer nicht lesbar",
                            f"Telefon aus HSDS nicht übernommen, bitte prüfen: {_text(row.get('number'))}")
            continue
        description = _text(row.get("description"))
        if description and len(description) > _MAX_LABEL:
            builder.notes.append(f"Telefon {display_number(phone.number)}: {description}")
        targets = [contact_phones[cid]] if (cid := _text(row.get("contact_id"))) in contact_phones else []
        if direct(row) or not targets:
            targets.append(offer_phones)
        for target in targets:
            if all(p.number != phone.number for p in target):
                target.append(phone)
    return offer_phones, contact_phones


def _build_offer(
    context: _Context, service: Row, location_id: str | None, sal_ids: set[str]
) -> tuple[Offer, list[str]]:
    data = context.data
    builder = _OfferBuilder(service)
    name, service_id = builder.name, builder.service_id
    org = data.get("organizations", _text(service.get("organization_id")))
    location = data.get("locations", location_id)
    address, address_row = _address(builder, data, location)

    contacts = _contacts(builder, _linked(data, "contacts", service_id, sal_ids, location_id))
    offer_phones, contact_phones = _phones(context, builder, org, (service_id, sal_ids, location_id),
                                           {cid for cid, _ in contacts}, _country(address_row))

    schedules = _schedules(data, service_id, sal_ids, location_id)
    hours, hour_problems = schedules_to_hours(schedules, context.today)
    for problem in hour_problems:
        builder.warnings.append(f"{name} ({service_id}): Öffnungszeiten bleiben Text: {problem}")
    if hour_problems:
        builder.notes.append("Öffnungszeiten aus HSDS nicht strukturiert übernommen: " + "; ".join(hour_problems))

    if _APPOINTMENT.search(_text(service.get("application_process")) or ""):
        hours = hours.model_copy(update={"by_appointment": True})
    status = (_text(service.get("status")) or "active").lower()
    if status != "active":
        builder.problem(f"Status {status!r}", f"Status in HSDS: {status}")
    notes_for_users = [_text(service.get("alert")), *(_text(s.get("notes")) for s in schedules)]
    email = builder.email(service.get("email")) or (builder.email(org.get("email")) if org else None)
    alternate = _text(service.get("alternate_name"))
    description = _text(service.get("description"))
    topic_text = " ".join(filter(None, (name, alternate, description)))
    area_rows = _linked(data, "service_areas", service_id, sal_ids, None)
    offer = Offer(
        id=_offer_id(service, context.taken, name),
        source_id=service_id or None,
        name=name,
        provider=_text(org.get("name")) if org and org["id"] != _stand_in_organization(name) else None,
        keywords=[alternate] if alternate and alternate != name else [],
        description=description,
        topics=sorted(context.matcher.topics(topic_text)) if context.matcher else [],
        address=address,
        service_area=service_area(builder, area_rows, address, default_gazetteer()),
        geo=_geo(builder, location),
        contacts=[c.model_copy(update={"phones": contact_phones[cid]}) for cid, c in contacts],
        phones=offer_phones,
        emails=[email] if email else [],
        website=_website(builder, service, org),
        hours=hours,
        note=" ".join(dict.fromkeys(n for n in notes_for_users if n)) or None,
        admin_notes=list(dict.fromkeys(builder.notes)),
        source=_source(service, org, context.source_url, context.listing, context.today),
    )
    return offer, builder.warnings


def _website(builder: _OfferBuilder, service: Row, org: Row | None) -> str | None:
    """The service's web page (else its organisation's); one that is no http(s) address is flagged, not taken."""
    text = _text(service.get("url")) or (_text(org.get("website")) if org else None)
    if text and web_address(text) is None:
        builder.problem(f"Webseite {text[:80]!r} ist keine Adresse mit http:// oder https://",
                        f"Webseite aus HSDS nicht übernommen, bitte prüfen: {text[:200]}")
        return None
    return text


def service_area(builder: _OfferBuilder, rows: list[Row], address: Address, gazetteer: Gazetteer
                 ) -> ServiceArea | None:
    """Whom a service serves, from its HSDS ``service_areas`` (each names a region; the ``description``
    of our export says its kind), else from its address's county as a listing's would be read. A
    region the knowledge base does not know is a warning and an admin note, never a guess."""
    found: list[ServiceArea] = []
    for row in rows:
        name = _text(row.get("name")) or _text(row.get("description")) or ""
        if _text(row.get("description")) == _AREA_KINDS["town"] and name:
            found.append(ServiceArea(kind="town", regions=[name]))
            continue
        area = areas.area_of(name, gazetteer.county)
        if area is None:
            builder.problem(f"Zuständigkeit (service_area) {name!r} ist keine bekannte Region",
                            f"Zuständigkeit aus HSDS nicht übernommen, bitte prüfen: {name}")
        else:
            found.append(area)
    if not found:
        return areas.area_of(address.county, gazetteer.county)
    kinds = {a.kind for a in found}
    if "nationwide" in kinds:
        return ServiceArea(kind="nationwide")
    if kinds == {"counties"}:
        return ServiceArea(kind="counties", regions=list(dict.fromkeys(r for a in found for r in a.regions)))
    if len(found) > 1:
        builder.problem("mehrere Zuständigkeiten verschiedener Art (Land, Kreise, Ort): die erste gilt",
                        "Zuständigkeit aus HSDS: mehrere Angaben verschiedener Art, bitte prüfen")
    return found[0]


def load_hsds_offers(path: str | Path, **options: Any) -> HsdsImport:
    """Read HSDS and convert it; raises :class:`HsdsError` when the input is unusable."""
    data = read_hsds(path)
    if not data.tables["services"]:
        raise HsdsError(f"{path}: keine Dienste (services) gefunden")
    try:
        return hsds_to_offers(data, **options)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise HsdsError(f"{path}: ergibt kein gültiges Angebot ({where}: {explain(error) or error['msg']})") from None


# --- export: offers -> tables ---------------------------------------------------------


def _uid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _stand_in_organization(service_name: str) -> str:
    """Id of the organization the export names after an offer without provider.

    HSDS requires every service to have an organization; the import recognises
    this id and leaves the provider empty again, while a real provider that happens
    to share the offer's name keeps its own id.
    """
    return _uid("offer-organization", service_name)


def _phone_row(phone: Any, row_id: str, links: Row) -> Row:
    label = phone.label
    extension = _EXTENSION_LABEL.match(label or "")
    return {
        "id": row_id, **links, "number": display_number(phone.number),
        "extension": extension[1] if extension else None, "type": _EXPORT_PHONE_TYPES.get(phone.kind, "voice"),
        "description": None if extension else label,
    }


def _schedule_rows(record: OfferRecord, service_id: str) -> list[Row]:
    spans = osm_to_spans(record.hours_osm) if record.hours_osm else None
    if not spans:
        if not record.hours_text:
            return []
        return [{"id": _uid("schedule", f"{record.id}#0"), "service_id": service_id,
                 "description": record.hours_text}]
    # One row per time span and rhythm: HSDS has one opens_at/closes_at per schedule.
    grouped: dict[tuple[bool, int, int], list[tuple[int, int]]] = {}
    for day, nth, start, end in spans:
        grouped.setdefault((nth is not None, start, end), []).append((day, nth or 0))
    rows = []
    for n, ((monthly, start, end), days) in enumerate(sorted(grouped.items(), key=lambda kv: min(kv[1]))):
        rows.append({
            "id": _uid("schedule", f"{record.id}#{n}"), "service_id": service_id,
            "freq": "MONTHLY" if monthly else "WEEKLY", "interval": 1,
            "byday": ",".join(f"{nth or ''}{_RRULE_DAYS[day]}" for day, nth in sorted(set(days))),
            "opens_at": _fmt(start), "closes_at": "23:59" if end == 24 * 60 else _fmt(end),
            "description": record.hours_text,
        })
    return rows


def offers_to_hsds(records: Iterable[OfferRecord]) -> HsdsData:
    """Our offers as HSDS tables; ids are stable UUIDs, and offers imported from HSDS keep theirs."""
    data = HsdsData()
    used: set[str] = set()
    for record in records:
        service_id = record.source_id if record.source_id and _UUID.match(record.source_id) else None
        if service_id is None or service_id in used:
            service_id = _uid("offer", record.id)
        used.add(service_id)
        org_id = _uid("organization", record.provider) if record.provider else _stand_in_organization(record.name)
        org_id = data.add("organizations", {"id": org_id, "name": record.provider or record.name})
        data.add("services", {
            "id": service_id, "organization_id": org_id, "name": record.name, "description": record.description,
            "url": record.website, "email": record.emails[0] if record.emails else None, "status": "active",
            "alert": record.note, "application_process": _APPOINTMENT_TEXT if record.by_appointment else None,
            "assured_date": record.source_date if record.source_date and len(record.source_date) == 10 else None,
        })
        has_place = any((record.street, record.postcode, record.city, record.county))
        precise = record.lat is not None and record.lon is not None and not record.geo_approximate
        if has_place or precise:
            location_id = data.add("locations", {
                "id": _uid("location", record.id), "location_type": "physical", "organization_id": org_id,
                "name": record.name, "latitude": record.lat if precise else None,
                "longitude": record.lon if precise else None,
            })
            data.add("addresses", {
                "id": _uid("address", record.id), "location_id": location_id, "address_1": record.street,
                "city": record.city, "region": record.county,
                "state_province": _STATE_NAMES.get(record.state or ""), "postal_code": record.postcode,
                "country": "DE", "address_type": "physical",
            })
            data.add("service_at_location", {"id": _uid("service_at_location", record.id),
                                             "service_id": service_id, "location_id": location_id})
        for n, phone in enumerate(record.phones):
            data.add("phones", _phone_row(phone, _uid("phone", f"{record.id}#{n}"), {"service_id": service_id}))
        for c_n, contact in enumerate(record.contacts):
            contact_id = _uid("contact", f"{record.id}#{c_n}")
            data.add("contacts", {
                "id": contact_id, "service_id": service_id, "name": contact.name,
                "title": ", ".join(filter(None, (contact.role, contact.room))) or None,
                "email": contact.emails[0] if contact.emails else None,
            })
            for p_n, phone in enumerate(contact.phones):
                data.add("phones", _phone_row(phone, _uid("phone", f"{record.id}#c{c_n}#{p_n}"),
                                              {"contact_id": contact_id}))
        for row in _schedule_rows(record, service_id):
            data.add("schedules", row)
        for n, region in enumerate(_area_names(record)):
            data.add("service_areas", {"id": _uid("service_area", f"{record.id}#{n}"), "service_id": service_id,
                                       "name": region, "description": _AREA_KINDS[record.service_area or ""]})
    return data


def _area_names(record: OfferRecord) -> list[str]:
    """The regions of an offer's service area as HSDS rows name them ("bundesweit" for everyone)."""
    if record.service_area == "nationwide":
        return [_AREA_KINDS["nationwide"]]
    return list(record.service_regions) if record.service_area in _AREA_KINDS else []


def _csv_value(value: Any) -> str:
    return "" if value is None else str(value)


_FIELD_TYPES = {"latitude": "number", "longitude": "number", "interval": "number", "count": "number",
                "timezone": "number", "year_incorporated": "number", "minimum_age": "number",
                "maximum_age": "number", "extension": "number", "assured_date": "date", "valid_from": "date",
                "valid_to": "date", "dtstart": "date", "until": "date", "opens_at": "time", "closes_at": "time",
                "last_modified": "datetime"}


def write_datapackage(data: HsdsData, directory: str | Path, *, name: str = "sozialhilfe-angebote") -> list[Path]:
    """Write the tables as CSV files plus ``datapackage.json``; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    resources = []
    for table, columns in TABLES.items():
        path = directory / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in data.rows(table):
                writer.writerow([_csv_value(row.get(c)) for c in columns])
        written.append(path)
        resources.append({
            "name": table, "path": path.name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": {"fields": [{"name": c, "type": _FIELD_TYPES.get(c, "string")} for c in columns],
                       "primaryKey": "id"},
        })
    package = {
        "name": name, "profile": "tabular-data-package",
        "description": "Hilfsangebote in Thüringen und Hessen im Format Open Referral HSDS 3.0. "
                       "Uhrzeiten sind deutsche Ortszeit (Europe/Berlin).",
        "resources": resources,
    }
    descriptor = directory / "datapackage.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, descriptor]


def _clean(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}


def _nested_location(data: HsdsData, location: Row) -> Row:
    return {**_clean(location),
            "addresses": [_clean(a) for a in data.linked("addresses", location_id=location["id"])]}


def _service_full(data: HsdsData, service: Row) -> Row:
    """One service with everything linked to it nested inside, as ``service_full.json``."""
    service_id = service["id"]
    organization = data.get("organizations", service.get("organization_id"))
    locations = [(sal, data.get("locations", sal.get("location_id")))
                 for sal in data.linked("service_at_location", service_id=service_id)]
    return {
        **_clean(service),
        **({"organization": _clean(organization)} if organization else {}),
        "phones": [_clean(p) for p in data.linked("phones", service_id=service_id)],
        "contacts": [{**_clean(c), "phones": [_clean(p) for p in data.linked("phones", contact_id=c["id"])]}
                     for c in data.linked("contacts", service_id=service_id)],
        "schedules": [_clean(s) for s in data.linked("schedules", service_id=service_id)],
        "service_at_locations": [{**_clean(sal), "location": _nested_location(data, location)}
                                 for sal, location in locations if location],
    }


def to_service_list(data: HsdsData) -> Row:
    """The tables as one page of the API's ``/services`` answer, each service in full."""
    services = [_service_full(data, s) for s in data.rows("services")]
    return {"total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
            "first_page": True, "last_page": True, "empty": not services, "contents": services}
