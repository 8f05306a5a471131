"""Order link services: revoking, what a link counts, the order remembering its link, races."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.accounts.models import Buyer
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.link_selectors import order_link_state, order_links_of_brand
from linesheet.ordering.models import Cart, OrderLink
from tests import factories
from tests.integration.ordering.test_races import run_at_once


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, skus=2, name="SS27", code="SS27")


@pytest.mark.django_db
def test_a_revoked_link_is_refused_with_its_own_code_and_nothing_is_written(
    brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    ordering.order_link_revoke(link=link)
    shop = factories.make_organization()

    with pytest.raises(OrderError) as refusal:
        ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)

    assert (refusal.value.code, refusal.value.status) == ("link_revoked", 410)
    assert not Cart.objects.exists()
    assert not Buyer.objects.filter(organization=shop).exists()
    assert order_link_state(link) == "revoked"


@pytest.mark.django_db
def test_revoking_keeps_the_carts_already_opened_and_their_orders_routed_by_link(
    brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    shop = factories.make_organization()
    cart = ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)
    ordering.cart_set_lines(cart=cart, quantities={factories.sku_numbers(catalog)[0]: 1})

    ordering.order_link_revoke(link=link)
    order = ordering.order_place(cart_id=cart.pk, organization=shop, placed_by=None)

    assert (order.route, order.order_link) == ("order_link", link)


@pytest.mark.django_db
def test_an_order_remembers_its_link_and_the_link_counts_carts_and_orders(
    brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    shops = [factories.make_organization() for _ in range(3)]
    for shop in shops:
        cart = ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)
        ordering.cart_set_lines(cart=cart, quantities={factories.sku_numbers(catalog)[0]: 1})
    ordering.order_place(
        cart_id=Cart.objects.get(organization=shops[0]).pk, organization=shops[0], placed_by=None
    )
    # Opening it again lands in the same cart: not a second cart opened.
    ordering.cart_open_from_link(token=link.token, passcode="", organization=shops[1])

    [listed] = order_links_of_brand(brand=brand)

    assert (listed.carts_opened, listed.orders_placed) == (3, 1)


@pytest.mark.django_db
def test_a_buyer_app_cart_opened_through_a_link_is_routed_by_the_link(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    assert buyer.organization is not None
    plain = factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    link = ordering.order_link_create(catalog=catalog, created_by=owner)

    cart, created = ordering.order_link_open(
        token=link.token, passcode="", organization=buyer.organization
    )

    assert (cart.pk, created) == (plain.pk, False)
    assert Cart.objects.get().order_link == link
    assert OrderLink.objects.get().carts_opened == 1


@pytest.mark.django_db
def test_a_returned_cart_keeps_its_lineage_when_the_link_is_opened(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    assert buyer.organization is not None
    order = factories.make_order(buyer=buyer, catalog=catalog)
    _order, returned = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    link = ordering.order_link_create(catalog=catalog, created_by=owner)

    cart, created = ordering.order_link_open(
        token=link.token, passcode="", organization=buyer.organization
    )

    assert (cart.pk, created) == (returned.pk, False)
    assert Cart.objects.get().order_link is None
    assert OrderLink.objects.get().carts_opened == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_organisation_opening_a_link_at_once_gets_one_cart_and_one_connection() -> None:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=1)
    link = ordering.order_link_create(catalog=catalog, created_by=None)
    shop = factories.make_organization()

    results = run_at_once(
        [
            lambda: ordering.order_link_open(token=link.token, passcode="", organization=shop)
            for _ in range(4)
        ]
    )

    assert all(isinstance(result, tuple) for result in results), results
    assert sorted(created for _cart, created in results) == [False, False, False, True]
    assert len({cart.pk for cart, _created in results}) == 1
    assert Cart.objects.count() == 1
    assert Buyer.objects.filter(brand=brand, organization=shop).count() == 1
    assert OrderLink.objects.get().carts_opened == 1
