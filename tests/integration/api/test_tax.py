from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from linesheet.accounts.models import TaxRate
from linesheet.documents.services import confirmation_save
from linesheet.ordering.services import order_place, order_return_to_cart
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_buyer(buyer: Any, brand: Any) -> Any:
    factories.make_tax_rates(brand=brand)
    buyer.country = "FR"
    buyer.tax_id = "FR12345678901"
    buyer.save(update_fields=["country", "tax_id"])
    return buyer


@pytest.fixture
def book_catalog(brand: Any) -> Any:
    """A lamp (standard rate, 99.99 retail) and a book (reduced, 21.11)."""
    catalog = factories.make_catalog(brand=brand, skus=0, name="Home", code="HOME")
    factories.make_product(catalog=catalog, model_number="LAMP", retail_price=Decimal("99.99"))
    factories.make_product(
        catalog=catalog, model_number="BOOK", retail_price=Decimal("21.11"), tax_class="reduced"
    )
    return catalog


QUANTITIES = {"LAMP-Black-M": 3, "BOOK-Black-M": 9}


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def test_the_cart_order_and_oc_answer_net_tax_per_rate_and_gross(
    as_user: Callable[..., Any], shop_user: Any, owner: Any, french_buyer: Any, book_catalog: Any
) -> None:
    org = french_buyer.organization_id
    cart = factories.make_cart(buyer=french_buyer, catalog=book_catalog, quantities=QUANTITIES)
    client = as_user(shop_user)

    cart_data = client.get(f"/api/v1/buyer-orgs/{org}/carts/{cart.pk}").json()
    order = order_place(cart_id=cart.pk, organization=french_buyer.organization, placed_by=None)
    order_data = client.get(f"/api/v1/buyer-orgs/{org}/orders/{order.pk}").json()

    # At 0.5: lamp 50.00 x 3 = 150.00; book 10.56 x 9 = 95.04 (5.5 %: 5.2272 -> 5.23).
    expected_tax = [
        {
            "name": "TVA",
            "rate": "20.000",
            "reduced": False,
            "display": "TVA 20 %",
            "net": money("150.00"),
            "amount": money("30.00"),
        },
        {
            "name": "TVA",
            "rate": "5.500",
            "reduced": True,
            "display": "TVA 5.5 %",
            "net": money("95.04"),
            "amount": money("5.23"),
        },
    ]
    for data in (cart_data, order_data):
        assert data["net"] == money("245.04")
        assert data["tax"] == expected_tax
        assert data["tax_total"] == money("35.23")
        assert data["gross"] == money("280.27")
        assert data["tax_rounding"] == {"mode": "half_up", "scope": "line"}
    assert cart_data["tax_differs_from_returned_order"] is False

    confirmation_save(
        order_id=order.pk,
        quantities={"LAMP-Black-M": 2, "BOOK-Black-M": 9},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    brand_data = as_user(owner).get(f"/api/v1/brands/atelier/orders/{order.code}").json()
    oc = brand_data["confirmation"]
    assert oc["net"] == money("195.04")
    assert [t["amount"] for t in oc["tax"]] == [money("20.00"), money("5.23")]
    assert oc["gross"] == money("220.27")
    assert brand_data["gross"] == money("280.27")  # the Original Order's, as placed


def test_the_returned_cart_says_its_tax_differs_from_the_order_at_todays_rates(
    as_user: Callable[..., Any], shop_user: Any, brand: Any, french_buyer: Any, book_catalog: Any
) -> None:
    order = factories.make_order(buyer=french_buyer, catalog=book_catalog, quantities=QUANTITIES)
    _order, cart = order_return_to_cart(order_id=order.pk, actor=None, notify=False)
    TaxRate.objects.filter(brand=brand, name="TVA", reduced=False).update(rate=Decimal("21"))

    data = (
        as_user(shop_user)
        .get(f"/api/v1/buyer-orgs/{french_buyer.organization_id}/carts/{cart.pk}")
        .json()
    )

    assert data["tax_differs_from_returned_order"] is True
    assert [t["display"] for t in data["tax"]] == ["TVA 21 %", "TVA 5.5 %"]
    assert data["gross"] == money("281.77")
