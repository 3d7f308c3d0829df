"""County listing rows -> offers in a knowledge YAML file, merged with what admins changed.

A re-import must not undo an admin's work. Every imported offer keeps the listing
row it came from (``listing_row``). On the next import that previous row is turned
into an offer again (what the import made of it) and compared field by field:

- the YAML still equals the previous import -> the field is taken from the new listing;
- the YAML differs from it -> an admin corrected it by hand: kept; when the listing
  changed that field too, the new listing value goes into an admin note (a conflict);
- topics and admin notes merge item by item: items an admin added stay, items an
  admin deleted stay deleted, items the new import finds are added.

The topics and the OSM hours the import derived are snapshotted in ``listing_row``
(:data:`TOPICS_KEY`, :data:`OSM_KEY`), because the vocabulary (topics.yaml) and the
hours parser change independently of the listing: recomputed with today's
vocabulary or parser, an old result would look like an admin's hand edit and be
kept forever. Offers that left the listing are removed (the summary names them,
and those an admin had edited by hand are named again as warnings); offers an admin
added by hand (no ``source_id``) always stay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot import areas, stale
from bot.config import KNOWLEDGE_DIR
from bot.hours import parse_hours
from bot.listing import COLUMNS, INVISIBLE, Listing, clean_emails, normalise_url, row_id
from bot.model import Address, Contact, Hours, Offer, OffersFile, Phone, Source, email_problem
from bot.normalize import normalize
from bot.phones import display_number, parse_phone_field
from bot.vocabulary import TopicMatcher

#: Key in ``listing_row`` holding the topics the import assigned (comma-separated).
TOPICS_KEY = "Themen (Import)"
#: Key in ``listing_row`` holding the OSM hours the import read from ``Sprechzeiten`` ("" when none).
OSM_KEY = "OSM-Zeiten (Import)"
#: Fields merged on re-import; ``id`` stays as in the YAML, ``listing_row`` is bookkeeping.
MERGED_FIELDS = tuple(f for f in Offer.model_fields if f not in ("id", "listing_row"))
#: Fields merged item by item (an admin adds or deletes single entries).
SET_FIELDS = ("topics", "admin_notes")

_ROOM = re.compile(r"\b(?:zimmer|zi|zr|raum|haus|büro|etage|og|eg|ug|geschoss|gebäude|stock|stockwerk)\b",
                   re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
#: "Termin", "Beratungstermin", "Terminvergabe", "nach Vereinbarung", "Anmeldung": appointments.
#: "Termine für 2023", "Folgetermine prüfen" are dates, not appointments.
_APPOINTMENT_NOTE = re.compile(
    r"termin(?:vergabe|vereinbarung|absprache|abstimmung)?\b|\btermine\s+(?:nach|per|über|unter|bitte|vorab)\b|"
    r"vereinbarung|absprache|anmeldung",
    re.IGNORECASE,
)
#: A ``Hinweis`` that speaks about the data, not the offer: where a detail was taken from
#: ("aus Pressemitteilung", "laut Quelle", "Zeitungsartikel", a link), what the source leaves
#: out ("nicht im Auszug") or what to check ("aktuell prüfen"). It is for admins
#: (``admin_notes``), never shown; any other ``Hinweis`` ("nur nach Terminvereinbarung",
#: "anonym und kostenlos") is the note people see.
_CHECK_REMARK = re.compile(
    r"\bprüfen\b|\bquelle\b|\b(?:im|dem|den)\s+auszug\b|\b(?:zeitungs)?artikel\b|(?:\b|presse)meldung|"
    r"pressemitteilung|medieninformation|amtsblatt|(?:\b|jahres)bericht|\bangaben?\s+(?:aus|von|vom)\b|"
    r"\binformation\s+(?:des|der|vom|von)\b|\b(?:auf|aus|von)\s+(?:der\s+)?seiten?\b|\(seite\b|seitenfassung|"
    r"unklar|abgeleitet|unkenntlich|fortbestand|https?://",
    re.IGNORECASE,
)
#: How a ``Hinweis`` that is a check remark appears in ``admin_notes``.
HINWEIS_NOTE = "Hinweis der Liste: {}"
_NO_APPOINTMENT = re.compile(
    r"\b(?:ohne|kein(?:e|en)?|nicht\s+nötig)\s+(?:\w+\s+)?(?:termin|anmeldung|voranmeldung|vereinbarung)",
    re.IGNORECASE,
)
_SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIME = re.compile(r"\d:\d\d")


def offer_id(nr: str) -> str:
    """``KYF-001`` -> ``kyf-001`` (safe for deep links and callback data)."""
    return row_id(nr) or "angebot"


def split_list(text: str) -> list[str]:
    """``Familien, Alleinerziehende`` -> the single entries (``,`` or ``|`` separate them)."""
    return [part.strip() for part in re.split(r"\s*[,|]\s*", text or "") if part.strip()]


_TITLE = re.compile(r"^(?:frau|herr|hr\.|fr\.|dr\.|prof\.|dipl\.-?\w*\.?)$", re.IGNORECASE)
_PARTICLE = re.compile(r"^(?:von|van|de|der|den|du|da|di|zu|zum|zur|le|la|del|dos|al|el|ben|bin|ter|ten|vom)$")
#: Parts of words that name a desk or an organisation, not a person ("Team Beratung", "Sekretariat").
_DESK_WORD = re.compile(
    r"amt|abteilung|team|sekretariat|beratung|stelle|zentrum|büro|buero|service|verwaltung|verein|e\.v|gmbh|"
    r"diakonie|caritas|awo|drk|kreis|stadt|referat|fachdienst|fachbereich|sachgebiet|bereich|mitarbeiter|"
    r"kolleg|ansprech|hotline|zentrale|empfang|anmeldung|leitung|koordinat|gruppe|haus|dienst|schule|kita",
    re.IGNORECASE,
)
#: Short desk words that also begin or hide in surnames ("Karola Hausdorf", "Herr Amthor", "Anja Ramthun"):
#: in the last word of a name they count only at its end ("Jugendamt", "Stadthaus", "Neuhaus").
_SURNAME_STEM = frozenset({"amt", "team", "stelle", "kreis", "stadt", "haus", "dienst", "schule", "kita", "awo", "drk"})
#: Separators between persons, outside brackets; "und" and "," only where both sides are clearly persons.
_PERSON_ALWAYS = re.compile(r"\s*(?:\||;|\n)\s*")
_PERSON_AND = re.compile(r"\s+(?:und|u\.|&|sowie)\s+|\s*\+\s*", re.IGNORECASE)
_PERSON_LIST = re.compile(r"\s*,\s*|\s+/\s+")


def _split_outside_brackets(text: str, separator: re.Pattern[str]) -> list[str]:
    """``text`` split at ``separator`` where it stands outside ``(...)``."""
    pieces: list[str] = []
    depth, start = 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (match := separator.match(text, i)) and match.end() > i:
            pieces.append(text[start:i])
            start = i = match.end()
            continue
        i += 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _is_desk_surname(word: str) -> bool:
    """The last word of a name is a desk word ("Team Jugendamt"), not a surname ("Hausdorf")."""
    return any(m.group().lower() not in _SURNAME_STEM or m.end() == len(word) for m in _DESK_WORD.finditer(word))


def _is_person(text: str) -> bool:
    """ "Frau Dr. Anna Beispiel", "Max Muster (Leitung)", "Müller, Anna": a name, not a desk or one word."""
    name = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", text).strip()
    if not name or re.search(r"[\d@:()\[\]]", name):
        return False
    words = [w for w in re.split(r"[\s,]+", name) if w]
    if not 2 <= len(words) <= 6 or any(_DESK_WORD.search(w) for w in words[:-1]) or _is_desk_surname(words[-1]):
        return False
    names = [w for w in words if not _TITLE.match(w) and not _PARTICLE.match(w)]
    if not names:
        return False
    if any(_TITLE.match(w) for w in words):
        return all(w[0].isupper() for w in names)
    return len(names) >= 2 and all(w[0].isupper() and re.fullmatch(r"[^\W\d_][\w'’.-]*", w) for w in names)


def split_persons(text: str) -> list[str]:
    """The persons of an ``Ansprechperson`` field, each with its brackets ("(Leitung)", "(Zimmer 3)").

    `` | `` and ``;`` always separate; ``,``, ``/`` and ``und`` only where every piece is
    clearly a person of its own ("Anna Beispiel und Max Muster", "Frau Dr. Anna Beispiel,
    Herr Max Muster (Leitung)"), so "Müller, Anna", "Herr und Frau Müller" and
    "Team Schuldner- und Insolvenzberatung" stay one contact.
    """
    persons: list[str] = []
    for part in _split_outside_brackets(INVISIBLE.sub("", text or ""), _PERSON_ALWAYS):
        everything = [q for p in _split_outside_brackets(part, _PERSON_AND)
                      for q in _split_outside_brackets(p, _PERSON_LIST)]
        by_and = _split_outside_brackets(part, _PERSON_AND)
        if len(everything) > 1 and all(_is_person(p) for p in everything):
            persons.extend(everything)
        elif len(by_and) > 1 and all(_is_person(p) for p in by_and):
            persons.extend(by_and)
        else:
            persons.append(part)
    return persons


def parse_person(text: str) -> Contact:
    """``Laura Grimm (Planungskoordinatorin)`` -> name + role; ``(Zimmer 317)``, ``(Haus II, Raum 143)`` -> room."""
    match = re.match(r"^(?P<name>[^()]+?)\s*(?:\((?P<extra>[^)]*)\))?\s*$", text.strip())
    if not match:
        return Contact(name=text.strip())
    role_parts: list[str] = []
    room_parts: list[str] = []
    for part in split_list(match["extra"] or ""):
        (room_parts if _ROOM.search(part) else role_parts).append(part)
    return Contact(
        name=match["name"].strip(),
        role=", ".join(role_parts) or None,
        room=", ".join(room_parts) or None,
    )


#: Where the listing took a person from or as of when, inside the role ("Leiterin, Stand 2020",
#: "Vorsitzende/Leiterin laut OTZ 2020", "Beraterin seit 2019", "Quelle: Amtsblatt"): from here to the
#: end of the role part it is a remark about the data, not what the person does.
_ROLE_REMARK = re.compile(
    r"\b(?:(?:stand|aktualisiert|abgerufen)\b(?=\D*\d)|(?:laut|quelle)\b|lt\.|nach\s+angaben\b|"
    r"angaben?\s+(?:aus|von|vom|der|des)\b|(?:seit|bis|ab|im|vom)\s+(?:[\d.]+\s?|[a-zäöü]+\.?\s)?(?:19|20)\d\d\b)"
    r".*$",
    re.IGNORECASE,
)
#: How a date or source taken out of a contact's role appears in ``admin_notes``.
ROLE_NOTE = "Hinweis der Liste zu {person}: {remark}"


def split_role_remark(role: str | None) -> tuple[str | None, list[str]]:
    """``Leiterin, Stand 2020`` -> (``Leiterin``, [``Stand 2020``]): dates and sources leave the role.

    A part that is only a date ("2020", "Stand: 03/2021") or begins with "laut", "Quelle",
    "Stand 2020", "seit 2019" goes to the remarks; "Vorstand", "Beraterin ab 27 Jahre" stay the role.
    """
    kept: list[str] = []
    remarks: list[str] = []
    for part in re.split(r"\s*[,;]\s*", role or ""):
        if not part.strip():
            continue
        if parse_stand(part)[0]:
            remarks.append(part.strip())
        elif match := _ROLE_REMARK.search(part):
            remarks.append(match.group().strip(" ()"))
            if rest := part[:match.start()].strip(" -–:/("):
                kept.append(rest)
        else:
            kept.append(part.strip())
    return ", ".join(kept) or None, remarks


_MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}
_STAND_PREFIX = re.compile(r"^(?:stand|aktualisiert|zuletzt\s+aktualisiert|letzte\s+änderung|abgerufen|"
                           r"datum)(?:\s+(?:am|vom|im))?\s*:?\s*", re.IGNORECASE)


def parse_stand(text: str, today: date | None = None) -> tuple[str | None, str | None]:
    """A ``Stand`` as the listing writes it -> ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``, or (None, why not).

    German forms are read where they are unambiguous: ``12.03.2024``, ``1.2.2024``,
    ``März 2024``, ``12. März 2024``, ``03/2024``, ``03.2024``, ``Stand: 01.02.2024``.
    A two-digit year, a range or a season is not read: which date is meant is a guess.
    """
    raw = INVISIBLE.sub("", text).strip()
    value = _STAND_PREFIX.sub("", raw).strip().rstrip(".").strip()
    value = re.sub(r"\s+", " ", value)
    iso: str | None = None
    if match := re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value):
        year, month, day = match.groups()
        iso = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    elif match := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})", value):
        iso = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    elif match := re.fullmatch(r"(\d{1,2})\s?[./]\s?(\d{4})", value):
        iso = f"{match[2]}-{int(match[1]):02d}"
    elif match := re.fullmatch(r"(\d{4})/(\d{1,2})", value):
        iso = f"{match[1]}-{int(match[2]):02d}"
    elif match := re.fullmatch(r"(?:(\d{1,2})\.\s?)?([a-zäöü]+)\.?\s(\d{4})", value, re.IGNORECASE):
        month_number = _MONTHS.get(match[2].lower())
        if month_number is None:
            return None, f"{match[2]!r} ist kein Monat"
        iso = f"{match[3]}-{month_number:02d}" + (f"-{int(match[1]):02d}" if match[1] else "")
    elif re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2}|\d{1,2}[./]\d{2}", value):
        return None, "das Jahr ist zweistellig"
    elif re.search(r"\d{4}\s*(?:[-–/]|bis)\s*\d{2,4}\b", value):
        return None, "ein Zeitraum, kein Datum"
    if iso is None:
        return None, "kein Datum in der Form JJJJ, JJJJ-MM, JJJJ-MM-TT, TT.MM.JJJJ, MM/JJJJ oder 'März 2024'"
    today = today or date.today()
    if stale.date_end(iso) is None:  # month 13, 31 February, ...
        return None, "diesen Tag oder Monat gibt es nicht"
    if not 1900 <= int(iso[:4]) <= today.year + 1:
        return None, f"das Jahr {iso[:4]} ist unplausibel"
    return iso, None


def _valid_date(text: str) -> bool:
    return parse_stand(text)[0] == text


_STATE_WORDS = {"bundesweit", "deutschland", "hessen", "thuringen", "thueringen", "land hessen", "freistaat thuringen"}
_DISTRICT_PREFIX = re.compile(r"^(?:lk|lkr|ldkr|landkr|landkreis|kreis|krs)\.?\s+(?P<rest>.+)$", re.IGNORECASE)
_CITY_PREFIX = re.compile(r"^(?:kreisfreie\s+stadt|kreisfr\.\s*stadt|stadt|landeshauptstadt|universitätsstadt)\s+"
                          r"(?P<rest>.+)$", re.IGNORECASE)
_SUFFIX_FORM = re.compile(r"^(?P<rest>.+?),\s*(?P<kind>landkreis|kreis|stadt|kreisfreie\s+stadt)$", re.IGNORECASE)


@dataclass
class Gazetteer:
    """What the import checks addresses against: the counties (with aliases) and the known postcodes."""

    counties: list[dict[str, Any]] = field(default_factory=list)
    postcodes: set[str] = field(default_factory=set)
    #: The county of each postcode (the first place's, when a postcode spans two).
    postcode_counties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from bot.knowledge import county_index

        self._index = county_index(self.counties)

    @staticmethod
    def _is_city(county: dict[str, Any]) -> bool:
        return any(re.match(r"(?:kreisfreie\s+)?stadt\b", a, re.IGNORECASE) for a in county.get("aliases", []))

    def county(self, text: str) -> str | None:
        """The canonical name of a county as listings write it ("LK Gotha", "Stadt Erfurt"), when certain."""
        found = self._index.get(normalize(text))
        if found:
            return str(found["name"])
        if match := _SUFFIX_FORM.match(text.strip()):  # "Gotha, Landkreis", "Erfurt, Stadt"
            kind = "Stadt" if "stadt" in match["kind"].lower() else "Landkreis"
            return self.county(f"{kind} {match['rest']}")
        for prefix, want_city, tries in ((_DISTRICT_PREFIX, False, ("Landkreis {}", "Kreis {}", "{}")),
                                         (_CITY_PREFIX, True, ("Stadt {}", "Kreisfreie Stadt {}", "{}"))):
            if match := prefix.match(text.strip()):
                for form in tries:
                    found = self._index.get(normalize(form.format(match["rest"])))
                    if found and self._is_city(found) == want_city:
                        return str(found["name"])
                return None
        return None

    def known_word(self, text: str) -> bool:
        """ "bundesweit", "Hessen", "Thüringen": no county, but a known area."""
        return normalize(text) in _STATE_WORDS


_DEFAULT_GAZETTEER: Gazetteer | None = None


def load_gazetteer(directory: Path = KNOWLEDGE_DIR) -> Gazetteer:
    """counties.yaml and places.csv of a knowledge folder (empty when they do not exist)."""
    import csv

    counties: list[dict[str, Any]] = []
    postcodes: set[str] = set()
    postcode_counties: dict[str, str] = {}
    counties_path, places_path = directory / "counties.yaml", directory / "places.csv"
    if counties_path.exists():
        data = yaml.safe_load(counties_path.read_text(encoding="utf-8")) or {}
        counties = [c for c in data.get("counties", []) if isinstance(c, dict) and c.get("name")]
    if places_path.exists():
        with places_path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("postcode"):
                    postcodes.add(row["postcode"])
                    postcode_counties.setdefault(row["postcode"], row.get("county") or "")
    return Gazetteer(counties, postcodes, postcode_counties)


def default_gazetteer() -> Gazetteer:
    """The project's own counties and postcodes (read once)."""
    global _DEFAULT_GAZETTEER
    if _DEFAULT_GAZETTEER is None:
        _DEFAULT_GAZETTEER = load_gazetteer()
    return _DEFAULT_GAZETTEER


def normalise_postcode(text: str, city: str) -> tuple[str, str | None]:
    """``99 706``, ``D-99706`` -> ``99706``; (postcode or "", why it was not taken)."""
    value = INVISIBLE.sub("", text).strip()
    value = re.sub(r"^D\s*-?\s*(?=\d)", "", value)
    if match := re.fullmatch(r"(\d{5})\s+(?P<town>\D.*)", value):
        if normalize(match["town"]) == normalize(city):
            return match[1], None
        return "", f"{text!r}: nach der Postleitzahl steht {match['town']!r}, nicht der Ort {city!r}"
    compact = re.sub(r"[\s.]", "", value)
    if re.fullmatch(r"\d{5}", compact):
        return compact, None
    if re.fullmatch(r"\d{4}", compact):
        return "", f"{text!r} hat nur vier Ziffern (fehlt eine 0 vorn?)"
    return "", f"{text!r} ist keine fünfstellige Postleitzahl"


@dataclass
class RowResult:
    offer: Offer
    #: Problems for the import's output (``Spalte: Meldung``).
    warnings: list[str] = field(default_factory=list)


def _by_appointment(note: str | None) -> bool:
    return bool(note and _APPOINTMENT_NOTE.search(note) and not _NO_APPOINTMENT.search(note))


def _contacts(row: dict[str, str], phones: list[Phone], emails: list[str]
              ) -> tuple[list[Contact], list[Phone], list[str]]:
    """Persons of the row; numbers and addresses go to them by position when the counts match
    and the persons are listed the way the numbers are (one person, or `` | ``-separated):
    "Anna Beispiel, Max Muster" beside "0361 1 oder 0170 2" says nothing about whose is whose."""
    field = row.get("Ansprechperson", "")
    contacts = [parse_person(p) for p in split_persons(field)]
    offer_phones, offer_emails = phones, emails
    if len(contacts) > 1 and len(_split_outside_brackets(INVISIBLE.sub("", field), _PERSON_ALWAYS)) != len(contacts):
        return contacts, offer_phones, offer_emails
    voice = [p for p in phones if p.kind != "fax"]
    if contacts and len(voice) == len(contacts):
        contacts = [c.model_copy(update={"phones": [p]}) for c, p in zip(contacts, voice, strict=True)]
        offer_phones = [p for p in phones if p.kind == "fax"]
    if contacts and len(emails) == len(contacts):
        contacts = [c.model_copy(update={"emails": [e]}) for c, e in zip(contacts, emails, strict=True)]
        offer_emails = []
    return contacts, offer_phones, offer_emails


def row_to_offer(row: dict[str, str], listing_name: str, matcher: TopicMatcher | None,
                 today: date | None = None, gazetteer: Gazetteer | None = None) -> RowResult:
    """One listing row as an offer; doubtful data is kept as listed and flagged in admin notes.

    No field can make the row fail: what cannot be taken is left out of the offer (it stays
    in ``listing_row``) and named in a warning and an admin note.
    """
    today = today or date.today()
    geo = gazetteer if gazetteer is not None else default_gazetteer()
    warnings: list[str] = []
    notes: list[str] = []

    def cell(column: str) -> str:
        return INVISIBLE.sub("", row.get(column, "") or "").strip()

    def doubt(column: str, warning: str, note: str) -> None:
        warnings.append(f"{column}: {warning}")
        if note not in notes:
            notes.append(note)

    nr = cell("Nr")
    hinweis = row.get("Hinweis", "").strip()
    note: str | None = hinweis or None
    if hinweis and _CHECK_REMARK.search(hinweis):
        # where a detail came from, what is missing, what to check: for admins, not for people
        notes.append(HINWEIS_NOTE.format(hinweis))
        note = None
    raw_phone = row.get("Telefon", "").strip()
    phones, phone_problems = parse_phone_field(raw_phone)
    problem: str | None  # a cell not taken as it was, said to the admin
    for problem in phone_problems:
        warnings.append(f"Telefon: {problem}")
    if phone_problems:
        notes.append(f"Telefon der Liste nicht (ganz) übernommen, bitte prüfen: {raw_phone}")

    emails: list[str] = []
    for email in split_list(clean_emails(row.get("E-Mail", ""))):
        if _EMAIL.match(email):
            if email not in emails:
                emails.append(email)
        else:
            doubt("E-Mail", email_problem(email),
                  f"E-Mail der Liste nicht übernommen, bitte prüfen: {email}")
    contacts, offer_phones, offer_emails = _contacts(row, phones, emails)
    for i, contact in enumerate(contacts):
        role, remarks = split_role_remark(contact.role)
        if remarks:
            # as of when, or where from, the listing names the person: for admins, not searchable
            contacts[i] = contact.model_copy(update={"role": role})
            person = f"{contact.name} ({role})" if role else contact.name
            notes.extend(ROLE_NOTE.format(person=person, remark=r) for r in remarks)

    hours_text = row.get("Sprechzeiten", "").strip()
    parsed = parse_hours(hours_text)
    for problem in parsed.problems:
        warnings.append(f"Sprechzeiten bleiben Text: {problem}")

    city = cell("Ort")
    postcode = ""
    if cell("PLZ"):
        postcode, problem = normalise_postcode(cell("PLZ"), city)
        if not problem and geo.postcodes and postcode not in geo.postcodes:
            problem = f"{postcode} ist keine bekannte Postleitzahl in Thüringen oder Hessen (knowledge/places.csv)"
            postcode = ""
        if problem:
            doubt("PLZ", problem, f"PLZ der Liste nicht übernommen, bitte prüfen: {cell('PLZ')}")
    county = cell("Landkreis")
    if county and geo.counties and not geo.known_word(county):
        canonical = geo.county(county)
        if canonical:
            county = canonical
        else:
            warnings.append(f"Landkreis: {county!r} ist kein bekannter Kreis (knowledge/counties.yaml); "
                            "das Angebot wird über PLZ und Ort gefunden, seine Zuständigkeit (service_area) "
                            "bitte von Hand eintragen")
    website, problem = normalise_url(row.get("Webseite", ""))
    if problem:
        doubt("Webseite", problem, f"Webseite der Liste nicht (ganz) übernommen, bitte prüfen: {cell('Webseite')}")
    # (read_listing refuses a Quelle that is no web address)
    source_url = normalise_url(row.get("Quelle", ""))[0] or row.get("Quelle", "").strip()

    raw_date = row.get("Stand", "").strip()
    source_date, date_problem = parse_stand(raw_date, today) if raw_date else (None, None)
    if raw_date and not source_date:
        doubt("Stand", f"{raw_date!r} ist kein eindeutiges Datum ({date_problem})",
              f"Stand der Liste nicht übernommen: {raw_date}")
    elif source_date and stale.is_stale(source_date, today):
        notes.append(f"Stand {source_date} ist älter als {stale.STALE_YEARS} Jahre: bitte prüfen, ob die Angaben "
                     "noch stimmen")

    topic_text = " ".join(row.get(c, "") for c in ("Kategorie", "Schlagworte", "Angebot", "Beschreibung"))
    topics = sorted(matcher.topics(topic_text)) if matcher else []
    snapshot = {c: row[c] for c in COLUMNS if (row.get(c) or "").strip()}
    snapshot[TOPICS_KEY] = ", ".join(topics)
    if hours_text:
        snapshot[OSM_KEY] = parsed.osm or ""

    values: dict[str, Any] = {
        "id": offer_id(nr),
        "source_id": nr or None,
        "name": row.get("Angebot", "").strip() or nr or "Angebot",
        "provider": row.get("Träger", "").strip() or None,
        "category": row.get("Kategorie", "").strip() or None,
        "keywords": split_list(row.get("Schlagworte", "")),
        "audience": split_list(row.get("Zielgruppe", "")),
        "description": row.get("Beschreibung", "").strip() or None,
        "topics": topics,
        "address": Address(street=row.get("Straße", "").strip() or None, postcode=postcode or None,
                           city=city or None, county=county or None),
        # whom it serves: the county the listing names, else the county of its postcode
        "service_area": areas.area_of(county, geo.county) or (
            None if county else areas.area_of(geo.postcode_counties.get(postcode or ""), geo.county)),
        "contacts": contacts,
        "phones": offer_phones,
        "emails": offer_emails,
        "website": website,
        "hours": Hours(text=hours_text or None, osm=parsed.osm,
                       by_appointment=parsed.by_appointment or _by_appointment(hinweis)),
        "note": note,
        "admin_notes": notes,
        "source": Source(url=source_url or "-", date=source_date or None, listing=listing_name,
                         retrieved=today.isoformat()),
        "listing_row": snapshot,
    }
    return RowResult(_safe_offer(values, warnings), warnings)


_DEFAULTS: dict[str, Any] = {
    "provider": None, "category": None, "keywords": [], "audience": [], "description": None, "topics": [],
    "address": None, "service_area": None, "contacts": [], "phones": [], "emails": [], "website": None, "hours": None, "note": None,
}


def _safe_offer(values: dict[str, Any], warnings: list[str]) -> Offer:
    """The offer; a field the model still refuses (it should not happen) is left out with a note, never a crash."""
    for _ in range(len(_DEFAULTS) + 1):
        try:
            return Offer(**values)
        except ValidationError as exc:
            fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]} & set(_DEFAULTS)
            if not fields:
                raise
            for name in sorted(fields):
                warnings.append(f"{name}: nicht übernommen ({exc.errors()[0]['msg']})")
                values["admin_notes"] = [*values["admin_notes"], f"Feld {name} der Liste nicht übernommen, "
                                         "bitte prüfen (siehe listing_row)"]
                values.pop(name)
    return Offer(**values)


def _previous_import(old: Offer, listing_name: str, matcher: TopicMatcher | None, today: date,
                     gazetteer: Gazetteer | None = None) -> Offer | None:
    """What the import made of the row stored in ``old.listing_row`` (None for hand-made offers)."""
    if not old.listing_row:
        return None
    row = {c: v for c, v in old.listing_row.items() if c in COLUMNS}
    previous = row_to_offer(row, old.source.listing or listing_name, matcher, today, gazetteer).offer
    derived: dict[str, Any] = {}
    if TOPICS_KEY in old.listing_row:
        derived["topics"] = split_list(old.listing_row[TOPICS_KEY])
    if OSM_KEY in old.listing_row:
        derived["hours"] = previous.hours.model_copy(update={"osm": old.listing_row[OSM_KEY] or None})
    return previous.model_copy(update=derived)


def describe(value: Any) -> str:
    """A field value in a few words for notes and the summary (numbers as people read them)."""
    if value is None or value == [] or value == "":
        return "(leer)"
    if isinstance(value, Phone):
        return display_number(value.number) + (" (Fax)" if value.kind == "fax" else "")
    if isinstance(value, Contact):
        phones = ", ".join(describe(p) for p in value.phones)
        return value.name + (f" {phones}" if phones else "")
    if isinstance(value, list):
        return "; ".join(describe(v) for v in value)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
    return str(value)


def _merge_set(mine: list[str], theirs: list[str], was: list[str]) -> list[str]:
    """Three-way merge of a list: the admin's additions and deletions win, new items are added."""
    added_by_admin = [x for x in mine if x not in was]
    deleted_by_admin = {x for x in was if x not in mine}
    merged = [x for x in theirs if x not in deleted_by_admin]
    return merged + [x for x in added_by_admin if x not in merged]


#: Fields the three-way merge leaves alone: the import sets them itself.
UNMERGED = frozenset({"source.retrieved"})


@dataclass
class Merge:
    """Result of merging one offer: values by field, and what the summary should say."""

    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def field(self, name: str, mine: Any, theirs: Any, was: Any) -> Any:
        """One field: listing value unless an admin changed it (recursing into addresses, hours, source)."""
        if isinstance(mine, BaseModel) and type(mine) is type(theirs) is type(was):
            sub = {n: getattr(mine, n) if f"{name}.{n}" in UNMERGED else
                   self.field(f"{name}.{n}", getattr(mine, n), getattr(theirs, n), getattr(was, n))
                   for n in type(mine).model_fields}
            return type(mine)(**sub)
        if name in SET_FIELDS:
            merged = _merge_set(mine, theirs, was)
            if merged != mine:
                self.changed.append(name)
            if any(x not in was for x in mine) or any(x not in mine for x in was if x in theirs):
                self.kept.append(name)
            return merged
        if mine in (was, theirs):
            if theirs != mine:
                self.changed.append(name)
            return theirs
        self.kept.append(name)
        if was != theirs:
            self.conflicts.append(f"Die Liste hat {name} geändert auf: {describe(theirs)}; "
                                  "die Hand-Korrektur wurde behalten, bitte prüfen")
        return mine


def merge(existing: Offer | None, new: Offer, previous_import: Offer | None) -> tuple[Offer, Merge]:
    """Combine an offer in the YAML with its newly imported version (see the module docstring)."""
    result = Merge()
    if existing is None:
        return new, result
    was = previous_import if previous_import is not None else existing
    for name in MERGED_FIELDS:
        result.values[name] = result.field(name, getattr(existing, name), getattr(new, name), getattr(was, name))
    notes = result.values["admin_notes"]
    fresh = [c for c in result.conflicts if c not in notes]
    if fresh:
        result.values["admin_notes"] = [*notes, *fresh]
        if "admin_notes" not in result.changed:
            result.changed.append("admin_notes")
    merged = Offer(id=existing.id, listing_row=new.listing_row, **result.values)
    if merged.listing_row != existing.listing_row and not result.changed:
        result.changed.append("listing_row")
    if result.changed or existing.source.retrieved is None:
        # taken from the listing again: the offer's data is as of this import
        merged = merged.model_copy(update={"source": merged.source.model_copy(
            update={"retrieved": new.source.retrieved})})
    return merged, result


@dataclass
class ImportSummary:
    """What an import did, for the admin: added / changed (with fields) / gone / hand edits kept."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary; each kind lists its first :data:`SHOWN` entries and counts the rest (an import of
        100,000 rows printed every id)."""
        out = [f"neu: {len(self.added)}, geändert: {len(self.changed)}, entfernt: {len(self.gone)}"]
        out += _shown("+", [str(i) for i in self.added])
        out += _shown("~", [f"{i}: {', '.join(fields)}" for i, fields in self.changed.items()])
        out += _shown("-", [f"{i} (nicht mehr in der Liste, aus der Datei entfernt)" for i in self.gone])
        out += _shown("=", [f"{i}: Hand-Korrektur behalten in {', '.join(f)}" for i, f in self.kept.items()])
        out += _shown("!", self.warnings, SHOWN_WARNINGS, "Hinweise")
        return out


#: Entries listed per kind in the summary (as scripts/sync_offers.py lists its ids).
SHOWN = 50
#: Warnings listed: each names a file:line to look at, so more of them.
SHOWN_WARNINGS = 500


def _shown(mark: str, entries: list[str], limit: int = SHOWN, what: str = "weitere") -> list[str]:
    lines = [f"  {mark} {e}" for e in entries[:limit]]
    if len(entries) > limit:
        lines.append(f"  {mark} … und {len(entries) - limit} weitere" + (f" {what}" if what != "weitere" else ""))
    return lines


class ImportRefused(Exception):
    """An import that would remove most of a file's offers: probably the wrong listing."""


def import_listing(
    listing: Listing,
    existing: OffersFile | None,
    matcher: TopicMatcher | None,
    title: str | None = None,
    *,
    today: date | None = None,
    allow_removals: bool = False,
    gazetteer: Gazetteer | None = None,
) -> tuple[OffersFile, ImportSummary]:
    """Merge a listing into a county's offers file (existing order kept, new offers appended)."""
    today = today or date.today()
    gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
    summary = ImportSummary()
    listing_name = listing.path.name
    old_offers = existing.offers if existing else []
    by_source = {o.source_id: o for o in old_offers if o.source_id}
    merged_by_source: dict[str, Offer] = {}
    new_offers: list[Offer] = []
    summary.warnings += listing.warnings
    for row in listing.rows:
        converted = row_to_offer(row.values, listing_name, matcher, today, gazetteer)
        summary.warnings += [f"{listing.path.name}:{row.line}: {w}" for w in converted.warnings]
        new = converted.offer
        old = by_source.get(new.source_id or "")
        previous = _previous_import(old, listing_name, matcher, today, gazetteer) if old else None
        offer, result = merge(old, new, previous)
        if old is None:
            summary.added.append(offer.id)
            new_offers.append(offer)
        else:
            merged_by_source[old.source_id or ""] = offer
            if result.changed:
                summary.changed[offer.id] = result.changed
        if result.kept:
            summary.kept[offer.id] = result.kept
        summary.warnings += [f"{offer.id}: {c}" for c in result.conflicts]

    offers: list[Offer] = []
    for old in old_offers:
        if not old.source_id:
            offers.append(old)
        elif old.source_id in merged_by_source:
            offers.append(merged_by_source[old.source_id])
        else:
            summary.gone.append(old.id)
            _warn_gone(old, listing_name, matcher, today, summary, gazetteer)
    imported = [o for o in old_offers if o.source_id]
    if not allow_removals and len(imported) >= 4 and len(summary.gone) > len(imported) // 2:
        raise ImportRefused(
            f"{len(summary.gone)} von {len(imported)} Angeboten der Datei fehlen in {listing_name}: "
            "ist das die richtige Liste für diese Datei? Wenn ja, mit --allow-removals übernehmen."
        )
    counties = {gazetteer.county(r["Landkreis"]) or r["Landkreis"] for r in listing.rows if r["Landkreis"]}
    title = title or (existing.title if existing else None) or (
        next(iter(counties)) if len(counties) == 1 else listing.path.stem)
    return OffersFile(title=title, offers=offers + new_offers), summary


def _warn_gone(old: Offer, listing_name: str, matcher: TopicMatcher | None, today: date,
               summary: ImportSummary, gazetteer: Gazetteer | None = None) -> None:
    """Name the hand edits that leave the file with a removed offer, so nothing goes unnoticed."""
    previous = _previous_import(old, listing_name, matcher, today, gazetteer)
    if previous is None:
        return
    _, result = merge(old, previous, previous)
    if result.kept:
        summary.warnings.append(
            f"{old.id} ({old.name}) ist entfernt; es hatte Hand-Korrekturen in {', '.join(result.kept)} "
            "(die alte Fassung steht in der Versionsgeschichte, git log -p)"
        )


class _Quoted(str):
    """A string always written in double quotes (opening hours: ``10:30`` must not become 630)."""


#: Characters YAML reads as line breaks besides "\n" (NEL, LS, PS): outside double quotes they
#: come back as "\n" or a space, and a re-import would take the changed text for a hand edit.
_YAML_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if _YAML_BREAKS.search(value) else "|" if "\n" in value else '"' if _TIME.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _quoted_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


class _Dumper(yaml.SafeDumper):
    """Block style, umlauts kept, times and hours always quoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # lists indented under their key: easier to read and to edit by hand
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        # never &id001 / *id001 for a value met twice: the knowledge loader refuses anchors and aliases
        return True


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_representer(_Quoted, _quoted_presenter)

HEADER = (
    "# Angebote, erzeugt mit scripts/import_listing.py und von Hand ergänzt.\n"
    "# Aufbau der Felder: knowledge/README.md. Nach Änderungen: python scripts/sync_offers.py\n"
)


def dump_offers(offers_file: OffersFile) -> str:
    """The YAML text of an offers file: readable by admins, identical for identical content.

    Written offer by offer: PyYAML builds a node for every value before it emits anything, and
    for a whole file of 100,000 offers that tree alone took gigabytes. Each offer is dumped as
    the one item of ``offers:`` (the emitter's state is the same for every item of a block list,
    so the text is the same as one dump of the whole file)."""
    if not offers_file.offers:
        return HEADER + _dump(offers_file.model_dump(mode="json", exclude_defaults=True))
    parts = [HEADER, _dump({"title": offers_file.title}), "offers:\n"]
    for offer in offers_file.offers:
        data = offer.model_dump(mode="json", exclude_defaults=True)
        hours = data.get("hours", {})
        for key in ("text", "osm"):
            if key in hours:
                hours[key] = _Quoted(hours[key])
        parts.append(_dump({"offers": [data]}).removeprefix("offers:\n"))
    return "".join(parts)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load_offers_file(path: Path) -> OffersFile | None:
    """The offers file at ``path``, or None when it does not exist yet (raises on invalid content)."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return OffersFile.model_validate(data) if data else None
