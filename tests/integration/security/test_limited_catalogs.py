"""A limited catalog by every route: a buyer off its access list cannot reach it, at all.

The world: our brand's limited catalog (on its list: the group "Key accounts" with one
organisation, and one organisation named directly), an open catalog, and an organisation
connected to the brand but on no list, which ordered from the limited catalog while it was
open. Every Buyer App page and API endpoint of the URL configuration that names a catalog is
tried by the unlisted organisation (so a new one is tried the day it is routed), then the
lists, carts, placing, order links, and what removal from the list does.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import Buyer, User
from linesheet.buyer_app.forms import NEW_ORGANIZATION
from linesheet.catalog.models import AccessEvent, BuyerGroup, Catalog, CatalogStatus
from linesheet.catalog.selectors import catalog_viewers, catalogs_visible_to
from linesheet.core.errors import DomainError
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, ClosedCart, Order, OrderLink
from linesheet.ordering.services import OrderHeader
from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.security.routes import API_ORGANIZATION, BUYER_PAGE, all_routes

pytestmark = pytest.mark.django_db

SECRET_PRODUCT = "Vicuna Overcoat"


def sheet_text(content: bytes) -> str:
    """Return every cell of the xlsx's first sheet, as text."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    return " ".join(str(cell) for row in rows for cell in row if cell is not None)


@dataclass
class Limited:
    owner: User
    catalog: Catalog  # limited
    open_catalog: Catalog
    group: BuyerGroup
    grouped: Buyer  # on the list through the group
    named: Buyer  # on the list by name
    unlisted: Buyer  # connected to the brand, on no list
    unlisted_user: User
    grouped_user: User
    past_order: Order  # the unlisted organisation's, placed while the catalog was open

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User) -> APIClient:
        return client_for(user)


@pytest.fixture
def world(brand: Any, owner: User) -> Limited:
    catalog = factories.make_catalog(brand=brand, name="Key Accounts AW", skus=3)
    product = catalog.products.get()
    product.name = SECRET_PRODUCT
    product.save(update_fields=["name"])
    open_catalog = factories.make_catalog(brand=brand, name="Everyone SS")
    grouped_user = factories.make_user(email="buyer@grouped.test")
    grouped = factories.make_connected_buyer(
        brand=brand, members=[grouped_user], recipients=["orders@grouped.test"]
    )
    named = factories.make_connected_buyer(brand=brand)
    unlisted_user = factories.make_user(email="buyer@unlisted.test")
    unlisted = factories.make_connected_buyer(
        brand=brand, members=[unlisted_user], recipients=["orders@unlisted.test"]
    )
    past_order = factories.make_order(buyer=unlisted, catalog=catalog, user=unlisted_user)
    group = ordering.buyer_group_create(
        brand=brand, name="Key accounts", actor=owner, buyer_ids=[grouped.pk]
    )
    ordering.catalog_access_set(
        catalog=catalog, buyer_ids=[named.pk], group_ids=[group.pk], actor=owner
    )
    ordering.catalog_change(catalog=catalog, actor=owner, status=CatalogStatus.LIMITED)
    return Limited(
        owner=owner,
        catalog=catalog,
        open_catalog=open_catalog,
        group=group,
        grouped=grouped,
        named=named,
        unlisted=unlisted,
        unlisted_user=unlisted_user,
        grouped_user=grouped_user,
        past_order=past_order,
    )


# --- The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["open", "limited", "closed"])
def test_the_rule_is_the_same_from_the_catalogs_side_and_from_the_buyers_side(
    world: Limited, status: str
) -> None:
    Catalog.objects.filter(pk=world.catalog.pk).update(status=status)
    world.catalog.refresh_from_db()
    offline = factories.make_buyer(brand=world.catalog.brand)
    stranger = factories.make_connected_buyer(brand=factories.make_brand())
    everyone = [world.grouped, world.named, world.unlisted, offline, stranger]

    by_catalog = set(catalog_viewers(catalog=world.catalog))
    by_buyer = {
        buyer
        for buyer in everyone
        if buyer.organization is not None
        and catalogs_visible_to(organization=buyer.organization)
        .filter(pk=world.catalog.pk)
        .exists()
    }

    expected = {
        "open": {world.grouped, world.named, world.unlisted},
        "limited": {world.grouped, world.named},
        "closed": set(),
    }[status]
    assert by_catalog == by_buyer == expected


# --- Every route that names a catalog ----------------------------------------------------------


def _catalog_routes() -> list[Any]:
    return [
        route
        for route in all_routes()
        if route.kind in (BUYER_PAGE, API_ORGANIZATION)
        and any(name in route.route for name in ("<id:catalog_id>", "catalogs/<id:pk>"))
    ]


def _url(route: Any, world: Limited, buyer: Buyer) -> str:
    assert buyer.organization is not None
    return "/" + (
        route.route.replace("<id:org>", str(buyer.organization.pk))
        .replace("<id:catalog_id>", str(world.catalog.pk))
        .replace("<id:pk>", str(world.catalog.pk))
        .replace("<id:product_id>", str(world.catalog.products.values_list("pk", flat=True)[0]))
    )


def test_there_are_buyer_routes_that_name_a_catalog() -> None:
    names = {route.name for route in _catalog_routes()}
    assert {
        "buyer-catalog",
        "buyer-catalog-product",
        "buyer-order-sheet",
        "api-org-catalog",
        "api-org-catalog-order-sheet",
    } <= names


@pytest.mark.parametrize("route", _catalog_routes(), ids=str)
def test_every_buyer_route_naming_the_catalog_refuses_a_buyer_off_the_list(
    world: Limited, route: Any
) -> None:
    client = world.api(world.unlisted_user) if route.is_api else world.client(world.unlisted_user)
    url = _url(route, world, world.unlisted)
    for method in route.methods:
        response = getattr(client, method.lower())(url, {"quantity": 1} if method != "GET" else {})
        assert response.status_code in (404, 405), (method, url, response.status_code)
        assert response["Content-Type"] != XLSX_CONTENT_TYPE
        assert SECRET_PRODUCT not in response.content.decode(), (method, url)
    assert not Cart.objects.filter(organization=world.unlisted.organization).exists()


@pytest.mark.parametrize("route", _catalog_routes(), ids=str)
def test_every_buyer_route_naming_the_catalog_serves_the_buyers_on_the_list(
    world: Limited, route: Any
) -> None:
    for buyer, user in ((world.grouped, world.grouped_user),):
        client = world.api(user) if route.is_api else world.client(user)
        response = client.get(_url(route, world, buyer))
        if response.status_code == 405:
            # Takes POST only (asks for the catalog's line sheet): the POST serves them.
            response = client.post(_url(route, world, buyer))
            assert response.status_code in (202, 302), response.content[:300]
            continue
        assert response.status_code == 200, response.content[:300]
        if response["Content-Type"] == XLSX_CONTENT_TYPE:
            assert SECRET_PRODUCT in sheet_text(response.content)
        else:
            assert SECRET_PRODUCT in response.content.decode()


def test_the_lists_leave_the_catalog_out_for_a_buyer_off_the_list(world: Limited) -> None:
    home = world.client(world.unlisted_user).get(reverse("buyer-home"))
    assert world.open_catalog.name in home.text
    assert world.catalog.name not in home.text
    assert world.unlisted.organization is not None
    api = world.api(world.unlisted_user).get(
        reverse("api-org-catalogs", args=[world.unlisted.organization.pk])
    )
    assert {c["id"] for c in api.json()["results"]} == {world.open_catalog.pk}

    listed = world.client(world.grouped_user).get(reverse("buyer-home"))
    assert world.catalog.name in listed.text


# --- Carts and placing -------------------------------------------------------------------------


def test_a_buyer_off_the_list_cannot_open_a_cart_by_the_api_or_the_service(world: Limited) -> None:
    organization = world.unlisted.organization
    assert organization is not None
    response = world.api(world.unlisted_user).post(
        reverse("api-org-carts", args=[organization.pk]), {"catalog": world.catalog.pk}, "json"
    )
    assert response.status_code == 404

    with pytest.raises(DomainError) as refused:
        ordering.cart_create(organization=organization, catalog=world.catalog)
    assert refused.value.code == "catalog_not_available"
    with pytest.raises(DomainError) as refused:
        ordering.cart_add(
            organization=organization,
            catalog=world.catalog,
            quantities={factories.sku_numbers(world.catalog)[0]: 1},
        )
    assert refused.value.code == "catalog_not_available"
    assert not Cart.objects.filter(organization=organization).exists()


def test_placing_checks_the_list_again_under_the_lock(world: Limited) -> None:
    """A cart that outlived its access (a change made behind the services' back) is refused."""
    cart = factories.make_cart(buyer=world.named, catalog=world.catalog)
    world.catalog.access_buyers.remove(world.named)  # not through the service: no cart ending
    assert world.named.organization is not None

    for attempt in (
        lambda: ordering.order_place(
            cart_id=cart.pk, organization=world.named.organization, placed_by=None
        ),
        lambda: ordering.cart_set_lines(
            cart=cart, quantities={factories.sku_numbers(world.catalog)[0]: 5}, replace=False
        ),
        lambda: ordering.cart_update(cart=cart, comment="still mine?"),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "catalog_not_available"
    assert not Order.objects.filter(catalog=world.catalog, buyer=world.named).exists()

    response = world.api(world.unlisted_user).post(
        reverse("api-org-cart-order", args=[world.named.organization.pk, cart.pk]), {}, "json"
    )
    assert response.status_code == 404  # not even their organisation


def test_placing_by_the_api_answers_the_code(world: Limited) -> None:
    cart = factories.make_cart(buyer=world.named, catalog=world.catalog)
    world.catalog.access_buyers.remove(world.named)
    assert world.named.organization is not None
    user = factories.make_user()
    world.named.organization.memberships.create(user=user)

    response = world.api(user).post(
        reverse("api-org-cart-order", args=[world.named.organization.pk, cart.pk]), {}, "json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "catalog_not_available"


def test_the_brand_still_orders_for_any_of_its_buyers_by_proxy_and_sheet(world: Limited) -> None:
    skus = factories.sku_numbers(world.catalog)
    proxy = ordering.order_place_for_buyer(
        buyer=world.unlisted,
        catalog=world.catalog,
        quantities={skus[0]: 2},
        header=OrderHeader(),
        placed_by=world.owner,
    )
    assert proxy.buyer == world.unlisted

    response = world.api(world.owner).post(
        reverse("api-brand-orders", args=[world.catalog.brand.slug]),
        {
            "buyer": world.unlisted.pk,
            "catalog": world.catalog.pk,
            "lines": [{"sku_number": skus[1], "quantity": 1}],
            "desired_delivery_date": (
                timezone.localdate() + datetime.timedelta(days=30)
            ).isoformat(),
        },
        "json",
    )
    assert response.status_code == 201, response.json()


def test_a_buyer_off_the_list_keeps_its_placed_orders(world: Limited) -> None:
    order = world.past_order
    assert world.unlisted.organization is not None
    page = world.client(world.unlisted_user).get(reverse("buyer-order", args=[order.pk]))
    assert page.status_code == 200
    assert SECRET_PRODUCT in page.text  # its own lines, as placed
    api = world.api(world.unlisted_user).get(
        reverse("api-org-order", args=[world.unlisted.organization.pk, order.pk])
    )
    assert api.status_code == 200
    pdf = world.client(world.unlisted_user).get(reverse("buyer-order-pdf", args=[order.pk]))
    assert pdf.status_code == 200


def test_the_brand_cannot_return_an_order_to_a_buyer_off_the_list(world: Limited) -> None:
    check = world.api(world.owner).get(
        reverse("api-brand-order-return", args=[world.catalog.brand.slug, world.past_order.code])
    )
    assert check.json()["returnable"] is False
    assert "catalog_not_available" in {b["code"] for b in check.json()["blockers"]}
    with pytest.raises(DomainError):
        ordering.order_return_to_cart(order_id=world.past_order.pk, actor=world.owner, notify=True)
    assert not Cart.objects.filter(organization=world.unlisted.organization).exists()


# --- Order links -------------------------------------------------------------------------------


def _link(world: Limited, *, grants: bool) -> OrderLink:
    return ordering.order_link_create(
        catalog=world.catalog, created_by=world.owner, grants_access=grants
    )


def test_a_link_serves_only_the_buyers_on_the_list(world: Limited) -> None:
    link = _link(world, grants=False)
    client = world.client(world.unlisted_user)
    assert world.unlisted.organization is not None

    response = client.post(
        reverse("order-link", args=[link.token]), {"organization": world.unlisted.organization.pk}
    )

    assert response.status_code == 404
    assert SECRET_PRODUCT not in response.text
    assert not Cart.objects.filter(organization=world.unlisted.organization).exists()
    api = world.api(world.unlisted_user).post(
        reverse("api-org-carts", args=[world.unlisted.organization.pk]),
        {"order_link": link.token},
        "json",
    )
    assert api.status_code == 404
    assert api.json()["code"] == "catalog_not_available"
    # A new shop registering from the link is not connected either.
    newcomer = factories.make_user()
    response = world.client(newcomer).post(
        reverse("order-link", args=[link.token]),
        {"organization": NEW_ORGANIZATION, "new_organization_name": "Newcomer Shop"},
    )
    assert response.status_code == 404
    assert not Buyer.objects.filter(name="Newcomer Shop").exists()

    assert world.grouped.organization is not None
    listed = world.client(world.grouped_user).post(
        reverse("order-link", args=[link.token]), {"organization": world.grouped.organization.pk}
    )
    assert listed.status_code == 302
    assert Cart.objects.filter(organization=world.grouped.organization).exists()


def test_a_link_that_grants_access_puts_the_buyer_on_the_list_with_history(
    world: Limited,
) -> None:
    link = _link(world, grants=True)
    assert world.unlisted.organization is not None

    response = world.client(world.unlisted_user).post(
        reverse("order-link", args=[link.token]), {"organization": world.unlisted.organization.pk}
    )

    assert response.status_code == 302
    assert world.catalog.access_buyers.filter(pk=world.unlisted.pk).exists()
    event = AccessEvent.objects.get(catalog=world.catalog, type="link_granted")
    assert event.details["buyer"] == world.unlisted.name
    assert event.details["link_id"] == link.pk
    page = world.client(world.unlisted_user).get(reverse("buyer-catalog", args=[world.catalog.pk]))
    assert page.status_code == 200


# --- Taken off the list ------------------------------------------------------------------------


def test_taken_off_the_list_a_buyer_loses_its_cart_and_is_told(
    world: Limited, smtp_server: Any, run_worker: Any
) -> None:
    cart = factories.make_cart(buyer=world.grouped, catalog=world.catalog)
    assert world.grouped.organization is not None

    ended = ordering.buyer_group_set_buyers(group=world.group, buyer_ids=[], actor=world.owner)

    assert [c.cart_id for c in ended] == [cart.pk]
    assert not Cart.objects.filter(pk=cart.pk).exists()
    assert ClosedCart.objects.get(cart_id=cart.pk).outcome == "withdrawn"
    page = world.client(world.grouped_user).get(reverse("buyer-cart", args=[cart.pk]))
    assert page.status_code == 410
    assert "no longer offers the catalog Key Accounts AW" in page.text
    api = world.api(world.grouped_user).get(
        reverse("api-org-cart", args=[world.grouped.organization.pk, cart.pk])
    )
    assert api.status_code == 410
    assert api.json()["code"] == "cart_withdrawn"
    assert AccessEvent.objects.filter(catalog=world.catalog, type="carts_ended").exists()

    run_worker()
    [sent] = smtp_server.messages
    assert sent["X-Envelope-To"] == "orders@grouped.test"
    body = str(sent.get_payload()[0].get_payload(decode=True).decode())
    assert "Key Accounts AW" in body
    assert f"/carts/{cart.pk}/" in body
    assert "/catalogs/" not in body  # no email links to a catalog the buyer cannot see


def test_every_way_off_the_list_ends_the_cart(world: Limited, owner: User) -> None:
    def group_deleted() -> None:
        ordering.buyer_group_delete(group=world.group, actor=owner)

    def named_removed() -> None:
        ordering.catalog_access_set(catalog=world.catalog, buyer_ids=[], group_ids=[], actor=owner)

    grouped_cart = factories.make_cart(buyer=world.grouped, catalog=world.catalog)
    named_cart = factories.make_cart(buyer=world.named, catalog=world.catalog)
    group_deleted()
    named_removed()
    assert not Cart.objects.filter(pk__in=[grouped_cart.pk, named_cart.pk]).exists()


def test_making_a_catalog_limited_ends_the_carts_of_those_off_its_list(
    world: Limited, owner: User
) -> None:
    outsider_cart = factories.make_cart(buyer=world.unlisted, catalog=world.open_catalog)
    insider_cart = factories.make_cart(buyer=world.grouped, catalog=world.open_catalog)
    world.open_catalog.access_groups.add(world.group)  # a list kept from earlier

    response = world.api(owner).patch(
        reverse("api-brand-catalog", args=[world.open_catalog.brand.slug, world.open_catalog.pk]),
        {"status": "limited"},
        "json",
    )

    assert response.status_code == 200
    assert not Cart.objects.filter(pk=outsider_cart.pk).exists()
    assert Cart.objects.filter(pk=insider_cart.pk).exists()
    assert OutboundEmail.objects.filter(kind="cart_withdrawn").count() == 1
    event = AccessEvent.objects.get(catalog=world.open_catalog, type="status_changed")
    assert (event.details["old_status"], event.details["status"]) == ("open", "limited")
