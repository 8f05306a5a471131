from __future__ import annotations

import datetime

import pytest

from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order
from linesheet.reporting.analytics import GROUPINGS, Dimension, Period, default_period
from linesheet.reporting.returns import ReturnsSummary, median_duration

DAY = datetime.timedelta(days=1)


def test_the_default_period_is_the_last_90_days_today_included() -> None:
    period = default_period(today=datetime.date(2027, 3, 31))

    assert (period.start, period.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    assert period.days == 90


def test_a_period_covers_whole_days_at_both_ends() -> None:
    start, end = Period(start=datetime.date(2027, 3, 1), end=datetime.date(2027, 3, 1)).bounds()

    assert end - start == DAY
    assert start.time() == datetime.time.min


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(start=datetime.date(2027, 3, 2), end=datetime.date(2027, 3, 1))


@pytest.mark.parametrize(
    ("durations", "median"),
    [
        ([], None),
        ([3 * DAY], 3 * DAY),
        ([5 * DAY, 1 * DAY, 3 * DAY], 3 * DAY),
        ([4 * DAY, 2 * DAY], 3 * DAY),
        ([DAY, 2 * DAY, 10 * DAY, 30 * DAY], 6 * DAY),
    ],
)
def test_the_median_of_durations(
    durations: list[datetime.timedelta], median: datetime.timedelta | None
) -> None:
    assert median_duration(durations) == median


def test_returns_waiting_are_the_ones_not_placed_again() -> None:
    assert ReturnsSummary(returned=5, replaced=2, median_time_to_replace=DAY).waiting == 3


def test_labels_join_the_fields_that_have_a_value() -> None:
    sku = GROUPINGS[Dimension.SKU]

    assert sku.label_fields == ("product__name", "color", "size")
    assert sku.label(["Linen Shirt", "Sage", "M"]) == "Linen Shirt · Sage · M"
    assert sku.label(["Linen Shirt", "", "M"]) == "Linen Shirt · M"
    assert sku.label(["Linen Shirt", None, 0]) == "Linen Shirt"


def test_the_sums_and_stamps_read_orders_and_oc_lines_from_indexes_alone() -> None:
    orders = next(i for i in Order._meta.indexes if i.name == "order_brand_placed_sums")
    oc_lines = next(i for i in OrderConfirmationLine._meta.indexes if i.name == "oc_line_sums")

    assert orders.fields == ["brand", "placed_at", "status", "currency", "id", "sums_revision"]
    assert oc_lines.fields == ["confirmation", "sku", "quantity", "amount"]
