"""The statutory deadline (one calendar month, then the next working day) and E&W bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarkit.deadline import (
    add_calendar_month,
    bank_holidays,
    days_left,
    easter_sunday,
    is_working_day,
    next_working_day,
    statutory_deadline,
    working_days_left,
)

D = dt.date

# Published England & Wales bank holidays (gov.uk), year by year.
PUBLISHED: dict[int, set[str]] = {
    1999: {"01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28", "12-31"},
    2002: {"01-01", "03-29", "04-01", "05-06", "06-03", "06-04", "08-26", "12-25", "12-26"},
    2011: {"01-03", "04-22", "04-25", "04-29", "05-02", "05-30", "08-29", "12-26", "12-27"},
    2012: {"01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26"},
    2016: {"01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"},
    2019: {"01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"},
    2020: {"01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"},
    2021: {"01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"},
    2022: {"01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"},
    2023: {"01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"},
    2024: {"01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"},
    2025: {"01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"},
    2026: {"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"},
    2027: {"01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"},
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_match_published_lists(year: int) -> None:
    assert bank_holidays(year) == {D.fromisoformat(f"{year}-{md}") for md in PUBLISHED[year]}


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, "03-22"),
        (1943, "04-25"),
        (2000, "04-23"),
        (2008, "03-23"),
        (2011, "04-24"),
        (2019, "04-21"),
        (2024, "03-31"),
        (2025, "04-20"),
        (2038, "04-25"),
        (2285, "03-22"),
    ],
)
def test_easter_sunday(year: int, easter: str) -> None:
    assert easter_sunday(year) == D.fromisoformat(f"{year}-{easter}")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # same day-number next month (ICO: received 3 Sept -> due 3 Oct)
        ("2025-09-03", "2025-10-03"),
        ("2026-10-01", "2026-11-02"),  # 1 Nov 2026 is a Sunday
        ("2026-01-23", "2026-02-23"),
        # month ends: the corresponding day does not exist -> last day of next month
        ("2023-01-31", "2023-02-28"),
        ("2024-01-30", "2024-02-29"),  # leap year
        ("2024-01-31", "2024-02-29"),
        ("2025-01-29", "2025-02-28"),
        ("2025-03-31", "2025-04-30"),
        ("2025-08-31", "2025-09-30"),
        ("2025-10-31", "2025-12-01"),  # 30 Nov 2025 is a Sunday
        ("2025-12-15", "2026-01-15"),  # across the year
        ("2025-12-31", "2026-02-02"),  # 31 Jan 2026 is a Saturday
        ("2026-12-31", "2027-02-01"),  # 31 Jan 2027 is a Sunday
        # weekends
        ("2025-10-04", "2025-11-04"),
        ("2025-10-08", "2025-11-10"),  # 8 Nov 2025 is a Saturday
        ("2025-10-09", "2025-11-10"),  # 9 Nov 2025 is a Sunday
        # Easter: Good Friday and Easter Monday
        ("2025-03-18", "2025-04-22"),  # 18 Apr Good Friday, 19-20 weekend, 21 Easter Monday
        ("2025-03-21", "2025-04-22"),  # due on Easter Monday itself
        ("2024-02-29", "2024-04-02"),  # 29 Mar Good Friday ... 1 Apr Easter Monday
        # Christmas and Boxing Day with substitutes
        ("2021-11-25", "2021-12-29"),  # 25 Dec 2021 a Saturday: 27 and 28 Dec are bank holidays
        ("2021-11-27", "2021-12-29"),
        ("2021-11-28", "2021-12-29"),
        ("2022-11-26", "2022-12-28"),  # 25 Dec 2022 a Sunday: 26 and 27 Dec
        ("2020-11-26", "2020-12-29"),  # 26 Dec 2020 a Saturday: 28 Dec substitute
        ("2024-11-25", "2024-12-27"),
        ("2021-12-01", "2022-01-04"),  # 1 Jan 2022 a Saturday: 3 Jan substitute
        # the 2022 Platinum Jubilee (2-3 June) and the state funeral (19 Sept)
        ("2022-05-02", "2022-06-06"),
        ("2022-05-03", "2022-06-06"),
        ("2022-08-19", "2022-09-20"),
        # the 2023 coronation (8 May) and the moved 2020 VE day holiday (Fri 8 May)
        ("2023-04-08", "2023-05-09"),
        ("2020-04-08", "2020-05-11"),
        # spring and summer bank holidays
        ("2025-04-26", "2025-05-27"),
        ("2025-07-25", "2025-08-26"),
    ],
)
def test_statutory_deadline(received: str, due: str) -> None:
    assert statutory_deadline(D.fromisoformat(received)) == D.fromisoformat(due)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-01-30", "2024-02-29"),
        ("2023-01-31", "2023-02-28"),
        ("2024-12-31", "2025-01-31"),
        ("2025-05-31", "2025-06-30"),
        ("2025-02-28", "2025-03-28"),
    ],
)
def test_add_calendar_month(day: str, expected: str) -> None:
    assert add_calendar_month(D.fromisoformat(day)) == D.fromisoformat(expected)


@pytest.mark.parametrize(
    ("deadline", "today", "working", "calendar"),
    [
        ("2025-10-03", "2025-10-03", 0, 0),
        ("2025-10-06", "2025-10-03", 1, 3),  # Friday -> Monday
        ("2025-10-13", "2025-10-03", 6, 10),
        ("2025-10-03", "2025-10-06", -1, -3),  # overdue by one working day
        ("2025-10-03", "2025-10-05", 0, -2),  # overdue only by a weekend
        ("2021-12-29", "2021-12-24", 1, 5),  # 25-28 Dec 2021: weekend and two bank holidays
        ("2022-06-06", "2022-05-31", 2, 6),  # 1 Jun, then jubilee 2-3 Jun, then 6 Jun
        ("2026-11-02", "2026-10-01", 22, 32),
    ],
)
def test_days_left(deadline: str, today: str, working: int, calendar: int) -> None:
    dl, td = D.fromisoformat(deadline), D.fromisoformat(today)
    assert working_days_left(dl, td) == working
    assert days_left(dl, td) == calendar


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2023-05-08", False),
        ("2023-05-09", True),
        ("2022-09-19", False),
        ("1999-12-31", False),
        ("2025-12-27", False),
        ("2025-12-29", True),
        ("2020-05-04", True),
        ("2020-05-08", False),
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert is_working_day(D.fromisoformat(day)) is working


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_deadline_properties(received: dt.date) -> None:
    due = statutory_deadline(received)
    assert is_working_day(due)
    nominal = add_calendar_month(received)
    assert nominal <= due <= nominal + dt.timedelta(days=6)
    assert next_working_day(due) == due
    assert all(not is_working_day(nominal + dt.timedelta(days=k)) for k in range((due - nominal).days))


@given(st.integers(min_value=1978, max_value=2200))
def test_bank_holidays_are_weekdays_and_at_least_eight(year: int) -> None:
    days = bank_holidays(year)
    assert len(days) >= 8
    assert all(d.year == year and d.weekday() < 5 for d in days)
