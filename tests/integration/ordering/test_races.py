"""Real concurrency on PostgreSQL: threads with their own connections, no mocks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.services import cart_create, order_place
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def run_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; return each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_placements_get_distinct_consecutive_codes() -> None:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=2)
    buyers = [factories.make_connected_buyer(brand=brand) for _ in range(8)]
    carts = [factories.make_cart(buyer=buyer, catalog=catalog) for buyer in buyers]

    results = run_at_once(
        [
            lambda cart=cart, buyer=buyer: order_place(
                cart_id=cart.pk, organization=buyer.organization, placed_by=None
            )
            for cart, buyer in zip(carts, buyers, strict=True)
        ]
    )

    assert all(isinstance(result, Order) for result in results), results
    codes = sorted(Order.objects.values_list("code", flat=True))
    assert codes == [f"{n:06d}" for n in range(1, 9)]


def test_two_placements_of_one_cart_make_exactly_one_order() -> None:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=2)
    buyer = factories.make_connected_buyer(brand=brand)
    cart = factories.make_cart(buyer=buyer, catalog=catalog)

    results = run_at_once(
        [lambda: order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)] * 4
    )

    assert sum(isinstance(result, Order) for result in results) == 1
    assert {r.code for r in results if isinstance(r, OrderError)} == {"cart_not_found"}
    assert Order.objects.count() == 1


def test_concurrent_cart_creation_for_one_catalog_leaves_one_cart() -> None:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=1)
    buyer = factories.make_connected_buyer(brand=brand)

    results = run_at_once(
        [lambda: cart_create(organization=buyer.organization, catalog=catalog)] * 8
    )

    assert sum(isinstance(result, Cart) for result in results) == 1
    assert {r.code for r in results if not isinstance(r, Cart)} == {"cart_exists"}
    assert Cart.objects.count() == 1
