"""`order_lock`: the buyer organisation's row, then the order with what hangs from it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from linesheet.accounts.models import Buyer
from linesheet.ordering.models import Order
from linesheet.ordering.services import (
    OrderCode,
    OrderHeader,
    order_lock,
    order_place_for_buyer,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_connected_buyers_order_comes_with_brand_buyer_organisation_and_catalog(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=3, order_deadline=datetime.date(2031, 5, 1))
    order = factories.make_order(buyer=buyer, catalog=catalog)
    with transaction.atomic(), django_assert_num_queries(2):
        locked = order_lock(order_id=order.pk)
        # Read without another query: what the rules and the emails look at.
        assert (locked.brand.pk, locked.catalog.order_deadline) == (
            brand.pk,
            datetime.date(2031, 5, 1),
        )
        assert locked.buyer.wholesale_rate == Decimal("0.5000")
        assert locked.buyer.organization is not None
        assert locked.organization == locked.buyer.organization
    assert locked.pk == order.pk


def test_an_offline_buyers_order_has_no_organisation_and_costs_two_queries(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    buyer: Buyer = factories.make_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    number = factories.sku_numbers(catalog)[0]
    order = order_place_for_buyer(
        buyer=buyer, catalog=catalog, quantities={number: 4}, header=OrderHeader(), placed_by=None
    )
    with transaction.atomic(), django_assert_num_queries(2):
        locked = order_lock(order_id=order.pk)
        assert locked.organization is None
        assert locked.buyer.organization is None


def test_a_missing_order_is_refused() -> None:
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        order_lock(order_id=987_654_321)


def test_by_brand_and_code_the_same_order_comes_back_in_two_queries(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    with transaction.atomic(), django_assert_num_queries(2):
        locked = order_lock(order_id=OrderCode(brand_id=brand.pk, code=order.code))
    assert locked.pk == order.pk


def test_a_code_is_only_found_in_its_own_brand() -> None:
    brand, other = factories.make_brand(), factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=2)
    order = factories.make_order(buyer=factories.make_connected_buyer(brand=brand), catalog=catalog)
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        order_lock(order_id=OrderCode(brand_id=other.pk, code=order.code))
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        order_lock(order_id=OrderCode(brand_id=brand.pk, code=order.code + "X"))
