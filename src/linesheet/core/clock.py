"""What day it is, for the rules that compare with today, and where a day starts.

Rules count days (order deadlines, delivery dates, the date in an order code, analytics
periods, Order Management's date filters) in TIME_ZONE, whoever asks: a day must not move with
the time zone a viewer sees times in (core.time_zones).
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def today(now: datetime.datetime | None = None) -> datetime.date:
    """Return today's date (or `now`'s) as rules count days: in TIME_ZONE."""
    return timezone.localdate(now, timezone=timezone.get_default_timezone())


def day_start(day: datetime.date) -> datetime.datetime:
    """Return midnight at the start of `day` as rules count days: in TIME_ZONE."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )
