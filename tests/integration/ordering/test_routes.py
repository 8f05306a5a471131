"""Orders by every route — buyer app, order link, proxy, Excel sheet — and their return."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from linesheet.accounts.models import Buyer
from linesheet.catalog.models import Catalog
from linesheet.core.errors import InvalidInput
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.services import OrderHeader
from tests import factories

pytestmark = pytest.mark.django_db


def proxy(buyer: Any, catalog: Any, owner: Any, **kwargs: Any) -> Order:
    kwargs.setdefault("quantities", {factories.sku_numbers(catalog)[0]: 5})
    kwargs.setdefault("header", OrderHeader(comment="Phoned in"))
    return ordering.order_place_for_buyer(buyer=buyer, catalog=catalog, placed_by=owner, **kwargs)


def test_a_proxy_order_for_a_connected_buyer_shows_in_its_organisation(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    order = proxy(buyer, catalog, owner)
    assert (order.route, order.organization_id, order.placed_by) == (
        "proxy",
        buyer.organization_id,
        owner,
    )
    assert order.delivery_address == buyer.organization.delivery_address
    assert order.comment == "Phoned in"
    assert list(order.lines.values_list("quantity", flat=True)) == [5]


def test_a_proxy_order_for_an_offline_buyer_belongs_to_no_organisation_and_cannot_be_returned(
    brand: Any, catalog: Any, owner: Any
) -> None:
    offline = factories.make_buyer(brand=brand)
    order = proxy(offline, catalog, owner)
    assert order.organization_id is None
    with pytest.raises(OrderError) as refusal:
        ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert [b["code"] for b in refusal.value.params["blockers"]] == ["offline_buyer"]


def test_bad_proxy_lines_are_all_refused_and_nothing_is_written(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    with pytest.raises(InvalidInput) as refusal:
        proxy(buyer, catalog, owner, quantities={"NOPE": 1, factories.sku_numbers(catalog)[1]: 0})
    assert set(refusal.value.params["errors"]) == {"lines.0.sku_number", "lines.1.quantity"}
    assert not Order.objects.exists()


def test_a_proxy_order_for_another_brands_catalog_is_refused(brand: Any, owner: Any) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    foreign = factories.make_catalog(brand=factories.make_brand(), skus=1)
    with pytest.raises(InvalidInput):
        proxy(buyer, foreign, owner)


def test_a_proxy_order_with_a_past_delivery_date_is_refused(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(InvalidInput):
        proxy(buyer, catalog, owner, header=OrderHeader(desired_delivery_date=yesterday))


def test_an_order_link_lands_a_new_shop_in_the_catalogs_cart_and_routes_its_order(
    brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner, passcode="spring27")
    shop = factories.make_organization(name="New Shop")

    cart = ordering.cart_open_from_link(token=link.token, passcode="spring27", organization=shop)

    assert (
        Buyer.objects.get(brand=brand, organization=shop).wholesale_rate
        == brand.default_wholesale_rate
    )
    ordering.cart_set_lines(cart=cart, quantities={factories.sku_numbers(catalog)[0]: 2})
    order = ordering.order_place(cart_id=cart.pk, organization=shop, placed_by=None)
    assert order.route == "order_link"
    _, returned = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert returned.organization_id == shop.pk


def test_opening_a_link_twice_reuses_the_one_cart(brand: Any, catalog: Any, owner: Any) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    shop = factories.make_organization()
    first = ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)
    second = ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)
    assert first.pk == second.pk
    assert Cart.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "passcode", "code"),
    [
        ("unknown", "", "link_not_found"),
        ("expired", "", "link_expired"),
        ("closed", "", "catalog_closed"),
        ("passcode", "", "passcode_required"),
        ("passcode", "wrong", "passcode_wrong"),
    ],
)
def test_unusable_links_are_refused_with_their_code(
    brand: Any, catalog: Any, owner: Any, setup: str, passcode: str, code: str
) -> None:
    link = ordering.order_link_create(
        catalog=catalog, created_by=owner, passcode="secret-1" if setup == "passcode" else ""
    )
    token = "nope" if setup == "unknown" else link.token
    if setup == "expired":
        type(link).objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    if setup == "closed":
        Catalog.objects.filter(pk=catalog.pk).update(status="closed")
    shop = factories.make_organization()
    with pytest.raises(OrderError) as refusal:
        ordering.cart_open_from_link(token=token, passcode=passcode, organization=shop)
    assert refusal.value.code == code
    assert not Cart.objects.exists()
    assert not Buyer.objects.filter(organization=shop).exists()


def test_a_link_cannot_be_made_already_expired_or_with_a_short_passcode(
    catalog: Any, owner: Any
) -> None:
    with pytest.raises(InvalidInput) as refusal:
        ordering.order_link_create(
            catalog=catalog,
            created_by=owner,
            expires_at=timezone.now() - datetime.timedelta(days=1),
            passcode="abc",
        )
    assert set(refusal.value.params["errors"]) == {"expires_at", "passcode"}
