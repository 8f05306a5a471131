"""Real concurrency on PostgreSQL: threads with their own connections, no mocks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from linesheet.catalog.models import CatalogStatus
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, ClosedCart, Order, OrderEvent
from linesheet.ordering.services import (
    buyer_group_create,
    buyer_group_set_buyers,
    cart_add,
    cart_create,
    cart_delete,
    catalog_access_set,
    catalog_change,
    order_place,
    order_return_to_cart,
)
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
    # The others waited for the first one's locks, then found the cart ordered.
    assert {r.code for r in results if isinstance(r, OrderError)} == {"cart_ordered"}
    assert Order.objects.count() == 1


def test_deleting_a_cart_while_it_is_placed_ends_in_one_of_the_two_without_a_deadlock() -> None:
    for _ in range(5):
        brand = factories.make_brand()
        catalog = factories.make_catalog(brand=brand, skus=2)
        buyer = factories.make_connected_buyer(brand=brand)
        cart = factories.make_cart(buyer=buyer, catalog=catalog)

        placed, deleted = run_at_once(
            [
                lambda cart=cart, buyer=buyer: order_place(
                    cart_id=cart.pk, organization=buyer.organization, placed_by=None
                ),
                lambda cart=cart: cart_delete(cart=cart),
            ]
        )

        assert deleted is None, deleted  # deleting a cart already ordered changes nothing
        [closed] = ClosedCart.objects.filter(cart_id=cart.pk)
        if isinstance(placed, Order):
            assert (closed.outcome, closed.order) == ("ordered", placed)
        else:
            assert isinstance(placed, OrderError) and placed.code == "cart_deleted", placed
            assert closed.outcome == "deleted"


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


def test_concurrent_adds_to_no_cart_open_one_cart_holding_every_sku() -> None:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=4)
    buyer = factories.make_connected_buyer(brand=brand)
    numbers = factories.sku_numbers(catalog)

    results = run_at_once(
        [
            lambda number=number: cart_add(
                organization=buyer.organization, catalog=catalog, quantities={number: 2}
            )
            for number in numbers
        ]
    )

    assert all(isinstance(result, Cart) for result in results), results
    [cart] = Cart.objects.all()
    assert sorted(cart.lines.values_list("sku__sku_number", flat=True)) == sorted(numbers)


def _returnable_orders(count: int, *, same_catalog: bool = True) -> tuple[Any, list[Order]]:
    brand = factories.make_brand()
    owner = factories.make_member(brand=brand)
    buyer = factories.make_connected_buyer(brand=brand, recipients=["orders@shop.test"])
    catalog = factories.make_catalog(brand=brand, skus=3)
    orders = []
    for _ in range(count):
        cart_catalog = catalog if same_catalog else factories.make_catalog(brand=brand, skus=1)
        orders.append(factories.make_order(buyer=buyer, catalog=cart_catalog))
    return owner, orders


def _return(order: Order, owner: Any) -> Any:
    return order_return_to_cart(order_id=order.pk, actor=owner, notify=True, message="fix")


def test_eight_concurrent_returns_of_one_order_make_one_cart_one_event_one_email() -> None:
    owner, [order] = _returnable_orders(1)

    results = run_at_once([lambda: _return(order, owner)] * 8)

    winners = [r for r in results if isinstance(r, tuple)]
    losers = [r for r in results if isinstance(r, OrderError)]
    assert len(winners) == 1 and len(losers) == 7, results
    assert {tuple(b["code"] for b in r.params["blockers"]) for r in losers} == {
        ("already_returned",)
    }
    assert Cart.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, type="returned_to_cart").count() == 1
    assert OutboundEmail.objects.count() == 1


def test_returns_of_two_orders_of_one_buyer_and_catalog_leave_one_cart() -> None:
    owner, orders = _returnable_orders(2)

    results = run_at_once([lambda o=o: _return(o, owner) for o in orders])

    winners = [r for r in results if isinstance(r, tuple)]
    [loser] = [r for r in results if isinstance(r, OrderError)]
    assert len(winners) == 1
    assert [b["code"] for b in loser.params["blockers"]] == ["cart_exists"]
    assert Cart.objects.count() == 1
    assert Order.objects.filter(status="returned_to_cart").count() == 1


def test_a_return_racing_the_buyer_opening_a_cart_never_makes_two_carts() -> None:
    for _ in range(5):
        owner, [order] = _returnable_orders(1)
        organization, catalog = order.organization, order.catalog

        results = run_at_once(
            [
                lambda order=order, owner=owner: _return(order, owner),
                lambda organization=organization, catalog=catalog: cart_create(
                    organization=organization, catalog=catalog
                ),
            ]
        )

        assert Cart.objects.filter(organization=organization, catalog=catalog).count() == 1
        refused = [r for r in results if isinstance(r, OrderError)]
        assert len(refused) == 1
        assert refused[0].code in {"cart_exists", "not_returnable"}
        returned = Order.objects.get(pk=order.pk).status == "returned_to_cart"
        assert returned == isinstance(results[0], tuple)


def test_concurrent_placements_of_a_returned_cart_tell_the_brand_once() -> None:
    owner, [order] = _returnable_orders(1)
    _returned, cart = order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    organization = order.organization

    results = run_at_once(
        [lambda: order_place(cart_id=cart.pk, organization=organization, placed_by=None)] * 4
    )

    [placed] = [result for result in results if isinstance(result, Order)]
    assert {r.code for r in results if isinstance(r, OrderError)} == {"cart_ordered"}
    assert OrderEvent.objects.filter(order=order, type="replaced").count() == 1
    [email] = OutboundEmail.objects.all()
    assert (email.kind, email.to, email.order_id) == ("order_reordered", [owner.email], placed.pk)


def test_taking_buyers_off_a_list_while_they_fill_and_place_carts_leaves_no_cart_behind() -> None:
    """Removal against cart changes and placing: each buyer ends up with an order or nothing.

    Every buyer either placed its order before the removal (the order stays) or was refused,
    and no cart of a buyer off the list survives, whichever ran first.
    """
    brand = factories.make_brand()
    owner = factories.make_member(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    buyers = [factories.make_connected_buyer(brand=brand) for _ in range(6)]
    group = buyer_group_create(
        brand=brand, name="Key accounts", actor=owner, buyer_ids=[b.pk for b in buyers]
    )
    catalog_access_set(catalog=catalog, buyer_ids=[], group_ids=[group.pk], actor=owner)
    catalog_change(catalog=catalog, actor=owner, status=CatalogStatus.LIMITED)
    carts = [factories.make_cart(buyer=buyer, catalog=catalog) for buyer in buyers[:3]]
    sku = factories.sku_numbers(catalog)[0]

    calls: list[Callable[[], Any]] = [
        lambda: buyer_group_set_buyers(group=group, buyer_ids=[], actor=owner)
    ]
    calls += [
        lambda cart=cart, buyer=buyer: order_place(
            cart_id=cart.pk, organization=buyer.organization, placed_by=None
        )
        for cart, buyer in zip(carts, buyers[:3], strict=True)
    ]
    calls += [
        lambda buyer=buyer: cart_add(
            organization=buyer.organization, catalog=catalog, quantities={sku: 3}
        )
        for buyer in buyers[3:]
    ]
    results = run_at_once(calls)

    assert not isinstance(results[0], Exception), results[0]
    for result in results[1:]:
        assert not isinstance(result, Exception) or (
            isinstance(result, OrderError)
            and result.code in ("catalog_not_available", "cart_withdrawn", "cart_not_found")
        ), result
    assert not Cart.objects.filter(catalog=catalog).exists()
    ordered = set(Order.objects.filter(catalog=catalog).values_list("buyer_id", flat=True))
    withdrawn = set(
        ClosedCart.objects.filter(catalog=catalog, outcome="withdrawn").values_list(
            "organization_id", flat=True
        )
    )
    for buyer in buyers[:3]:
        # Placed first, or its cart was withdrawn: never both, never neither.
        assert (buyer.pk in ordered) != (buyer.organization_id in withdrawn)
