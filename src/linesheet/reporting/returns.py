"""Analytics' returns panel: the brand's orders returned to the cart in a period, how many were
placed again, and how long that took."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, DurationField, ExpressionWrapper, F, OuterRef, Subquery, When

from linesheet.accounts.models import Brand
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent
from linesheet.ordering.selectors import OrderFilters, orders_of_brand
from linesheet.ordering.statuses import OrderStatus
from linesheet.reporting.analytics import Period, reporting_queries


@dataclass(frozen=True)
class ReturnsSummary:
    """Orders placed in a period and returned to the cart, and how many were placed again."""

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


def returned_orders(*, period: Period) -> OrderFilters:
    """Return Order Management's search for the brand's orders placed in the period and
    returned to the cart, archived or not: what the returns panel counts and links to."""
    return OrderFilters(
        status=OrderStatus.RETURNED_TO_CART,
        placed_from=period.start,
        placed_to=period.end,
        archived=None,
    )


def returns_summary(*, brand: Brand, period: Period) -> ReturnsSummary:
    """Count the brand's orders placed in the period and returned, and those placed again.

    One query, on PostgreSQL one more to tune its transaction (`reporting_queries`). The
    orders are Order Management's search `returned_orders` (a return is irreversible, so the
    status says it), so the count is what the panel's link lists. An order's replacement is
    the order whose `replaces` points at it; the time to replace runs from the return's event
    to the replacement's placing, subtracted by the database.
    """
    replaced_at = (
        Order.objects.filter(replaces_id=OuterRef("pk")).order_by().values("placed_at")[:1]
    )
    returned_at = (
        OrderEvent.objects.filter(order_id=OuterRef("pk"), type=OrderEventType.RETURNED_TO_CART)
        .order_by()
        .values("created_at")[:1]
    )
    orders = (
        orders_of_brand(brand=brand, filters=returned_orders(period=period))
        # The same orders, said so that PostgreSQL reads the brand's returned orders alone
        # from order_brand_status_placed (once for each value of archived) instead of every
        # order the period holds.
        .filter(archived__in=[False, True])
        .order_by()
        .annotate(replaced_at=Subquery(replaced_at))
        .annotate(
            # The return's event is looked up only for an order placed again.
            time_to_replace=Case(
                When(
                    replaced_at__isnull=False,
                    then=ExpressionWrapper(
                        F("replaced_at") - Subquery(returned_at), output_field=DurationField()
                    ),
                ),
                output_field=DurationField(),
            )
        )
        .values_list("time_to_replace", flat=True)
    )
    with reporting_queries():
        times = list(orders)
    durations = [duration for duration in times if duration is not None]
    return ReturnsSummary(
        returned=len(times),
        replaced=len(durations),
        median_time_to_replace=median_duration(durations),
    )
