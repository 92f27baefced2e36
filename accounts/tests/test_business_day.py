"""Orders before the cutoff hour (local time of the location) belong to the previous business day."""

import datetime

import pytest

from accounts.tests.factories import LocationFactory

UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Winter, Paris is UTC+1: the 04:00 local cutoff is 03:00 UTC.
        (at(2026, 1, 15, 2, 59), datetime.date(2026, 1, 14)),
        (at(2026, 1, 15, 3, 0), datetime.date(2026, 1, 15)),
        # Summer, UTC+2: the cutoff is 02:00 UTC.
        (at(2026, 7, 15, 1, 59), datetime.date(2026, 7, 14)),
        (at(2026, 7, 15, 2, 0), datetime.date(2026, 7, 15)),
        # Spring forward, 29 March 2026 (02:00 local jumps to 03:00): 04:00 local is already 02:00 UTC.
        (at(2026, 3, 29, 1, 59), datetime.date(2026, 3, 28)),
        (at(2026, 3, 29, 2, 30), datetime.date(2026, 3, 29)),
        # Fall back, 25 October 2026 (03:00 local goes back to 02:00): 04:00 local is 03:00 UTC.
        (at(2026, 10, 25, 2, 30), datetime.date(2026, 10, 24)),
        (at(2026, 10, 25, 3, 0), datetime.date(2026, 10, 25)),
        # Half past midnight local (already the 16th) is still the 15th's business day.
        (at(2026, 1, 15, 23, 30), datetime.date(2026, 1, 15)),
    ],
)
def test_business_day_follows_the_cutoff_in_the_location_time_zone(moment, expected):
    location = LocationFactory.build(time_zone="Europe/Paris", business_day_cutoff_hour=4)

    assert location.business_day(moment) == expected


def test_same_moment_belongs_to_different_days_in_different_time_zones():
    moment = at(2026, 5, 2, 6, 0)  # 02:00 in New York, 15:00 in Tokyo
    new_york = LocationFactory.build(time_zone="America/New_York", business_day_cutoff_hour=4)
    tokyo = LocationFactory.build(time_zone="Asia/Tokyo", business_day_cutoff_hour=4)

    assert new_york.business_day(moment) == datetime.date(2026, 5, 1)
    assert tokyo.business_day(moment) == datetime.date(2026, 5, 2)


def test_cutoff_at_midnight_is_the_calendar_day():
    location = LocationFactory.build(time_zone="Europe/Paris", business_day_cutoff_hour=0)

    assert location.business_day(at(2026, 1, 14, 23, 1)) == datetime.date(2026, 1, 15)
