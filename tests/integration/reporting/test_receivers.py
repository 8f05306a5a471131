"""An order's `sums_revision` counts up, in the change's transaction, when what it adds to
analytics changes: the lines it counts by (none, the Original Order's, the OC's) or its OC's
lines."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from linesheet.documents import services as documents
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order
from linesheet.ordering.services import order_lock, order_set_status
from linesheet.ordering.statuses import TRANSITIONS, OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db

# An order awaiting its OC counts its Original Order; with an OC it counts the OC; rejected or
# returned it counts nothing.
COUNTS_NOTHING = {"rejected", "returned_to_cart"}


def _order(brand: Any) -> Order:
    buyer = factories.make_connected_buyer(brand=brand)
    return factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))


def _revision(order: Order) -> int:
    return Order.objects.get(pk=order.pk).sums_revision


@pytest.mark.parametrize(
    ("previous", "status"),
    [(previous, status) for previous, following in TRANSITIONS.items() for status in following],
)
def test_a_status_change_counts_up_when_the_order_counts_other_lines(
    brand: Any, previous: OrderStatus, status: OrderStatus
) -> None:
    order = _order(brand)
    Order.objects.filter(pk=order.pk).update(status=previous, sums_revision=5)
    with transaction.atomic():
        order_set_status(order=order_lock(order_id=order.pk), status=status, actor=None)

    changed = previous == "awaiting_oc" or status in COUNTS_NOTHING
    assert _revision(order) == (6 if changed else 5)


def test_rewriting_the_ocs_lines_counts_up_though_the_status_stays(brand: Any, owner: Any) -> None:
    order = _order(brand)
    number = factories.sku_numbers(order.catalog)[0]

    def save_oc(quantity: int) -> None:
        documents.confirmation_save(
            order_id=order.pk,
            quantities={number: quantity},
            allow_buyer_approval=False,
            actor=owner,
            notify=False,
        )

    save_oc(3)
    created = _revision(order)
    assert created > 0
    save_oc(4)
    assert Order.objects.get(pk=order.pk).status == "oc_created"
    assert _revision(order) == created + 1


def test_tags_and_archive_leave_the_revision(brand: Any, owner: Any) -> None:
    order = _order(brand)
    ordering.order_reject(order_id=order.pk, actor=owner, notify=False)
    rejected = _revision(order)
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["late"])
    ordering.order_archive(order_id=order.pk, actor=owner)
    assert _revision(order) == rejected


def test_a_rolled_back_change_leaves_the_revision(brand: Any) -> None:
    order = _order(brand)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_set_status(
            order=order_lock(order_id=order.pk), status=OrderStatus.REJECTED, actor=None
        )
        raise RuntimeError("the operation fails after its event")
    assert _revision(order) == 0
