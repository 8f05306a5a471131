from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from linesheet.accounts.models import TaxRate
from linesheet.catalog.taxes import tax_rules_for
from linesheet.documents.selectors import confirmation_tax_totals
from linesheet.documents.services import confirmation_save
from linesheet.ordering.models import Order
from linesheet.ordering.taxes import order_tax_totals
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(brand: Any) -> dict[str, TaxRate]:
    return factories.make_tax_rates(brand=brand)


@pytest.fixture
def mixed_catalog(brand: Any) -> Any:
    """A coat at the standard rate (79.99 retail) and a book at the reduced one (13.33)."""
    catalog = factories.make_catalog(brand=brand, skus=0, name="AW27", code="AW27")
    factories.make_product(
        catalog=catalog, model_number="COAT", retail_price=Decimal("79.99"), sizes=["S", "M"]
    )
    factories.make_product(
        catalog=catalog,
        model_number="BOOK",
        retail_price=Decimal("13.33"),
        tax_class="reduced",
    )
    return catalog


def place(buyer: Any, catalog: Any) -> Order:
    return factories.make_order(
        buyer=buyer,
        catalog=catalog,
        quantities={"COAT-Black-S": 3, "COAT-Black-M": 1, "BOOK-Black-M": 7},
    )


def test_a_buyer_in_france_is_taxed_at_the_french_rates_named_for_france(
    brand: Any, buyer: Any, rates: Any, mixed_catalog: Any
) -> None:
    buyer.country = "FR"
    buyer.save(update_fields=["country"])

    order = place(buyer, mixed_catalog)

    # Wholesale at 0.5: coat 40.00 (x4 = 160.00), book 6.67 (x7 = 46.69, rounded per line).
    totals = order_tax_totals(order)
    assert [(t.rate.label, t.net, t.amount) for t in totals.taxes] == [
        ("TVA 20 %", Decimal("160.00"), Decimal("32.00")),
        ("TVA 5.5 %", Decimal("46.69"), Decimal("2.57")),
    ]
    assert (totals.net, totals.tax, totals.gross) == (
        Decimal("206.69"),
        Decimal("34.57"),
        Decimal("241.26"),
    )
    assert order.total_amount == Decimal("206.69")
    lines = {line.sku_number: line for line in order.lines.all()}
    assert (lines["BOOK-Black-M"].tax_name, lines["BOOK-Black-M"].tax_rate) == (
        "TVA",
        Decimal("5.500"),
    )
    assert lines["BOOK-Black-M"].tax_reduced is True


def test_a_buyer_in_a_country_no_rate_names_is_taxed_at_the_default_rates(
    brand: Any, buyer: Any, rates: Any, mixed_catalog: Any
) -> None:
    buyer.country = "DK"
    buyer.save(update_fields=["country"])

    totals = order_tax_totals(place(buyer, mixed_catalog))

    assert [t.rate.label for t in totals.taxes] == ["VAT 19 %", "VAT 7 %"]


def test_japanese_consumption_tax_rounded_down_per_document(
    brand: Any, buyer: Any, rates: Any, mixed_catalog: Any
) -> None:
    brand.tax_rounding_mode = "down"
    brand.tax_rounding_scope = "document"
    brand.save(update_fields=["tax_rounding_mode", "tax_rounding_scope"])
    buyer.country = "JP"
    buyer.save(update_fields=["country"])

    totals = order_tax_totals(place(buyer, mixed_catalog))

    # 46.69 at 8 % is 3.7352: down, once.
    assert [(t.rate.label, t.amount) for t in totals.taxes] == [
        ("JCT 10 %", Decimal("16.00")),
        ("JCT 8 %", Decimal("3.73")),
    ]
    assert order_tax_totals(place(buyer, mixed_catalog)).rounding.scope == "document"


def test_a_brand_without_tax_rates_places_orders_of_net_only(
    buyer: Any, mixed_catalog: Any
) -> None:
    totals = order_tax_totals(place(buyer, mixed_catalog))

    assert totals.taxes == ()
    assert totals.gross == totals.net == Decimal("206.69")


def test_a_rate_changed_after_placing_does_not_change_the_order(
    brand: Any, buyer: Any, rates: Any, mixed_catalog: Any
) -> None:
    order = place(buyer, mixed_catalog)
    before = order_tax_totals(order)

    TaxRate.objects.filter(pk=rates["vat"].pk).update(rate=Decimal("21"))
    brand.tax_rounding_mode = "up"
    brand.save(update_fields=["tax_rounding_mode"])

    order.refresh_from_db()
    assert order_tax_totals(order) == before
    assert [t.rate.rate for t in before.taxes] == [Decimal("19"), Decimal("7")]
    assert tax_rules_for(brand=brand, country="DE").standard.rate == Decimal("21")  # type: ignore[union-attr]


def test_the_oc_keeps_the_orders_rates_and_taxes_an_added_sku_at_todays_rate(
    brand: Any, owner: Any, buyer: Any, rates: Any, mixed_catalog: Any
) -> None:
    order = place(buyer, mixed_catalog)
    TaxRate.objects.filter(pk=rates["vat_reduced"].pk).update(rate=Decimal("10"))
    factories.make_product(catalog=mixed_catalog, model_number="MUG", retail_price=Decimal("20.00"))
    TaxRate.objects.filter(pk=rates["vat"].pk).update(name="MwSt")

    confirmation, _created = confirmation_save(
        order_id=order.pk,
        quantities={"COAT-Black-S": 2, "BOOK-Black-M": 7, "MUG-Black-M": 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )

    totals = confirmation_tax_totals(confirmation, currency=order.currency)
    assert [(t.rate.label, t.net, t.amount) for t in totals.taxes] == [
        ("MwSt 19 %", Decimal("10.00"), Decimal("1.90")),
        ("VAT 19 %", Decimal("80.00"), Decimal("15.20")),
        ("VAT 7 %", Decimal("46.69"), Decimal("3.27")),
    ]
    assert confirmation.total_amount == totals.net == Decimal("136.69")
    assert totals.gross == Decimal("157.06")
