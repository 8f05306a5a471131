"""Every order action walked through the guard in every status: the guard accepts exactly
what ACTIONS says (pinned as literal matrices in tests/unit/ordering/test_statuses.py) and
refuses the rest with `action_not_allowed`, naming the action and the status."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Order
from linesheet.ordering.services import order_for_action
from linesheet.ordering.statuses import ALLOWED_ACTIONS, OrderAction, OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(brand: Any) -> Order:
    buyer = factories.make_connected_buyer(brand=brand)
    return factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=2))


def _through_the_guard(order: Order, action: OrderAction) -> OrderError | None:
    """Open `action` on the order as a service does; return the refusal, or None."""
    try:
        with transaction.atomic():
            order_for_action(order_id=order.pk, action=action)
    except OrderError as refusal:
        return refusal
    return None


@pytest.mark.parametrize("status", list(OrderStatus))
def test_the_guard_accepts_what_the_table_allows_and_refuses_the_rest(
    order: Order, status: OrderStatus
) -> None:
    Order.objects.filter(pk=order.pk).update(status=status)
    accepted, refused = set(), set()
    for action in OrderAction:
        refusal = _through_the_guard(order, action)
        if refusal is None:
            accepted.add(action)
            continue
        assert refusal.code == "action_not_allowed"
        assert (refusal.params["action"], refusal.params["order_status"]) == (action, status)
        refused.add(action)
    assert accepted == ALLOWED_ACTIONS[status]
    assert refused == set(OrderAction) - ALLOWED_ACTIONS[status]
    assert Order.objects.get(pk=order.pk).status == status  # the guard only looks


def test_an_operation_may_name_the_refusal_in_its_own_terms(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.RETURNED_TO_CART)

    def refusal(locked: Order) -> OrderError:
        return OrderError("not_returnable", reasons=locked.status)

    with pytest.raises(OrderError) as refused, transaction.atomic():
        order_for_action(order_id=order.pk, action=OrderAction.RETURN_TO_CART, refusal=refusal)
    assert (refused.value.code, refused.value.params["reasons"]) == (
        "not_returnable",
        "returned_to_cart",
    )
