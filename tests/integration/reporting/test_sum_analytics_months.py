"""`linesheet sum_analytics_months` sums the past months ahead of their first view."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linesheet.core.clock import day_start
from linesheet.reporting.management.commands.sum_analytics_months import months_back
from linesheet.reporting.models import AnalyticsMonth, Dimension
from tests.integration.reporting.history import (
    History,
    analytics,
    by_hand,
    month_start,
    statements,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("sum_analytics_months", *args, stdout=out)
    return out.getvalue()


def test_months_back_are_whole_months_before_the_current_one_then_up_to_today() -> None:
    period = months_back(datetime.date(2026, 3, 15), 3)

    assert (period.start, period.end) == (datetime.date(2025, 12, 1), datetime.date(2026, 3, 15))


def test_every_dimension_of_every_past_month_is_summed_once(brand: Any, owner: Any) -> None:
    history = History(brand, owner)

    first = run("--months", "6")
    again = run("--months", "6")

    stamps = AnalyticsMonth.objects.filter(brand=brand)
    assert sorted(set(stamps.values_list("month", flat=True))) == [
        month_start(n) for n in (3, 2, 1)
    ]
    assert set(stamps.values_list("dimension", flat=True)) == set(Dimension)
    assert f"{brand.slug}: 12 month(s) summed" in first
    assert f"{brand.slug}: 0 month(s) summed" in again
    # The first view of the period then only reads them, and they hold the same figures.
    view = statements(lambda: analytics(brand, history.period))
    assert not any(sql.startswith("INSERT") for sql in view)
    assert analytics(brand, history.period) == by_hand(brand, history.period, Dimension.SKU)


def test_this_months_days_before_today_are_summed_too(
    brand: Any, owner: Any, mid_month: Callable[[int], None]
) -> None:
    history = History(brand, owner)
    history.place({"SS-1": 3}, day=month_start(0).replace(day=3))

    assert f"{brand.slug}: 16 month(s) summed" in run("--months", "6")

    stamps = AnalyticsMonth.objects.filter(brand=brand, month=month_start(0))
    assert {stamp.ends_at for stamp in stamps} == {day_start(timezone.localdate())}
    assert set(stamps.values_list("dimension", flat=True)) == set(Dimension)
    view = statements(lambda: analytics(brand, history.period))
    assert not any(sql.startswith("INSERT") for sql in view)
    assert analytics(brand, history.period) == by_hand(brand, history.period, Dimension.SKU)


def test_one_brand_by_its_slug(brand: Any, owner: Any) -> None:
    History(brand, owner)

    assert f"{brand.slug}: 12 month(s) summed" in run("--brand", brand.slug)
    with pytest.raises(CommandError, match="no brand"):
        run("--brand", "nobody")
    with pytest.raises(CommandError, match="1 or more"):
        run("--months", "0")
