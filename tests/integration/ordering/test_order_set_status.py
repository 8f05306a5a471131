"""`order_set_status` writes the status and its time, and the event."""

from __future__ import annotations

import pytest
from django.db import transaction

from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order
from linesheet.ordering.services import order_lock, order_set_status
from linesheet.ordering.statuses import CountedLines, OrderStatus, counted_lines
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_status_and_its_time_are_written_and_the_rest_is_untouched() -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))
    before = Order.objects.get(pk=order.pk)
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        event = order_set_status(
            order=locked,
            status=OrderStatus.REJECTED,
            actor=None,
            event_type=OrderEventType.REJECTED,
        )
    after = Order.objects.get(pk=order.pk)
    assert after.status == OrderStatus.REJECTED
    assert after.updated_at == locked.updated_at  # the time as written, read back exactly
    assert after.updated_at > before.updated_at
    # A rejected order stops counting in analytics: what it adds to them changed.
    assert (before.sums_revision, after.sums_revision) == (0, 1)
    written = {"status", "updated_at", "sums_revision"}
    unchanged = {f.attname for f in Order._meta.concrete_fields} - written
    assert {name: getattr(after, name) for name in unchanged} == {
        name: getattr(before, name) for name in unchanged
    }
    assert event.details == {"previous": OrderStatus.AWAITING_OC, "status": OrderStatus.REJECTED}


def test_a_move_outside_the_transitions_is_a_bug_and_writes_nothing() -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))
    with transaction.atomic(), pytest.raises(RuntimeError):
        locked = order_lock(order_id=order.pk)
        order_set_status(order=locked, status=OrderStatus.OC_CONFIRMED, actor=None)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_OC


def test_which_lines_count_in_each_status() -> None:
    assert {status: counted_lines(status) for status in OrderStatus} == {
        OrderStatus.AWAITING_OC: CountedLines.ORIGINAL,
        OrderStatus.OC_CREATED: CountedLines.CONFIRMATION,
        OrderStatus.OC_APPROVED: CountedLines.CONFIRMATION,
        OrderStatus.OC_REJECTED: CountedLines.CONFIRMATION,
        OrderStatus.OC_CONFIRMED: CountedLines.CONFIRMATION,
        OrderStatus.REJECTED: None,
        OrderStatus.RETURNED_TO_CART: None,
    }
