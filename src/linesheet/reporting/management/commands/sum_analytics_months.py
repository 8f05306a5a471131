"""Sum the past months of analytics ahead of their first view (nightly, from cron or a timer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linesheet.accounts.models import Brand
from linesheet.core import clock
from linesheet.reporting.analytics import Period, analytics_months_sum


def months_back(today: datetime.date, months: int) -> Period:
    """Return the `months` whole calendar months before the one `today` is in, and that one
    up to `today`: its days before today are kept summed too (reporting.analytics)."""
    start = today.replace(day=1)
    for _ in range(months):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return Period(start=start, end=today)


class Command(BaseCommand):
    help = (
        "Sum each brand's analytics of the past --months whole months, and of the current "
        "month's days before today, that changed or were never summed, by product, buyer, "
        "catalog and SKU. The day's first view of a long period then reads them instead of "
        "every line; a month summed already costs one small query."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=24,
            help="How many whole months before the current one (default 24).",
        )
        parser.add_argument("--brand", help="Only this brand (its slug).")

    def handle(self, *args: Any, months: int, brand: str | None, **options: Any) -> None:
        if months < 1:
            raise CommandError("--months is a number of months, 1 or more")
        brands = Brand.objects.order_by("slug")
        if brand is not None:
            brands = brands.filter(slug=brand)
            if not brands.exists():
                raise CommandError(f"no brand has the slug {brand!r}")
        period = months_back(clock.today(), months)
        self.stdout.write(f"Summing {period.start:%Y-%m} to {period.end:%Y-%m-%d} ...")
        total = 0
        for found in brands:
            summed = analytics_months_sum(brand=found, period=period)
            total += summed
            self.stdout.write(f"  {found.slug}: {summed} month(s) summed")
        self.stdout.write(f"Summed {total} month(s) in all.")
