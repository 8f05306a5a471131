"""Order analytics and the returns figures on the fixed data set, against sums made by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linesheet.ordering import services as ordering
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent
from linesheet.reporting.analytics import (
    AnalyticsRow,
    CurrencyTotal,
    Dimension,
    Period,
    default_period,
    order_analytics,
)
from linesheet.reporting.returns import returns_summary
from tests import factories
from tests.integration.reporting.dataset import Dataset, make_catalog, place

pytestmark = pytest.mark.django_db


def last_90_days() -> Period:
    return default_period(today=timezone.localdate())


def rows(brand: Any, by: Dimension, period: Period | None = None) -> list[AnalyticsRow]:
    return order_analytics(brand=brand, dimension=by, period=period or last_90_days()).rows


def row(key: str, label: str, currency: str, orders: int, quantity: int, amount: str) -> Any:
    return AnalyticsRow(key, label, currency, orders, quantity, Decimal(amount))


def test_products_sum_the_live_orders_by_hand(brand: Any, data: Dataset) -> None:
    # EUR: open 5 pcs 250.00 + confirmed (its OC) 6 pcs 240.00 + replacement 6 pcs 300.00.
    assert rows(brand, Dimension.PRODUCT) == [
        row("M-SS", "Model M-SS", "EUR", 3, 17, "790.00"),
        row("M-FW", "Model M-FW", "NOK", 1, 3, "120.00"),
    ]


def test_skus_count_the_oc_lines_of_an_order_that_has_one(brand: Any, data: Dataset) -> None:
    # SS-0: open 2 (100.00) + OC 5 (200.00). SS-1: open 3 (150.00) + OC 1 (40.00) +
    # replacement 6 (300.00). SS-2 only in the rejected order and the OC removed it.
    assert rows(brand, Dimension.SKU) == [
        row("SS-1", "Model M-SS · Sand · 37", "EUR", 3, 10, "490.00"),
        row("SS-0", "Model M-SS · Black · 36", "EUR", 2, 7, "300.00"),
        row("FW-0", "Model M-FW · Black · 36", "NOK", 1, 3, "120.00"),
    ]


def test_buyers_are_keyed_by_id_with_money_per_currency(brand: Any, data: Dataset) -> None:
    assert rows(brand, Dimension.BUYER) == [
        row(str(data.maison.pk), "Maison Claire", "EUR", 2, 11, "550.00"),
        row(str(data.nordic.pk), "Nordic Shop", "EUR", 1, 6, "240.00"),
        row(str(data.nordic.pk), "Nordic Shop", "NOK", 1, 3, "120.00"),
    ]


def test_catalogs_are_keyed_by_id(brand: Any, data: Dataset) -> None:
    assert rows(brand, Dimension.CATALOG) == [
        row(str(data.ss27.pk), "SS27 · Catalog SS27", "EUR", 3, 17, "790.00"),
        row(str(data.fw27.pk), "FW27 · Catalog FW27", "NOK", 1, 3, "120.00"),
    ]


def test_totals_are_per_currency_and_never_add_eur_to_nok(brand: Any, data: Dataset) -> None:
    report = order_analytics(brand=brand, dimension=Dimension.SKU, period=last_90_days())

    assert report.totals == [
        CurrencyTotal("EUR", orders=3, quantity=17, amount=Decimal("790.00")),
        CurrencyTotal("NOK", orders=1, quantity=3, amount=Decimal("120.00")),
    ]
    assert [section.total.currency for section in report.by_currency()] == ["EUR", "NOK"]
    assert [r.key for r in report.by_currency()[1].rows] == ["FW-0"]


def test_rejected_and_returned_orders_are_left_out_and_the_replacement_counts(
    brand: Any, data: Dataset
) -> None:
    only_returned = Period(
        start=timezone.localdate(data.returned.placed_at),
        end=timezone.localdate(data.returned.placed_at),
    )
    report = order_analytics(brand=brand, dimension=Dimension.BUYER, period=only_returned)
    maison = next(r for r in report.rows if r.key == str(data.maison.pk))

    # The returned order (7 pcs) and the rejected one (10 pcs) are out; its replacement is in.
    assert data.returned.status == "returned_to_cart"
    assert data.rejected.status == "rejected"
    assert data.replacement.replaces_id == data.returned.pk
    assert (maison.orders, maison.quantity) == (2, 11)


def test_the_period_takes_whole_days_at_both_ends(brand: Any, data: Dataset) -> None:
    placed = timezone.localdate(data.old.placed_at)

    assert rows(brand, Dimension.PRODUCT, Period(start=placed, end=placed)) == [
        row("M-SS", "Model M-SS", "EUR", 1, 100, "5000.00")
    ]
    day_before = placed - datetime.timedelta(days=1)
    assert rows(brand, Dimension.PRODUCT, Period(start=day_before, end=day_before)) == []


def test_another_brands_orders_never_count(brand: Any, data: Dataset) -> None:
    report = order_analytics(
        brand=data.foreign.brand, dimension=Dimension.PRODUCT, period=last_90_days()
    )

    assert [r.quantity for r in report.rows] == [50]
    assert all(r.quantity != 50 for r in rows(brand, Dimension.PRODUCT))


# The sums, the orders per currency, the names; PostgreSQL's tuning of the transaction.
ANALYTICS_QUERIES = {"sqlite": 4, "postgresql": 5}


@pytest.mark.parametrize("by", list(Dimension))
def test_analytics_cost_four_queries_however_many_orders(
    brand: Any, data: Dataset, by: Dimension
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            order_analytics(brand=brand, dimension=by, period=last_90_days())
        return len(captured)

    few = queries()
    for _ in range(5):
        place(
            buyer=factories.make_connected_buyer(brand=brand),
            catalog=make_catalog(
                brand=brand, code=f"X{_}", currency="SEK", model=f"M-X{_}", prefix=f"X{_}", skus=4
            ),
            quantities={f"X{_}-{i}": i + 1 for i in range(4)},
            user=None,
        )

    assert queries() == few == ANALYTICS_QUERIES[connection.vendor]


# --- Returns -----------------------------------------------------------------------------------


def returned_at(order: Order, when: datetime.datetime) -> None:
    OrderEvent.objects.filter(order=order, type=OrderEventType.RETURNED_TO_CART).update(
        created_at=when
    )


def placed_at(order: Order, when: datetime.datetime) -> None:
    Order.objects.filter(pk=order.pk).update(placed_at=when)


def return_and_maybe_place_again(
    *,
    owner: Any,
    buyer: Any,
    catalog: Any,
    placed: datetime.datetime,
    returned: datetime.datetime,
    again: Any = None,
) -> tuple[Order, Order | None]:
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities={"SS-0": 1})
    placed_at(order, placed)
    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    returned_at(order, returned)
    if again is None:
        ordering.cart_delete(cart=cart)
        return order, None
    replacement = ordering.order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=None
    )
    placed_at(replacement, again)
    return order, replacement


def test_returns_count_the_periods_orders_returned_and_the_median_time_to_place_again(
    brand: Any, owner: Any
) -> None:
    catalog = make_catalog(brand=brand, code="SS27", currency="EUR", model="M", prefix="SS", skus=1)
    now = timezone.now()
    day = datetime.timedelta(days=1)
    buyers = [factories.make_connected_buyer(brand=brand) for _ in range(4)]
    # Placed in the period, returned and placed again after 2 days, after 4 days (then
    # archived), not at all; and one placed before the period, returned within it.
    return_and_maybe_place_again(
        owner=owner,
        buyer=buyers[0],
        catalog=catalog,
        placed=now - 12 * day,
        returned=now - 10 * day,
        again=now - 8 * day,
    )
    archived, _again = return_and_maybe_place_again(
        owner=owner,
        buyer=buyers[1],
        catalog=catalog,
        placed=now - 11 * day,
        returned=now - 9 * day,
        again=now - 5 * day,
    )
    ordering.order_archive(order_id=archived.pk, actor=owner)
    return_and_maybe_place_again(
        owner=owner, buyer=buyers[2], catalog=catalog, placed=now - 3 * day, returned=now - day
    )
    return_and_maybe_place_again(
        owner=owner,
        buyer=buyers[3],
        catalog=catalog,
        placed=now - 120 * day,
        returned=now - 60 * day,
        again=now,
    )

    summary = returns_summary(brand=brand, period=last_90_days())

    assert (summary.returned, summary.replaced, summary.waiting) == (3, 2, 1)
    assert summary.median_time_to_replace == 3 * day


def test_returns_of_the_fixed_data_set(brand: Any, data: Dataset) -> None:
    summary = returns_summary(brand=brand, period=last_90_days())

    assert (summary.returned, summary.replaced) == (1, 1)
    assert summary.median_time_to_replace is not None
    assert datetime.timedelta(0) <= summary.median_time_to_replace < datetime.timedelta(minutes=1)


def test_no_returns_give_no_median(brand: Any) -> None:
    summary = returns_summary(brand=brand, period=last_90_days())

    assert (summary.returned, summary.replaced, summary.median_time_to_replace) == (0, 0, None)


def test_returns_cost_one_query(brand: Any, data: Dataset) -> None:
    with CaptureQueriesContext(connection) as captured:
        returns_summary(brand=brand, period=last_90_days())

    # And on PostgreSQL, the tuning of its transaction.
    assert len(captured) == {"sqlite": 1, "postgresql": 2}[connection.vendor]
