"""Order analytics: live orders summed by product, buyer, catalog or SKU, money per currency.

Only live orders count (LIVE_STATUSES): rejected orders and orders returned to the cart are
left out, and the order placed again from a returned cart counts like any other. An order
counts with its working lines: its OC's lines once it has an OC, its Original Order's before.
Amounts are never added across currencies: every row and every total is of one currency.

Lines are summed per SKU, product, buyer or catalog by their ids, and a row is named as the
catalog and the buyer list name it now: a SKU renamed since some orders were placed is one
row, under its current number.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, Buyer
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent, OrderLine
from linesheet.ordering.selectors import day_start
from linesheet.ordering.statuses import LIVE_STATUSES, OrderStatus

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


# Past this many keys, naming them from the brand's whole list is cheaper than a long IN (...).
NAME_BY_ID_LIMIT = 1_000


@dataclass(frozen=True)
class _Grouping:
    """What a dimension sums lines by, and how a row is named.

    The lines are summed per `key`, the id of a `model` row (a path from a line; paths
    starting with "order__" are the order's, rewritten for the OC's lines, which reach their
    order through the confirmation). Only the keys found are named afterwards, in one query,
    by the model's `shown` field and `label_fields`: the sums read no text, so PostgreSQL
    reads the lines from an index alone. `one_line_per_order` says an order has at most one
    line per key (a SKU: the OC's lines by constraint, the Original Order's by construction,
    placing takes one quantity per SKU), so counting lines counts orders, without the sort
    that counting distinct orders needs.
    """

    key: str
    model: type[SKU | Product | Buyer | Catalog]
    shown: str
    label_fields: Mapping[str, str]
    one_line_per_order: bool = False

    def label(self, values: Mapping[str, Any]) -> str:
        return " · ".join(str(values[name]) for name in self.label_fields if values[name])

    def names(self, *, brand: Brand, keys: Collection[Any]) -> dict[Any, tuple[str, str]]:
        """Return the shown key and the label of each key, in one query."""
        found = self.model._default_manager.filter(brand=brand)
        if len(keys) <= NAME_BY_ID_LIMIT:
            found = found.filter(pk__in=keys)
        return {
            pk: (str(shown), self.label(dict(zip(self.label_fields, labels, strict=True))))
            for pk, shown, *labels in found.values_list(
                "pk", self.shown, *self.label_fields.values()
            )
            if pk in keys
        }


GROUPINGS: dict[Dimension, _Grouping] = {
    Dimension.PRODUCT: _Grouping("sku__product_id", Product, "model_number", {"name": "name"}),
    Dimension.SKU: _Grouping(
        "sku_id",
        SKU,
        "sku_number",
        {"name": "product__name", "color": "color", "size": "size"},
        one_line_per_order=True,
    ),
    Dimension.BUYER: _Grouping("order__buyer_id", Buyer, "pk", {"name": "name"}),
    Dimension.CATALOG: _Grouping(
        "order__catalog_id", Catalog, "pk", {"code": "code", "name": "name"}
    ),
}


def _path(field: str, order_path: str) -> str:
    return order_path + field.removeprefix("order__") if field.startswith("order__") else field


# A live order has its OC from OC_CREATED on (the OC is made in the same transaction, and
# never deleted); before, it is awaiting one.
LIVE_WITHOUT_OC = frozenset({OrderStatus.AWAITING_OC})
LIVE_WITH_OC = LIVE_STATUSES - LIVE_WITHOUT_OC


def _in_period(
    *, brand: Brand, period: Period, order_path: str, statuses: Collection[str] = LIVE_STATUSES
) -> dict[str, Any]:
    """Filter lines (or orders, with an empty path) to the brand's orders of the period."""
    start, end = period.bounds()
    return {
        f"{order_path}brand": brand,
        f"{order_path}status__in": statuses,
        f"{order_path}placed_at__gte": start,
        f"{order_path}placed_at__lt": end,
    }


def _sums(
    lines: QuerySet[Any], *, grouping: _Grouping, order_path: str
) -> list[tuple[Any, str, int, int, Decimal]]:
    """Sum the lines per (key, currency) in one query: (key, currency, orders, quantity, amount).

    The lines are joined to their orders, not picked by a subquery of order ids: PostgreSQL
    reads each order of the period once, then its Original Order lines from the index that
    carries their SKU, quantity and amount (`order_line_sums`), never the lines themselves.
    """
    orders = Count("*") if grouping.one_line_per_order else Count(f"{order_path}id", distinct=True)
    return list(
        lines.values(
            group_key=F(_path(grouping.key, order_path)),
            group_currency=F(f"{order_path}currency"),
        )
        .annotate(sum_quantity=Sum("quantity"), sum_amount=Sum("amount"), order_count=orders)
        .order_by()
        # Tuples, not dicts: a year by SKU is tens of thousands of groups.
        .values_list("group_key", "group_currency", "order_count", "sum_quantity", "sum_amount")
    )


def period_orders(*, brand: Brand, period: Period) -> QuerySet[Order]:
    """Return the brand's live orders placed in the period."""
    return Order.objects.filter(**_in_period(brand=brand, period=period, order_path=""))


@contextmanager
def _reporting_queries() -> Iterator[None]:
    """Run the block's queries in one transaction, tuned on PostgreSQL for large aggregates.

    Enough memory to sum a year's lines in a hash rather than a sort spilled to disk, no
    JIT: compiling the plan costs more than it saves on queries of a second or less, and a
    plan made for each period: once a connection has prepared these statements, PostgreSQL
    may settle on one generic plan for every period, blind to how many orders the dates
    hold; planning costs a few milliseconds on queries of hundreds. The settings end with
    the transaction (no savepoint inside a caller's: nothing is written).
    """
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One statement (set_config, local to the transaction), so that it can be
                # prepared like any other.
                cursor.execute(
                    "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),"
                    " set_config('plan_cache_mode', 'force_custom_plan', true)"
                )
        yield


def order_analytics(*, brand: Brand, dimension: Dimension, period: Period) -> OrderAnalytics:
    """Sum the live orders placed in the period by `dimension`, per currency (four queries).

    The sums are made in the database: one GROUP BY over the Original Order lines of orders
    without an OC, one over the OC lines of orders with one, one count of orders per currency.
    An order is in exactly one of the first two, so their sums add up without double counting.
    The fourth query names the keys found. On PostgreSQL one more statement tunes the
    transaction for them (`_reporting_queries`).
    """
    grouping = GROUPINGS[Dimension(dimension)]
    with _reporting_queries():
        groups = _sums(
            # Which orders have an OC is told by their status, not by a join with the OCs: the
            # database estimates a status well, and an anti-join badly (it then sorts the
            # lines or reads them all).
            OrderLine.objects.filter(
                **_in_period(
                    brand=brand, period=period, order_path="order__", statuses=LIVE_WITHOUT_OC
                ),
            ),
            grouping=grouping,
            order_path="order__",
        ) + _sums(
            OrderConfirmationLine.objects.filter(
                **_in_period(
                    brand=brand,
                    period=period,
                    order_path="confirmation__order__",
                    statuses=LIVE_WITH_OC,
                )
            ),
            grouping=grouping,
            order_path="confirmation__order__",
        )
        order_counts = dict(
            period_orders(brand=brand, period=period)
            .values("currency")
            .annotate(count=Count("id"))
            .values_list("currency", "count")
        )
        names = grouping.names(brand=brand, keys={group[0] for group in groups})
    # A key may have both kinds of lines (orders with and without an OC): add them up.
    sums: dict[tuple[Any, str], tuple[int, int, Decimal]] = {}
    for key, currency, orders, quantity, amount in groups:
        found = sums.get((key, currency))
        if found is not None:
            orders, quantity, amount = (
                found[0] + orders,
                found[1] + quantity,
                found[2] + amount,
            )
        sums[key, currency] = (orders, quantity, amount)
    rows = []
    for (key, currency), (orders, quantity, amount) in sums.items():
        shown, label = names[key]
        rows.append(AnalyticsRow(shown, label, currency, orders, quantity, amount))
    rows.sort(key=lambda r: (r.currency, -r.amount, -r.quantity, r.label))
    quantities: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for row in rows:
        quantities[row.currency] = quantities.get(row.currency, 0) + row.quantity
        amounts[row.currency] = amounts.get(row.currency, Decimal("0")) + row.amount
    totals = [
        CurrencyTotal(
            currency,
            orders=order_counts[currency],
            quantity=quantities.get(currency, 0),
            amount=amounts.get(currency, Decimal("0")),
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

    On PostgreSQL one more statement tunes the transaction for it (`_reporting_queries`).

    A return is its `returned_to_cart` event; its replacement is the order whose `replaces`
    points at the returned order, placed whenever. The time to replace runs from the event to
    the replacement's placing.
    """
    start, end = period.bounds()
    replacement = (
        Order.objects.filter(replaces_id=OuterRef("order_id")).order_by().values("placed_at")[:1]
    )
    returned: dict[int, datetime.timedelta | None] = {}
    # The events come from a partial index of the returns alone (order_event_returned). The
    # database subtracts the times: a year holds tens of thousands of returns, and reading
    # two timestamps of each costs more than the query.
    # Each event's order is looked up by key for its brand, not joined: a join makes
    # PostgreSQL read all the brand's orders to meet the few thousand returned ones.
    order_brand = Order.objects.filter(pk=OuterRef("order_id")).order_by().values("brand_id")[:1]
    events = (
        OrderEvent.objects.alias(order_brand=Subquery(order_brand))
        .filter(
            type=OrderEventType.RETURNED_TO_CART,
            order_brand=brand.pk,
            created_at__gte=start,
            created_at__lt=end,
        )
        .annotate(
            time_to_replace=ExpressionWrapper(
                Subquery(replacement) - F("created_at"), output_field=DurationField()
            )
        )
        .order_by("created_at", "id")
        .values_list("order_id", "time_to_replace")
    )
    with _reporting_queries():
        for order_id, time_to_replace in events:
            # A return is irreversible, so an order has one such event; keep the first.
            returned.setdefault(order_id, time_to_replace)
    durations = [duration for duration in returned.values() if duration is not None]
    return ReturnsSummary(
        returned=len(returned),
        replaced=len(durations),
        median_time_to_replace=median_duration(durations),
    )
