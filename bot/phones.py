"""Phone numbers as county pages write them -> E.164 for storage, international form for display.

Uses ``phonenumbers`` (region DE). It accepts a bare local number such as ``741528``
as valid, which would silently drop the area code, so a number must carry one
(or be a recognised short/service number such as 116 016 or 110).
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat

from bot.model import Phone

_PREFIX = re.compile(r"^\s*(?:tel(?:efon)?\.?|fon|phone|mobil|handy|fax|telefax)\s*[.:]?\s*", re.IGNORECASE)
_FAX = re.compile(r"^\s*(?:tele)?fax\b", re.IGNORECASE)
_MOBILE = re.compile(r"^\s*(?:mobil|handy)\b", re.IGNORECASE)
#: Shortest national significant number with an area code (e.g. 0361 7307 -> 7 digits).
_MIN_NSN = 7


def _parse_one(raw: str) -> tuple[Phone | None, str | None]:
    text = raw.strip()
    kind = "fax" if _FAX.match(text) else "mobile" if _MOBILE.match(text) else "phone"
    number_text = _PREFIX.sub("", text)
    if not re.search(r"\d", number_text):
        return None, f"keine Telefonnummer erkannt in {raw!r}"
    if re.search(r"[A-Za-z]{2,}", number_text):
        return None, f"Telefonnummer {raw!r} enthält Text"
    try:
        number = phonenumbers.parse(number_text, "DE")
    except phonenumbers.NumberParseException:
        return None, f"Telefonnummer {raw!r} ist nicht lesbar"
    nsn = phonenumbers.national_significant_number(number)
    if phonenumbers.is_valid_number(number) and len(nsn) >= _MIN_NSN:
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    elif number.country_code == 49 and phonenumbers.is_valid_short_number(number):
        e164 = f"+49{nsn}"
    elif phonenumbers.is_valid_number(number):
        return None, f"Telefonnummer {raw!r} hat keine Vorwahl"
    else:
        return None, f"Telefonnummer {raw!r} ist keine gültige Nummer"
    if kind == "phone" and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        kind = "mobile"
    return Phone(number=e164, kind=kind, original=text), None


def split_phone_field(text: str) -> list[str]:
    """Split a listing's phone field into single numbers (``|`` separates them; ``;`` too)."""
    return [part.strip() for part in re.split(r"\s*[|;]\s*|\s+oder\s+", text or "") if part.strip()]


def parse_phone_field(text: str) -> tuple[list[Phone], list[str]]:
    """All numbers of one field, and a German message for every part that is not a usable number."""
    phones: list[Phone] = []
    problems: list[str] = []
    for part in split_phone_field(text):
        phone, problem = _parse_one(part)
        if phone is not None:
            if all(p.number != phone.number for p in phones):
                phones.append(phone)
        elif problem:
            problems.append(problem)
    return phones, problems


def is_short_number(e164: str) -> bool:
    """Service numbers such as 116 016 or 110 that are dialled without area code."""
    return e164.startswith("+49") and len(e164) <= 9


def display_number(e164: str) -> str:
    """The number as people tap or read it: ``+49 3632 741528``; short numbers ``116 016``."""
    if is_short_number(e164):
        digits = e164[3:]
        return f"{digits[:3]} {digits[3:]}".strip() if len(digits) > 3 else digits
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def national_number(e164: str) -> str:
    """The number in the national German form a listing uses (``03632 741528``)."""
    if is_short_number(e164):
        return display_number(e164)
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
