"""Date parsing shared by every input format, with errors that name the source and key."""

from __future__ import annotations

import datetime as dt
import re

from .errors import InputError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object, source: str, key: str) -> dt.date:
    """A ``YYYY-MM-DD`` string or a YAML date; datetimes and ARM timestamps keep their date part."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
    raise InputError(source, key, "a date YYYY-MM-DD", value)


def parse_timestamp(value: object, source: str, key: str) -> dt.date:
    """ARM timestamps (``2025-06-30T00:00:00Z``, ``…+00:00``) or plain dates, as a UTC date."""
    if isinstance(value, str) and "T" in value:
        text = value.strip().replace("Z", "+00:00")
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InputError(source, key, "an ISO 8601 timestamp", value) from None
        if stamp.tzinfo is not None:
            try:
                stamp = stamp.astimezone(dt.UTC)
            except OverflowError:  # 9999-12-31T23:59:59-14:00 is in year 10000 in UTC: no date can hold it
                raise InputError(source, key, "an ISO 8601 timestamp whose UTC date is between 0001-01-01 and "
                                 "9999-12-31", value) from None
        return stamp.date()
    return parse_date(value, source, key)


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, saturating at 0001-01-01 and 9999-12-31 instead of overflowing: an
    as-of date, horizon or catalog date at the calendar's edge yields an edge date, never a crash."""
    ordinal = day.toordinal() + days  # int arithmetic: no timedelta, so any size is fine
    return dt.date.fromordinal(min(max(ordinal, 1), dt.date.max.toordinal()))


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
