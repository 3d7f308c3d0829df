"""The typed model of the knowledge base (``knowledge/*.yaml``).

Admins edit YAML by hand, so every field is validated strictly: PyYAML reads an
unquoted ``10:30`` as the number 630 and ``no`` as ``False``, which a lax model
would silently accept. Strings stay strings; unknown keys are errors, so a typo
in a field name is reported instead of being dropped.

This module is the contract between import (writes these files), sync (reads and
checks them, builds offers.db) and the admin documentation in knowledge/README.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from bot.areas import STATES
from bot.cells import CONTROL, CONTROL_CHARS

#: Longest texts (characters). Real offers stay far below (names under 120, descriptions under 400);
#: the caps keep a broken or hostile file (a 20 MB name) from costing gigabytes in the sync and from
#: reaching the renderer, and say where it is (file:line) instead.
NAME_LENGTH = 300
SHORT_LENGTH = 1000
LONG_LENGTH = 5000
URL_LENGTH = 2000
#: Admin notes quote listing cells and conflicting values.
NOTE_LENGTH = 20000

#: No control characters but tab and line feed (NUL, escape sequences, DEL, C1): the CSV import strips
#: them (bot.listing), the HSDS import too (bot.hsds); a hand-written ``"\0"`` in YAML is refused here.
NO_CONTROL = f"^[^{CONTROL_CHARS}]*$"
#: Web addresses: http(s) only (no ``javascript:``, ``file:``, ``data:``), no spaces or control characters.
URL_PATTERN = f"^(?i:https?)://[^\\s{CONTROL_CHARS}]+$"


def _text(max_length: int, min_length: int = 0) -> StringConstraints:
    """The checks of a text field: a string (strictly), stripped, within the lengths, no control characters."""
    return StringConstraints(strict=True, strip_whitespace=True, min_length=min_length,
                             max_length=max_length, pattern=NO_CONTROL)


def explain(error: Any) -> str | None:
    """The German message of a failed length, control character or web address check (a pydantic error), or None."""
    value, ctx = error.get("input"), error.get("ctx") or {}
    if error["type"] == "string_too_long" and isinstance(value, str):
        return f"zu lang: {len(value):_} Zeichen, höchstens {ctx['max_length']:_}".replace("_", ".")
    if error["type"] == "string_pattern_mismatch" and isinstance(value, str):
        bad = CONTROL.search(value)
        if ctx.get("pattern") in (NO_CONTROL, URL_PATTERN) and bad:
            return (f"enthält das Steuerzeichen U+{ord(bad.group()):04X} (an Stelle {bad.start() + 1}); "
                    "Steuerzeichen sind nicht erlaubt")
        if ctx.get("pattern") == URL_PATTERN:
            return f"{value[:80]!r} ist keine Webadresse mit http:// oder https://"
    return None


StrictText = Annotated[str, _text(SHORT_LENGTH)]
NonEmpty = Annotated[str, _text(SHORT_LENGTH, 1)]
Name = Annotated[str, _text(NAME_LENGTH, 1)]
LongText = Annotated[str, _text(LONG_LENGTH)]
NoteText = Annotated[str, _text(NOTE_LENGTH, 1)]
Url = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=URL_LENGTH,
                                       pattern=URL_PATTERN)]

#: Offer ids are lower-case slugs such as ``kyf-001`` or ``seed-he-stark``; they
#: appear in deep links (``o_<id>``) and callback data, so they must stay short and safe.
OFFER_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,47}$"
OfferId = Annotated[str, StringConstraints(strict=True, pattern=OFFER_ID_PATTERN)]

#: Topic ids are lower-case words (``schulden``, ``wohnen``).
TopicId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9_]{2,40}$")]

#: A source date as the listings give it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
SourceDate = Annotated[str, StringConstraints(strict=True, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")


def email_problem(email: str) -> str:
    """Why an e-mail address is not one, in German, with the address it probably is
    ("info(at)tafel-artern.de" -> "meinten Sie info@tafel-artern.de?")."""
    guess = re.sub(r"\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+|\(ät\))\s*", "@", email.strip(), flags=re.IGNORECASE)
    guess = re.sub(r"\s*(?:\(dot\)|\[dot\]|\(punkt\)|\[punkt\])\s*", ".", guess, flags=re.IGNORECASE)
    guess = re.sub(r"\s+", "", guess).strip(".,;:<>")
    if guess != email and _EMAIL.match(guess):
        return f"E-Mail-Adresse {email!r} ist ungültig; meinten Sie {guess}?"
    if "@" not in guess:
        return f"E-Mail-Adresse {email!r} ist ungültig: das @ fehlt"
    if not re.search(r"@[^@\s]+\.[A-Za-z]{2,}$", guess):
        return f"E-Mail-Adresse {email!r} ist ungültig: nach dem @ fehlt die Domain mit Endung (z. B. @beispiel.de)"
    return f"E-Mail-Adresse {email!r} ist ungültig (Form: name@beispiel.de)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


#: What a number is for: the cards show a fax apart and never offer it to call.
PhoneKind = Literal["phone", "fax", "mobile"]


class Phone(_Strict):
    """One phone or fax number, stored in E.164 (``+4936327415 28`` without spaces)."""

    number: NonEmpty
    kind: PhoneKind = "phone"
    #: Free label such as "Zentrale" or the person it belongs to.
    label: StrictText | None = None
    #: The number exactly as the source wrote it, for the admin's reference.
    original: StrictText | None = None

    @field_validator("number")
    @classmethod
    def _e164(cls, value: str) -> str:
        from bot.phones import phone_problem  # bot.phones builds Phone objects: imported when first checked

        problem = phone_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Contact(_Strict):
    """A person or a desk to reach: a name (or a role such as "Sekretariat ASD")."""

    name: NonEmpty
    role: StrictText | None = None
    room: StrictText | None = None
    phones: list[Phone] = Field(default_factory=list)
    emails: list[NonEmpty] = Field(default_factory=list)

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for email in value:
            if not _EMAIL.match(email):
                raise ValueError(email_problem(email))
        return value


class Address(_Strict):
    street: StrictText | None = None
    postcode: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{5}$")] | None = None
    city: StrictText | None = None
    #: County or independent city as written in the listing ("Kyffhäuserkreis");
    #: "bundesweit" or a state name ("Hessen") for offers without a local office.
    county: StrictText | None = None


#: Whom an offer serves (``service_area.kind``).
AreaKind = Literal["nationwide", "state", "counties", "town"]


class ServiceArea(_Strict):
    """Whom an offer serves: everyone (``nationwide``), the people of one state (``state``), of a
    list of counties or independent cities (``counties``), or of one town (``town``).

    A district's office (youth office, social welfare office, job centre, women's shelter of a
    county) serves the people who live there only: the search never offers it to someone from
    elsewhere, so where it serves must be data, not read off its address at search time."""

    kind: AreaKind
    #: ``state``: one of :data:`STATES`; ``counties``: names of knowledge/counties.yaml;
    #: ``town``: one town of places.csv; ``nationwide``: none.
    regions: list[NonEmpty] = Field(default_factory=list)

    @model_validator(mode="after")
    def _regions_fit_kind(self) -> ServiceArea:
        count = len(self.regions)
        if self.kind == "nationwide" and count:
            raise ValueError("bundesweit (nationwide) nennt keine regions")
        if self.kind in ("state", "town") and count != 1:
            raise ValueError(f"{self.kind} braucht genau eine Region in regions, nicht {count}")
        if self.kind == "counties" and not count:
            raise ValueError("counties braucht mindestens einen Kreis in regions")
        if self.kind == "state" and self.regions[0] not in STATES:
            raise ValueError(f"unbekanntes Land {self.regions[0]!r} (bekannt: {', '.join(STATES)})")
        return self


#: Whom an offer is for: people looking for help (``public``), or people who plan, fund or run help
#: (``professionals``: planning councils, conferences, funding programmes, reports, ministries).
Audience = Literal["public", "professionals"]


class Geo(_Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    #: True when the point is the postal code's centre, not the street address.
    approximate: bool = True


class Hours(_Strict):
    """Consultation hours: the source text, and its OSM form when it is certain."""

    #: The hours exactly as the source wrote them.
    text: LongText | None = None
    #: OpenStreetMap ``opening_hours`` syntax, only when the text was read with certainty.
    osm: LongText | None = None
    #: "nach Vereinbarung" / "Termin": appointments are possible or required.
    by_appointment: bool = False


class Source(_Strict):
    url: Url
    #: The page's date ("Stand"), when known.
    date: SourceDate | None = None
    #: When the offer was taken from its source into the knowledge base (the import scripts set
    #: the day they took the row; a re-import keeps it while the row stays the same).
    retrieved: SourceDate | None = None
    #: The listing file and row the offer came from, e.g. "kyffhaeuserkreis.csv".
    listing: StrictText | None = None


class Offer(_Strict):
    """One help offer: a counselling service, an office, a meeting point or a programme."""

    id: OfferId
    #: The listing's own id (``Nr``), e.g. ``KYF-001``; null for offers taken from other sources.
    source_id: StrictText | None = None
    name: Name
    provider: StrictText | None = None
    category: StrictText | None = None
    keywords: list[NonEmpty] = Field(default_factory=list)
    audience: list[NonEmpty] = Field(default_factory=list)
    #: ``professionals``: not shown to people asking for help, only to professional questions,
    #: person look-ups and inline mode (decided per offer by the admin, never guessed at search time).
    intended_for: Audience = "public"
    description: LongText | None = None
    #: Topic ids from knowledge/topics.yaml.
    topics: list[TopicId] = Field(default_factory=list)
    address: Address = Field(default_factory=Address)
    #: Whom the offer serves (see :class:`ServiceArea`); the sync warns when it is missing.
    service_area: ServiceArea | None = None
    #: Exact coordinates when known; otherwise sync places the offer at its PLZ (approximate).
    geo: Geo | None = None
    contacts: list[Contact] = Field(default_factory=list)
    #: Numbers of the offer itself (not of one person).
    phones: list[Phone] = Field(default_factory=list)
    emails: list[NonEmpty] = Field(default_factory=list)
    website: Url | None = None
    hours: Hours = Field(default_factory=Hours)
    #: Remarks for the people asking ("nur nach Terminvereinbarung").
    note: LongText | None = None
    #: Remarks for admins only (doubts, things to check); never shown to users.
    admin_notes: list[NoteText] = Field(default_factory=list)
    source: Source
    #: The listing row as last imported (column -> text). A re-import compares the
    #: YAML with it to tell an admin's hand corrections (kept) from listing changes (taken).
    listing_row: dict[str, LongText] | None = None

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        return Contact._emails(value)


class OffersFile(_Strict):
    """One file in knowledge/offers/: the offers of one county or listing."""

    #: Human title of the file ("Kyffhäuserkreis").
    title: Name
    offers: list[Offer]


class Topic(_Strict):
    """A topic of social help with the words people use for it."""

    id: TopicId
    label: NonEmpty
    #: Everyday and formal words, phrases and word stems that mean this topic.
    words: list[NonEmpty] = Field(min_length=1)
    #: Related topic ids worth suggesting ("schulden" -> "verbraucher").
    related: list[TopicId] = Field(default_factory=list)
    #: Words that begin or end like one of ``words`` but mean something else
    #: ("ferienwohnung" ends like "wohnung"): they never show this topic.
    not_words: list[NonEmpty] = Field(default_factory=list)


class TopicsFile(_Strict):
    topics: list[Topic]


class Hotline(_Strict):
    """A national crisis line shown before everything else when a message signals danger."""

    id: OfferId
    name: Name
    #: E.164 numbers; short codes such as 110 are kept as written ("110").
    phones: list[NonEmpty]
    hours: LongText | None = None
    #: Which crisis kinds it serves: suicide, violence, child, poison, medical, emergency, parents.
    crisis: list[NonEmpty] = Field(default_factory=list)
    description: LongText | None = None
    source: Source


class HotlinesFile(_Strict):
    hotlines: list[Hotline]
