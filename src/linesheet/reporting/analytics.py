"""Order analytics: live orders summed by product, buyer, catalog or SKU, money per currency.

Only live orders count (`live_orders()`): rejected orders and orders returned to the cart are
left out, and the order placed again from a returned cart counts like any other. An order
counts with its working lines: its OC's lines once it has an OC, its Original Order's before.
Amounts are never added across currencies: every row and every total is of one currency.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent, OrderLine
from linesheet.ordering.selectors import day_start, live_orders

DEFAULT_PERIOD_DAYS = 90


class Dimension(models.TextChoices):
    PRODUCT = "product", _("Product")
    BUYER = "buyer", _("Buyer")
    CATALOG = "catalog", _("Catalog")
    SKU = "sku", _("SKU")


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the current time zone."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Return the half-open range [start of `start`, start of the day after `end`)."""
        return day_start(self.start), day_start(self.end + datetime.timedelta(days=1))


def default_period(*, today: datetime.date) -> Period:
    """Return the last 90 days, today included."""
    return Period(start=today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=today)


@dataclass(frozen=True)
class AnalyticsRow:
    """One product, buyer, catalog or SKU in one currency."""

    key: str
    label: str
    currency: str
    orders: int
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    orders: int
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class CurrencySection:
    total: CurrencyTotal
    rows: list[AnalyticsRow]


@dataclass(frozen=True)
class OrderAnalytics:
    dimension: Dimension
    period: Period
    rows: list[AnalyticsRow]
    totals: list[CurrencyTotal]

    def by_currency(self) -> list[CurrencySection]:
        """Return each currency's total with its rows, largest amount first."""
        return [
            CurrencySection(
                total=total, rows=[r for r in self.rows if r.currency == total.currency]
            )
            for total in self.totals
        ]


@dataclass(frozen=True)
class _Grouping:
    """What a dimension groups lines by, and the fields its label is made of.

    Paths starting with "order__" are the order's fields; they are rewritten for the OC's
    lines, which reach their order through the confirmation.
    """

    key: str
    label_fields: Mapping[str, str]

    def label(self, values: Mapping[str, Any]) -> str:
        return " · ".join(str(values[name]) for name in self.label_fields if values[name])


GROUPINGS: dict[Dimension, _Grouping] = {
    Dimension.PRODUCT: _Grouping("model_number", {"name": "product_name"}),
    Dimension.SKU: _Grouping(
        "sku_number", {"name": "product_name", "color": "color", "size": "size"}
    ),
    Dimension.BUYER: _Grouping("order__buyer_id", {"name": "order__buyer__name"}),
    Dimension.CATALOG: _Grouping(
        "order__catalog_id", {"code": "order__catalog__code", "name": "order__catalog__name"}
    ),
}


def _path(field: str, order_path: str) -> str:
    return order_path + field.removeprefix("order__") if field.startswith("order__") else field


def _grouped(lines: QuerySet[Any], *, grouping: _Grouping, order_path: str) -> list[dict[str, Any]]:
    """Sum the lines per (key, currency) in one query."""
    return list(
        lines.annotate(
            group_key=F(_path(grouping.key, order_path)),
            group_currency=F(f"{order_path}currency"),
        )
        .values("group_key", "group_currency")
        .annotate(
            sum_quantity=Sum("quantity"),
            sum_amount=Sum("amount"),
            order_count=Count(f"{order_path}id", distinct=True),
            **{
                f"label_{name}": Max(_path(field, order_path))
                for name, field in grouping.label_fields.items()
            },
        )
        .order_by()
    )


def period_orders(*, brand: Brand, period: Period) -> QuerySet[Order]:
    """Return the brand's live orders placed in the period."""
    start, end = period.bounds()
    return live_orders().filter(brand=brand, placed_at__gte=start, placed_at__lt=end)


def order_analytics(*, brand: Brand, dimension: Dimension, period: Period) -> OrderAnalytics:
    """Sum the live orders placed in the period by `dimension`, per currency (three queries).

    The sums are made in the database: one GROUP BY over the Original Order lines of orders
    without an OC, one over the OC lines of orders with one, one count of orders per currency.
    An order is in exactly one of the first two, so their sums add up without double counting.
    """
    grouping = GROUPINGS[Dimension(dimension)]
    orders = period_orders(brand=brand, period=period)
    groups = _grouped(
        OrderLine.objects.filter(order__in=orders.filter(confirmation__isnull=True)),
        grouping=grouping,
        order_path="order__",
    ) + _grouped(
        OrderConfirmationLine.objects.filter(confirmation__order__in=orders),
        grouping=grouping,
        order_path="confirmation__order__",
    )
    merged: dict[tuple[str, str], AnalyticsRow] = {}
    for group in groups:
        key = str(group["group_key"])
        currency = group["group_currency"]
        labels = {name: group[f"label_{name}"] for name in grouping.label_fields}
        previous = merged.get((key, currency))
        merged[(key, currency)] = AnalyticsRow(
            key=key,
            label=previous.label if previous else grouping.label(labels),
            currency=currency,
            orders=group["order_count"] + (previous.orders if previous else 0),
            quantity=group["sum_quantity"] + (previous.quantity if previous else 0),
            amount=group["sum_amount"] + (previous.amount if previous else Decimal("0")),
        )
    order_counts = dict(
        orders.values("currency").annotate(count=Count("id")).values_list("currency", "count")
    )
    rows = sorted(merged.values(), key=lambda r: (r.currency, -r.amount, -r.quantity, r.label))
    totals = [
        CurrencyTotal(
            currency=currency,
            orders=order_counts[currency],
            quantity=sum(r.quantity for r in rows if r.currency == currency),
            amount=sum((r.amount for r in rows if r.currency == currency), Decimal("0")),
        )
        for currency in sorted(order_counts)
    ]
    return OrderAnalytics(dimension=Dimension(dimension), period=period, rows=rows, totals=totals)


# --- Returns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnsSummary:
    """Orders returned to the cart in a period, and how many the buyers placed again."""

    returned: int
    replaced: int
    median_time_to_replace: datetime.timedelta | None

    @property
    def waiting(self) -> int:
        """Return how many returned orders have not been placed again (yet)."""
        return self.returned - self.replaced


def median_duration(durations: Sequence[datetime.timedelta]) -> datetime.timedelta | None:
    """Return the median of the durations, the mean of the middle two for an even count."""
    if not durations:
        return None
    ordered = sorted(durations)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def returns_summary(*, brand: Brand, period: Period) -> ReturnsSummary:
    """Count the brand's orders returned in the period and their replacements (one query).

    A return is its `returned_to_cart` event; its replacement is the order whose `replaces`
    points at the returned order, placed whenever. The time to replace runs from the event to
    the replacement's placing.
    """
    start, end = period.bounds()
    replacement = Order.objects.filter(replaces_id=OuterRef("order_id")).values("placed_at")[:1]
    returned: dict[int, tuple[datetime.datetime, datetime.datetime | None]] = {}
    for order_id, returned_at, replaced_at in (
        OrderEvent.objects.filter(
            type=OrderEventType.RETURNED_TO_CART,
            order__brand=brand,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(replaced_at=Subquery(replacement))
        .order_by("created_at", "id")
        .values_list("order_id", "created_at", "replaced_at")
    ):
        # A return is irreversible, so an order has one such event; keep the first regardless.
        returned.setdefault(order_id, (returned_at, replaced_at))
    durations = [again - at for at, again in returned.values() if again is not None]
    return ReturnsSummary(
        returned=len(returned),
        replaced=len(durations),
        median_time_to_replace=median_duration(durations),
    )
