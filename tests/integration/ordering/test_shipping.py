"""Shipping fees: the cart shows the catalog's fee, the order keeps the fee it was charged,
the OC keeps it or the brand changes it, and pages, API, PDFs, export and emails agree."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linesheet.accounts.shipping import shipping_group_update
from linesheet.core.errors import InvalidInput
from linesheet.documents.models import OrderConfirmation
from linesheet.documents.selectors import confirmation_of_order, confirmation_tax_totals
from linesheet.documents.services import confirmation_save
from linesheet.ordering.selectors import OrderFilters, cart_priced, orders_of_brand
from linesheet.ordering.services import (
    cart_set_lines,
    order_link_create,
    order_link_land,
    order_place,
    order_return_to_cart,
)
from linesheet.ordering.taxes import order_tax_totals
from linesheet.reporting.order_export import orders_xlsx
from linesheet.reporting.order_pdf import confirmation_pdf, purchase_order_pdf
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db

D = Decimal


ONE_EACH = 1  # 3 SKUs x 50.00 = 150.00 net: 9.90 to Germany


def one_each(catalog: Any) -> dict[str, int]:
    return {number: ONE_EACH for number in factories.sku_numbers(catalog)}


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def test_the_order_keeps_the_fee_it_was_charged_and_its_rate_taxed_as_one_more_line(
    german_buyer: Any, shipped_catalog: Any
) -> None:
    cart = factories.make_cart(
        buyer=german_buyer, catalog=shipped_catalog, quantities=one_each(shipped_catalog)
    )
    in_cart = cart_priced(cart=cart).tax
    order = order_place(cart_id=cart.pk, organization=german_buyer.organization, placed_by=None)
    placed = order_tax_totals(order)

    # 150.00 x 19 % = 28.50; the fee 9.90 x 19 % = 1.881 -> 1.88 (per line, half up).
    assert placed == in_cart
    assert (placed.net, placed.shipping) == (D("150.00"), D("9.90"))
    assert placed.shipping_rate is not None and placed.shipping_rate.label == "VAT 19 %"
    assert [(t.rate.label, t.net, t.amount) for t in placed.taxes] == [
        ("VAT 19 %", D("159.90"), D("30.38"))
    ]
    assert placed.gross == D("190.28")
    assert order.total_amount == D("150.00")

    shipping_group_update(
        group=shipped_catalog.shipping_group,
        name="Dearer",
        currency="EUR",
        rates=[{"country": "", "bands": [{"from": "0", "fee": "50.00"}]}],
    )
    order.refresh_from_db()
    assert order_tax_totals(order) == placed


def test_the_cart_charges_nothing_from_the_free_band_nor_without_a_group(
    german_buyer: Any, shipped_catalog: Any, brand: Any
) -> None:
    free = cart_priced(
        cart=factories.make_cart(buyer=german_buyer, catalog=shipped_catalog)
    ).tax  # 2 of each: 300.00
    assert (free.net, free.shipping) == (D("300.00"), D("0.00"))
    assert free.gross == D("357.00")

    plain = factories.make_catalog(brand=brand, skus=2)
    untouched = cart_priced(cart=factories.make_cart(buyer=german_buyer, catalog=plain)).tax
    assert untouched.shipping is None and "shipping" not in untouched.as_dict()


def test_the_oc_keeps_the_orders_fee_and_the_brand_may_change_it(
    german_buyer: Any, shipped_catalog: Any, owner: Any
) -> None:
    order = factories.make_order(
        buyer=german_buyer, catalog=shipped_catalog, quantities=one_each(shipped_catalog)
    )
    quantities = one_each(shipped_catalog)

    confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    kept = confirmation_tax_totals(confirmation_of_order(order_id=order.pk), currency="EUR")
    assert kept.shipping == D("9.90") and kept.gross == D("190.28")

    with pytest.raises(InvalidInput) as refused:
        confirmation_save(
            order_id=order.pk,
            quantities=quantities,
            allow_buyer_approval=False,
            actor=owner,
            notify=False,
            shipping="-1",
        )
    assert refused.value.params["errors"]["shipping"][0]["code"] == "invalid_shipping"
    assert OrderConfirmation.objects.get(order=order).version == 1

    confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
        shipping="4.50",
    )
    changed = confirmation_tax_totals(confirmation_of_order(order_id=order.pk), currency="EUR")
    # 4.50 x 19 % = 0.855 -> 0.86.
    assert changed.shipping == D("4.50")
    assert changed.tax == D("29.36") and changed.gross == D("183.86")
    # A later save without a fee keeps the one the brand set; the order keeps its own.
    confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    again = confirmation_tax_totals(confirmation_of_order(order_id=order.pk), currency="EUR")
    assert again.shipping == D("4.50")
    order.refresh_from_db()
    assert order_tax_totals(order).shipping == D("9.90")


def test_the_pdfs_export_and_pages_agree_to_the_cent_on_the_fee(
    german_buyer: Any,
    shipped_catalog: Any,
    owner: Any,
    brand: Any,
    client: Client,
    shop_user: Any,
) -> None:
    order = factories.make_order(
        buyer=german_buyer, catalog=shipped_catalog, quantities=one_each(shipped_catalog)
    )
    confirmation_save(
        order_id=order.pk,
        quantities=one_each(shipped_catalog),
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
        shipping="0",
    )
    confirmation = confirmation_of_order(order_id=order.pk)
    assert confirmation is not None

    po = text_of(purchase_order_pdf(order=order, lines=list(order.lines.all()), side="buyer"))
    assert "Net 150.00 EUR" in po
    assert "Shipping 9.90 EUR" in po
    assert "Tax VAT 19 % on 159.90 30.38 EUR" in po
    assert "Gross 190.28 EUR" in po
    oc = text_of(
        confirmation_pdf(
            order=order,
            confirmation=confirmation,
            lines=list(confirmation.lines.all()),
            side="brand",
        )
    )
    assert "Shipping Free EUR" in oc
    assert "Gross 178.50 EUR" in oc

    sheet = load_workbook(
        io.BytesIO(
            b"".join(
                orders_xlsx(
                    orders=orders_of_brand(brand=brand, filters=OrderFilters()),
                    time_zone=brand.time_zone,
                )
            )
        )
    ).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = [str(cell) for cell in rows[0]]
    first = dict(zip(header, rows[1], strict=True))
    assert Decimal(str(first["Order shipping"])) == D("9.90")
    assert Decimal(str(first["Order gross"])) == D("190.28")

    client.force_login(owner)
    brand_page = client.get(reverse("brand-order-detail", args=["atelier", order.code])).text
    assert "Shipping" in brand_page and "9.90" in brand_page and "190.28" in brand_page
    client.force_login(shop_user)
    buyer_page = client.get(reverse("buyer-order", args=[order.pk])).text
    assert "Shipping" in buyer_page and "9.90" in buyer_page and "190.28" in buyer_page


def test_a_returned_cart_says_when_todays_fee_differs_from_the_orders(
    german_buyer: Any, shipped_catalog: Any, client: Client, shop_user: Any
) -> None:
    order = factories.make_order(
        buyer=german_buyer, catalog=shipped_catalog, quantities=one_each(shipped_catalog)
    )
    _order, cart = order_return_to_cart(order_id=order.pk, actor=None, notify=False)
    assert not cart_priced(cart=cart).tax_differs

    shipping_group_update(
        group=shipped_catalog.shipping_group,
        name="Dearer",
        currency="EUR",
        rates=[{"country": "", "bands": [{"from": "0", "fee": "12.00"}]}],
    )
    priced = cart_priced(cart=cart)
    assert priced.shipping_changed and priced.tax.shipping == D("12.00")
    client.force_login(shop_user)
    page = client.get(reverse("buyer-cart", args=[cart.pk])).text
    assert "The shipping fee differs from the order" in page


def test_an_order_link_naming_a_group_charges_it_instead_of_the_catalogs(
    german_buyer: Any, shipped_catalog: Any, brand: Any
) -> None:
    express = factories.make_shipping_group(
        brand=brand,
        name="Express",
        rates=[{"country": "", "bands": [{"from": "0", "fee": "30.00"}]}],
    )
    yen = factories.make_shipping_group(brand=brand, name="Japan", currency="JPY")
    with pytest.raises(InvalidInput) as refused:
        order_link_create(catalog=shipped_catalog, created_by=None, shipping_group_id=yen.pk)
    assert "shipping_group_id" in refused.value.params["errors"]
    link = order_link_create(catalog=shipped_catalog, created_by=None, shipping_group_id=express.pk)

    cart, _created = order_link_land(link=link, organization=german_buyer.organization)
    cart_set_lines(cart=cart, quantities=one_each(shipped_catalog))
    assert cart_priced(cart=cart).tax.shipping == D("30.00")
    order = order_place(cart_id=cart.pk, organization=german_buyer.organization, placed_by=None)
    assert order_tax_totals(order).shipping == D("30.00")
