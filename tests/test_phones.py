"""Phone fields as the county pages write them -> E.164 numbers, fax apart, bad parts reported."""

from __future__ import annotations

import pytest

from bot.model import email_problem
from bot.phones import (
    PhoneError,
    card_number,
    display_number,
    is_short_number,
    normalize_number,
    parse_phone_field,
    phone_problem,
)


def numbers(text: str) -> list[tuple[str, str]]:
    phones, problems = parse_phone_field(text)
    assert problems == []
    return [(p.number, p.kind) for p in phones]


@pytest.mark.parametrize(
    ("text", "e164", "shown"),
    [
        ("03632/741528", "+493632741528", "+49 3632 741528"),
        ("03632 / 741-670", "+493632741670", "+49 3632 741670"),
        ("03693 / 485 8541", "+4936934858541", "+49 3693 4858541"),
        ("+49 (0) 3691 - 670 800", "+493691670800", "+49 3691 670800"),
        ("0049 3691 670800", "+493691670800", "+49 3691 670800"),
        ("Tel.: 0361 730730", "+49361730730", "+49 361 730730"),
        ("Tel.:03632/741528", "+493632741528", "+49 3632 741528"),
        ("Telefon: 03601/802083", "+493601802083", "+49 3601 802083"),
        ("01806 313031", "+491806313031", "+49 180 6 313031"),
        ("0800 111 0 550", "+498001110550", "+49 800 1110550"),
        ("116 117", "+49116117", "116 117"),
        ("116 016", "+49116016", "116 016"),
        ("116 111", "+49116111", "116 111"),
    ],
)
def test_real_shapes_become_e164_and_display_internationally(text: str, e164: str, shown: str) -> None:
    assert numbers(text) == [(e164, "phone")]
    assert display_number(e164) == shown


@pytest.mark.parametrize(
    ("e164", "on_card"),
    [
        ("+498001110111", "0800 111 0 111"),
        ("+493632741528", "03632 741528"),
        ("+49361730730", "0361 730730"),
        ("+4936934858541", "03693 4858541"),
        ("+4915112345678", "01511 2345678"),
        ("+49116016", "116 016"),
        ("+49110", "110"),
        ("+43159991234", "+43 1 59991234"),
    ],
)
def test_cards_show_the_german_national_form(e164: str, on_card: str) -> None:
    """Issue 12 (9): cards read "0800 111 0 111" and "03632 741528"; a foreign number stays international."""
    assert card_number(e164) == on_card


def test_fax_is_split_from_the_phone() -> None:
    assert numbers("03691/ 670 436 | Fax 03691/ 670 940") == [
        ("+493691670436", "phone"), ("+493691670940", "fax")]
    assert numbers("03632 / 741-670 | Fax 03632 / 741-88561") == [
        ("+493632741670", "phone"), ("+49363274188561", "fax")]
    assert numbers("Telefax: 0361 730731") == [("+49361730731", "fax")]
    assert numbers("0361 730731 (Fax)") == [("+49361730731", "fax")]


def test_several_service_numbers_in_one_field() -> None:
    assert numbers("0800 111 0 111 | 0800 111 0 222 | 116 123") == [
        ("+498001110111", "phone"), ("+498001110222", "phone"), ("+49116123", "phone")]


def test_mobile_numbers_are_marked() -> None:
    assert numbers("0160 1234567") == [("+491601234567", "mobile")]
    assert numbers("Mobil: 0171 2345678") == [("+491712345678", "mobile")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a slash, comma, "oder" or "und" splits only between complete numbers
        ("0361 730730 / 0361 730731", ["+49361730730", "+49361730731"]),
        ("03601/802083, 03601/801006", ["+493601802083", "+493601801006"]),
        ("0361 730730 oder 0160 1234567", ["+49361730730", "+491601234567"]),
        ("03601 802083 und 03601 801006", ["+493601802083", "+493601801006"]),
        ("03601 802083; 03601 801006", ["+493601802083", "+493601801006"]),
        # here the slash separates the area code: one number
        ("03632/741528", ["+493632741528"]),
    ],
)
def test_splitting_only_when_unambiguous(text: str, expected: list[str]) -> None:
    assert [n for n, _ in numbers(text)] == expected


def test_label_before_a_number_is_kept() -> None:
    phones, _ = parse_phone_field("Zentrale: 03691 670800")
    assert phones[0].label == "Zentrale"
    assert phones[0].original == "Zentrale: 03691 670800"


def test_repeated_number_is_listed_once() -> None:
    assert numbers("03632/741528 | 03632 741528") == [("+493632741528", "phone")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("741528", "hat keine Vorwahl"),
        ("3632 741528", "hat keine Vorwahl"),
        ("0361", "keine gültige Nummer"),
        ("bitte im Sekretariat erfragen", "keine Telefonnummer erkannt"),
        ("0361 73073O", "enthält Text"),
        ("0361 73073012345678", "zu lang"),
        ("03621 123456 Durchwahl 12", "Durchwahl"),
        ("03621/123456 (Durchwahl 789)", "Durchwahl"),
        ("Fax -57", "Stammnummer"),
        ("110", "Notrufe stehen in knowledge/hotlines.yaml"),
    ],
)
def test_rejections_say_why(text: str, message: str) -> None:
    phones, problems = parse_phone_field(text)
    assert phones == []
    assert len(problems) == 1
    assert message in problems[0]
    assert repr(text) in problems[0]


def test_good_numbers_survive_a_bad_neighbour() -> None:
    phones, problems = parse_phone_field("03632/741528 | 741529")
    assert [p.number for p in phones] == ["+493632741528"]
    assert problems == ["Telefonnummer '741529' hat keine Vorwahl (eine Nummer beginnt mit 0 oder +49)"]


def test_emergency_numbers_normalise_and_display_as_dialled() -> None:
    assert normalize_number("110") == "+49110"
    assert normalize_number("112") == "+49112"
    assert is_short_number("+49112")
    assert not is_short_number("+493632741528")
    assert display_number("+49110") == "110"
    assert display_number("110") == "110"


def test_normalize_number_raises_for_garbage() -> None:
    with pytest.raises(PhoneError, match="keine Telefonnummer"):
        normalize_number("—")


def test_empty_field_gives_nothing() -> None:
    assert parse_phone_field("") == ([], [])
    assert parse_phone_field("  |  ") == ([], [])


# --- shapes of other counties ---------------------------------------------------------------------


def phones_of(text: str) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    phones, problems = parse_phone_field(text)
    return [(p.number, p.kind, p.label) for p in phones], problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tel.: (03621) 12 34 56 oder 0170 1234567",
         [("+493621123456", "phone", None), ("+491701234567", "mobile", None)]),
        ("0 36 22 / 90 12-0", [("+49362290120", "phone", None)]),
        ("0361-123 45 67 (Zentrale)", [("+493611234567", "phone", "Zentrale")]),
        ("03621/123456 (Frau Beispiel)", [("+493621123456", "phone", "Frau Beispiel")]),
        ("Mobil: 0151 12345678", [("+4915112345678", "mobile", None)]),
        ("Handy 0170 1234567", [("+491701234567", "mobile", None)]),
        ("+49(0)3621 123456", [("+493621123456", "phone", None)]),
        ("116 117", [("+49116117", "phone", None)]),
        ("0800 111 0 111", [("+498001110111", "phone", None)]),
        ("Tel/Fax 03621 123456", [("+493621123456", "phone", "Telefon und Fax")]),
        # a label word between two numbers separates them
        ("Tel. 03621 123456 Fax 03621 123457", [("+493621123456", "phone", None), ("+493621123457", "fax", None)]),
        ("Telefon 03621 123456 Telefax 03621 123457",
         [("+493621123456", "phone", None), ("+493621123457", "fax", None)]),
        # the extension shorthand, where the switchboard number is written with its hyphen
        ("Tel. 03621/1234-56, Fax -57", [("+493621123456", "phone", None), ("+493621123457", "fax", None)]),
        ("03621 1234-0, Durchwahl -12", [("+49362112340", "phone", None), ("+493621123412", "phone", None)]),
        ("Tel. 03621 1234-56 / -57", [("+493621123456", "phone", None), ("+493621123457", "phone", None)]),
    ],
)
def test_shapes_of_other_counties(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert phones_of(text) == (expected, [])


@pytest.mark.parametrize(
    ("text", "kept", "message"),
    [
        # the stem before "-57" is not marked: which digits does -57 replace? Not guessed.
        ("Tel. 03621/123456, Fax -57", ["+493621123456"], "Kurzform 'Fax -57'"),
        ("0361-1234, Fax -57", ["+493611234"], "Stammnummer"),
        # a second local number without area code is not completed from the first one
        ("Telefon: 03621 123456 / 123457", ["+493621123456"], "'123457' hat keine Vorwahl"),
        # phonenumbers would read ", 123457" as an extension and drop it silently
        ("03621 123456, 123457", ["+493621123456"], "'123457' hat keine Vorwahl"),
        ("03621 123456 Durchwahl 12", [], "Durchwahl"),
    ],
)
def test_uncertain_parts_are_reported_and_certain_numbers_kept(text: str, kept: list[str], message: str) -> None:
    phones, problems = parse_phone_field(text)
    assert [p.number for p in phones] == kept
    assert len(problems) == 1 and message in problems[0]


def test_no_digit_is_added_or_dropped() -> None:
    """Whatever is accepted has exactly the written digits (without country code and trunk zero)."""
    for text in ["0361 730730 x 12", "03621 123456 ext. 3", "0361 730730,12"]:
        phones, problems = parse_phone_field(text)
        for phone in phones:
            assert phone.number.removeprefix("+49") in "".join(ch for ch in text if ch.isdigit()), text
        assert problems, text


@pytest.mark.parametrize(("text", "digits"), [("0361 123", 6), ("+49 3601 12", 6)])
def test_implausibly_short_numbers_are_flagged_at_import(text: str, digits: int) -> None:
    """libphonenumber takes "0361 123" for valid; a German number has at least 7 digits after the 0."""
    phones, problems = parse_phone_field(text)
    assert phones == []
    assert problems == [f"Telefonnummer {text!r} ist zu kurz ({digits} Ziffern ohne die 0 der Vorwahl, "
                        "üblich sind mindestens 7) – fehlt eine Ziffer?"]
    assert numbers("03601 7435") == [("+4936017435", "phone")]


@pytest.mark.parametrize(("stored", "message"), [
    ("+493601 12345", "Telefonnummer '+493601 12345' ist nicht in internationaler Form; meinten Sie "
                      '+49 3601 12345 (eingetragen: "+49360112345")?'),
    ("03632/741528", "Telefonnummer '03632/741528' ist nicht in internationaler Form; meinten Sie "
                     '+49 3632 741528 (eingetragen: "+493632741528")?'),
    ("+49361123", "Telefonnummer '+49361123' ist zu kurz – fehlt eine Ziffer?"),
    ("+49361730730", None),
    ("+49116016", None),
])
def test_stored_numbers_are_checked_in_german_with_a_suggestion(stored: str, message: str | None) -> None:
    assert phone_problem(stored) == message


@pytest.mark.parametrize(("email", "message"), [
    ("info(at)tafel-artern.de", "E-Mail-Adresse 'info(at)tafel-artern.de' ist ungültig; meinten Sie "
                                "info@tafel-artern.de?"),
    ("beratung [at] example [dot] org", "E-Mail-Adresse 'beratung [at] example [dot] org' ist ungültig; "
                                        "meinten Sie beratung@example.org?"),
    ("sekretariat", "E-Mail-Adresse 'sekretariat' ist ungültig: das @ fehlt"),
])
def test_email_messages_are_german_with_a_suggestion(email: str, message: str) -> None:
    assert email_problem(email) == message
