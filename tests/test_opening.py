"""Open now? Until when? Next when? With Thuringian/Hessian holidays, in Berlin time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.opening import OpenState, describe, describe_de, is_open, open_state

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = "Mo-Fr 09:00-16:00"


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_open_one_minute_before_closing() -> None:
    state = open_state("Tu,Th 09:00-16:00", datetime(2025, 10, 28, 15, 59))  # a Tuesday
    assert state == OpenState(is_open=True, closes_at=berlin(2025, 10, 28, 16, 0))


def test_closed_at_closing_time_and_next_open_is_thursday() -> None:
    state = open_state("Tu,Th 09:00-16:00", datetime(2025, 10, 28, 16, 0))
    assert state == OpenState(is_open=False, next_open=berlin(2025, 10, 30, 9, 0))


def test_reformationstag_closes_offices_in_thueringen_not_in_hessen() -> None:
    friday = datetime(2025, 10, 31, 10, 0)
    th = open_state(WEEKDAYS, friday, "TH")
    assert (th.is_open, th.holiday, th.next_open) == (False, "Reformationstag", berlin(2025, 11, 3, 9, 0))
    he = open_state(WEEKDAYS, friday, "HE")
    assert (he.is_open, he.holiday, he.closes_at) == (True, None, berlin(2025, 10, 31, 16, 0))


@pytest.mark.parametrize("day", [datetime(2024, 9, 20, 10, 0), datetime(2027, 9, 20, 10, 0)])
def test_weltkindertag_closed_in_thueringen_open_in_hessen(day: datetime) -> None:
    assert open_state(WEEKDAYS, day, "TH").holiday == "Weltkindertag"
    assert is_open(WEEKDAYS, day, "TH") is False
    assert is_open(WEEKDAYS, day, "HE") is True


def test_fronleichnam_closed_in_hessen_open_in_thueringen() -> None:
    thursday = datetime(2025, 6, 19, 10, 0)
    assert is_open(WEEKDAYS, thursday, "HE") is False
    assert is_open(WEEKDAYS, thursday, "TH") is True


def test_nationwide_offers_only_know_nationwide_holidays() -> None:
    assert is_open(WEEKDAYS, datetime(2025, 10, 31, 10, 0), "DE") is True
    assert is_open(WEEKDAYS, datetime(2025, 10, 3, 10, 0), "DE") is False  # Tag der Deutschen Einheit


def test_christmas() -> None:
    assert is_open(WEEKDAYS, datetime(2025, 12, 24, 10, 0)) is True  # Heiligabend is a working day
    state = open_state(WEEKDAYS, datetime(2025, 12, 25, 10, 0))
    assert (state.is_open, state.holiday) == (False, "Erster Weihnachtstag")
    assert open_state(WEEKDAYS, datetime(2025, 12, 24, 16, 0)).next_open == berlin(2025, 12, 29, 9, 0)


def test_new_year_across_the_year_boundary() -> None:
    assert open_state(WEEKDAYS, datetime(2025, 12, 31, 17, 0)).next_open == berlin(2026, 1, 2, 9, 0)


def test_round_the_clock_stays_open_on_a_holiday() -> None:
    state = open_state("24/7", datetime(2025, 12, 25, 3, 0))
    assert state == OpenState(is_open=True, holiday="Erster Weihnachtstag", always_open=True)


def test_explicit_holiday_hours_replace_the_closure() -> None:
    state = open_state("Mo-Fr 09:00-16:00; PH 10:00-12:00", datetime(2025, 10, 31, 11, 0))
    assert (state.is_open, state.closes_at) == (True, berlin(2025, 10, 31, 12, 0))
    assert is_open("Mo-Fr 09:00-16:00; PH 10:00-12:00", datetime(2025, 10, 31, 13, 0)) is False


def test_holidays_inside_a_day_list() -> None:
    osm = "Su,PH 10:00-12:00"
    assert is_open(osm, datetime(2025, 10, 31, 11, 0)) is True  # Reformationstag, a Friday
    assert is_open(osm, datetime(2025, 11, 2, 11, 0)) is True  # Sunday
    assert is_open(osm, datetime(2025, 11, 3, 11, 0)) is False  # Monday


def test_never_open_has_no_next_opening() -> None:
    assert open_state("Su off; PH off", datetime(2025, 11, 2, 11, 0)) == OpenState(is_open=False)


def test_nth_weekday_of_the_month() -> None:
    osm = "We[2,4] 09:00-12:00"
    assert is_open(osm, datetime(2025, 11, 12, 10, 0)) is True  # 2nd Wednesday
    assert is_open(osm, datetime(2025, 11, 5, 10, 0)) is False  # 1st Wednesday
    assert open_state(osm, datetime(2025, 11, 12, 12, 0)).next_open == berlin(2025, 11, 26, 9, 0)


def test_spring_forward_next_opening_in_summer_time() -> None:
    state = open_state(WEEKDAYS, datetime(2026, 3, 27, 17, 0))  # Friday before the change
    assert state.next_open == berlin(2026, 3, 30, 9, 0)
    assert state.next_open is not None and state.next_open.utcoffset() == timedelta(hours=2)


def test_a_wall_time_that_does_not_exist_is_still_answered() -> None:
    # 02:30 on 29 March 2026 is skipped by the clock change; the library would reject it.
    assert open_state("Su 01:00-04:00", datetime(2026, 3, 29, 2, 30)).is_open is True
    assert is_open(WEEKDAYS, datetime(2026, 3, 29, 2, 30)) is False


def test_fall_back_closing_time_in_winter_time() -> None:
    state = open_state("Su 10:00-12:00", datetime(2026, 10, 25, 11, 0))  # day of the change
    assert state.is_open is True
    assert state.closes_at == berlin(2026, 10, 25, 12, 0)
    assert state.closes_at is not None and state.closes_at.utcoffset() == timedelta(hours=1)
    assert is_open("Su 01:00-04:00", datetime(2026, 10, 25, 2, 30, fold=1)) is True


def test_naive_aware_and_utc_datetimes_agree() -> None:
    naive = datetime(2025, 10, 28, 15, 59)
    aware = berlin(2025, 10, 28, 15, 59)
    utc = datetime(2025, 10, 28, 14, 59, tzinfo=UTC)  # CET is UTC+1 after 26 October
    assert open_state("Tu,Th 09:00-16:00", naive) == open_state("Tu,Th 09:00-16:00", aware)
    assert open_state("Tu,Th 09:00-16:00", utc) == open_state("Tu,Th 09:00-16:00", aware)
    assert is_open("Tu,Th 09:00-16:00", datetime(2025, 10, 28, 15, 0, tzinfo=UTC)) is False  # 16:00 Berlin


@pytest.mark.parametrize("osm", [None, "", "Di 9-12 Uhr"])
def test_no_structured_hours_is_unknown(osm: str | None) -> None:
    assert is_open(osm, datetime(2025, 10, 28, 10, 0)) is None
    assert open_state(osm, datetime(2025, 10, 28, 10, 0)).is_open is None


def test_holiday_is_named_even_without_hours() -> None:
    assert open_state(None, datetime(2025, 10, 31, 10, 0)) == OpenState(is_open=None, holiday="Reformationstag")


@pytest.mark.parametrize(
    ("osm", "german"),
    [
        ("Tu,Th 09:00-16:00", "Dienstag und Donnerstag 9:00–16:00 Uhr"),
        ("Mo-Fr 08:00-12:00", "Montag bis Freitag 8:00–12:00 Uhr"),
        ("24/7", "rund um die Uhr"),
        ("We[2,4] 09:00-12:00", "jeden 2. und 4. Mittwoch im Monat 9:00–12:00 Uhr"),
        ("Fr[-1] 14:00-16:00", "jeden letzten Freitag im Monat 14:00–16:00 Uhr"),
        ("Mo-Fr 09:00-17:00; Tu,Th 09:00-19:00",
         "Montag bis Freitag 9:00–17:00 Uhr; Dienstag und Donnerstag 9:00–19:00 Uhr"),
        ("Mo-Th 08:00-12:00,13:00-16:00; Fr 08:00-12:00",
         "Montag bis Donnerstag 8:00–12:00 und 13:00–16:00 Uhr; Freitag 8:00–12:00 Uhr"),
        ("Mo-We,Fr 08:00-12:00", "Montag bis Mittwoch und Freitag 8:00–12:00 Uhr"),
        ("Mo,We,Fr 09:00-14:00", "Montag, Mittwoch und Freitag 9:00–14:00 Uhr"),
        ("Mo-Su 10:00-18:00", "täglich 10:00–18:00 Uhr"),
        ("Su off; PH off", "Sonntag geschlossen; an Feiertagen geschlossen"),
        ("Su,PH 10:00-12:00", "Sonntag und an Feiertagen 10:00–12:00 Uhr"),
        ("Mo 18:00-24:00", "Montag 18:00–24:00 Uhr"),
    ],
)
def test_describe_in_german(osm: str, german: str) -> None:
    assert describe_de(osm) == german


@pytest.mark.parametrize(
    ("osm", "english"),
    [
        ("Tu,Th 09:00-16:00", "Tuesday and Thursday 9:00–16:00"),
        ("We[2,4] 09:00-12:00", "every 2nd and 4th Wednesday of the month 9:00–12:00"),
        ("24/7", "around the clock"),
        ("Sa,Su off", "Saturday and Sunday closed"),
    ],
)
def test_describe_in_english(osm: str, english: str) -> None:
    assert describe(osm, "en") == english


@pytest.mark.parametrize("osm", ['Mo 10:00-12:00 "Anmeldung"', "Tu[1],Th 09:00-12:00", "sunrise-sunset"])
def test_unknown_shapes_are_shown_as_written_not_described_wrongly(osm: str) -> None:
    assert describe_de(osm) == osm


@pytest.mark.slow
@pytest.mark.parametrize(
    "osm",
    ["Mo-Fr 09:00-16:00", "Tu,Th 09:00-12:00,13:00-18:00; Sa[1] 10:00-12:00", "Su,PH 10:00-12:00",
     "Mo-Su 18:00-24:00", "Fr 20:00-02:00", "Mo-Sa 09:00-12:00; We off; PH off"],
)
@pytest.mark.parametrize("state", ["TH", "HE"])
def test_fast_check_agrees_with_the_full_state(osm: str, state: str) -> None:
    """``is_open`` takes a shortcut on ordinary days; it must answer like ``open_state``."""
    for start in (datetime(2025, 3, 24), datetime(2025, 9, 15), datetime(2025, 10, 20), datetime(2025, 12, 22)):
        for step in range(14 * 24 * 2):
            at = start + timedelta(minutes=30 * step)
            assert is_open(osm, at, state) == open_state(osm, at, state).is_open, (osm, at)
