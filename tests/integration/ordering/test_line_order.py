"""Lines keep the catalog's order (product, then its colours and sizes), whatever the edits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU, Product
from linesheet.documents.services import confirmation_save
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order
from linesheet.reporting.order_pdf import purchase_order_pdf
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db

# Products by model number (created out of that order), each with its SKUs by position.
CATALOG_ORDER = ["A-RED-S", "A-RED-M", "A-BLUE-S", "B-RED-S", "B-RED-M"]


@pytest.fixture
def catalog(brand: Any) -> Any:
    catalog = factories.make_catalog(brand=brand, skus=0)
    for model, numbers in (("B", CATALOG_ORDER[3:]), ("A", CATALOG_ORDER[:3])):
        product = Product.objects.create(
            brand=brand, catalog=catalog, model_number=model, name=f"Model {model}"
        )
        # Created in reverse, so that neither ids nor creation order give the catalog's order.
        for position, number in reversed(list(enumerate(numbers))):
            _model, color, size = number.split("-")
            SKU.objects.create(
                brand=brand,
                product=product,
                sku_number=number,
                color=color,
                size=size,
                retail_price=Decimal("10.00"),
                position=position,
            )
    return catalog


def numbers_of(order: Order) -> list[str]:
    return list(order.lines.order_by("position", "id").values_list("sku_number", flat=True))


def in_order_of_appearance(text: str, numbers: list[str]) -> list[str]:
    return sorted(numbers, key=text.index)


def test_an_order_placed_after_edits_lists_its_lines_in_the_catalogs_order(
    brand: Any, owner: Any, buyer: Any, shop_user: Any, catalog: Any, client: Client
) -> None:
    # The headline path: the brand's OC changes two lines, the order goes back to the cart,
    # the buyer takes one OC quantity and edits another line, then orders again.
    returned = factories.make_order(
        buyer=buyer, catalog=catalog, quantities={number: 2 for number in CATALOG_ORDER}
    )
    confirmation_save(
        order_id=returned.pk,
        quantities={**{number: 2 for number in CATALOG_ORDER}, "A-RED-S": 5, "B-RED-S": 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    ordering.order_return_to_cart(order_id=returned.pk, actor=owner, notify=False)
    cart = Cart.objects.get(source_order=returned)
    ordering.cart_take_oc_quantities(cart=cart, sku_numbers=["B-RED-S"])
    ordering.cart_set_lines(cart=cart, quantities={"A-RED-S": 7}, replace=False)

    order = ordering.order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=shop_user
    )

    assert numbers_of(order) == CATALOG_ORDER
    client.force_login(owner)
    brand_page = client.get(reverse("brand-order-detail", args=[brand.slug, order.code]))
    assert [line.sku_number for line in brand_page.context["lines"]] == CATALOG_ORDER
    original = brand_page.text.split('id="original-order"', 1)[1]
    assert in_order_of_appearance(original, CATALOG_ORDER) == CATALOG_ORDER
    client.force_login(shop_user)
    buyer_page = client.get(reverse("buyer-order", args=[order.pk]))
    original = buyer_page.text.split('id="lines-title"', 1)[1]
    assert in_order_of_appearance(original, CATALOG_ORDER) == CATALOG_ORDER
    pdf = text_of(purchase_order_pdf(order=order, lines=list(order.lines.all()), side="buyer"))
    assert in_order_of_appearance(pdf, CATALOG_ORDER) == CATALOG_ORDER


def test_a_proxy_order_typed_in_any_order_keeps_the_catalogs_order(
    buyer: Any, owner: Any, catalog: Any
) -> None:
    order = ordering.order_place_for_buyer(
        buyer=buyer,
        catalog=catalog,
        quantities={number: 1 for number in reversed(CATALOG_ORDER)},
        header=ordering.OrderHeader(),
        placed_by=owner,
    )

    assert numbers_of(order) == CATALOG_ORDER


def test_an_oc_saved_in_any_order_keeps_the_catalogs_order(
    buyer: Any, owner: Any, catalog: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities={"B-RED-M": 1})

    confirmation, _created = confirmation_save(
        order_id=order.pk,
        quantities={number: 1 for number in reversed(CATALOG_ORDER)},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )

    assert [line.sku_number for line in confirmation.lines.order_by("position")] == CATALOG_ORDER


def test_the_cart_lists_its_lines_in_the_catalogs_order_whatever_the_edits(
    buyer: Any, shop_user: Any, catalog: Any, client: Client
) -> None:
    cart = factories.make_cart(
        buyer=buyer, catalog=catalog, quantities={number: 1 for number in CATALOG_ORDER}
    )
    ordering.cart_set_lines(cart=cart, quantities={"A-RED-S": 3, "B-RED-S": 0}, replace=False)
    ordering.cart_set_lines(cart=cart, quantities={"B-RED-S": 2}, replace=False)
    client.force_login(shop_user)

    page = client.get(reverse("buyer-cart", args=[cart.pk]))

    shown = [entry.line.sku.sku_number for entry, _field, _image in page.context["rows"]]
    assert shown == CATALOG_ORDER
    api = client.get(f"/api/v1/buyer-orgs/{buyer.organization_id}/carts/{cart.pk}")
    assert [line["sku_number"] for line in api.json()["lines"]] == CATALOG_ORDER
