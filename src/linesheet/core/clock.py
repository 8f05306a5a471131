"""What day it is, for the rules that compare with today (order deadlines, delivery dates)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Return today's date in the current time zone."""
    return timezone.localdate()
