"""Orders over the three months before the current one, and the sums to check analytics by.

The sums are made here from the orders and their lines, one by one, so a stale or half-written
cached month shows as a wrong figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linesheet.core.clock import day_start
from linesheet.documents import services as documents
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine
from linesheet.reporting.analytics import Dimension, Period, order_analytics
from tests import factories
from tests.integration.reporting.dataset import make_catalog, place

Figures = dict[tuple[str, str], tuple[int, int, Decimal]]

# What an order counts with in analytics, as the product says: the Original Order while it
# awaits its OC, the OC from then on, nothing once rejected or returned to the cart.
COUNTS_ORIGINAL_ORDER = {"awaiting_oc"}
COUNTS_OC = {"oc_created", "oc_approved", "oc_rejected", "oc_confirmed"}


def month_start(months_ago: int) -> datetime.date:
    """The first day of the month `months_ago` before the current one."""
    first = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def move(order: Order, day: datetime.date, hour: int = 12) -> None:
    Order.objects.filter(pk=order.pk).update(
        placed_at=day_start(day) + datetime.timedelta(hours=hour)
    )


def by_hand(brand: Any, period: Period, by: Dimension) -> Figures:
    """Sum the live orders of the period by SKU or buyer, order by order, line by line."""
    start, end = period.bounds()
    figures: dict[tuple[str, str], list[Any]] = {}
    orders = Order.objects.filter(
        brand=brand,
        status__in=COUNTS_ORIGINAL_ORDER | COUNTS_OC,
        placed_at__gte=start,
        placed_at__lt=end,
    ).select_related("buyer")
    for order in orders:
        if order.status in COUNTS_ORIGINAL_ORDER:
            lines = list(OrderLine.objects.filter(order=order).select_related("sku"))
        else:
            lines = list(
                OrderConfirmationLine.objects.filter(confirmation__order=order).select_related(
                    "sku"
                )
            )
        keys = {
            line.sku.sku_number if by == Dimension.SKU else str(order.buyer_id): line
            for line in lines
        }
        for key in keys:
            found = figures.setdefault((key, order.currency), [0, 0, Decimal("0")])
            found[0] += 1
        for line in lines:
            key = line.sku.sku_number if by == Dimension.SKU else str(order.buyer_id)
            found = figures[key, order.currency]
            found[1] += line.quantity
            found[2] += line.amount
    return {key: (o, q, a) for key, (o, q, a) in figures.items()}


def analytics(brand: Any, period: Period, by: Dimension = Dimension.SKU) -> Figures:
    report = order_analytics(brand=brand, dimension=by, period=period)
    return {(r.key, r.currency): (r.orders, r.quantity, r.amount) for r in report.rows}


class History:
    """Orders in the three months before this one, and one placed today."""

    def __init__(self, brand: Any, owner: Any) -> None:
        self.brand, self.owner = brand, owner
        self.catalog = make_catalog(
            brand=brand, code="SS27", currency="EUR", model="M-SS", prefix="SS", skus=4
        )
        self.buyers = [factories.make_connected_buyer(brand=brand) for _ in range(2)]
        self.orders: dict[str, Order] = {}
        for name, months_ago, day, quantities in (
            ("first", 3, 1, {"SS-0": 2, "SS-1": 1}),
            ("first_late", 3, 28, {"SS-1": 4}),
            ("middle", 2, 15, {"SS-0": 3, "SS-2": 5}),
            ("middle_oc", 2, 16, {"SS-2": 1, "SS-3": 2}),
            ("last", 1, 10, {"SS-3": 7}),
            ("today", 0, 0, {"SS-0": 1}),
        ):
            order = place(
                buyer=self.buyers[len(self.orders) % 2],
                catalog=self.catalog,
                quantities=quantities,
                user=None,
            )
            if months_ago:
                move(order, month_start(months_ago).replace(day=day))
            self.orders[name] = order
        self.oc(self.orders["middle_oc"], {"SS-2": 2, "SS-3": 2, "SS-1": 1})
        self.period = Period(start=month_start(3), end=timezone.localdate())

    def place(self, quantities: dict[str, int], *, day: datetime.date | None = None) -> Order:
        """Place one more order, today or at noon on `day`."""
        order = place(buyer=self.buyers[0], catalog=self.catalog, quantities=quantities, user=None)
        if day is not None:
            move(order, day)
        return order

    def oc(self, order: Order, quantities: dict[str, int]) -> None:
        documents.confirmation_save(
            order_id=order.pk,
            quantities=quantities,
            allow_buyer_approval=True,
            actor=self.owner,
            notify=False,
        )


def statements(action: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured]
