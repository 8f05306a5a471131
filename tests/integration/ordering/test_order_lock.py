"""`order_lock` reads the order and what hangs from it exactly as the ORM's select_related would.

It writes its locking statements itself (from the models' metadata) to spare every
order-changing service the ORM's compile time, so it must give back the same objects: every
field converted as the ORM converts it, the related rows cached, a missing relation as None.
"""

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
from tests.model_values import field_values

pytestmark = pytest.mark.django_db


def _as_the_orm_reads_it(order_id: int) -> Order:
    return Order.objects.select_related(
        "brand", "buyer__organization", "catalog", "organization"
    ).get(pk=order_id)


def _same(locked: Order, expected: Order) -> None:
    assert field_values(locked) == field_values(expected)
    for relation in ("brand", "buyer", "catalog", "organization"):
        assert locked._state.fields_cache.keys() >= {relation}
        assert field_values(getattr(locked, relation)) == field_values(getattr(expected, relation))
    assert field_values(locked.buyer.organization) == field_values(expected.buyer.organization)


def test_a_connected_buyers_order_comes_back_as_the_orm_reads_it() -> None:
    brand = factories.make_brand()
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=3, order_deadline=datetime.date(2031, 5, 1))
    order = factories.make_order(buyer=buyer, catalog=catalog)
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
    _same(locked, _as_the_orm_reads_it(order.pk))
    # Converted values, not raw database values: an aware datetime, a Decimal, a date.
    assert locked.placed_at.tzinfo is not None
    assert isinstance(locked.total_amount, Decimal)
    assert locked.catalog.order_deadline == datetime.date(2031, 5, 1)
    assert locked.buyer.wholesale_rate == Decimal("0.5000")


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
    _same(locked, _as_the_orm_reads_it(order.pk))


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
    _same(locked, _as_the_orm_reads_it(order.pk))


def test_a_code_is_only_found_in_its_own_brand() -> None:
    brand, other = factories.make_brand(), factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=2)
    order = factories.make_order(buyer=factories.make_connected_buyer(brand=brand), catalog=catalog)
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        order_lock(order_id=OrderCode(brand_id=other.pk, code=order.code))
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        order_lock(order_id=OrderCode(brand_id=brand.pk, code=order.code + "X"))
