"""Proxy orders in the Brand App: staff fill a catalog's grid for a buyer and place the order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linesheet.catalog.models import SKU, Catalog
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderLine
from linesheet.ordering.selectors import orders_of_organization
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=3, name="Spring 27", code="SS27")


@pytest.fixture
def connected(brand: Any) -> Any:
    return factories.make_connected_buyer(brand=brand)


@pytest.fixture
def offline(brand: Any) -> Any:
    return factories.make_buyer(brand=brand, name="Corner Shop")


def order_url(buyer: Any, catalog: Catalog | None = None) -> str:
    url = reverse("brand-buyer-order", args=[buyer.brand.slug, buyer.pk])
    return f"{url}?catalog={catalog.pk}" if catalog else url


def field(sku_number: str) -> str:
    return f"q{SKU.objects.get(sku_number=sku_number).pk}"


def grid_post(quantities: dict[str, Any], **header: Any) -> dict[str, Any]:
    """The grid as the browser posts it: each typed quantity beside its empty hidden initial."""
    data: dict[str, Any] = {"desired_delivery_date": "", "comment": ""}
    data.update(header)
    for number, quantity in quantities.items():
        name = field(number)
        data[name] = quantity
        data[f"initial-{name}"] = ""
    return data


def written() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Order, OrderLine, OrderEvent, Cart)}


def test_the_buyer_page_offers_a_proxy_order_to_staff_but_not_to_viewers(
    client: Client, owner: Any, viewer: Any, offline: Any
) -> None:
    url = reverse("brand-buyer-detail", args=[offline.brand.slug, offline.pk])
    client.force_login(owner)
    assert order_url(offline) in client.get(url).content.decode()
    client.force_login(viewer)
    assert order_url(offline) not in client.get(url).content.decode()


def test_a_viewer_cannot_open_or_post_a_proxy_order(
    viewer_client: Client, connected: Any, catalog: Catalog
) -> None:
    a = factories.sku_numbers(catalog)[0]
    assert viewer_client.get(order_url(connected, catalog)).status_code == 403
    response = viewer_client.post(order_url(connected, catalog), grid_post({a: 2}))
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_the_catalog_choice_lists_open_catalogs_and_says_why_others_take_no_orders(
    owner_client: Client, brand: Any, connected: Any, catalog: Catalog
) -> None:
    closed = factories.make_catalog(brand=brand, skus=1, code="AW25", status="closed")

    page = owner_client.get(order_url(connected)).content.decode()

    assert f'href="?catalog={catalog.pk}"' in page
    assert f'href="?catalog={closed.pk}"' not in page
    assert "no longer takes orders" in page


def test_the_grid_shows_the_buyers_wholesale_prices_and_the_organisations_addresses(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    retired = factories.sku_numbers(catalog)[2]
    SKU.objects.filter(sku_number=retired).update(is_active=False)

    response = owner_client.get(order_url(connected, catalog))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="{field(factories.sku_numbers(catalog)[0])}"' in page
    assert f'name="{field(retired)}"' not in page  # no longer orderable: not offered
    assert "50.00" in page  # retail 100.00 x the buyer's rate 0.5
    assert connected.organization.delivery_address.splitlines()[0] in page


def test_the_grid_shows_each_products_image_read_in_one_statement_for_the_catalog(
    owner_client: Client, connected: Any, brand: Any, django_assert_num_queries: Any
) -> None:
    small = factories.make_catalog(brand=brand, skus=1)
    large = factories.make_catalog(brand=brand, skus=0)
    for _ in range(15):
        factories.make_product(catalog=large, category="Knitwear", colors=("Red", "Blue"))
    owner_client.get(order_url(connected, small))
    with CaptureQueriesContext(connection) as counted:
        owner_client.get(order_url(connected, small))

    with django_assert_num_queries(len(counted)):
        response = owner_client.get(order_url(connected, large))

    assert len(response.context["products"]) == 15
    # The image (or its placeholder, while a product has none) beside every product.
    assert response.text.count('class="thumb thumb-s') == 15
    assert response.text.count("Knitwear") == 15


def test_a_proxy_order_is_placed_and_opens_on_its_order_page(
    owner_client: Client, owner: Any, connected: Any, catalog: Catalog
) -> None:
    a, b, _c = factories.sku_numbers(catalog)
    date = timezone.localdate() + datetime.timedelta(days=20)

    response = owner_client.post(
        order_url(connected, catalog),
        grid_post(
            {a: "3", b: "1"},
            desired_delivery_date=date.isoformat(),
            comment="Phoned in by Anna",
            delivery_address="Pier 4\nAarhus",
            billing_address="",
        ),
        follow=True,
    )

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "brand-order-detail", args=[connected.brand.slug, order.code]
    )
    assert f"Order {order.code} was placed for {connected.name}" in response.content.decode()
    assert (order.route, order.placed_by, order.organization_id) == (
        "proxy",
        owner,
        connected.organization_id,
    )
    assert list(order.lines.values_list("sku_number", "quantity")) == [(a, 3), (b, 1)]
    assert order.total_amount == Decimal("200.00")
    assert (order.desired_delivery_date, order.comment) == (date, "Phoned in by Anna")
    assert order.delivery_address == "Pier 4\nAarhus"
    assert order.billing_address == connected.organization.billing_address
    assert list(orders_of_organization(organization=connected.organization)) == [order]

    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert sorted(cart.lines.values_list("sku__sku_number", "quantity")) == [(a, 3), (b, 1)]


def test_an_offline_buyers_proxy_order_cannot_be_returned_to_a_cart(
    owner_client: Client, owner: Any, offline: Any, catalog: Catalog
) -> None:
    a = factories.sku_numbers(catalog)[0]

    response = owner_client.post(order_url(offline, catalog), grid_post({a: 2}))

    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.route, order.organization_id) == ("proxy", None)
    with pytest.raises(OrderError) as refusal:
        ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert [b["code"] for b in refusal.value.params["blockers"]] == ["offline_buyer"]


def test_each_bad_line_is_shown_on_its_own_cell_and_nothing_typed_is_lost(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    before = written()

    response = owner_client.post(
        order_url(connected, catalog),
        grid_post({a: "2", b: "-3", c: "200000"}, comment="Keep me"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {field(b), field(c)}
    page = response.content.decode()
    assert 'value="-3"' in page and 'value="200000"' in page and 'value="2"' in page
    assert "Keep me" in page
    assert written() == before


def test_a_quantity_that_is_not_a_number_is_refused_with_the_other_bad_cells(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    a, b, c = factories.sku_numbers(catalog)

    response = owner_client.post(
        order_url(connected, catalog), grid_post({a: "1", b: "two", c: "-1"})
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {field(b), field(c)}
    assert not Order.objects.exists()


def test_an_empty_grid_asks_for_a_quantity(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    response = owner_client.post(order_url(connected, catalog), grid_post({}))

    assert response.status_code == 400
    assert "Type a quantity for at least one SKU." in response.content.decode()
    assert not Order.objects.exists()


def test_a_past_delivery_date_is_shown_on_its_field_with_the_bad_cells_and_nothing_is_lost(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = owner_client.post(
        order_url(connected, catalog),
        grid_post({a: "4", b: "-1", c: "200000"}, desired_delivery_date=yesterday.isoformat()),
    )

    assert response.status_code == 400
    assert set(response.context["header_form"].errors) == {"desired_delivery_date"}
    assert set(response.context["form"].errors) == {field(b), field(c)}
    assert 'value="4"' in response.content.decode()
    assert not Order.objects.exists()


def test_a_closed_catalog_takes_no_proxy_order(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    a = factories.sku_numbers(catalog)[0]
    Catalog.objects.filter(pk=catalog.pk).update(
        order_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert "deadline has passed" in owner_client.get(order_url(connected, catalog)).content.decode()
    response = owner_client.post(order_url(connected, catalog), grid_post({a: 1}))

    assert response.status_code == 409
    assert not Order.objects.exists()


def test_another_brands_buyer_or_catalog_is_not_found(
    owner_client: Client, connected: Any, catalog: Catalog
) -> None:
    stranger = factories.make_brand()
    their_buyer = factories.make_buyer(brand=stranger)
    their_catalog = factories.make_catalog(brand=stranger, skus=1)

    foreign_buyer = reverse("brand-buyer-order", args=[connected.brand.slug, their_buyer.pk])
    assert owner_client.get(foreign_buyer).status_code == 404
    assert owner_client.get(order_url(connected, their_catalog)).status_code == 404
    response = owner_client.post(
        order_url(connected, their_catalog),
        {f"q{SKU.objects.get(product__catalog=their_catalog).pk}": "1"},
    )
    assert response.status_code == 404
    assert not Order.objects.exists()
