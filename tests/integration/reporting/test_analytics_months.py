"""Whole past months of analytics are read from their cached sums, which follow every change.

Every figure is checked against sums made by hand from the orders and their lines.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test.utils import override_settings
from django.utils import timezone

from linesheet.core.clock import day_start
from linesheet.documents import services as documents
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order
from linesheet.reporting.analytics import Dimension, Period, months_within
from linesheet.reporting.models import AnalyticsMonth, AnalyticsMonthSum
from tests.integration.reporting.history import (
    Figures,
    History,
    analytics,
    by_hand,
    month_start,
    move,
    statements,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(brand: Any, owner: Any) -> History:
    return History(brand, owner)


def test_months_within_takes_whole_months_that_are_over_and_this_months_past_days() -> None:
    now = day_start(datetime.date(2026, 11, 26)) + datetime.timedelta(hours=10)
    period = Period(start=datetime.date(2025, 12, 31), end=datetime.date(2026, 11, 26))

    months = months_within(period, now=now)

    assert [m.first for m in months] == [datetime.date(2026, n, 1) for n in range(1, 12)]
    assert months[1].starts_at == day_start(datetime.date(2026, 2, 1))
    assert months[1].ends_at == day_start(datetime.date(2026, 3, 1))
    # The current month up to the start of today.
    assert months[-1].starts_at == day_start(datetime.date(2026, 11, 1))
    assert months[-1].ends_at == day_start(datetime.date(2026, 11, 26))
    # A period ending on a month's last day takes the month; one day short, it does not.
    february = Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert [m.first for m in months_within(february, now=now)] == [datetime.date(2026, 2, 1)]
    short = Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 27))
    assert months_within(short, now=now) == []
    # The current month is never taken whole, even by a period reaching past its end.
    ahead = Period(datetime.date(2026, 11, 1), datetime.date(2026, 12, 31))
    assert [(m.starts_at, m.ends_at) for m in months_within(ahead, now=now)] == [
        (
            day_start(datetime.date(2026, 11, 1)),
            day_start(datetime.date(2026, 11, 26)),
        )
    ]
    # Its past days are not taken by a period that starts after its first day, that ends
    # before today, or on the first day of the month (there are none).
    late_start = Period(datetime.date(2026, 11, 2), datetime.date(2026, 11, 26))
    assert months_within(late_start, now=now) == []
    ends_yesterday = Period(datetime.date(2026, 10, 1), datetime.date(2026, 11, 25))
    assert [m.first for m in months_within(ends_yesterday, now=now)] == [datetime.date(2026, 10, 1)]
    first_day = day_start(datetime.date(2026, 11, 1)) + datetime.timedelta(hours=10)
    assert [m.first for m in months_within(period, now=first_day)][-1] == datetime.date(2026, 10, 1)


def test_this_months_days_before_today_are_summed_once_a_day(
    brand: Any, owner: Any, mid_month: Callable[[int], None]
) -> None:
    history = History(brand, owner)
    earlier = history.place({"SS-1": 3, "SS-2": 1}, day=month_start(0).replace(day=3))
    expected = by_hand(brand, history.period, Dimension.SKU)

    first = statements(lambda: analytics(brand, history.period))

    stamp = AnalyticsMonth.objects.get(brand=brand, dimension=Dimension.SKU, month=month_start(0))
    assert (stamp.starts_at, stamp.ends_at) == (
        day_start(month_start(0)),
        day_start(timezone.localdate()),
    )
    assert stamp.orders == 1
    assert any(sql.startswith("INSERT") for sql in first)
    assert analytics(brand, history.period) == expected
    # An order placed today is summed from its lines: the month's days before today hold.
    history.place({"SS-3": 4})
    today = statements(lambda: analytics(brand, history.period))
    assert not any(sql.startswith(("INSERT", "DELETE")) for sql in today)
    assert analytics(brand, history.period) == by_hand(brand, history.period, Dimension.SKU)
    # A change to an order placed earlier this month is counted next time.
    before = analytics(brand, history.period)
    ordering.order_reject(order_id=earlier.pk, actor=owner, notify=False)
    assert analytics(brand, history.period) != before
    assert analytics(brand, history.period) == by_hand(brand, history.period, Dimension.SKU)
    # The next day, the month's days before it (today's orders among them) are summed again.
    mid_month(1)
    period = Period(history.period.start, timezone.localdate())
    next_day = statements(lambda: analytics(brand, period))
    assert any(sql.startswith("INSERT") for sql in next_day)
    stamp.refresh_from_db()
    assert stamp.ends_at == day_start(timezone.localdate())
    assert stamp.orders == 3  # the rejected order and the two placed on the 15th
    assert analytics(brand, period) == by_hand(brand, period, Dimension.SKU)


def test_whole_months_are_summed_once_then_read_back(history: History) -> None:
    expected = by_hand(history.brand, history.period, Dimension.SKU)

    first = statements(lambda: analytics(history.brand, history.period))
    stamps = AnalyticsMonth.objects.filter(brand=history.brand, dimension=Dimension.SKU)
    assert sorted(stamps.values_list("month", flat=True)) == [month_start(n) for n in (3, 2, 1)]
    assert AnalyticsMonthSum.objects.filter(brand=history.brand).count() == 7
    again = statements(lambda: analytics(history.brand, history.period))

    assert analytics(history.brand, history.period) == expected
    assert expected[("SS-2", "EUR")][:2] == (2, 7)
    assert any(sql.startswith("INSERT") for sql in first)
    assert not any(sql.startswith(("INSERT", "DELETE", "UPDATE")) for sql in again)
    assert len(again) < len(first)


def test_each_dimension_keeps_its_own_months(history: History) -> None:
    for by in (Dimension.SKU, Dimension.BUYER):
        assert analytics(history.brand, history.period, by) == by_hand(
            history.brand, history.period, by
        )

    assert AnalyticsMonth.objects.filter(brand=history.brand).count() == 6


def confirm(history: History) -> None:
    documents.confirmation_confirm(
        order_id=history.orders["middle_oc"].pk, actor=history.owner, notify=False
    )


CHANGES: dict[str, Callable[[History], object]] = {
    "OC created": lambda h: h.oc(h.orders["middle"], {"SS-0": 1}),
    "OC lines saved again": lambda h: h.oc(h.orders["middle_oc"], {"SS-3": 9}),
    "order rejected": lambda h: ordering.order_reject(
        order_id=h.orders["first"].pk, actor=h.owner, notify=False
    ),
    "order returned to the cart": lambda h: ordering.order_return_to_cart(
        order_id=h.orders["last"].pk, actor=h.owner, notify=False
    ),
    "OC rejected, then saved": lambda h: (
        documents.confirmation_reject(
            order_id=h.orders["middle_oc"].pk,
            organization=h.orders["middle_oc"].organization,
            actor=None,
            note="Less",
        ),
        h.oc(h.orders["middle_oc"], {"SS-2": 1}),
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_in_a_summed_month_is_counted_next_time(history: History, change: str) -> None:
    before = analytics(history.brand, history.period)

    CHANGES[change](history)

    after = analytics(history.brand, history.period)
    assert after != before
    assert after == by_hand(history.brand, history.period, Dimension.SKU)


def test_a_status_change_that_keeps_the_figures_keeps_the_month(history: History) -> None:
    before = analytics(history.brand, history.period)
    revision = Order.objects.get(pk=history.orders["middle_oc"].pk).sums_revision

    confirm(history)

    assert Order.objects.get(pk=history.orders["middle_oc"].pk).sums_revision == revision
    writes = statements(lambda: analytics(history.brand, history.period))
    assert not any(sql.startswith("INSERT") for sql in writes)
    assert analytics(history.brand, history.period) == before


def test_the_ends_of_a_period_are_summed_from_their_lines(history: History) -> None:
    # From the 2nd of the first month: its order of the 1st is out, that of the 28th in.
    analytics(history.brand, history.period)
    period = Period(start=month_start(3).replace(day=2), end=month_start(1).replace(day=9))

    assert analytics(history.brand, period) == by_hand(history.brand, period, Dimension.SKU)
    assert analytics(history.brand, period)[("SS-0", "EUR")][:2] == (1, 3)


def test_a_month_taken_in_another_time_zone_is_summed_again(history: History) -> None:
    # The business's days move ten hours ahead of UTC (TIME_ZONE changed): one order leaves
    # the first month and another enters it: the month has as many orders of the same
    # revisions, only its bounds tell it apart.
    last_day = month_start(2) - datetime.timedelta(days=1)
    move(history.orders["first_late"], last_day, hour=20)
    move(history.orders["today"], month_start(3) - datetime.timedelta(days=1), hour=23)
    analytics(history.brand, history.period)

    with override_settings(TIME_ZONE="Pacific/Port_Moresby"):
        assert analytics(history.brand, history.period) == by_hand(
            history.brand, history.period, Dimension.SKU
        )
        assert analytics(history.brand, history.period)[("SS-0", "EUR")][:2] == (3, 6)


def test_the_cost_is_fixed_however_many_months_are_summed(history: History) -> None:
    one = Period(start=month_start(1), end=timezone.localdate())

    cold_one, cold_three = (
        len(statements(lambda: analytics(history.brand, one))),
        len(statements(lambda: analytics(history.brand, history.period))),
    )
    warm_three = len(statements(lambda: analytics(history.brand, history.period)))

    assert cold_one == cold_three
    # Warm: no stamp, delete or insert statement.
    assert warm_three == cold_three - 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_views_of_a_month_agree(brand: Any, owner: Any) -> None:
    history = History(brand, owner)
    expected = by_hand(brand, history.period, Dimension.SKU)
    results: list[Figures] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def view() -> None:
        try:
            barrier.wait()
            results.append(analytics(brand, history.period))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results == [expected] * 4
    assert AnalyticsMonth.objects.filter(brand=brand).count() == 3
    assert analytics(brand, history.period) == expected
