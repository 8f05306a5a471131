"""Orders driven into each status through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linesheet.documents import services as documents
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order
from tests import factories


@pytest.fixture
def shop_user() -> Any:
    return factories.make_user(email="buyer@shop.test")


@pytest.fixture
def buyer(brand: Any, shop_user: Any) -> Any:
    return factories.make_connected_buyer(
        brand=brand, members=[shop_user], recipients=["orders@shop.test", "boss@shop.test"]
    )


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, skus=3, name="SS27", code="SS27")


def oc_quantities(order: Order) -> dict[str, int]:
    """The original quantities, one more of the first line, and the last line removed."""
    lines = list(order.lines.order_by("position"))
    quantities = {line.sku_number: line.quantity for line in lines[:-1]}
    quantities[lines[0].sku_number] += 1
    return quantities


@pytest.fixture
def order_in(buyer: Any, catalog: Any, owner: Any, shop_user: Any) -> Callable[[str], Order]:
    """Return a function that places an order and walks it to the given status."""

    def make(status: str) -> Order:
        order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)
        if status in {"oc_created", "oc_approved", "oc_rejected", "oc_confirmed"}:
            documents.confirmation_save(
                order_id=order.pk,
                quantities=oc_quantities(order),
                allow_buyer_approval=True,
                actor=owner,
                notify=False,
            )
        if status == "oc_approved":
            documents.confirmation_approve(
                order_id=order.pk, organization=buyer.organization, actor=shop_user
            )
        if status == "oc_rejected":
            documents.confirmation_reject(
                order_id=order.pk, organization=buyer.organization, actor=shop_user
            )
        if status == "oc_confirmed":
            documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
        if status == "rejected":
            ordering.order_reject(order_id=order.pk, actor=owner, notify=False)
        if status == "returned_to_cart":
            ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
        order.refresh_from_db()
        assert order.status == status
        return order

    return make
