"""A buyer in another country than the brand: the cart, the order, the OC, their PDFs and the
export agree to the cent on net, tax per rate and gross."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from linesheet.core.tax import TaxTotals
from linesheet.documents.selectors import confirmation_of_order, confirmation_tax_totals
from linesheet.documents.services import confirmation_save
from linesheet.ordering import services as ordering
from linesheet.ordering.selectors import OrderFilters, cart_priced, orders_of_brand
from linesheet.ordering.taxes import order_tax_totals
from linesheet.reporting.order_export import orders_xlsx
from linesheet.reporting.order_pdf import confirmation_pdf, purchase_order_pdf
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_brand(brand: Any) -> Any:
    """A brand in Germany, rounding tax down once per document, with its legal identity."""
    factories.make_tax_rates(brand=brand, tax_rounding_mode="down", tax_rounding_scope="document")
    brand.legal_name = "Atelier Handels GmbH"
    brand.legal_address = "Torstraße 1\n10119 Berlin"
    brand.tax_id = "DE123456789"
    brand.bank_accounts = [
        {"label": "Euro account", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"},
        {"label": "Yen account", "details": "MUFG Tokyo, account 1234567"},
    ]
    brand.save(update_fields=["legal_name", "legal_address", "tax_id", "bank_accounts"])
    return brand


def written(amount: Decimal) -> str:
    """Write an amount as the documents print it (2 decimals, grouped)."""
    return f"{amount:,.2f}"


def assert_document_shows(text: str, totals: TaxTotals) -> None:
    assert f"Net {written(totals.net)} EUR" in text
    for item in totals.taxes:
        assert f"Tax {item.rate.label} on {written(item.net)} {written(item.amount)} EUR" in text, (
            item
        )
    assert f"Gross {written(totals.gross)} EUR" in text


def test_a_buyer_in_japan_gets_a_cart_order_oc_pdfs_and_export_that_agree_to_the_cent(
    german_brand: Any, owner: Any
) -> None:
    user = factories.make_user()
    buyer = factories.make_connected_buyer(brand=german_brand, members=[user])
    buyer.country = "JP"
    buyer.tax_id = "T1234567890123"
    buyer.save(update_fields=["country", "tax_id"])
    catalog = factories.make_catalog(brand=german_brand, skus=0, code="AW27")
    factories.make_product(
        catalog=catalog, model_number="COAT", retail_price=Decimal("333.33"), sizes=["S", "M"]
    )
    factories.make_product(
        catalog=catalog, model_number="TEA", retail_price=Decimal("17.77"), tax_class="reduced"
    )
    cart = factories.make_cart(
        buyer=buyer,
        catalog=catalog,
        quantities={"COAT-Black-S": 3, "COAT-Black-M": 2, "TEA-Black-M": 11},
    )
    in_cart = cart_priced(cart=cart).tax

    order = ordering.order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=user)
    placed = order_tax_totals(order)

    # 5 x 166.67 = 833.35 at 10 %: 83.335 -> 83.33 (down, once); 11 x 8.89 = 97.79 at 8 %:
    # 7.8232 -> 7.82.
    assert placed == in_cart
    assert [(t.rate.label, t.net, t.amount) for t in placed.taxes] == [
        ("JCT 10 %", Decimal("833.35"), Decimal("83.33")),
        ("JCT 8 %", Decimal("97.79"), Decimal("7.82")),
    ]
    assert (placed.net, placed.gross) == (Decimal("931.14"), Decimal("1022.29"))

    po = text_of(purchase_order_pdf(order=order, lines=list(order.lines.all()), side="buyer"))
    assert_document_shows(po, placed)
    assert "Atelier Handels GmbH" in po
    assert "Tax ID DE123456789" in po
    assert "IBAN DE89370400440532013000 · BIC COBADEFFXXX" in po
    assert "MUFG Tokyo, account 1234567" in po
    assert "Tax ID T1234567890123" in po

    confirmation_save(
        order_id=order.pk,
        quantities={"COAT-Black-S": 3, "TEA-Black-M": 11},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    confirmation = confirmation_of_order(order_id=order.pk)
    assert confirmation is not None
    confirmed = confirmation_tax_totals(confirmation, currency=order.currency)
    assert confirmed.gross == confirmed.net + sum(t.amount for t in confirmed.taxes)
    oc = text_of(
        confirmation_pdf(
            order=order,
            confirmation=confirmation,
            lines=list(confirmation.lines.all()),
            side="brand",
        )
    )
    assert_document_shows(oc, confirmed)
    assert "Tax ID T1234567890123" in oc

    sheet = load_workbook(
        io.BytesIO(
            b"".join(
                orders_xlsx(
                    orders=orders_of_brand(brand=german_brand, filters=OrderFilters()),
                    time_zone=german_brand.time_zone,
                )
            )
        )
    ).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert Decimal(str(first["Order net"])) == placed.net
    assert Decimal(str(first["Order tax"])) == placed.tax
    assert Decimal(str(first["Order gross"])) == placed.gross
    assert first["Order tax per rate"] == "JCT 10 %: 83.33; JCT 8 %: 7.82"
    assert [row[header.index("Tax rate")] for row in rows[1:]] == [
        "JCT 10 %",
        "JCT 10 %",
        "JCT 8 %",
    ]
    assert all(row[header.index("Order gross")] is None for row in rows[2:])
