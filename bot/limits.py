"""Telegram's size limits, and how the bot's HTML texts are shortened or split to stay within them.

Telegram refuses a message over 4,096 characters (counted in UTF-16 code units after
its HTML is parsed), callback data over 64 bytes, a vCard over 2,048 bytes (and a
caption over 1,024: the bot sends none). One over-long field in a listing (a 6,600-character name) made a whole
answer fail: the person got only the apology, and the other offers of the page were
lost. So:

- :func:`bounded` shortens each over-long field of an offer (name, provider, street, role
  ...) to a sensible length, with an ellipsis: the card keeps all its lines.
- :func:`fit_lines` shortens a card's longest lines (an ellipsis at the end) until the
  card is within its budget; the address and phone lines, which matter most, last.
- :func:`split_html` cuts a text that is still too long into several messages, at
  blank lines first (between cards), then at line ends; nothing is lost.

Sizes are counted on the HTML itself, in UTF-16 code units: never less than what
Telegram counts, so a text that fits here fits there. Cuts are made only between
tags and entities, and tags left open are closed, so the HTML stays valid.
No aiogram here: the renderer uses these without Telegram.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.store import ContactRecord, OfferRecord, PhoneRecord

#: Message text (sendMessage, inline results' message text), after entity parsing.
MESSAGE_LIMIT = 4096
#: Text of a callback query's answer (the toast).
CALLBACK_ANSWER_LIMIT = 200
#: Callback data of an inline button, in bytes.
CALLBACK_DATA_LIMIT = 64
#: A contact's vCard (sendContact), in bytes.
VCARD_LIMIT = 2048
#: Title and description of an inline result: undocumented, kept to what a phone shows.
INLINE_TITLE_LIMIT = 100
INLINE_DESCRIPTION_LIMIT = 200

#: One field of an offer as a card shows it (name, provider, a street, a person's role ...) at most.
FIELD_LIMIT = 200
#: A person's name, role or room, a phone number's label, an e-mail address at most.
SHORT_FIELD_LIMIT = 100

ELLIPSIS = "…"
#: Lines this short are never shortened further.
_LINE_MIN = 80
#: What a cut keeps free for the ellipsis and the closing tags (``</b></i></a>`` and the like).
_CLOSING_RESERVE = 24

_TOKEN = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>|&#?\w+;|[^<&]+|[<&]")
_TAG_OR_NEWLINE = re.compile(r"<(/?)[a-zA-Z][\w-]*[^>]*>|\n")


def size(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """Plain ``text`` within ``limit`` characters: cut at a word boundary when one is near, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


def cut_html(html: str, limit: int) -> str:
    """A balanced piece of HTML within ``limit`` (UTF-16 units of the HTML): cut between tags and
    entities, at a word boundary when one is near, "…" added and the tags left open closed."""
    if size(html) <= limit:
        return html
    budget = limit - _CLOSING_RESERVE
    out: list[str] = []
    opened: list[str] = []
    used = 0
    for match in _TOKEN.finditer(html):
        token, closing, tag = match.group(0), match.group(1), match.group(2)
        if tag is not None and closing:
            if opened and opened[-1] == tag.lower():
                opened.pop()
                out.append(token)
                used += size(token)
            continue
        room = budget - used
        if size(token) > room:
            if tag is None and not token.startswith("&") and room > 0:
                out.append(_cut_words(token, room))
            break
        out.append(token)
        used += size(token)
        if tag is not None:
            opened.append(tag.lower())
    while out and opened and out[-1].startswith("<") and not out[-1].startswith("</"):
        out.pop()  # a tag opened just before the cut would hold nothing but the ellipsis
        opened.pop()
    text = "".join(out).rstrip(" ,:-–\n") + ELLIPSIS  # (";" may end an entity)
    return text + "".join(f"</{tag}>" for tag in reversed(opened))


def _cut_words(text: str, room: int) -> str:
    """The start of plain ``text`` within ``room`` units, at a word boundary when one is near."""
    cut = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", errors="ignore")
    space = cut.rfind(" ")
    return cut[:space] if space > len(cut) * 2 // 3 else cut


def lines(html: str) -> list[str]:
    """The lines of an HTML text; a line with a tag open across its end goes with the next one,
    so each line is balanced HTML of its own."""
    out: list[str] = []
    start = depth = 0
    for match in _TAG_OR_NEWLINE.finditer(html):
        if match.group(0) == "\n":
            if depth == 0:
                out.append(html[start : match.start()])
                start = match.end()
        elif match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
    out.append(html[start:])
    return out


def fit_lines(card: Sequence[str], budget: int, *, keep: tuple[str, ...] = ()) -> list[str]:
    """A card's HTML lines within ``budget`` in all (with their line breaks): the longest line is
    shortened first, lines starting with one of ``keep`` only when nothing else is left to shorten.
    Short lines stay whole; what is still too long then is for :func:`split_html`."""
    fitted = [cut_html(line, budget) for line in card]
    while (total := sum(size(line) + 1 for line in fitted) - 1) > budget:
        long = [i for i, line in enumerate(fitted) if size(line) > _LINE_MIN]
        others = [i for i in long if not fitted[i].startswith(keep)] if keep else long
        if not (others or long):
            break
        i = max(others or long, key=lambda j: size(fitted[j]))
        shorter = cut_html(fitted[i], max(_LINE_MIN, size(fitted[i]) - (total - budget)))
        if size(shorter) >= size(fitted[i]):  # nothing left to take from it (tags only)
            break
        fitted[i] = shorter
    return fitted


def split_html(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``html`` as one or more messages within ``limit``: split at blank lines (between cards) where
    possible, else at line ends; only a single line longer than a message is shortened."""
    if size(html) <= limit:
        return [html]
    paragraphs: list[list[str]] = [[]]
    for line in lines(html):
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    pieces: list[str] = []
    for paragraph in paragraphs:
        text = "\n".join(paragraph)
        pieces.extend(_pack(paragraph, "\n", limit) if size(text) > limit else [text])
    return _pack(pieces, "\n\n", limit)


def _pack(pieces: Sequence[str], joint: str, limit: int) -> list[str]:
    """Pieces joined with ``joint`` into as few texts within ``limit`` as they go."""
    out: list[str] = []
    current = ""
    for piece in pieces:
        piece = cut_html(piece, limit)
        if current and size(current) + size(joint) + size(piece) <= limit:
            current += joint + piece
        else:
            if current:
                out.append(current)
            current = piece
    if current:
        out.append(current)
    return out


def _short(value: str | None, limit: int = FIELD_LIMIT) -> str | None:
    return shorten(value, limit) if value else value


def _phone(phone: PhoneRecord) -> PhoneRecord:
    return replace(phone, label=_short(phone.label, SHORT_FIELD_LIMIT)) if phone.label else phone


def _contact(contact: ContactRecord) -> ContactRecord:
    return replace(contact, name=shorten(contact.name, SHORT_FIELD_LIMIT), role=_short(contact.role, SHORT_FIELD_LIMIT),
                   room=_short(contact.room, SHORT_FIELD_LIMIT), phones=tuple(_phone(p) for p in contact.phones),
                   emails=tuple(shorten(e, SHORT_FIELD_LIMIT) for e in contact.emails))


def _too_long(offer: OfferRecord) -> bool:
    fields = (offer.name, offer.provider, offer.category, offer.street, offer.city, offer.county, offer.website,
              offer.hours_text, offer.note)
    return (any(value is not None and len(value) > FIELD_LIMIT for value in fields)
            or any(len(e) > SHORT_FIELD_LIMIT for e in offer.emails)
            or any(len(p.label or "") > SHORT_FIELD_LIMIT for p in offer.all_phones())
            or any(len(c.name) + len(c.role or "") + len(c.room or "") > SHORT_FIELD_LIMIT
                   or any(len(e) > SHORT_FIELD_LIMIT for e in c.emails) for c in offer.contacts))


def bounded(offer: OfferRecord) -> OfferRecord:
    """The offer with every over-long field shortened ("…"): the same offer when none is (the usual case)."""
    if not _too_long(offer):
        return offer
    return replace(offer, name=shorten(offer.name, FIELD_LIMIT), provider=_short(offer.provider),
                   category=_short(offer.category), street=_short(offer.street), city=_short(offer.city),
                   county=_short(offer.county), website=_short(offer.website), hours_text=_short(offer.hours_text),
                   note=_short(offer.note), emails=tuple(shorten(e, SHORT_FIELD_LIMIT) for e in offer.emails),
                   phones=tuple(_phone(p) for p in offer.phones), contacts=tuple(_contact(c) for c in offer.contacts))
