"""Reporting's periodic work (see core.periodic)."""

from __future__ import annotations

import datetime

from linesheet.accounts.models import Brand
from linesheet.core import clock
from linesheet.core.periodic import periodic_job
from linesheet.reporting.analytics import analytics_months_sum
from linesheet.reporting.management.commands.sum_analytics_months import months_back

ANALYTICS_MONTHS = 24


@periodic_job(
    name="sum_analytics_months",
    every=datetime.timedelta(hours=24),
    help=f"Sum every brand's analytics of the past {ANALYTICS_MONTHS} months that changed "
    "(as `linesheet sum_analytics_months`), ahead of the day's first view.",
)
def sum_analytics_months() -> str:
    period = months_back(clock.today(), ANALYTICS_MONTHS)
    brands = list(Brand.objects.order_by("slug"))
    total = sum(analytics_months_sum(brand=brand, period=period) for brand in brands)
    return f"{total} month(s) summed for {len(brands)} brand(s)"
