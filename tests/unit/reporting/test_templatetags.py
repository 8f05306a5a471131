from __future__ import annotations

import datetime

import pytest

from linesheet.ordering.models import Order, OrderEvent
from linesheet.reporting.templatetags.reporting import duration, has_confirmation


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime.timedelta(seconds=20), "less than a minute"),
        (datetime.timedelta(minutes=1), "1 minute"),
        (datetime.timedelta(hours=5, minutes=12), "5 hours 12 minutes"),
        (datetime.timedelta(days=1, hours=1, minutes=30), "1 day 1 hour"),
        (datetime.timedelta(days=3, minutes=59), "3 days"),
    ],
)
def test_durations_read_in_their_two_largest_units(value: datetime.timedelta, text: str) -> None:
    assert duration(value) == text


def order_with_events(*types: str) -> Order:
    order = Order(pk=1)
    order._prefetched_objects_cache = {"events": [OrderEvent(type=t) for t in types]}
    return order


def test_an_order_has_a_confirmation_once_one_was_created() -> None:
    assert has_confirmation(order_with_events("placed", "oc_created", "oc_confirmed"))
    assert not has_confirmation(order_with_events("placed", "returned_to_cart"))
