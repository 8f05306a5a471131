"""`order_summary` writes exactly what OrderSummarySerializer declares, key order included.

The lists and the return's answer use the function; the serializer stays the schema. Every
status (labels differ by side), a desired delivery date or none, an amount with cents, an
archived order: each compared as data and as the JSON sent.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from linesheet.api.order_serializers import (
    ORDER_SUMMARY_COLUMNS,
    OrderSummarySerializer,
    allowed_actions,
    order_summaries,
    order_summary,
    summary_position,
)
from linesheet.api.return_views import ReturnedOrderSerializer
from linesheet.ordering.models import Order
from linesheet.ordering.statuses import OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _as_sent(data: object) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def order() -> Order:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    placed = factories.make_order(buyer=buyer, catalog=catalog)
    return Order.objects.select_related("buyer", "catalog").get(pk=placed.pk)


@pytest.mark.parametrize("side", ["brand", "buyer"])
@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_status_on_either_side(order: Order, status: str, side: str) -> None:
    order.status = status
    expected = OrderSummarySerializer(order, context={"side": side}).data
    assert order_summary(order, side=side) == expected
    assert _as_sent(order_summary(order, side=side)) == _as_sent(expected)


def test_dates_amounts_and_flags_as_the_serializer_formats_them(order: Order) -> None:
    for desired, amount, archived in [
        (None, Decimal("0.00"), False),
        (datetime.date(2031, 2, 28), Decimal("1234567.5"), True),
    ]:
        order.desired_delivery_date = desired
        order.total_amount = amount
        order.archived = archived
        order.placed_at = datetime.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
        expected = OrderSummarySerializer(order, context={"side": "brand"}).data
        written = order_summary(order, side="brand")
        assert written == expected
        assert json.loads(_as_sent(written)) == json.loads(_as_sent(expected))
        assert _as_sent(written) == _as_sent(expected)


def test_the_returns_answer_is_the_returned_order_serializers_shape(order: Order) -> None:
    order.status = OrderStatus.RETURNED_TO_CART
    cart = factories.make_cart(buyer=order.buyer, catalog=order.catalog)
    order.returned_cart = cart  # type: ignore[attr-defined]
    expected = ReturnedOrderSerializer(order, context={"side": "brand"}).data
    written = {
        **order_summary(order, side="brand"),
        "allowed_actions": allowed_actions(order),
        "returned_cart": cart.pk,
    }
    assert _as_sent(written) == _as_sent(expected)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_rows_of_the_lists_columns_give_the_instances_summary(order: Order, zone: str) -> None:
    orders = Order.objects.filter(pk=order.pk)
    orders.update(desired_delivery_date=datetime.date(2031, 2, 28), archived=True)
    order = orders.select_related("buyer", "catalog").get()
    rows = orders.values_list(*ORDER_SUMMARY_COLUMNS)
    with timezone.override(zone):
        expected = OrderSummarySerializer(order, context={"side": "buyer"}).data
        assert order_summaries(rows, side="buyer") == [expected]
        assert order_summary(order, side="buyer") == expected
    assert summary_position(rows[0]) == (order.placed_at, order.pk)
