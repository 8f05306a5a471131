"""Shipping in the API: `shipping` and its tax rate beside net, tax and gross."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linesheet.ordering.services import order_place
from tests import factories
from tests.integration.ordering.test_shipping import money, one_each

pytestmark = pytest.mark.django_db


def test_the_api_answers_shipping_beside_net_tax_and_gross(
    as_user: Callable[..., Any],
    shop_user: Any,
    owner: Any,
    german_buyer: Any,
    shipped_catalog: Any,
) -> None:
    org = german_buyer.organization_id
    cart = factories.make_cart(
        buyer=german_buyer, catalog=shipped_catalog, quantities=one_each(shipped_catalog)
    )
    cart_data = as_user(shop_user).get(f"/api/v1/buyer-orgs/{org}/carts/{cart.pk}").json()
    order = order_place(cart_id=cart.pk, organization=german_buyer.organization, placed_by=None)
    order_data = as_user(shop_user).get(f"/api/v1/buyer-orgs/{org}/orders/{order.pk}").json()
    brand_data = as_user(owner).get(f"/api/v1/brands/atelier/orders/{order.code}").json()

    for data in (cart_data, order_data, brand_data):
        assert data["net"] == money("150.00")
        assert data["shipping"] == money("9.90")
        assert data["shipping_tax_rate"] == "19.000"
        assert data["tax_total"] == money("30.38")
        assert data["gross"] == money("190.28")


def test_a_brand_manages_its_shipping_groups_through_the_api_and_refusals_store_nothing(
    as_user: Callable[..., Any], owner: Any, viewer: Any, brand: Any
) -> None:
    client = as_user(owner)
    url = "/api/v1/brands/atelier/shipping-groups"
    body = {
        "name": "Europe",
        "currency": "eur",
        "rates": [
            {"country": "fr", "bands": [{"from": "500", "fee": "0"}, {"from": "0", "fee": "12"}]},
            {"country": "", "bands": [{"from": "0", "fee": "45.00"}]},
        ],
    }

    created = client.post(url, body, format="json")

    assert created.status_code == 201, created.json()
    group = created.json()
    assert (group["name"], group["currency"]) == ("Europe", "EUR")
    assert group["rates"] == [
        {"country": "", "bands": [{"from": "0.00", "fee": "45.00"}]},
        {
            "country": "FR",
            "bands": [{"from": "0.00", "fee": "12.00"}, {"from": "500.00", "fee": "0.00"}],
        },
    ]
    assert client.get(url).json() == [group]

    for rates, code in (
        ([{"country": "F1", "bands": [{"from": "0", "fee": "1"}]}], "invalid_country"),
        ([{"country": "FR", "bands": []}], "no_bands"),
        ([{"country": "FR", "bands": [{"from": "0", "fee": "-1"}]}], "invalid_amount"),
        ([{"country": "FR", "bands": [{"from": "0", "fee": "1.001"}]}], "invalid_amount"),
        (
            [
                {"country": "FR", "bands": [{"from": "0", "fee": "1"}]},
                {"country": "fr", "bands": [{"from": "0", "fee": "2"}]},
            ],
            "duplicate_country",
        ),
    ):
        refused = client.put(f"{url}/{group['id']}", {**body, "rates": rates}, format="json")
        assert refused.status_code == 400, rates
        assert code in str(refused.json()["errors"]), (rates, refused.json())
    assert client.get(f"{url}/{group['id']}").json() == group

    assert as_user(viewer).delete(f"{url}/{group['id']}").status_code == 403
    assert client.delete(f"{url}/{group['id']}").status_code == 204
    assert client.get(f"{url}/{group['id']}").status_code == 404


def test_a_catalog_names_a_shipping_group_of_its_brand_in_its_currency_through_the_api(
    as_user: Callable[..., Any], owner: Any, brand: Any, catalog: Any
) -> None:
    client = as_user(owner)
    group = factories.make_shipping_group(brand=brand)
    yen = factories.make_shipping_group(brand=brand, name="Japan", currency="JPY")
    other = factories.make_shipping_group(brand=factories.make_brand())
    url = f"/api/v1/brands/atelier/catalogs/{catalog.pk}"

    for refused_id in (yen.pk, other.pk, 999999):
        refused = client.patch(url, {"shipping_group_id": refused_id}, format="json")
        assert refused.status_code == 400
        assert "invalid_shipping_group" in str(refused.json()["errors"])
    catalog.refresh_from_db()
    assert catalog.shipping_group_id is None

    named = client.patch(url, {"shipping_group_id": group.pk}, format="json")
    assert named.status_code == 200, named.json()
    assert client.get(url).json()["shipping_group_id"] == group.pk
    created = client.post(
        "/api/v1/brands/atelier/catalogs",
        {"name": "AW27", "code": "AW27", "currency": "EUR", "shipping_group_id": group.pk},
        format="json",
    )
    assert created.status_code == 201 and created.json()["shipping_group_id"] == group.pk


def test_an_order_link_names_a_shipping_group_through_the_api(
    as_user: Callable[..., Any], owner: Any, brand: Any, catalog: Any
) -> None:
    client = as_user(owner)
    group = factories.make_shipping_group(brand=brand)
    other = factories.make_shipping_group(brand=factories.make_brand())
    url = "/api/v1/brands/atelier/order-links"

    refused = client.post(
        url, {"catalog": catalog.pk, "shipping_group_id": other.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "invalid_shipping_group" in str(refused.json()["errors"])

    created = client.post(
        url, {"catalog": catalog.pk, "shipping_group_id": group.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["shipping_group_id"] == group.pk
