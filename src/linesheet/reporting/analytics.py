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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from linesheet.accounts.models import Brand, Buyer
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.core import clock
from linesheet.core.clock import day_start
from linesheet.core.replica import replica_reads
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine
from linesheet.ordering.statuses import (
    LIVE_STATUSES,
    LIVE_WITH_OC,
    LIVE_WITHOUT_OC,
)
from linesheet.reporting.models import AnalyticsMonth, AnalyticsMonthSum, Dimension

DEFAULT_PERIOD_DAYS = 90


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
    label_fields: tuple[str, ...]
    one_line_per_order: bool = False

    @staticmethod
    def label(values: Sequence[Any]) -> str:
        """Join the label fields' values (in `label_fields` order), leaving out empty ones."""
        return " · ".join([str(value) for value in values if value])

    def names(self, *, brand: Brand, keys: Collection[Any]) -> dict[Any, tuple[str, str]]:
        """Return the shown key and the label of each key, in one query."""
        found = self.model._default_manager.filter(brand=brand)
        if len(keys) <= NAME_BY_ID_LIMIT:
            found = found.filter(pk__in=keys)
        return {
            pk: (str(shown), self.label(labels))
            for pk, shown, *labels in found.values_list("pk", self.shown, *self.label_fields)
            if pk in keys
        }


GROUPINGS: dict[Dimension, _Grouping] = {
    Dimension.PRODUCT: _Grouping("sku__product_id", Product, "model_number", ("name",)),
    Dimension.SKU: _Grouping(
        "sku_id", SKU, "sku_number", ("product__name", "color", "size"), one_line_per_order=True
    ),
    Dimension.BUYER: _Grouping("order__buyer_id", Buyer, "pk", ("name",)),
    Dimension.CATALOG: _Grouping("order__catalog_id", Catalog, "pk", ("code", "name")),
}


def _path(field: str, order_path: str) -> str:
    return order_path + field.removeprefix("order__") if field.startswith("order__") else field


Span = tuple[datetime.datetime, datetime.datetime]


@dataclass(frozen=True)
class _Month:
    """A calendar month, or the current month's days before today, as the half-open range
    [starts_at, ends_at) in the current time zone."""

    first: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_within(period: Period, *, now: datetime.datetime) -> list[_Month]:
    """Return the months of the period whose sums are cached, in order.

    Every whole calendar month inside the period that was over by `now`; then, when the period
    holds the current month from its first day to today, the current month's days before
    today: a span that stays the same all day, so every view ending today reads it from its
    sums and sums only today's lines. Tomorrow it has other bounds, and is summed again once.
    """
    months = []
    first = period.start if period.start.day == 1 else _next_month(period.start)
    while (following := _next_month(first)) <= period.end + datetime.timedelta(days=1):
        month = _Month(first, day_start(first), day_start(following))
        if month.ends_at > now:
            break
        months.append(month)
        first = following
    today = clock.today(now)
    this_month = today.replace(day=1)
    if period.start <= this_month < today <= period.end:
        months.append(_Month(this_month, day_start(this_month), day_start(today)))
    return months


def _joined(spans: Sequence[Span]) -> list[Span]:
    """Return the spans (in order, not overlapping) with each run of touching spans made one."""
    joined: list[Span] = []
    for start, end in spans:
        if joined and joined[-1][1] == start:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _placed_between(start: datetime.datetime, end: datetime.datetime, order_path: str) -> Q:
    """Match lines (or orders, with an empty path) placed in [start, end)."""
    return Q(**{f"{order_path}placed_at__gte": start, f"{order_path}placed_at__lt": end})


def _placed_in(spans: Sequence[Span], order_path: str) -> Q:
    """Match lines (or orders, with an empty path) placed in any of the spans."""
    q = Q(pk__in=[])
    for start, end in _joined(spans):
        q |= _placed_between(start, end, order_path)
    return q


def _month_of(months: Sequence[_Month], order_path: str) -> Case:
    """The first day of the cached month the order was placed in; NULL outside them."""
    return Case(
        *(
            When(_placed_between(m.starts_at, m.ends_at, order_path), then=Value(m.first))
            for m in months
        ),
        default=Value(None),
        output_field=DateField(),
    )


def _sums(
    lines: QuerySet[Any], *, grouping: _Grouping, order_path: str, month: Case | None = None
) -> QuerySet[Any]:
    """Sum the lines per (key, currency), and per cached month when `month` is given.

    The rows are (month, key, currency, orders, quantity, amount), or the same without the
    month. The lines are joined to their orders, not picked by a subquery of order ids:
    PostgreSQL reads each order of the period once, then its Original Order lines from the
    index that carries their SKU, quantity and amount (`order_line_sums`), never the lines
    themselves.
    """
    orders = Count("*") if grouping.one_line_per_order else Count(f"{order_path}id", distinct=True)
    groups: dict[str, Any] = {
        "group_key": F(_path(grouping.key, order_path)),
        "group_currency": F(f"{order_path}currency"),
    }
    if month is not None:
        groups = {"group_month": month, **groups}
    return (
        lines.values(**groups)
        .annotate(sum_quantity=Sum("quantity"), sum_amount=Sum("amount"), order_count=orders)
        .order_by()
        # Tuples, not dicts: a year by SKU is tens of thousands of groups.
        .values_list(*groups, "order_count", "sum_quantity", "sum_amount")
    )


def _line_sums(
    *,
    brand: Brand,
    grouping: _Grouping,
    spans: Sequence[Span],
    months: Sequence[_Month] | None = None,
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Sum the working lines of the brand's live orders placed in the spans: two queries.

    One over the Original Order lines of orders without an OC, one over the OC lines of
    orders with one. An order is in exactly one of them, so their sums add up without double
    counting. Which orders have an OC is told by their status, not by a join with the OCs: the
    database estimates a status well, and an anti-join badly (it then sorts the lines or
    reads them all).
    """
    queries = []
    for model, order_path, statuses in (
        (OrderLine, "order__", LIVE_WITHOUT_OC),
        (OrderConfirmationLine, "confirmation__order__", LIVE_WITH_OC),
    ):
        lines = model._default_manager.filter(
            _placed_in(spans, order_path),
            **{f"{order_path}brand": brand, f"{order_path}status__in": statuses},
        )
        month = None if months is None else _month_of(months, order_path)
        queries.append(_sums(lines, grouping=grouping, order_path=order_path, month=month))
    return queries[0], queries[1]


@contextmanager
def reporting_queries() -> Iterator[None]:
    """Run the block's queries in one transaction, tuned on PostgreSQL for large aggregates.

    The block's reads of orders and lines go to the read replica when one is configured
    (`replica_reads`), in a transaction of their own there; the month sums are written, and
    read back, on the primary.

    Enough memory to sum a year's lines in a hash rather than a sort spilled to disk, no
    JIT (compiling these plans cost more than it saved, docs/performance.md), and a plan
    made for each period: once a connection has prepared these statements, PostgreSQL may
    settle on one generic plan for every period, blind to how many orders the dates hold,
    while planning again is small beside the sums. The settings end with the transaction
    (no savepoint inside a caller's).
    """
    with ExitStack() as stack:
        replica = stack.enter_context(replica_reads())
        aliases = [DEFAULT_DB_ALIAS]
        if connections[replica] is not connections[DEFAULT_DB_ALIAS]:
            aliases.append(replica)
        for alias in aliases:
            stack.enter_context(transaction.atomic(using=alias, savepoint=False))
            if connections[alias].vendor == "postgresql":
                with connections[alias].cursor() as cursor:
                    # One statement (set_config, local to the transaction), so that it can
                    # be prepared like any other.
                    cursor.execute(
                        "SELECT set_config('work_mem', '64MB', true),"
                        " set_config('jit', 'off', true),"
                        " set_config('plan_cache_mode', 'force_custom_plan', true)"
                    )
        yield


@dataclass(frozen=True)
class _Stamp:
    """What a month's orders were when its sums were taken: their number and revisions."""

    orders: int
    revisions: int


def _period_counts(
    *, brand: Brand, period: Period, months: Sequence[_Month]
) -> tuple[dict[str, int], dict[datetime.date, _Stamp]]:
    """Count the period's live orders per currency, and stamp each month's orders: one query.

    The stamp counts every order placed in the month, whatever its status, with the sum of
    their `sums_revision`s, read from the `order_brand_placed_sums` index alone.
    """
    start, end = period.bounds()
    live: dict[str, int] = {}
    stamps: dict[datetime.date, _Stamp] = {}
    counts = (
        Order.objects.filter(_placed_between(start, end, ""), brand=brand)
        .values(month=_month_of(months, ""), group_currency=F("currency"))
        .annotate(
            live=Count("id", filter=Q(status__in=LIVE_STATUSES)),
            orders=Count("id"),
            revisions=Sum("sums_revision"),
        )
        .order_by()
        .values_list("month", "group_currency", "live", "orders", "revisions")
    )
    for month, currency, live_orders, orders, revisions in counts:
        if live_orders:
            live[currency] = live.get(currency, 0) + live_orders
        if month is not None:
            found = stamps.get(month, _Stamp(0, 0))
            stamps[month] = _Stamp(found.orders + orders, found.revisions + revisions)
    return live, stamps


def _cache_months(
    *,
    brand: Brand,
    dimension: Dimension,
    grouping: _Grouping,
    months: Sequence[_Month],
    stamps: Mapping[datetime.date, _Stamp],
) -> None:
    """Write the months' sums afresh with their stamps: three statements.

    The stamps were read before the sums are: a change committed in between is in the sums
    but not the stamp, so the month is taken again next time, never served stale. A
    concurrent writer of the same month waits on its stamp's row, then writes its own.
    """
    now = timezone.now()
    AnalyticsMonth.objects.bulk_create(
        [
            AnalyticsMonth(
                brand=brand,
                dimension=dimension,
                month=m.first,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                orders=stamps[m.first].orders,
                revisions=stamps[m.first].revisions,
                computed_at=now,
            )
            for m in months
        ],
        update_conflicts=True,
        unique_fields=["brand", "dimension", "month"],
        update_fields=["starts_at", "ends_at", "orders", "revisions", "computed_at"],
    )
    AnalyticsMonthSum.objects.filter(
        brand=brand, dimension=dimension, month__in=[m.first for m in months]
    ).delete()
    original, confirmed = _line_sums(
        brand=brand,
        grouping=grouping,
        spans=[(m.starts_at, m.ends_at) for m in months],
        months=months,
    )
    month_sums_insert(brand=brand, dimension=dimension, lines=original.union(confirmed, all=True))


def month_sums_insert(*, brand: Brand, dimension: Dimension, lines: QuerySet[Any]) -> None:
    """Write the months' sums of `lines` (grouped rows of both kinds) as AnalyticsMonthSum rows.

    A key of a month may have lines of both kinds (orders with and without an OC), so their
    rows are added up once more here.
    """
    # Set-based: a year by SKU is hundreds of thousands of rows, summed and written by the
    # database in one INSERT ... SELECT instead of read into Python and written back.
    lines_sql, params = lines.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reporting_analyticsmonthsum"
            " (brand_id, dimension, month, key, currency, orders, quantity, amount)"
            " SELECT %s, %s, u.group_month, u.group_key, u.group_currency, SUM(u.order_count),"
            " SUM(u.sum_quantity), SUM(u.sum_amount)"
            f" FROM ({lines_sql}) u GROUP BY u.group_month, u.group_key, u.group_currency",
            [brand.pk, dimension.value, *params],
        )


def _cached_sums(*, brand: Brand, dimension: Dimension, months: Sequence[_Month]) -> QuerySet[Any]:
    """Add up the cached months' sums per (key, currency): (key, currency, orders, ...)."""
    return (
        AnalyticsMonthSum.objects.filter(
            brand=brand, dimension=dimension, month__in=[m.first for m in months]
        )
        .values("key", "currency")
        .annotate(o=Sum("orders"), q=Sum("quantity"), a=Sum("amount"))
        .order_by()
        .values_list("key", "currency", "o", "q", "a")
    )


def _uncovered(period: Period, months: Sequence[_Month]) -> list[Span]:
    """Return the parts of the period outside the months: before the first and after the last."""
    start, end = period.bounds()
    if not months:
        return [(start, end)]
    return [
        span
        for span in ((start, months[0].starts_at), (months[-1].ends_at, end))
        if span[0] < span[1]
    ]


def _summed_months(
    *, brand: Brand, dimension: Dimension, period: Period, cacheable: Sequence[_Month]
) -> tuple[dict[str, int], list[_Month], int]:
    """Stamp the period's orders, then sum afresh each cacheable month whose orders changed.

    Returns the live orders per currency, the cacheable months that have orders (each now
    summed), and how many of them were summed here. Two to five statements.
    """
    order_counts, stamps = _period_counts(brand=brand, period=period, months=cacheable)
    # A month without orders has nothing to read or cache.
    months = [m for m in cacheable if m.first in stamps]
    if not months:
        return order_counts, months, 0
    bounds = {m.first: (m.starts_at, m.ends_at) for m in months}
    cached = {
        month: _Stamp(orders, revisions)
        for month, starts_at, ends_at, orders, revisions in AnalyticsMonth.objects.filter(
            brand=brand, dimension=dimension, month__in=list(bounds)
        ).values_list("month", "starts_at", "ends_at", "orders", "revisions")
        # Bounds taken in another time zone are of another month.
        if (starts_at, ends_at) == bounds[month]
    }
    stale = [m for m in months if cached.get(m.first) != stamps[m.first]]
    if stale:
        _cache_months(
            brand=brand,
            dimension=dimension,
            grouping=GROUPINGS[dimension],
            months=stale,
            stamps=stamps,
        )
    return order_counts, months, len(stale)


def analytics_months_sum(*, brand: Brand, period: Period) -> int:
    """Sum every dimension's cacheable months of the period that are not summed as they are.

    Ahead of the first view of a long period (or of the day), which otherwise sums them from
    their lines. Returns how many (dimension, month) pairs were summed.
    """
    cacheable = months_within(period, now=timezone.now())
    summed = 0
    for dimension in Dimension:
        with reporting_queries():
            summed += _summed_months(
                brand=brand, dimension=dimension, period=period, cacheable=cacheable
            )[2]
    return summed


def order_analytics(*, brand: Brand, dimension: Dimension, period: Period) -> OrderAnalytics:
    """Sum the live orders placed in the period by `dimension`, per currency.

    The whole calendar months inside the period that are over, and the current month's days
    before today (`months_within`), are read from their cached sums (reporting.models),
    written afresh first for each month whose orders changed since (or never summed); the rest
    of the period (today, and the days of a month the period starts inside) is summed from
    its lines. A query counts the
    orders per currency and stamps the months; on PostgreSQL one more statement tunes the
    transaction (`reporting_queries`). Six to nine statements, whatever the period's length.
    """
    dimension = Dimension(dimension)
    grouping = GROUPINGS[dimension]
    cacheable = months_within(period, now=timezone.now())
    groups: list[tuple[Any, str, int, int, Decimal]] = []
    with reporting_queries():
        order_counts, months, _summed = _summed_months(
            brand=brand, dimension=dimension, period=period, cacheable=cacheable
        )
        if months:
            groups += _cached_sums(brand=brand, dimension=dimension, months=months)
        uncovered = _uncovered(period, cacheable)
        if uncovered:
            for line_sums in _line_sums(brand=brand, grouping=grouping, spans=uncovered):
                groups += line_sums
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
