"""What reporting keeps up to date as orders change, inside the change's own transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent
from linesheet.ordering.statuses import counted_lines

# The events that write an order's OC lines, which an order with an OC is counted by.
OC_LINES_WRITTEN = frozenset({OrderEventType.OC_CREATED, OrderEventType.OC_UPDATED})


def changes_what_the_order_adds(event: OrderEvent) -> bool:
    """Say whether the event changed what its order adds to analytics.

    It did when the OC's lines were written, or when the status moved to one that counts
    other lines (or none: a rejected or returned order counts nothing).
    """
    if event.type in OC_LINES_WRITTEN:
        return True
    if "previous" not in event.details:
        return False
    return counted_lines(event.details["previous"]) != counted_lines(event.details["status"])


def on_order_event_recorded(sender: Any, *, event: OrderEvent, **kwargs: Any) -> None:
    """Count the order's `sums_revision` up, so the monthly sums holding it are summed again."""
    if changes_what_the_order_adds(event):
        Order.objects.filter(pk=event.order_id).update(sums_revision=F("sums_revision") + 1)
