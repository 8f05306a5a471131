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


def test_the_owner_sets_the_legal_identity_and_rounding_and_a_viewer_may_not(
    as_user: Callable[..., Any], owner: Any, viewer: Any, brand: Any
) -> None:
    body = {
        "legal_name": "Atelier SARL",
        "legal_address": "1 rue de la Paix\n75002 Paris",
        "tax_id": "FR12345678901",
        "bank_accounts": [
            {"label": "Main", "iban": "fr76 3000 6000 0112 3456 7890 189", "bic": "agrifrpp"},
            {"details": "Cheques to Atelier SARL"},
        ],
        "tax_rounding_mode": "down",
        "tax_rounding_scope": "document",
    }
    url = "/api/v1/brands/atelier/tax-settings"

    refused = as_user(viewer).put(url, body, format="json")
    answer = as_user(owner).put(url, body, format="json")

    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_role"
    assert answer.status_code == 200
    assert answer.json()["bank_accounts"][0] == {
        "label": "Main",
        "iban": "FR7630006000011234567890189",
        "bic": "AGRIFRPP",
        "details": "",
    }
    brand.refresh_from_db()
    assert (brand.legal_name, brand.tax_rounding_mode, brand.tax_rounding_scope) == (
        "Atelier SARL",
        "down",
        "document",
    )
    assert as_user(viewer).get(url).json()["tax_id"] == "FR12345678901"


def test_a_bad_iban_is_refused_with_its_code_and_nothing_is_stored(
    as_user: Callable[..., Any], owner: Any, brand: Any
) -> None:
    answer = as_user(owner).put(
        "/api/v1/brands/atelier/tax-settings",
        {
            "legal_name": "Atelier SARL",
            "legal_address": "",
            "tax_id": "",
            "bank_accounts": [{"iban": "NOT AN IBAN <script>"}],
            "tax_rounding_mode": "half_up",
            "tax_rounding_scope": "line",
        },
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["bank_accounts.0.iban"][0]["code"] == "invalid_iban"
    brand.refresh_from_db()
    assert brand.legal_name == ""


def test_rates_are_added_changed_and_removed_and_a_new_default_takes_over(
    as_user: Callable[..., Any], owner: Any, brand: Any
) -> None:
    client = as_user(owner)
    url = "/api/v1/brands/atelier/tax-rates"
    first = client.post(
        url, {"name": "VAT", "rate": "19", "countries": ["de"], "is_default": True}, format="json"
    ).json()
    second = client.post(
        url, {"name": "VAT", "rate": "20", "countries": ["AT"], "is_default": True}, format="json"
    )
    bad = client.post(url, {"name": "VAT", "rate": "101"}, format="json")
    bad_country = client.post(url, {"name": "VAT", "rate": "5", "countries": ["D1"]}, format="json")

    assert second.status_code == 201
    assert bad.json()["errors"]["rate"][0]["code"] == "invalid_rate"
    assert bad_country.json()["errors"]["countries"][0]["code"] == "invalid_country"
    listed = client.get(url).json()
    assert [(r["rate"], r["countries"], r["is_default"]) for r in listed] == [
        ("20.000", ["AT"], True),
        ("19.000", ["DE"], False),
    ]
    changed = client.patch(f"{url}/{first['id']}", {"rate": "19.5"}, format="json")
    assert changed.json()["rate"] == "19.500"
    assert client.delete(f"{url}/{first['id']}").status_code == 204
    assert client.delete(f"{url}/{first['id']}").status_code == 404
    assert TaxRate.objects.filter(brand=brand).count() == 1


def test_a_buyers_country_and_tax_id_are_set_and_its_next_cart_is_taxed_there(
    as_user: Callable[..., Any], owner: Any, viewer: Any, shop_user: Any, brand: Any, buyer: Any
) -> None:
    factories.make_tax_rates(brand=brand)
    url = f"/api/v1/brands/atelier/buyers/{buyer.pk}"

    refused = as_user(viewer).patch(url, {"country": "JP", "tax_id": "T1"}, format="json")
    bad = as_user(owner).patch(url, {"country": "J1", "tax_id": ""}, format="json")
    answer = as_user(owner).patch(url, {"country": "jp", "tax_id": "T123"}, format="json")

    assert refused.status_code == 403
    assert bad.json()["errors"]["country"][0]["code"] == "invalid_country"
    assert (answer.json()["country"], answer.json()["tax_id"]) == ("JP", "T123")
    catalog = factories.make_catalog(brand=brand, skus=1)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities=None)
    data = (
        as_user(shop_user).get(f"/api/v1/buyer-orgs/{buyer.organization_id}/carts/{cart.pk}").json()
    )
    assert [t["display"] for t in data["tax"]] == ["JCT 10 %"]
