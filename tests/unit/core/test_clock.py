"""The day rules count in: TIME_ZONE's, whatever zone the viewer sees times in."""

from __future__ import annotations

import datetime

from django.test.utils import override_settings
from django.utils import timezone

from linesheet.core import clock


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_rules_count_days_in_time_zone_whatever_the_viewer_sees() -> None:
    noon_utc = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=datetime.UTC)
    with timezone.override("America/Los_Angeles"):
        assert timezone.localdate(noon_utc) == datetime.date(2027, 3, 1)  # what the viewer sees
        assert clock.today(noon_utc) == datetime.date(2027, 3, 2)
        start = clock.day_start(datetime.date(2027, 3, 1))

    assert start.utcoffset() == datetime.timedelta(hours=13)
    assert start.isoformat() == "2027-03-01T00:00:00+13:00"
