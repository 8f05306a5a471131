from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import TaxRate
from linesheet.ordering.services import order_return_to_cart
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def japanese_buyer(connected_buyer: Any, brand: Any) -> Any:
    factories.make_tax_rates(brand=brand)
    connected_buyer.country = "JP"
    connected_buyer.save(update_fields=["country"])
    return connected_buyer


@pytest.fixture
def tea_catalog(brand: Any) -> Any:
    """A kettle (standard rate, 120.00 retail) and tea (reduced, 33.33)."""
    catalog = factories.make_catalog(brand=brand, skus=0, name="Tea", code="TEA")
    factories.make_product(catalog=catalog, model_number="KETTLE", retail_price=Decimal("120.00"))
    factories.make_product(
        catalog=catalog, model_number="TEA", retail_price=Decimal("33.33"), tax_class="reduced"
    )
    return catalog


QUANTITIES = {"KETTLE-Black-M": 3, "TEA-Black-M": 5}


def test_the_cart_shows_net_tax_per_rate_and_gross_at_todays_rates(
    buyer_client: Client, japanese_buyer: Any, tea_catalog: Any
) -> None:
    cart = factories.make_cart(buyer=japanese_buyer, catalog=tea_catalog, quantities=QUANTITIES)

    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    # At 0.45: kettle 54.00 x 3 = 162.00, tea 15.00 x 5 = 75.00.
    tax = response.context["priced"].tax
    assert [(t.rate.label, t.amount) for t in tax.taxes] == [
        ("JCT 10 %", Decimal("16.20")),
        ("JCT 8 %", Decimal("6.00")),
    ]
    assert (tax.net, tax.gross) == (Decimal("237.00"), Decimal("259.20"))
    text = response.text
    assert "Tax JCT 10 %" in text and "Tax JCT 8 %" in text
    assert "259.20" in text
    assert "data-tax-changed" not in text


def test_the_returned_cart_says_its_tax_differs_when_a_rate_changed_since_the_order(
    buyer_client: Client, japanese_buyer: Any, tea_catalog: Any, brand: Any
) -> None:
    order = factories.make_order(buyer=japanese_buyer, catalog=tea_catalog, quantities=QUANTITIES)
    _order, cart = order_return_to_cart(order_id=order.pk, actor=None, notify=False)
    unchanged = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))
    assert "data-tax-changed" not in unchanged.text

    TaxRate.objects.filter(brand=brand, name="JCT", reduced=True).update(rate=Decimal("9"))
    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    assert response.context["priced"].rate_changes == [("JCT 8 %", "JCT 9 %")]
    assert "Tax or shipping differs from order" in response.text
    assert "JCT 8 % then, JCT 9 % now" in response.text


def test_placing_the_cart_shows_the_orders_net_tax_per_rate_and_gross_as_the_cart_did(
    buyer_client: Client, japanese_buyer: Any, tea_catalog: Any
) -> None:
    cart = factories.make_cart(buyer=japanese_buyer, catalog=tea_catalog, quantities=QUANTITIES)
    shown = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["priced"].tax

    placed = buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True)

    text = " ".join(placed.text.split())
    assert "Thank you, your order is placed" in text
    assert f"Gross</dt><dd>{shown.gross} EUR" in text
    order_page = buyer_client.get(reverse("buyer-order", args=[placed.context["order"].pk]))
    assert "Tax JCT 8 % on 75.00" in " ".join(order_page.text.split())
    assert order_page.context["order_totals"] == shown


def test_the_returned_cart_says_its_tax_differs_when_the_brand_rounds_otherwise_now(
    buyer_client: Client, japanese_buyer: Any, tea_catalog: Any, brand: Any
) -> None:
    order = factories.make_order(buyer=japanese_buyer, catalog=tea_catalog, quantities=QUANTITIES)
    _order, cart = order_return_to_cart(order_id=order.pk, actor=None, notify=False)
    brand.tax_rounding_scope = "document"
    brand.save(update_fields=["tax_rounding_scope"])

    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    assert response.context["priced"].tax_changes == []
    assert "The brand rounds tax otherwise now." in response.text
