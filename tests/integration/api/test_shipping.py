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
