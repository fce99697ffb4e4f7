"""The statutory deadline of a subject access request, and England & Wales bank holidays.

UK GDPR art. 12(3): one calendar month from receipt. ICO guidance counts the day of
receipt as day 1, so a request received on 3 September is due on 3 October; when the
corresponding day does not exist (31 January -> 31 February) the deadline is the last day
of the next month; a deadline on a weekend or bank holiday moves to the next working day.

Bank holidays are computed by rule, plus a small table of the one-off holidays and the
years in which a regular holiday was moved (valid from 1978, when the early May bank
holiday began; earlier years use the same rules).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

# One-off bank holidays in England & Wales (royal events, the millennium, the state funeral).
ONE_OFF_HOLIDAYS: frozenset[dt.date] = frozenset(
    {
        dt.date(1973, 11, 14),  # wedding of Princess Anne
        dt.date(1977, 6, 7),  # Silver Jubilee
        dt.date(1981, 7, 29),  # wedding of the Prince of Wales
        dt.date(1999, 12, 31),  # millennium
        dt.date(2002, 6, 3),  # Golden Jubilee
        dt.date(2011, 4, 29),  # royal wedding
        dt.date(2012, 6, 5),  # Diamond Jubilee
        dt.date(2022, 6, 3),  # Platinum Jubilee
        dt.date(2022, 9, 19),  # state funeral of Queen Elizabeth II
        dt.date(2023, 5, 8),  # coronation of King Charles III
    }
)

# Years in which a regular bank holiday was moved: (year, holiday) -> the date it fell on instead.
MOVED_HOLIDAYS: dict[tuple[int, str], dt.date] = {
    (1995, "early-may"): dt.date(1995, 5, 8),  # VE Day 50th anniversary
    (2020, "early-may"): dt.date(2020, 5, 8),  # VE Day 75th anniversary (a Friday)
    (2002, "spring"): dt.date(2002, 6, 4),  # Golden Jubilee
    (2012, "spring"): dt.date(2012, 6, 4),  # Diamond Jubilee
    (2022, "spring"): dt.date(2022, 6, 2),  # Platinum Jubilee
}

_SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian, or Meeus/Jones/Butcher, algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=last.weekday())


def _with_substitutes(days: list[dt.date]) -> list[dt.date]:
    """Holidays that fall on a weekend move to the next weekday not already a holiday."""
    taken: list[dt.date] = []
    for day in days:
        while day.weekday() >= _SATURDAY or day in taken:
            day += dt.timedelta(days=1)
        taken.append(day)
    return taken


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays of England & Wales in a year (the weekdays off, substitutes included)."""
    easter = easter_sunday(year)
    days = _with_substitutes([dt.date(year, 1, 1)])
    days += [easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)]
    days.append(MOVED_HOLIDAYS.get((year, "early-may"), _first_monday(year, 5)))
    days.append(MOVED_HOLIDAYS.get((year, "spring"), _last_monday(year, 5)))
    days.append(MOVED_HOLIDAYS.get((year, "summer"), _last_monday(year, 8)))
    days += _with_substitutes([dt.date(year, 12, 25), dt.date(year, 12, 26)])
    days += [d for d in ONE_OFF_HOLIDAYS if d.year == year]
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday in England & Wales."""
    return day.weekday() < _SATURDAY and day not in bank_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_calendar_month(day: dt.date) -> dt.date:
    """The same day-number next month, or the last day of next month when that day does not exist."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def statutory_deadline(received: dt.date) -> dt.date:
    """The date a response is due: one calendar month from receipt, moved to a working day."""
    return next_working_day(add_calendar_month(received))


def working_days_left(deadline: dt.date, today: dt.date) -> int:
    """Working days after today up to and including the deadline; negative when overdue.

    0 on the deadline itself; 1 when the deadline is the next working day; -1 when the deadline
    was the working day before today (counting working days after the deadline up to today).
    """
    if deadline >= today:
        return _working_days_between(today, deadline)
    return -_working_days_between(deadline, today)


def _working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Calendar days from today to the deadline; negative when overdue."""
    return (deadline - today).days
