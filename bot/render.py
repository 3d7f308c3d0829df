"""What the bot says: offer cards, hotlines, "nothing found", as HTML text plus neutral buttons.

No aiogram types here: ``python -m bot answer`` and the tests use the renderer
without Telegram, and ``bot.telegram.keyboards`` turns :class:`Button` rows into
inline keyboards. Every piece of offer data and user text is HTML-escaped, because
the bot sends with parse mode HTML. Interface words come from the gettext catalog
(``tr``); offer data stays German; dates, times, weekdays and distances are
formatted by Babel for the interface language (de_DE by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape, unescape
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import quote, urlsplit

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_day_names
from babel.numbers import format_decimal

from bot.i18n import LANGUAGES, PLAIN_GERMAN, Translator, _n, translator
from bot.i18n import babel_locale as interface_locale
from bot.limits import INLINE_TITLE_LIMIT, VCARD_LIMIT, bounded, fit_lines, shorten
from bot.normalize import normalize
from bot.opening import HOLIDAY_LANGUAGES, TZ, days_state, describe, holiday_name, open_state
from bot.phones import card_number as _card_number
from bot.phones import display_number as _display_number
from bot.stale import stale_year
from bot.store import ContactRecord, OfferRecord, PhoneRecord

if TYPE_CHECKING:  # types only: the renderer needs neither the crisis model nor the place index
    from bot.crisis import CrisisKind
    from bot.geo import Place
    from bot.query import Intent
    from bot.timewords import AskedTime

#: phonenumbers parses and formats in about 0.1 ms; the same few numbers come up again and again.
display_number = lru_cache(maxsize=8192)(_display_number)
card_number = lru_cache(maxsize=8192)(_card_number)
#: Babel parses a locale name anew on every call given a string (about 0.1 ms); parse each once.
babel_locale = lru_cache(maxsize=16)(Locale.parse)
#: Hours in words are the same for every card of an offer; describing them costs Babel look-ups.
describe_hours = lru_cache(maxsize=8192)(describe)


@lru_cache(maxsize=64)
def day_name(index: int, locale: str = "de_DE") -> str:
    """Weekday name, 0 = Monday (looked up by key: Babel's dict iterates from Sunday)."""
    name: str = get_day_names("wide", locale=babel_locale(locale))[index]
    return name


#: The holidays of Thüringen, Hessen and the whole country in German, as the holidays package names
#: them: the catalogs translate them for the languages the package does not speak.
HOLIDAY_NAMES = (
    _n("Neujahr"), _n("Karfreitag"), _n("Ostersonntag"), _n("Ostermontag"), _n("Erster Mai"),
    _n("Christi Himmelfahrt"), _n("Pfingstsonntag"), _n("Pfingstmontag"), _n("Fronleichnam"),
    _n("Weltkindertag"), _n("Tag der Deutschen Einheit"), _n("Reformationstag"), _n("Erster Weihnachtstag"),
    _n("Zweiter Weihnachtstag"),
)

#: Cards per answer message; "Weitere Ergebnisse" pages through the rest.
PAGE_SIZE = 3
#: Size budgets (bot.limits): three cards and a header in one message; the details in one message.
#: An over-long card is shortened, its address and phone lines last.
CARD_LIMIT = 1200
DETAILS_LIMIT = 3800
_KEEP_LINES = ("📍", "☎️")
#: One part of an address (street, town) at most; the share button's text at most.
_ADDRESS_PART_LIMIT = 120
_SHARE_TEXT_LIMIT = 64
_DESCRIPTION_MAX = 700
#: An hours text that says no more than "by appointment" (the state line says it already).
_APPOINTMENT_ONLY = re.compile(r"^\W*(?:nur )?(?:nach|per) (?:vorheriger )?(?:Termin)?vereinbarung\W*$", re.IGNORECASE)


# --- the neutral reply model ------------------------------------------------------------


#: What a button does (bot.telegram.keyboards turns each into its callback data).
ButtonAction = Literal["details", "map", "contact", "report", "page", "topic", "topics", "ask", "lang", "url"]


@dataclass(frozen=True)
class Button:
    """One inline button. ``action`` names what it does; ``value`` is its argument.

    Actions: ``details``/``map``/``contact``/``report`` (value: offer id), ``page`` (page number),
    ``topic`` (topic id), ``topics`` (all topics), ``ask`` (index of a suggestion),
    ``lang`` (language code), ``url`` (value: the address to open).
    """

    text: str
    action: ButtonAction
    value: str = ""


@dataclass(frozen=True)
class Reply:
    """One message: HTML text and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Venue:
    lat: float
    lon: float
    title: str
    address: str


@dataclass(frozen=True)
class ContactCard:
    """A contact to save: what ``sendContact`` needs, with a vCard 3.0."""

    phone_number: str
    first_name: str
    last_name: str | None
    vcard: str


@dataclass
class Context:
    """Everything a rendering depends on besides the offer: language and the moment."""

    tr: Translator
    at: datetime
    locale: str = "de_DE"
    bot_username: str | None = None
    #: The days and hours a question asked about ("morgen", "über Weihnachten": bot.timewords.AskedTime);
    #: the cards then say the state then instead of now.
    asked: AskedTime | None = None
    #: The interface language (bot.i18n.LANGUAGES); ``locale`` is its Babel locale. Not given, it is
    #: the locale's language ("en_GB" -> "en").
    lang: str = ""

    def __post_init__(self) -> None:
        if not self.lang:
            base = self.locale.split("_")[0]
            self.lang = base if base in LANGUAGES else "de"

    def _(self, message: str) -> str:
        return self.tr.gettext(message)

    def in_language(self, lang: str) -> Context:
        """The same moment and bot in another interface language."""
        return Context(tr=translator(lang), at=self.at, locale=interface_locale(lang), bot_username=self.bot_username,
                       lang=lang)

    @property
    def plain(self) -> bool:
        """Leichte Sprache: one offer per message, times as "9 Uhr"."""
        return self.lang == PLAIN_GERMAN


# What an answer reads of a search (bot.search.SearchResponse, checked by mypy where the dialog
# answers one), without importing the search. Read-only members: a response's list of its own
# result type is then a Sequence of what the renderer reads.


class _Analysis(Protocol):
    """What the answer reads of a question's analysis (bot.query.QueryAnalysis)."""

    @property
    def intent(self) -> Intent: ...
    @property
    def crisis(self) -> CrisisKind | None: ...
    @property
    def crisis_also(self) -> CrisisKind | None: ...
    @property
    def crisis_uncertain(self) -> bool: ...
    @property
    def crisis_leaning(self) -> tuple[CrisisKind, ...]: ...
    @property
    def person(self) -> str | None: ...
    @property
    def place(self) -> Place | None: ...
    @property
    def unknown_place(self) -> str | None: ...


class _Result(Protocol):
    """One result (bot.search.SearchResult)."""

    @property
    def offer(self) -> OfferRecord: ...
    @property
    def distance_km(self) -> float | None: ...


class _Response(Protocol):
    """A search's answer (bot.search.SearchResponse)."""

    @property
    def analysis(self) -> _Analysis: ...
    @property
    def results(self) -> Sequence[_Result]: ...
    @property
    def place_fallback(self) -> bool: ...
    @property
    def suggestions(self) -> Sequence[str]: ...
    @property
    def missing_office(self) -> str | None: ...


@dataclass(frozen=True)
class Hit:
    """An offer to show, with its distance when a place or location was given."""

    offer: OfferRecord
    distance_km: float | None = None


# --- small formatters --------------------------------------------------------------------


def distance_text(km: float, locale: str = "de_DE") -> str:
    """2.34 -> "2,3 km" (de_DE); whole kilometres from 10 km on."""
    pattern = "#,##0.0" if km < 10 else "#,##0"
    return f"{format_decimal(km, format=pattern, locale=babel_locale(locale))} km"


def time_text(moment: datetime, locale: str = "de_DE") -> str:
    return format_time(moment, "H:mm", locale=babel_locale(locale))


def _clock(moment: datetime, ctx: Context) -> str:
    """A time for the state lines: "9:30"; in Leichte Sprache a full hour is "9" ("ab 9 Uhr")."""
    if ctx.plain and moment.minute == 0:
        return str(moment.hour)
    return time_text(moment, ctx.locale)


def source_date_text(value: str | None, locale: str = "de_DE") -> str | None:
    """ "2025-03" -> "März 2025"; "2025-03-12" -> "12. März 2025"; "2025" -> "2025"."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=babel_locale(locale))
    return format_date(date(parts[0], parts[1], parts[2]), "long", locale=babel_locale(locale))


def address_text(offer: OfferRecord) -> str | None:
    """ "Markt 8, 99706 Sondershausen"; None when the offer has no address."""
    town = " ".join(p for p in (offer.postcode, offer.city) if p)
    text = ", ".join(shorten(p, _ADDRESS_PART_LIMIT) for p in (offer.street, town) if p)
    return text or None


def share_link(bot_username: str, offer_id: str) -> str:
    """The deep link that opens the bot on one offer: ``https://t.me/<bot>?start=o_<id>``."""
    return f"https://t.me/{bot_username}?start=o_{offer_id}"


def _domain(url: str) -> str:
    host = urlsplit(url if "//" in url else f"https://{url}").netloc
    return host.removeprefix("www.") or url


def _link(url: str, text: str | None = None) -> str:
    href = url if "//" in url else f"https://{url}"
    return f'<a href="{escape(href)}">{escape(text or url)}</a>'


_TAG = re.compile(r"<a href=\"([^\"]*)\">(.*?)</a>|<[^>]+>", re.DOTALL)


def to_plain(html_text: str) -> str:
    """The HTML of a message as plain text (the terminal and ``python -m bot answer``)."""

    def replace(match: re.Match[str]) -> str:
        return match.group(2) if match.group(1) is not None else ""

    return unescape(_TAG.sub(replace, html_text))


# --- hours --------------------------------------------------------------------------------


def _when_again(moment: datetime, ctx: Context) -> str:
    """ "ab 13:00 Uhr" / "morgen ab 9:00 Uhr" / "Donnerstag ab 9:00 Uhr" / "am 2. Januar ab 9:00 Uhr"."""
    today = ctx.at.astimezone(TZ).date()
    day = moment.date()
    time = _clock(moment, ctx)
    if day == today:
        return ctx._("ab {time} Uhr").format(time=time)
    if day == today + timedelta(days=1):
        return ctx._("morgen ab {time} Uhr").format(time=time)
    if day < today + timedelta(days=7):
        return ctx._("{day} ab {time} Uhr").format(day=day_name(day.weekday(), ctx.locale), time=time)
    date_text = format_skeleton("dMMMM", day, locale=babel_locale(ctx.locale))
    return ctx._("am {date} ab {time} Uhr").format(date=date_text, time=time)


def open_state_text(offer: OfferRecord, ctx: Context) -> str | None:
    """The state now: "jetzt geöffnet bis 16:00 Uhr", "heute geschlossen – wieder Donnerstag ab 9:00 Uhr";
    or at the time asked about (``ctx.asked``), as on the cards: "morgen (…): geschlossen – wieder …"."""
    found = _state(offer, ctx)
    return found[1] if found else None


def _state(offer: OfferRecord, ctx: Context) -> tuple[str, str] | None:
    return _open_state(offer, ctx) if ctx.asked is None else _asked_state(offer, ctx.asked, ctx)


def _open_state(offer: OfferRecord, ctx: Context) -> tuple[str, str] | None:
    """(icon, text) of the state now; the icon says open 🟢, closed 🔴 or by appointment 📅."""
    if not offer.hours_osm:
        return ("📅", ctx._("nur nach Terminvereinbarung")) if offer.by_appointment else None
    state = open_state(offer.hours_osm, ctx.at, offer.state)
    if state.is_open is None:
        return None
    if state.always_open:
        return "🟢", ctx._("rund um die Uhr erreichbar")
    at = ctx.at.astimezone(TZ)
    if state.is_open:
        if state.closes_at is None:
            return "🟢", ctx._("jetzt geöffnet")
        closes = state.closes_at.astimezone(TZ)
        if closes.date() == at.date():
            return "🟢", ctx._("jetzt geöffnet bis {time} Uhr").format(time=_clock(closes, ctx))
        return "🟢", ctx._("jetzt geöffnet bis {day} {time} Uhr").format(
            day=day_name(closes.weekday(), ctx.locale), time=_clock(closes, ctx))
    if state.holiday:
        holiday = holiday_name(at.date(), offer.state, ctx.lang) or state.holiday
        if ctx.lang not in HOLIDAY_LANGUAGES:
            holiday = ctx._(holiday)
        closed = ctx._("heute geschlossen ({holiday})").format(holiday=escape(holiday))
    elif state.next_open is not None and state.next_open.astimezone(TZ).date() == at.date():
        closed = ctx._("jetzt geschlossen")
    else:
        closed = ctx._("heute geschlossen")
    if state.next_open is None:
        return "🔴", closed
    when = _when_again(state.next_open.astimezone(TZ), ctx)
    return "🔴", ctx._("{closed} – wieder {when}").format(closed=closed, when=when)


def _day_text(day: date, ctx: Context) -> str:
    """ "Freitag, 4. Dezember"."""
    return f"{day_name(day.weekday(), ctx.locale)}, {format_skeleton('dMMMM', day, locale=babel_locale(ctx.locale))}"


def _part_text(part: str, ctx: Context) -> str:
    return {"fruh": ctx._("früh"), "morgens": ctx._("früh"), "vormittag": ctx._("vormittags"),
            "mittag": ctx._("mittags"), "nachmittag": ctx._("nachmittags"), "abend": ctx._("abends"),
            "nacht": ctx._("nachts")}[part]


def _period_text(key: str, ctx: Context) -> str:
    names = {"weihnachten": ctx._("Weihnachten"), "heiligabend": ctx._("Heiligabend"),
             "silvester": ctx._("Silvester"), "neujahr": ctx._("Neujahr"), "ostern": ctx._("Ostern"),
             "karfreitag": ctx._("Karfreitag"), "ostersonntag": ctx._("Ostersonntag"),
             "ostermontag": ctx._("Ostermontag"), "pfingsten": ctx._("Pfingsten"),
             "pfingstsonntag": ctx._("Pfingstsonntag"), "pfingstmontag": ctx._("Pfingstmontag"),
             "himmelfahrt": ctx._("Christi Himmelfahrt"), "reformationstag": ctx._("Reformationstag"),
             "weltkindertag": ctx._("Weltkindertag"), "maifeiertag": ctx._("1. Mai"),
             "feiertag": ctx._("am nächsten Feiertag"), "wochenende": ctx._("am Wochenende"),
             "einheit": ctx._("Tag der Deutschen Einheit"), "zwischen": ctx._("zwischen den Jahren")}
    return names[key]


def asked_text(asked: AskedTime, ctx: Context) -> str:
    """The asked time as the card says it: "morgen (Freitag, 4. Dezember)", "Samstag, 5. Dezember, abends",
    "Weihnachten (24.–26. Dezember)"."""
    today = ctx.at.astimezone(TZ).date()
    if asked.first == asked.last:
        days = _day_text(asked.first, ctx)
    else:
        days = format_interval(asked.first, asked.last, "MMMMd", locale=babel_locale(ctx.locale))
    relative = {today: ctx._("heute"), today + timedelta(days=1): ctx._("morgen")}.get(asked.first) \
        if asked.first == asked.last else None
    if asked.period:
        text = f"{_period_text(asked.period, ctx)} ({days})"
    elif relative:
        text = f"{relative} ({days})"
    else:
        text = days
    return f"{text}, {_part_text(asked.part, ctx)}" if asked.part else text


def _asked_state(offer: OfferRecord, asked: AskedTime, ctx: Context) -> tuple[str, str] | None:
    """(icon, text) for the time the question asked about: open then (with the hours), or closed then
    and when again; a holiday among those days is named. Without structured hours it says it cannot tell."""
    when = asked_text(asked, ctx)
    state = days_state(offer.hours_osm, asked.days(), asked.start, asked.end, offer.state)
    # A holiday is named unless the asked period is named after it already ("über Weihnachten").
    named = asked.period in (None, "feiertag", "wochenende", "zwischen")
    holidays = f" ({escape(', '.join(dict.fromkeys(state.holidays)))})" if state.holidays and named else ""
    if not state.known:
        if offer.by_appointment:
            return "📅", ctx._("nur nach Terminvereinbarung")
        if not offer.hours_text:
            return None  # the card says that no hours are given
        text = ctx._("{when}: ob dann geöffnet ist, steht nicht sicher in den Angaben").format(when=escape(when))
        return "❔", text + holidays
    if state.always_open:
        return "🟢", ctx._("{when}: rund um die Uhr erreichbar").format(when=escape(when))
    if state.spans:
        by_day: dict[date, list[str]] = {}
        for begin, finish in state.spans:
            by_day.setdefault(begin.date(), []).append(
                f"{time_text(begin, ctx.locale)}–{'24:00' if finish.date() > begin.date() else time_text(finish, ctx.locale)}")
        several = asked.first != asked.last
        hours = "; ".join((f"{_day_text(day, ctx)} " if several else "")
                          + ctx._("{times} Uhr").format(times=", ".join(spans)) for day, spans in by_day.items())
        return "🟢", ctx._("{when}: geöffnet {hours}").format(when=escape(when), hours=hours)
    closed = ctx._("{when}: geschlossen").format(when=escape(when)) + holidays
    if state.next_open is None:
        return "🔴", closed
    again = _when_again(state.next_open, ctx)
    return "🔴", ctx._("{closed} – wieder {when}").format(closed=closed, when=again)


def hours_lines(offer: OfferRecord, ctx: Context) -> list[str]:
    """The consultation hours in words, then the state now (HTML lines)."""
    lines = []
    described = describe_hours(offer.hours_osm, ctx.lang) if offer.hours_osm else None
    if described and described != offer.hours_osm:
        lines.append(f"🕒 {escape(described)}")
    elif offer.hours_text and not (offer.by_appointment and not offer.hours_osm and _APPOINTMENT_ONLY.search(offer.hours_text)):
        lines.append(f"🕒 {escape(offer.hours_text)}")
    state = _state(offer, ctx)
    if state:
        lines.append(f"{state[0]} <b>{state[1]}</b>")
        if offer.hours_osm and offer.by_appointment:
            lines.append("📅 " + ctx._("außerdem Termine nach Vereinbarung"))
    return lines


# --- contact lines ------------------------------------------------------------------------


def _phone_text(phone: PhoneRecord, ctx: Context) -> str:
    number = escape(card_number(phone.number))
    if phone.kind == "fax":
        number = ctx._("Fax {number}").format(number=number)
    elif phone.kind == "mobile":
        number = ctx._("mobil {number}").format(number=number)
    return f"{number} ({escape(phone.label)})" if phone.label else number


def phone_lines(offer: OfferRecord, ctx: Context, *, limit: int | None = None,
                with_contacts: bool = True) -> list[str]:
    """Numbers to call first (the offer's own, then each contact's with the name); fax last,
    because someone who asked for "die Telefonnummer" must not tap a fax number first.
    ``with_contacts=False`` leaves out the contacts' numbers (shown with the persons already)."""
    lines = []
    own = [p for p in offer.phones if p.kind != "fax"]
    if own:
        lines.append("☎️ " + ", ".join(_phone_text(p, ctx) for p in own))
    seen = {p.number for p in offer.phones}
    faxes = [p for p in offer.phones if p.kind == "fax"]
    for contact in offer.contacts if with_contacts else ():
        fresh = [p for p in contact.phones if p.number not in seen and p.kind != "fax"]
        if fresh:
            lines.append(f"☎️ {escape(contact.name)}: " + ", ".join(_phone_text(p, ctx) for p in fresh))
        faxes += [p for p in contact.phones if p.number not in seen and p.kind == "fax"]
    if faxes:
        lines.append("📠 " + ", ".join(_phone_text(p, ctx) for p in faxes))
    return lines[:limit] if limit else lines


def _contact_text(contact: ContactRecord, ctx: Context, *, with_reach: bool) -> str:
    parts = [escape(contact.name)]
    if contact.role:
        parts.append(escape(contact.role))
    if contact.room:
        parts.append(escape(contact.room))
    text = "👤 " + ", ".join(parts)
    if with_reach:
        reach = [_phone_text(p, ctx) for p in contact.phones] + [escape(e) for e in contact.emails]
        if reach:
            text += " – " + ", ".join(reach)
    return text


def contact_lines(offer: OfferRecord, ctx: Context, *, with_reach: bool = False) -> list[str]:
    return [_contact_text(c, ctx, with_reach=with_reach) for c in offer.contacts]


def has_phone(offer: OfferRecord) -> bool:
    """Whether the offer has a number to call (a fax is none)."""
    return any(p.kind != "fax" for p in offer.all_phones())


def _emails(offer: OfferRecord, *, with_contacts: bool = True) -> list[str]:
    seen: list[str] = []
    for email in [*offer.emails, *(e for c in offer.contacts if with_contacts for e in c.emails)]:
        if email not in seen:
            seen.append(email)
    return seen


def source_line(offer: OfferRecord, ctx: Context) -> str | None:
    """ "Quelle: kyffhaeuser.de · Stand: März 2025"."""
    parts = []
    if offer.source_url:
        parts.append(ctx._("Quelle: {source}").format(source=_link(offer.source_url, _domain(offer.source_url))))
    when = source_date_text(offer.source_date, ctx.locale)
    if when:
        parts.append(ctx._("Stand: {date}").format(date=when))
    return " · ".join(parts) or None


def stale_lines(offer: OfferRecord, ctx: Context) -> list[str]:
    """ "⚠️ Angaben von 2019 – bitte vorher anrufen oder auf der Webseite prüfen" for old data (bot.stale)."""
    year = stale_year(offer.source_date, ctx.at.date(), offer.source_retrieved)
    if year is None:
        return []
    return ["⚠️ " + ctx._("Angaben von {year} – bitte vorher anrufen oder auf der Webseite prüfen").format(year=year)]


def _address_line(offer: OfferRecord, ctx: Context, distance_km: float | None) -> str | None:
    text = address_text(offer)
    if text is None:
        if offer.state == "DE":
            text = ctx._("bundesweit (telefonisch oder online)")
        elif offer.county:
            text = offer.county
        else:
            return None
        line = f"📍 {escape(text)}"
    else:
        line = f"📍 {escape(text)}"
    if distance_km is not None and distance_km >= 0.1:  # "0,0 km" says nothing: the offer is at the place
        number = distance_text(distance_km, ctx.locale).removesuffix(" km")
        line += " (" + ctx._("{distance} km").format(distance=number) + ")"
    return line


# --- cards ---------------------------------------------------------------------------------

#: Which part of a card comes first for each intent of the question.
_LEADS: dict[Intent, str] = {
    "hours": "hours", "open_now": "hours", "phone": "phone", "contact": "contact", "address": "address",
}


def offer_card(offer: OfferRecord, ctx: Context, *, intent: Intent = "general", number: int | None = None,
               distance_km: float | None = None, say_missing: bool = True) -> str:
    """A short card: name and provider, then what was asked, then the rest of the essentials.

    When the asked-for part is not in the data, the card says so (``say_missing``; off when the
    answer says it once for all its cards) and a missing phone number makes e-mail and website lead.
    """
    offer = bounded(offer)  # an over-long field shortened, so that the card fits (bot.limits)
    title = f"{number}. {offer.name}" if number is not None else offer.name
    lines = [f"<b>{escape(title)}</b>"]
    if offer.provider and offer.provider != offer.name:
        lines.append(f"<i>{escape(offer.provider)}</i>")
    # Asked for a contact, each person comes with the numbers and e-mails: list them only once.
    with_reach = intent == "contact"
    emails = _emails(offer, with_contacts=not with_reach)
    sections: dict[str, list[str]] = {
        "address": [x for x in [_address_line(offer, ctx, distance_km)] if x],
        "hours": hours_lines(offer, ctx),
        "phone": phone_lines(offer, ctx, limit=3, with_contacts=not with_reach),
        "contact": contact_lines(offer, ctx, with_reach=with_reach),
        "email": [f"✉️ {escape(', '.join(emails[:2]))}"] if emails else [],
        "web": [f"🌐 {escape(offer.website)}"] if offer.website else [],
        "note": [f"ℹ️ {escape(offer.note)}"] if offer.note and len(offer.note) <= 160 else [],
    }
    order = ["address", "hours", "phone", "contact", "email", "web", "note"]
    # Leichte Sprache keeps one order on every card: what, where, when, phone.
    lead = None if ctx.plain else _LEADS.get(intent)
    if lead == "phone" and not has_phone(offer):
        # No number to call: say so (unless the answer said it once) and show how else to reach them.
        sections["phone"] = [_missing("phone", ctx)] if say_missing else []
        for key in ("web", "email", "phone"):
            order.remove(key)
            order.insert(0, key)
        lead = None
    elif lead and not sections[lead]:
        sections[lead] = [_missing(lead, ctx, callable_=has_phone(offer))] if say_missing else []
    if lead:
        order.remove(lead)
        order.insert(0, lead)
        if lead == "contact":  # the numbers belong right next to the person asked for
            order.remove("phone")
            order.insert(1, "phone")
    for key in order:
        lines.extend(sections[key])
    lines.extend(_german_note(ctx))
    source = source_line(offer, ctx)
    if source:
        lines.append(f"<i>{source}</i>")
    lines.extend(stale_lines(offer, ctx))
    return "\n".join(fit_lines(lines, CARD_LIMIT, keep=_KEEP_LINES))


def _german_note(ctx: Context) -> list[str]:
    """Offer data stays as the counties wrote it: a card in another language says so, once."""
    if ctx.lang in ("de", PLAIN_GERMAN):
        return []
    return ["🇩🇪 <i>" + ctx._("Angaben der Beratungsstelle auf Deutsch") + "</i>"]


def _missing(section: str, ctx: Context, *, callable_: bool = True) -> str:
    """Say plainly that the asked-for part is not in the data, instead of leaving it out silently
    (and ask to call first only where there is a number to call)."""
    if section == "hours":
        if not callable_:
            return "🕒 " + ctx._("Sprechzeiten sind nicht angegeben.")
        return "🕒 " + ctx._("Sprechzeiten sind nicht angegeben – bitte vorher anrufen.")
    if section == "phone":
        return "☎️ " + ctx._("Keine Telefonnummer angegeben.")
    if section == "address":
        return "📍 " + ctx._("Keine Adresse angegeben.")
    return "👤 " + ctx._("Keine Ansprechperson angegeben.")


def details_card(offer: OfferRecord, ctx: Context, *, distance_km: float | None = None) -> str:
    """Everything about one offer, for the "Details" button and deep links."""
    offer = bounded(offer)
    lines = [f"<b>{escape(offer.name)}</b>"]
    if offer.provider and offer.provider != offer.name:
        lines.append(f"<i>{escape(offer.provider)}</i>")
    if offer.category:
        lines.append(escape(offer.category))
    if offer.description:
        text = offer.description
        if len(text) > _DESCRIPTION_MAX:
            text = text[:_DESCRIPTION_MAX].rsplit(" ", 1)[0] + " …"
        lines.append("")
        lines.append(escape(text))
    if offer.audience:
        lines.append(ctx._("Für: {audience}").format(audience=escape(", ".join(offer.audience))))
    lines.append("")
    address = _address_line(offer, ctx, distance_km)
    if address:
        lines.append(address)
        if offer.lat is not None and offer.geo_approximate and address_text(offer):
            lines.append("   " + ctx._("(Kartenpunkt ungefähr: Mitte der Postleitzahl)"))
    lines.extend(hours_lines(offer, ctx))
    if offer.hours_text and offer.hours_osm:
        lines.append("   " + ctx._("laut Quelle: {text}").format(text=escape(offer.hours_text)))
    lines.extend(phone_lines(offer, ctx))
    lines.extend(contact_lines(offer, ctx, with_reach=True))
    if offer.emails:
        lines.append(f"✉️ {escape(', '.join(offer.emails))}")
    if offer.website:
        lines.append(f"🌐 {escape(offer.website)}")
    if offer.note:
        lines.append(f"ℹ️ {escape(offer.note)}")
    lines.extend(_german_note(ctx))
    if not has_phone(offer) and not _emails(offer) and not offer.website:
        lines.append("☎️ " + (ctx._("Telefon, E-Mail oder Website sind für dieses Angebot nicht angegeben – "
                                   "vielleicht steht mehr in der Quelle unten.") if offer.source_url else
                             ctx._("Telefon, E-Mail oder Website sind für dieses Angebot nicht angegeben.")))
    source = source_line(offer, ctx)
    if source:
        lines.append("")
        lines.append(f"<i>{source}</i>")
    lines.extend(stale_lines(offer, ctx))
    if ctx.bot_username:
        lines.append("🔗 " + ctx._("Teilen: {link}").format(link=escape(share_link(ctx.bot_username, offer.id))))
    return "\n".join(fit_lines(lines, DETAILS_LIMIT, keep=_KEEP_LINES))


def details_buttons(offer: OfferRecord, ctx: Context) -> tuple[tuple[Button, ...], ...]:
    first = []
    if offer.lat is not None and offer.lon is not None:
        first.append(Button("📍 " + ctx._("Karte"), "map", offer.id))
    if contact_card(offer) is not None:
        first.append(Button("👤 " + ctx._("Kontakt speichern"), "contact", offer.id))
    rows = [tuple(first)] if first else []
    if ctx.bot_username:
        link = share_link(ctx.bot_username, offer.id)
        text = shorten(offer.name, _SHARE_TEXT_LIMIT)
        url = f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(text, safe='')}"
        rows.append((Button("🔗 " + ctx._("Teilen"), "url", url),))
    rows.append((Button("⚠️ " + ctx._("Fehler melden"), "report", offer.id),))
    return tuple(rows)


def details_reply(offer: OfferRecord, ctx: Context, *, distance_km: float | None = None) -> Reply:
    return Reply(details_card(offer, ctx, distance_km=distance_km), details_buttons(offer, ctx))


def _card_buttons(offer: OfferRecord, number: int, ctx: Context) -> tuple[Button, ...]:
    row = [Button(f"ℹ️ {number}", "details", offer.id)]
    if offer.lat is not None and offer.lon is not None:
        row.append(Button("📍 " + ctx._("Karte") + f" {number}", "map", offer.id))
    if contact_card(offer) is not None:
        row.append(Button("👤 " + ctx._("Kontakt") + f" {number}", "contact", offer.id))
    return tuple(row)


def results_reply(hits: Sequence[Hit], ctx: Context, *, intent: Intent = "general", page: int = 0,
                  total: int | None = None, lead: str | None = None) -> Reply:
    """One page of cards (``hits`` are that page's offers) with their buttons and "more"."""
    head, cards, rows = _page(hits, ctx, intent=intent, page=page, total=total, lead=lead)
    return Reply("\n\n".join([*head, *cards]), tuple(rows))


def results_replies(hits: Sequence[Hit], ctx: Context, *, intent: Intent = "general", page: int = 0,
                    total: int | None = None, lead: str | None = None) -> list[Reply]:
    """The messages of one page: one (:func:`results_reply`), or in Leichte Sprache one offer per
    message (after the lead), each with its buttons, "more" under the last."""
    if not ctx.plain or not hits:
        return [results_reply(hits, ctx, intent=intent, page=page, total=total, lead=lead)]
    head, cards, rows = _page(hits, ctx, intent=intent, page=page, total=total, lead=lead)
    replies = [Reply("\n\n".join(head))] if head else []
    for index, card in enumerate(cards):
        last = index == len(cards) - 1
        replies.append(Reply(card, (rows[index], *rows[len(cards):]) if last else (rows[index],)))
    return replies


def _page(hits: Sequence[Hit], ctx: Context, *, intent: Intent, page: int, total: int | None,
          lead: str | None) -> tuple[list[str], list[str], list[tuple[Button, ...]]]:
    """The lead lines, the cards and the button rows (one per card, then "more") of one page."""
    total = len(hits) if total is None else total
    first = page * PAGE_SIZE + 1
    parts = [lead] if lead else []
    if total > PAGE_SIZE:
        last = first + len(hits) - 1
        if lead and lead.endswith(":") and "\n" not in lead:
            # One header, not two: "Angebote zum Thema Schulden in und um Artern (1–3 von 5):".
            count = ctx._("{first}–{last} von {total}").format(first=first, last=last, total=total)
            parts[0] = f"{lead[:-1]} ({count}):"
        else:
            parts.append(ctx._("Angebote {first}–{last} von {total}:").format(first=first, last=last, total=total))
    # Asked for a number and none of these offers has one: say it once, not on every card.
    no_phone = intent == "phone" and bool(hits) and not any(has_phone(h.offer) for h in hits)
    if no_phone:
        parts.append("☎️ " + _no_phone_text([h.offer for h in hits], ctx))
    cards = []
    rows: list[tuple[Button, ...]] = []
    for offset, hit in enumerate(hits):
        number = first + offset
        cards.append(offer_card(hit.offer, ctx, intent=intent, number=number, distance_km=hit.distance_km,
                                say_missing=not no_phone))
        rows.append(_card_buttons(hit.offer, number, ctx))
    if first - 1 + len(hits) < total:
        rows.append((Button(ctx._("Weitere Ergebnisse") + " ➡️", "page", str(page + 1)),))
    return parts, cards, rows


def _no_phone_text(offers: Sequence[OfferRecord], ctx: Context) -> str:
    other_ways = any(o.website or _emails(o) for o in offers)
    if len(offers) == 1:
        return (ctx._("Für dieses Angebot habe ich leider keine Telefonnummer. So erreichen Sie es:") if other_ways
                else ctx._("Für dieses Angebot habe ich leider keine Telefonnummer und auch keine E-Mail-Adresse "
                           "oder Website – nur diese Angaben:"))
    return (ctx._("Für diese Angebote habe ich leider keine Telefonnummer. So erreichen Sie sie:") if other_ways
            else ctx._("Für diese Angebote habe ich leider keine Telefonnummer und auch keine E-Mail-Adresse "
                       "oder Website – nur diese Angaben:"))


# --- crisis, nothing found, topics ------------------------------------------------------------


def hotlines_for(hotlines: Iterable[dict[str, Any]],
                 *kinds: CrisisKind | Literal["uncertain"] | None) -> list[dict[str, Any]]:
    """The crisis lines for any of these kinds of danger (a kind and a second one nearly as likely; the
    kinds an uncertain message leans to), in the order of knowledge/hotlines.yaml; None stands for none."""
    wanted = {kind for kind in kinds if kind}
    return [h for h in hotlines if wanted & set(h.get("crisis", ()))]


def hotline_number(number: str) -> str:
    """A crisis line as people in Germany dial it: "116 016", "112", "0800 111 0 111";
    numbers kept as written in knowledge/hotlines.yaml ("0800 111 0 111") stay as they are."""
    return card_number(number) if number.startswith("+") else number


def hotlines_text(hotlines: Sequence[dict[str, Any]], ctx: Context, *, crisis: CrisisKind | None = None) -> str:
    """Numbers first: "🆘 Sofort erreichbar ..." and one line per line; a word of comfort after them
    when someone wrote of despair or violence (``crisis``)."""
    lines = ["🆘 <b>" + ctx._("Wenn Sie in Gefahr sind oder nicht mehr weiterwissen – hier ist sofort jemand für Sie da:") + "</b>"]
    lines += _hotline_lines(hotlines, ctx)
    if crisis in ("suicide", "selfharm", "violence"):
        lines.append("")
        lines.append(ctx._("Es ist gut, dass Sie sich melden. Sie müssen damit nicht allein bleiben."))
    return "\n".join(lines)


def _hotline_lines(hotlines: Sequence[dict[str, Any]], ctx: Context) -> list[str]:
    """One line per crisis line: "• Giftnotruf Erfurt: <b>0361 730730</b> (rund um die Uhr)"."""
    lines = []
    for line in hotlines:
        numbers = " · ".join(f"<b>{escape(hotline_number(n))}</b>" for n in line["phones"])
        text = f"• {escape(line['name'])}: {numbers}"
        if line.get("hours"):
            text += f" ({escape(ctx._(line['hours']))})"  # the hours of knowledge/hotlines.yaml are msgids
        lines.append(text)
    return lines


def soft_line_text(hotlines: Sequence[dict[str, Any]], ctx: Context, *,
                   leaning: Sequence[dict[str, Any]] = ()) -> str:
    """The quiet offer to talk for a message that came close to a crisis without being one:
    no alarm, but never silence ("bin so müde von allem"). ``leaning``: the lines of the kinds the
    message came closest to (bot.crisis.SOFT_KINDS), first, in case it is one after all: a parent
    unsure whether a swallowed cleaner is dangerous needs the Giftnotruf more than someone to talk to."""
    numbers = " · ".join(f"<b>{escape(hotline_number(n))}</b>" for line in hotlines for n in line["phones"])
    talk = "💬 " + ctx._("Wenn Ihnen gerade alles zu viel wird: Die TelefonSeelsorge hört zu – anonym, kostenlos "
                        "und rund um die Uhr: {numbers}").format(numbers=numbers)
    if not leaning:
        return talk
    urgent = ["⚠️ " + ctx._("Falls es doch ein Notfall ist, bekommen Sie hier sofort Rat und Hilfe:")]
    return "\n".join([*urgent, *_hotline_lines(leaning, ctx), "", talk])


def topic_label(topic: dict[str, Any], ctx: Context) -> str:
    """A topic's name in the interface language (the label in knowledge/topics.yaml is its msgid)."""
    return ctx._(topic["label"])


def topic_buttons(topics: Sequence[dict[str, Any]], ctx: Context, *,
                  columns: int = 2) -> tuple[tuple[Button, ...], ...]:
    """Topic buttons named in the interface language, in the order given."""
    buttons = [Button(topic_label(t, ctx), "topic", t["id"]) for t in topics]
    return tuple(tuple(buttons[i:i + columns]) for i in range(0, len(buttons), columns))


def area_name(place: Place | None) -> tuple[str, bool] | None:
    """How an answer names the place asked for, and whether it is a county ("im Kyffhäuserkreis",
    "im Landkreis Schmalkalden-Meiningen") rather than a town ("in Sondershausen", "in Erfurt")."""
    if place is None or not place.name:
        return None
    name = place.name
    if place.kind != "county" or place.city:
        return name, False
    return (name if "kreis" in name.casefold() else f"Landkreis {name}"), True


def nothing_found_reply(ctx: Context, suggestions: Sequence[str], topics: Sequence[dict[str, Any]],
                        *, place: tuple[str, bool] | None = None, topic: str | None = None) -> Reply:
    """Honest "nothing found", did-you-mean and topics to choose; never an invented offer.

    ``topic`` is the label of a topic button that found nothing: the reply names it.
    """
    if topic:
        lines = [ctx._("Zum Thema <b>{topic}</b> habe ich leider noch kein Angebot.").format(topic=escape(ctx._(topic)))]
    elif place:
        name, county = place
        text = (ctx._("Dazu habe ich im {place} leider kein passendes Angebot gefunden.") if county else
                ctx._("Dazu habe ich in {place} und Umgebung leider kein passendes Angebot gefunden."))
        lines = [text.format(place=escape(name))]
    else:
        lines = [ctx._("Dazu habe ich leider kein passendes Angebot gefunden.")]
    by_label = {t["label"].casefold(): t for t in topics}
    rows: list[tuple[Button, ...]] = []
    others = []
    for index, suggestion in enumerate(suggestions[:4]):
        found = by_label.get(suggestion.casefold())
        if found:
            rows.append((Button(topic_label(found, ctx), "topic", found["id"]),))
        else:
            others.append(suggestion)
            rows.append((Button(suggestion, "ask", str(index)),))
    if others:
        lines.append(ctx._("Meinten Sie: {words}?").format(words=", ".join(f"„{escape(w)}“" for w in others)))
    if topic:
        lines.append(ctx._("Schreiben Sie mir gern in eigenen Worten, was Sie suchen, oder wählen Sie ein "
                           "anderes Thema:"))
    else:
        lines.append(ctx._("Versuchen Sie es mit anderen Worten, z. B. „Schuldnerberatung in Gotha“, "
                           "oder wählen Sie ein Thema:"))
    rows.append((Button("📚 " + ctx._("Alle Themen"), "topics"),))
    return Reply("\n\n".join(lines), tuple(rows))


@dataclass
class Answer:
    """A rendered answer and what the conversation remembers of it."""

    reply: Reply
    hits: list[Hit] = field(default_factory=list)
    intent: Intent = "general"
    #: Further messages after ``reply`` (Leichte Sprache: one offer per message).
    more: list[Reply] = field(default_factory=list)

    @property
    def replies(self) -> list[Reply]:
        return [self.reply, *self.more]


#: Offers farther than this from the home place are not "there": the answer says the nearest are elsewhere.
FAR_KM = 10.0


def topic_title(label: str, place: tuple[str, bool] | None, ctx: Context) -> str:
    """The header of a topic button's answer: "Angebote zum Thema Schulden in und um Sondershausen:"."""
    if place is None:
        return ctx._("Angebote zum Thema <b>{topic}</b>:").format(topic=escape(ctx._(label)))
    text = (ctx._("Angebote zum Thema <b>{topic}</b> im {place} und Umgebung:") if place[1] else
            ctx._("Angebote zum Thema <b>{topic}</b> in und um {place}:"))
    return text.format(topic=escape(ctx._(label)), place=escape(place[0]))


def _nearest_instead(place: tuple[str, bool], ctx: Context) -> str:
    """The lead over the nearest offers when the place has none: "In Nordhausen habe ich nichts Passendes gefunden"."""
    text = (ctx._("Im {place} habe ich nichts Passendes gefunden – das sind die nächsten Angebote:") if place[1]
            else ctx._("In {place} habe ich nichts Passendes gefunden – das sind die nächsten Angebote:"))
    return text.format(place=escape(place[0]))


def _near_home(hits: Sequence[Hit], home: Place) -> bool:
    """Whether any offer is at the home place: in its county for a county, close by for a town."""
    if home.kind == "county" and not home.city:
        return any(h.offer.county == home.name for h in hits)
    return _any_close(hits)


def _any_close(hits: Sequence[Hit]) -> bool:
    """Whether any offer lies close by (:data:`FAR_KM`)."""
    return any(h.distance_km is not None and h.distance_km <= FAR_KM for h in hits)


def _person_found(analysis: _Analysis, hits: Sequence[Hit]) -> bool:
    """Whether the person asked for ("telefon frau grimm") is a contact of the first offer: then the
    answer is that person, wherever they work, and not "nothing suitable found" at the place."""
    person = analysis.person
    return bool(person and hits and any(person in normalize(c.name).split() for c in hits[0].offer.contacts))


def _only_numbers_of(offer: OfferRecord, numbers: set[str]) -> bool:
    """Whether every number of the offer is among ``numbers`` (a crisis line already listed above)."""
    own = {p.number for p in offer.all_phones() if p.kind != "fax"}
    return bool(own) and own <= numbers


def _missing_office_text(response: _Response, named: tuple[str, bool] | None, ctx: Context) -> str | None:
    """ "Das zuständige Jugendamt für Landkreis Sonneberg ist noch nicht in meinen Daten." (bot.areas: another
    district's office is never offered instead)."""
    office = response.missing_office
    if not office or not named:
        return None
    return ctx._("Die zuständige Stelle für {place} ({office}) ist noch nicht in meinen Daten.").format(
        office=escape(office), place=escape(named[0]))


def _unknown_place_text(analysis: _Analysis, home: Place | None, ctx: Context) -> str | None:
    """ "Den Ort „Großfurra“ kenne ich leider nicht …": a village without a postcode of its own is in no place
    index here; the answer asks for the postcode (a reply of just that continues the question) instead of
    answering as if no place had been named. Not when the remembered place answers instead."""
    if not analysis.unknown_place or analysis.place is not None or home is not None:
        return None
    name = analysis.unknown_place
    name = name[:1].upper() + name[1:] if name.islower() else name  # "großfurra" as a name: "Großfurra"
    return ctx._("Den Ort „{place}“ kenne ich leider nicht. Schreiben Sie mir die Postleitzahl oder die nächste "
                 "größere Stadt, dann suche ich in Ihrer Nähe.").format(place=escape(name))


def answer_reply(response: _Response, ctx: Context, *, hotlines: Sequence[dict[str, Any]] = (),
                 topics: Sequence[dict[str, Any]] = (), title: str | None = None, topic: str | None = None,
                 home: Place | None = None) -> Answer:
    """The first answer to a question: hotlines on a crisis signal, then the first page of cards.

    ``title`` heads the cards (a topic button's answer, ``topic`` its label for "nothing found");
    ``home`` is the remembered place the search started from when the question named none.
    """
    analysis = response.analysis
    hits = [Hit(r.offer, r.distance_km) for r in response.results]
    named = area_name(analysis.place)
    place = named or area_name(home)
    crisis_text = None
    if analysis.crisis:
        chosen = hotlines_for(hotlines, analysis.crisis, analysis.crisis_also) or list(hotlines)
        crisis_text = hotlines_text(chosen, ctx, crisis=analysis.crisis)
        # A line whose numbers stand in the crisis block already would only repeat them.
        listed = {number for line in chosen for number in line["phones"]}
        hits = [h for h in hits if not _only_numbers_of(h.offer, listed)]
    talk = hotlines_for(hotlines, "uncertain") if analysis.crisis_uncertain and not crisis_text else []
    soft = soft_line_text(talk, ctx, leaning=hotlines_for(hotlines, *analysis.crisis_leaning)) if talk else None
    missing = _missing_office_text(response, named, ctx)
    unknown = None if crisis_text else _unknown_place_text(analysis, home, ctx)
    if not hits:
        # after the lines or the soft line, a spelling suggestion ("Meinten Sie: „haupt“?") would mock the message
        nothing = nothing_found_reply(ctx, () if crisis_text or soft else response.suggestions, topics,
                                      place=named, topic=topic)
        if missing or unknown:
            nothing = Reply(f"{missing or unknown}\n\n{nothing.text}", nothing.buttons)
        if crisis_text:
            return Answer(Reply(crisis_text, nothing.buttons), [], analysis.intent)
        if soft:
            # the soft line, and still the honest "nothing found" with the topics to choose: a question
            # ("kurs almani ... erfurt") is not left with a helpline alone
            return Answer(Reply(f"{soft}\n\n{nothing.text}", nothing.buttons), [], analysis.intent)
        return Answer(nothing, [], analysis.intent)
    lead = None
    shown = hits[:PAGE_SIZE]
    if missing:
        lead = missing + "\n" + (ctx._("Das ist dort bekannt:") if any(h.offer.state != "DE" for h in shown)
                                  else ctx._("Diese Angebote erreichen Sie telefonisch oder online:"))
    elif place and all(h.distance_km is None for h in shown):
        # Only nationwide lines answer: say that there is no office at the place, not just the lines
        # (after the crisis lines, "Weitere Hilfe am Telefon und online" below says it already).
        text = (ctx._("Im {place} habe ich dazu keine Stelle vor Ort gefunden – diese Angebote erreichen Sie "
                      "telefonisch oder online:") if place[1] else
                ctx._("In {place} habe ich dazu keine Stelle vor Ort gefunden – diese Angebote erreichen Sie "
                      "telefonisch oder online:"))
        lead = None if crisis_text else text.format(place=escape(place[0]))
    elif place and not _person_found(analysis, shown) and (
            (response.place_fallback and named) or (home is not None and not named and not _near_home(hits, home))):
        lead = _nearest_instead(place, ctx)
    elif unknown:
        lead = unknown
    if title:
        lead = f"{title}\n{lead}" if lead else title
    if crisis_text:
        if all(h.offer.state == "DE" for h in shown):
            more = ctx._("Weitere Hilfe am Telefon und online:")
        elif place and _any_close(shown):
            more = ctx._("Beratung in Ihrer Nähe:")
        elif place:
            # the danger's crisis line leads and serves the place, but no office for it is there ("Nordhausen"
            # after "mein mann schlägt mich": ezra in Gera, 113 km): not "in Ihrer Nähe"
            more = ctx._("Weitere Beratung:")
            lead = lead or _nearest_instead(place, ctx)
        else:
            # no town named or remembered: the offers below may be in another county, and the town alone as the
            # next message asks again there (bot.telegram.dialog, "Artern" alone)
            more = ctx._("Weitere Beratung:")
            crisis_text += "\n\n" + ctx._("Schreiben Sie mir Ihren Ort, dann suche ich Beratung in Ihrer Nähe.")
        lead = f"{crisis_text}\n\n<b>{more}</b>" + (f"\n{lead}" if lead else "")
    if soft:
        lead = f"{soft}\n\n{lead}" if lead else soft
    replies = results_replies(shown, ctx, intent=analysis.intent, total=len(hits), lead=lead)
    return Answer(replies[0], hits, analysis.intent, replies[1:])


# --- map and contact card ---------------------------------------------------------------------


def venue(offer: OfferRecord) -> Venue | None:
    """The offer as a map point (``sendVenue``); None without coordinates."""
    if offer.lat is None or offer.lon is None:
        return None
    return Venue(offer.lat, offer.lon, shorten(offer.name, INLINE_TITLE_LIMIT),
                 shorten(address_text(offer) or offer.county or "", 2 * _ADDRESS_PART_LIMIT + 8))


#: vCard lines left out, last first, when the whole would exceed Telegram's 2,048 bytes (names and numbers stay).
_VCARD_OPTIONAL = ("ORG:", "TITLE:", "TEL;TYPE=WORK,FAX:", "EMAIL", "ADR", "URL:")


def _vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _card_person(offer: OfferRecord) -> ContactRecord | None:
    """Whom the card is for: the first person with a number of their own, else the first person
    when the office has a number; None for the office itself."""
    person = next((c for c in offer.contacts if c.phones), None)
    if person is None and offer.contacts and offer.phones:
        return offer.contacts[0]
    return person


def _card_numbers(person: ContactRecord | None, offer: OfferRecord) -> tuple[list[PhoneRecord], list[PhoneRecord]]:
    """(voice numbers, fax numbers) for the card: the person's first, then the office's."""
    numbers = [*(person.phones if person else ()), *offer.phones]
    return [p for p in numbers if p.kind != "fax"], [p for p in numbers if p.kind == "fax"]


def _card_name(person: ContactRecord | None, offer: OfferRecord) -> tuple[str, str, str]:
    """(given name, family name, full name) of the person; the office's name as the given name
    when the card is for the office."""
    if person is None:
        return offer.name, "", offer.name
    given, _, family = person.name.rpartition(" ")
    first, last = (given, family) if given else (family, "")
    return first, last, person.name


def _vcard_who(offer: OfferRecord, person: ContactRecord | None, name: tuple[str, str, str]) -> list[str]:
    """The vCard's name lines, organisation and the person's role."""
    first, last, full = name
    org = ";".join(_vcard_escape(p) for p in (offer.provider or offer.name, offer.name) if p)
    lines = [f"N:{_vcard_escape(last)};{_vcard_escape(first)};;;", f"FN:{_vcard_escape(full)}", f"ORG:{org}"]
    if person and person.role:
        lines.append(f"TITLE:{_vcard_escape(person.role)}")
    return lines


def _vcard_reach(offer: OfferRecord, person: ContactRecord | None, phones: list[PhoneRecord],
                 faxes: list[PhoneRecord]) -> list[str]:
    """The vCard's numbers, e-mails (the person's, else the office's), address and web site."""
    emails = list(person.emails) if person and person.emails else list(offer.emails)
    lines = [f"TEL;TYPE={'CELL' if p.kind == 'mobile' else 'WORK,VOICE'}:{p.number}" for p in phones]
    lines.extend(f"TEL;TYPE=WORK,FAX:{p.number}" for p in faxes)
    lines.extend(f"EMAIL;TYPE=INTERNET:{e}" for e in emails)
    if address_text(offer):
        parts = ["", "", offer.street or "", offer.city or "", "", offer.postcode or "", "Deutschland"]
        lines.append("ADR;TYPE=WORK:" + ";".join(_vcard_escape(p) for p in parts))
    if offer.website:
        lines.append(f"URL:{offer.website}")
    return lines


def _fit_vcard(lines: list[str]) -> str:
    """The vCard within :data:`VCARD_LIMIT`: optional lines dropped from the end (URL, address,
    e-mails, fax, role, organisation) until it fits."""
    optional = [i for i, line in enumerate(lines) if line.startswith(_VCARD_OPTIONAL)]
    while len("\n".join(lines).encode()) > VCARD_LIMIT and optional:
        del lines[optional.pop()]
    return "\n".join(lines)


def contact_card(offer: OfferRecord) -> ContactCard | None:
    """The contact person (or the office) with a vCard: organisation, role, phone, e-mail, address.

    None when there is no phone number, because Telegram's ``sendContact`` needs one.
    """
    offer = bounded(offer)
    person = _card_person(offer)
    phones, faxes = _card_numbers(person, offer)
    if not phones:
        return None
    first, last, full = _card_name(person, offer)
    vcard = _fit_vcard(["BEGIN:VCARD", "VERSION:3.0", *_vcard_who(offer, person, (first, last, full)),
                        *_vcard_reach(offer, person, phones, faxes), "END:VCARD"])
    return ContactCard(display_number(phones[0].number), first[:64], last[:64] or None, vcard)
