"""Phone numbers as county pages write them -> E.164 for storage, German national form on cards.

Uses ``phonenumbers`` (region DE). It accepts a bare local number such as ``741528``
as valid and would silently drop the missing area code, so a number must be
dialled with one (start with ``0`` or ``+``) or be a recognised service number
(``116 016``, ``116 117``, ``110``). Nothing is guessed: whatever is not clearly a
complete number is returned as a problem, and the caller keeps the raw text.

Several numbers in one field are split at `` | `` (the listing format) and, only
when every piece is a complete number on its own, at ``;``, ``,``, ``/``, ``oder``
and ``und``: ``03632/741528`` stays one number (the slash separates the area code),
``0361 730730 / 0361 730731`` becomes two. A label word between two numbers
(``Tel. 03621 123456 Fax 03621 123457``) splits too.

Shorthands are expanded only where the digits are certain: ``03621 1234-56, Fax -57``
(the part before the hyphen is the switchboard's number) gives ``03621 1234-57``. Where
they are not (``03621/123456, Fax -57``, ``Durchwahl 12``, ``03621 123456 / 123457``), the
complete numbers are kept and the rest is reported; no digit is ever added or dropped:
the digits written must be exactly the digits of the number.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from pydantic import ValidationError

from bot.model import Phone, PhoneKind

_FAX_WORD = r"(?:tele)?fax"
_MOBILE_WORD = r"mobil(?:telefon|funk|nummer)?|handy"
_PHONE_WORD = r"tel(?:efon)?(?:nummer)?|fon|phone|ruf(?:nummer)?"
#: A label word starting the next number: ``Tel. 03621 123456 Fax 03621 123457``.
_BEFORE_LABEL = re.compile(rf"\s+(?=(?:{_FAX_WORD}|{_MOBILE_WORD}|{_PHONE_WORD})\b\.?\s*:?\s*[+(\d])",
                           re.IGNORECASE)
#: Separators that always split a field (the listing format uses `` | ``).
_ALWAYS_SPLIT = re.compile(r"\s*(?:\||\n)\s*")
#: Separators that split only when every piece is a complete number, tried in this order.
_MAYBE_SPLIT = (
    re.compile(r"\s*;\s*"),
    _BEFORE_LABEL,
    re.compile(r"\s+oder\s+", re.IGNORECASE),
    re.compile(r"\s+und\s+", re.IGNORECASE),
    re.compile(r"\s*,\s*"),
    re.compile(r"\s*/\s*"),
)
#: A leading label such as ``Tel.:``, ``Telefon``, ``Fax``, ``Tel./Fax:`` or ``Zentrale:``.
_PREFIX = re.compile(
    rf"^\s*(?:(?P<kind>{_PHONE_WORD}|{_FAX_WORD}|{_MOBILE_WORD})\b\.?(?:\s*/\s*(?:{_FAX_WORD})\b\.?)?"
    r"|(?P<label>[^\d+():]{2,40}):)\s*[.:]?\s*",
    re.IGNORECASE,
)
#: A trailing ``(Fax)`` or ``(mobil)``, or a free label without digits: ``(Zentrale)``, ``(Frau Beispiel)``.
_SUFFIX = re.compile(rf"\s*\(\s*(?:(?P<kind>{_FAX_WORD}|{_MOBILE_WORD})|(?P<label>[^\d()]{{2,40}}?))\s*\)\s*$",
                     re.IGNORECASE)
#: ``Tel./Fax`` names a number that is both.
_BOTH = re.compile(rf"^\s*(?:{_PHONE_WORD})\b\.?\s*/\s*(?:{_FAX_WORD})\b", re.IGNORECASE)
#: An extension written as a shorthand: ``-57``, ``Fax -57``, ``Durchwahl -12``, ``DW -12``.
_SHORTHAND = re.compile(rf"^\s*(?P<word>(?:{_FAX_WORD}|{_MOBILE_WORD}|{_PHONE_WORD}|durchwahl|dw)\b\.?\s*:?)?"
                        r"\s*-\s*(?P<ext>\d{1,6})\s*$", re.IGNORECASE)
_EXTENSION_WORD = re.compile(r"durchwahl|\bdw\b|\bdurchw\b|\bapp\b|\bext\b|\bnebenstelle", re.IGNORECASE)
#: Harmonised European service numbers (EU decision 2007/116/EC): 116 016, 116 111, 116 117, 116 123, ...
#: Not all of them are in libphonenumber's short-number data for Germany.
_EU_116 = re.compile(r"^116\d{3}$")
#: Emergency and short codes dialled without area code.
_SHORT_E164 = re.compile(r"^\+49(?:11[0-9]|116\d{3})$")
#: E.164 allows at most 15 digits after the plus sign.
_E164_MAX = 16
#: Area code without its 0 and the subscriber's number: fewer digits than this is no German landline or
#: mobile number in use (libphonenumber accepts "0361 123" as valid; a digit was lost).
MIN_NATIONAL_DIGITS = 7


class PhoneError(ValueError):
    """A text that is not one complete, dialable phone number (message in German)."""


def _kind_of(word: str | None) -> PhoneKind | None:
    if not word:
        return None
    if re.fullmatch(_FAX_WORD, word, re.IGNORECASE):
        return "fax"
    if re.fullmatch(_MOBILE_WORD, word, re.IGNORECASE):
        return "mobile"
    return "phone"


def _strip_labels(text: str) -> tuple[str, PhoneKind | None, str | None]:
    """The number text without ``Tel.:``/``Fax``/``(Fax)``, the kind the label names, a free label."""
    kind: PhoneKind | None = None
    label: str | None = None
    match = _PREFIX.match(text)
    if match:
        kind = _kind_of(match["kind"])
        label = match["label"].strip() if match["label"] else None
        text = text[match.end():]
    suffix = _SUFFIX.search(text)
    if suffix and re.search(r"\d", text[: suffix.start()]) and not _EXTENSION_WORD.search(suffix.group()):
        if suffix["kind"]:
            kind = _kind_of(suffix["kind"])
        else:
            label = suffix["label"].strip() if label is None else f"{label}, {suffix['label'].strip()}"
        text = text[: suffix.start()]
    return text.strip(), kind, label


def _written_digits(number_text: str) -> str:
    """The digits as written, without the country code or trunk zero: what the national number must be."""
    digits = re.sub(r"\D", "", re.sub(r"\(\s*0\s*\)", "", number_text) if number_text.lstrip().startswith(
        ("+", "00")) else number_text)
    if number_text.lstrip().startswith("+"):
        return digits[2:] if digits.startswith("49") else digits
    if digits.startswith("0049"):
        return digits[4:]
    return digits[1:] if digits.startswith("0") else digits


def normalize_number(text: str) -> str:
    """One written number -> E.164 (``+493632741528``; ``+49116016``; ``+49110``).

    Raises :class:`PhoneError` with a German message for anything that is not one
    complete number: text, a local number without area code, impossible digits.
    """
    raw = text.strip()
    number_text, _, _ = _strip_labels(raw)
    if not re.search(r"\d", number_text):
        raise PhoneError(f"keine Telefonnummer erkannt in {raw!r}")
    if _EXTENSION_WORD.search(raw):
        raise PhoneError(f"Telefonnummer {raw!r} nennt eine Durchwahl; die vollständige Nummer ist nicht sicher "
                         "(bitte als eine Nummer eintragen, z. B. 03621 1234-56)")
    if re.search(r"[/,;]\s*-\s*\d", number_text):
        raise PhoneError(f"Telefonnummer {raw!r} enthält eine Kurzform (-..) für eine zweite Nummer")
    if re.search(r"[^\W\d_]", number_text):
        raise PhoneError(f"Telefonnummer {raw!r} enthält Text")
    digits = re.sub(r"[^\d+]", "", number_text)
    national = re.sub(r"^(?:\+49|0049)", "", digits)
    if _EU_116.match(national) or (national != digits and _SHORT_E164.match(f"+49{national}")):
        return f"+49{national}"  # service numbers, also when already written as +49116016
    try:
        number = phonenumbers.parse(number_text, "DE")
    except NumberParseException:
        raise PhoneError(f"Telefonnummer {raw!r} ist nicht lesbar") from None
    nsn = phonenumbers.national_significant_number(number)
    if not digits.startswith(("0", "+")):
        if number.country_code == 49 and phonenumbers.is_valid_short_number(number):
            return f"+49{nsn}"
        raise PhoneError(f"Telefonnummer {raw!r} hat keine Vorwahl (eine Nummer beginnt mit 0 oder +49)")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if len(e164) > _E164_MAX:
        raise PhoneError(f"Telefonnummer {raw!r} ist zu lang (zwei Nummern ohne Trennzeichen?)")
    if number.extension:
        raise PhoneError(f"Telefonnummer {raw!r} ist nicht eindeutig (zwei Nummern oder eine Durchwahl?)")
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"Telefonnummer {raw!r} ist keine gültige Nummer")
    if number.country_code == 49 and len(nsn) < MIN_NATIONAL_DIGITS and not _EU_116.match(nsn):
        raise PhoneError(f"Telefonnummer {raw!r} ist zu kurz ({len(nsn)} Ziffern ohne die 0 der Vorwahl, "
                         f"üblich sind mindestens {MIN_NATIONAL_DIGITS}) – fehlt eine Ziffer?")
    if number.country_code == 49 and nsn != _written_digits(number_text):
        raise PhoneError(f"Telefonnummer {raw!r} ist nicht eindeutig: die Ziffern ergeben keine vollständige "
                         "Nummer (zwei Nummern oder eine Durchwahl?)")
    return e164


def parse_phone(text: str) -> Phone:
    """One written number (with ``Tel.:``/``Fax``/``Mobil`` labels) as a :class:`Phone`."""
    raw = text.strip()
    e164 = normalize_number(raw)
    _, kind, label = _strip_labels(raw)
    if _BOTH.match(raw) and label is None:
        label = "Telefon und Fax"
    if kind is None:
        try:
            is_mobile = phonenumbers.number_type(phonenumbers.parse(e164)) == PhoneNumberType.MOBILE
        except NumberParseException:
            is_mobile = False
        kind = "mobile" if is_mobile else "phone"
    try:
        return Phone(number=e164, kind=kind, label=label, original=raw)
    except ValidationError:
        if not is_short_number(e164):
            raise PhoneError(f"Telefonnummer {raw!r} ist keine gültige Nummer") from None
        raise PhoneError(
            f"Kurzwahl {display_number(e164)} ({raw!r}) kann nicht bei einem Angebot stehen; "
            "Notrufe stehen in knowledge/hotlines.yaml"
        ) from None


def _is_number(text: str) -> bool:
    try:
        normalize_number(text)
    except PhoneError:
        return False
    return True


def _split(text: str, separators: tuple[re.Pattern[str], ...]) -> list[str]:
    """Split at the first separator whose pieces are all complete numbers; else try the next."""
    if not separators:
        return [text]
    first, rest = separators[0], separators[1:]
    pieces = [p for p in first.split(text) if p.strip()]
    if len(pieces) > 1:
        split = [q for p in pieces for q in _split(p, rest)]
        if all(_is_number(q) for q in split):
            return split
    return _split(text, rest)


def split_phone_field(text: str) -> list[str]:
    """The single numbers of a listing's phone field, as written."""
    parts = [p for p in _ALWAYS_SPLIT.split(text or "") if p.strip()]
    return [q.strip() for p in parts for q in _split(p.strip(), _MAYBE_SPLIT)]


#: A number whose last group, after a hyphen, is the extension: ``03621 1234-56``, ``03621/1234-0``.
_WITH_EXTENSION = re.compile(r"^(?P<base>.*?(?:\+49|0)[\d\s()]*\d[\s/)]+\d[\d\s]*?)\s*-\s*\d{1,5}\s*$")


def _pieces(part: str) -> list[str]:
    """A part that is not one number, at the first separator where some piece is a complete number."""
    for separator in _MAYBE_SPLIT:
        pieces = [p.strip() for p in separator.split(part) if p.strip()]
        if len(pieces) > 1 and any(_is_number(p) for p in pieces):
            return pieces
    return [part]


def _expand(piece: str, before: str | None) -> tuple[str | None, str | None]:
    """``Fax -57`` after ``03621 1234-56`` -> ``Fax 03621 1234 57``; (text, problem)."""
    match = _SHORTHAND.match(piece)
    if not match:
        return piece, None
    base = _WITH_EXTENSION.match(_strip_labels(before)[0]) if before else None
    if base is None:
        return None, (f"Kurzform {piece!r}: die Stammnummer davor ist nicht sicher (sie müsste mit "
                      "Bindestrich vor der Durchwahl stehen, z. B. 03621 1234-56); bitte die ganze Nummer eintragen")
    word = match["word"] or ""
    word = "" if re.fullmatch(r"(?:durchwahl|dw)\.?\s*:?", word.strip(), re.IGNORECASE) else word
    return f"{word} {base['base']}-{match['ext']}".strip(), None


def parse_phone_field(text: str) -> tuple[list[Phone], list[str]]:
    """All numbers of one field (repeats dropped), and a German message for every unusable part."""
    phones: list[Phone] = []
    problems: list[str] = []
    for part in split_phone_field(text):
        pieces = [part] if _is_number(part) or _SHORTHAND.match(part) else _pieces(part)
        before: str | None = None
        for piece in pieces:
            expanded, problem = _expand(piece, before)
            if expanded is None:
                problems.append(problem or f"Telefonnummer {piece!r} ist nicht lesbar")
                continue
            try:
                phone = parse_phone(expanded)
            except PhoneError as exc:
                problems.append(str(exc))
                continue
            phone = phone.model_copy(update={"original": piece if expanded == piece else f"{piece} ({part})"})
            before = expanded if _WITH_EXTENSION.match(_strip_labels(expanded)[0]) else before
            if all(p.number != phone.number or p.kind != phone.kind for p in phones):
                phones.append(phone)
    return phones, problems


def is_short_number(e164: str) -> bool:
    """Emergency and service numbers dialled without area code (110, 112, 116 016, ...)."""
    return bool(_SHORT_E164.match(e164))


def display_number(e164: str) -> str:
    """The number as people read and tap it: ``+49 3632 741528``; service numbers ``116 016``, ``110``."""
    if is_short_number(e164):
        digits = e164[3:]
        return f"{digits[:3]} {digits[3:]}" if len(digits) > 3 else digits
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def national_number(e164: str) -> str:
    """The number in the national German form a listing uses (``03632 741528``)."""
    if is_short_number(e164):
        return display_number(e164)
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


#: Free numbers (0800) with 7 digits after the prefix, grouped 3-1-3 as the lines print them ("0800 111 0 111").
_FREE_3_1_3 = re.compile(r"^0800(\d{3})(\d)(\d{3})$")


def card_number(e164: str) -> str:
    """The number as people in Germany read and dial it on a card: ``03632 741528``,
    ``0800 111 0 111``, ``116 016``. Foreign numbers keep the international form; the data,
    vCards and ``tel:`` links keep E.164 / international (the form that works from any phone)."""
    if not e164.startswith("+49") or is_short_number(e164):
        return display_number(e164)
    national = national_number(e164)
    free = _FREE_3_1_3.match(re.sub(r"\D", "", national))
    return f"0800 {free[1]} {free[2]} {free[3]}" if free else national


def phone_problem(value: str) -> str | None:
    """Why a stored number (knowledge YAML, E.164) is not usable, in German with a suggestion;
    None when it is. "0361 730730" -> "... meinten Sie +49 361 730730 (eingetragen: "+49361730730")?"."""
    if re.fullmatch(r"\+[1-9]\d{5,14}", value):
        if value.startswith("+49") and not is_short_number(value) and not _EU_116.match(value[3:]) \
                and len(value) - 3 < MIN_NATIONAL_DIGITS:
            return f"Telefonnummer {value!r} ist zu kurz – fehlt eine Ziffer?"
        return None
    try:
        e164 = normalize_number(value)
    except PhoneError as exc:
        return f"Telefonnummer {value!r} ist nicht in internationaler Form (+49 …): {exc}"
    return (f"Telefonnummer {value!r} ist nicht in internationaler Form; meinten Sie {display_number(e164)} "
            f"(eingetragen: \"{e164}\")?")
