"""Carts, placing orders and Order Management through the REST API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linesheet.catalog.models import SKU
from linesheet.ordering.models import Cart, CartLine, ClosedCart, Order
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(shop_user: Any) -> Any:
    return client_for(shop_user)


def org_url(buyer: Any, rest: str) -> str:
    return f"/api/v1/buyer-orgs/{buyer.organization_id}/{rest}"


def test_a_buyer_fills_a_cart_and_places_an_order_through_the_api(
    buyer: Any, catalog: Any, shop: Any, owner: Any
) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    created = shop.post(org_url(buyer, "carts"), {"catalog": catalog.pk}, format="json")
    assert created.status_code == 201, created.json()
    cart_id = created.json()["id"]
    lines = shop.put(
        org_url(buyer, f"carts/{cart_id}/lines"),
        {"lines": [{"sku_number": a, "quantity": 3}, {"sku_number": b, "quantity": 1}]},
        format="json",
    )
    assert lines.status_code == 200, lines.json()
    body = lines.json()
    assert [(line["sku_number"], line["quantity"]) for line in body["lines"]] == [(a, 3), (b, 1)]
    assert body["lines"][0]["unit_price"] == {"amount": "50.00", "currency": "EUR"}
    assert body["total_amount"] == {"amount": "200.00", "currency": "EUR"}
    patched = shop.patch(
        org_url(buyer, f"carts/{cart_id}"),
        {"comment": "Leave at reception", "desired_delivery_date": "2099-03-01"},
        format="json",
    )
    assert patched.status_code == 200, patched.json()

    placed = shop.post(org_url(buyer, f"carts/{cart_id}/order"))

    assert placed.status_code == 201, placed.json()
    order = placed.json()
    assert order["status"] == "awaiting_oc"
    assert order["status_label"] == "Awaiting OC creation"
    assert order["route"] == "buyer_app"
    assert order["comment"] == "Leave at reception"
    assert order["desired_delivery_date"] == "2099-03-01"
    assert "tags" not in order and "events" not in order  # brand-internal
    assert not Cart.objects.exists()

    listed = shop.get(org_url(buyer, "orders")).json()
    assert [o["code"] for o in listed["results"]] == [order["code"]]

    brand_view = client_for(owner).get(f"/api/v1/brands/atelier/orders/{order['code']}").json()
    assert brand_view["status_label"] == "Please create an OC"
    assert brand_view["allowed_actions"] == [
        "create_oc",
        "create_partner_inventory_slip",
        "export_excel",
        "export_pdf",
        "reject",
        "return_to_cart",
        "set_tags",
    ]
    assert [line["sku_number"] for line in brand_view["original_lines"]] == [a, b]
    assert [event["type"] for event in brand_view["events"]] == ["placed"]
    assert brand_view["replaces"] is None


def test_a_second_cart_for_the_same_catalog_is_409_cart_exists(
    buyer: Any, catalog: Any, shop: Any
) -> None:
    assert (
        shop.post(org_url(buyer, "carts"), {"catalog": catalog.pk}, format="json").status_code
        == 201
    )
    second = shop.post(org_url(buyer, "carts"), {"catalog": catalog.pk}, format="json")
    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"
    assert second.json()["code"] == "cart_exists"
    assert Cart.objects.count() == 1


def test_a_cart_opened_with_its_lines_holds_them(buyer: Any, catalog: Any, shop: Any) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    created = shop.post(
        org_url(buyer, "carts"),
        {
            "catalog": catalog.pk,
            "lines": [{"sku_number": a, "quantity": 3}, {"sku_number": b, "quantity": 1}],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert [(line["sku_number"], line["quantity"]) for line in created.json()["lines"]] == [
        (a, 3),
        (b, 1),
    ]


def test_a_cart_opened_with_a_bad_line_is_refused_and_not_opened(
    buyer: Any, catalog: Any, shop: Any
) -> None:
    a, b, _c = factories.sku_numbers(catalog)

    refused = shop.post(
        org_url(buyer, "carts"),
        {
            "catalog": catalog.pk,
            "lines": [{"sku_number": a, "quantity": 4}, {"sku_number": b, "quantity": -3}],
        },
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert list(refused.json()["errors"]) == ["lines.1.quantity"]
    assert not Cart.objects.exists()


def test_lines_come_only_with_a_catalog(buyer: Any, catalog: Any, shop: Any) -> None:
    line = {"sku_number": factories.sku_numbers(catalog)[0], "quantity": 1}

    refused = shop.post(
        org_url(buyer, "carts"), {"order_link": "a-token", "lines": [line]}, format="json"
    )

    assert refused.status_code == 400
    assert refused.json()["errors"]["lines"][0]["code"] == "only_with_catalog"
    assert not Cart.objects.exists()


def test_a_cart_that_was_ordered_answers_gone_with_the_order_it_became(
    buyer: Any, catalog: Any, shop: Any
) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    placed = shop.post(org_url(buyer, f"carts/{cart.pk}/order")).json()

    read = shop.get(org_url(buyer, f"carts/{cart.pk}"))
    again = shop.post(org_url(buyer, f"carts/{cart.pk}/order"))

    for response in (read, again):
        assert response.status_code == 410
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "cart_ordered"
        assert (body["order_id"], body["order_code"]) == (placed["id"], placed["code"])
    assert Order.objects.count() == 1


def test_a_deleted_cart_answers_gone(buyer: Any, catalog: Any, shop: Any) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    assert shop.delete(org_url(buyer, f"carts/{cart.pk}")).status_code == 204

    for response in (
        shop.get(org_url(buyer, f"carts/{cart.pk}")),
        shop.put(org_url(buyer, f"carts/{cart.pk}/lines"), {"lines": []}, format="json"),
        shop.delete(org_url(buyer, f"carts/{cart.pk}")),
    ):
        assert response.status_code == 410
        assert response.json()["code"] == "cart_deleted"


def test_another_organisations_gone_cart_is_not_found(
    brand: Any, buyer: Any, catalog: Any, shop: Any
) -> None:
    stranger = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=stranger, catalog=catalog)
    closed = ClosedCart.objects.get(order=order)

    response = shop.get(org_url(buyer, f"carts/{closed.cart_id}"))

    assert response.status_code == 404
    assert order.code not in response.text


def test_bad_lines_are_refused_with_every_problem_and_nothing_changes(
    buyer: Any, catalog: Any, shop: Any
) -> None:
    a, *_ = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={a: 2})
    response = shop.put(
        org_url(buyer, f"carts/{cart.pk}/lines"),
        {"lines": [{"sku_number": "NOPE", "quantity": 1}, {"sku_number": a, "quantity": 0}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["lines.1.quantity"][0]["code"] == "invalid_quantity"
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [2]


@pytest.mark.parametrize(
    "payload",
    [
        {"lines": [{"sku_number": "X", "quantity": "many"}]},
        {"lines": [{"sku_number": "X", "quantity": 1, "price": 1}]},
        {"lines": "X"},
        {"lines": [], "extra": True},
    ],
)
def test_malformed_lines_are_400_invalid(buyer: Any, catalog: Any, shop: Any, payload: Any) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    response = shop.put(org_url(buyer, f"carts/{cart.pk}/lines"), payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_placing_with_an_unorderable_sku_is_409_and_the_cart_stays(
    buyer: Any, catalog: Any, shop: Any
) -> None:
    a, *_ = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    SKU.objects.filter(sku_number=a).update(is_active=False)
    response = shop.post(org_url(buyer, f"carts/{cart.pk}/order"))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "sku_not_orderable"
    assert [b["code"] for b in body["blockers"]] == ["sku_not_orderable"]
    assert Cart.objects.filter(pk=cart.pk).exists()
    assert not Order.objects.exists()


def test_another_organisation_cannot_see_or_order_our_cart(
    brand: Any, buyer: Any, catalog: Any
) -> None:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    stranger_user = factories.make_user()
    factories.make_connected_buyer(brand=brand, members=[stranger_user])
    stranger = client_for(stranger_user)
    assert stranger.get(org_url(buyer, f"carts/{cart.pk}")).status_code == 404
    assert stranger.post(org_url(buyer, f"carts/{cart.pk}/order")).status_code == 404
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_order_management_filters_and_pages_with_a_cursor(
    brand: Any, buyer: Any, catalog: Any, owner: Any
) -> None:
    orders = [factories.make_order(buyer=buyer, catalog=catalog) for _ in range(5)]
    client = client_for(owner)

    first = client.get("/api/v1/brands/atelier/orders?limit=2").json()
    assert [o["code"] for o in first["results"]] == [orders[4].code, orders[3].code]
    second = client.get(first["next"]).json()
    assert [o["code"] for o in second["results"]] == [orders[2].code, orders[1].code]
    third = client.get(second["next"]).json()
    assert [o["code"] for o in third["results"]] == [orders[0].code]
    assert third["next"] is None
    assert first["previous"] is None
    back = client.get(third["previous"]).json()
    assert back["results"] == second["results"]
    assert [o["code"] for o in client.get(back["previous"]).json()["results"]] == [
        orders[4].code,
        orders[3].code,
    ]

    by_code = client.get(f"/api/v1/brands/atelier/orders?code={orders[2].code}").json()
    assert [o["code"] for o in by_code["results"]] == [orders[2].code]
    assert client.get("/api/v1/brands/atelier/orders?status=rejected").json()["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "placed_from=yesterday",
        "limit=500",
        "buyer=abc",
        "colour=red",
        "cursor=zz",
    ],
)
def test_bad_search_parameters_are_400_invalid(owner: Any, query: str) -> None:
    response = client_for(owner).get(f"/api/v1/brands/atelier/orders?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_order_list_costs_the_same_for_two_orders_and_twenty(
    brand: Any, buyer: Any, catalog: Any, owner: Any
) -> None:
    client = client_for(owner)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/brands/atelier/orders").status_code == 200
        return len(queries)

    for _ in range(2):
        factories.make_order(buyer=buyer, catalog=catalog)
    few = cost()
    for _ in range(18):
        factories.make_order(buyer=buyer, catalog=catalog)
    assert cost() == few


def test_another_brands_owner_gets_404_on_our_orders(buyer: Any, catalog: Any) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    rival = factories.make_member(brand=factories.make_brand(slug="rival"))
    client = client_for(rival)
    assert client.get("/api/v1/brands/atelier/orders").status_code == 404
    assert client.get(f"/api/v1/brands/atelier/orders/{order.code}").status_code == 404
