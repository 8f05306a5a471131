"""The purchase order and the order confirmation as PDF, read back as text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from linesheet.documents.selectors import confirmation_of_order
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order
from linesheet.reporting.order_pdf import confirmation_pdf, document_file_name, purchase_order_pdf
from tests import factories
from tests.integration.reporting.dataset import Dataset, make_catalog
from tests.integration.reporting.pdf_text import pages_of, text_of

pytestmark = pytest.mark.django_db


def po_text(order: Order, side: str = "brand") -> str:
    return text_of(purchase_order_pdf(order=order, lines=list(order.lines.all()), side=side))  # type: ignore[arg-type]


def oc_text(order: Order, side: str = "brand") -> str:
    confirmation = confirmation_of_order(order_id=order.pk)
    assert confirmation is not None
    return text_of(
        confirmation_pdf(
            order=order,
            confirmation=confirmation,
            lines=list(confirmation.lines.all()),
            side=side,  # type: ignore[arg-type]
        )
    )


@pytest.fixture
def order_with_user_text(brand: Any) -> Order:
    brand.address = "12 Rue des Ateliers\n75003 Paris"
    brand.save(update_fields=["address"])
    user = factories.make_user()
    buyer = factories.make_connected_buyer(brand=brand, members=[user])
    catalog = make_catalog(
        brand=brand, code="SS27", currency="EUR", model="M-SS", prefix="SS", skus=2
    )
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={"SS-0": 3, "SS-1": 1})
    ordering.cart_update(
        cart=cart,
        comment="Please <b>hurry</b> & call <script>alert(1)</script>",
        delivery_address="Shop <i>One</i>\n1 Delivery Street",
        billing_address="Accounts & Co\n2 Billing Road",
        desired_delivery_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return ordering.order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=user)


def test_the_purchase_order_shows_header_lines_and_totals(order_with_user_text: Order) -> None:
    order = order_with_user_text
    text = po_text(order)

    assert f"Purchase order {order.code}" in text
    assert "Atelier" in text and "12 Rue des Ateliers 75003 Paris" in text
    assert order.buyer.name in text
    assert "Please create an OC" in text
    assert "SS-0" in text and "SS-1" in text and "Model M-SS" in text
    assert "SS27 · Catalog SS27" in text
    assert order.placed_at.strftime("%Y-%m-%d") in text
    assert order.desired_delivery_date is not None
    assert order.desired_delivery_date.isoformat() in text
    # Three at 50.00 and one at 50.00.
    assert "Total quantity 4" in text
    assert "Total 200.00 EUR" in text
    assert "Page 1 of 1" in text


def test_user_text_is_printed_literally_never_as_markup(order_with_user_text: Order) -> None:
    text = po_text(order_with_user_text)

    assert "Please <b>hurry</b> & call <script>alert(1)</script>" in text
    assert "Shop <i>One</i> 1 Delivery Street" in text
    assert "Accounts & Co 2 Billing Road" in text


def test_the_buyer_reads_the_buyer_apps_status_label(order_with_user_text: Order) -> None:
    assert "Awaiting OC creation" in po_text(order_with_user_text, side="buyer")


def test_the_order_confirmation_shows_its_own_lines_and_totals(brand: Any, data: Dataset) -> None:
    text = oc_text(data.confirmed)

    assert f"Order confirmation {data.confirmed.code}" in text
    assert "OC confirmed" in text
    # SS-0 x5 and SS-1 x1 at 40.00; SS-2 was removed.
    assert "SS-0" in text and "SS-1" in text and "SS-2" not in text
    assert "Total quantity 6" in text
    assert "Total 240.00 EUR" in text
    assert "As ordered 5 · 200.00 EUR" in text


def test_returned_and_rejected_orders_still_print(brand: Any, data: Dataset) -> None:
    returned, rejected = po_text(data.returned), po_text(data.rejected, side="buyer")

    assert data.returned.code in returned and "Returned to cart" in returned
    assert "SS-1" in returned and "Total 350.00 EUR" in returned
    assert data.rejected.code in rejected and "Order declined" in rejected


def test_hundreds_of_lines_break_into_pages_with_the_header_on_each(brand: Any) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = make_catalog(
        brand=brand, code="BIG", currency="EUR", model="M-BIG", prefix="BIG", skus=300
    )
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities=None)

    pages = pages_of(purchase_order_pdf(order=order, lines=list(order.lines.all()), side="brand"))

    assert len(pages) > 3
    for number, page in enumerate(pages, 1):
        assert "Unit price (EUR)" in page
        assert f"Page {number} of {len(pages)}" in page
    text = " ".join(pages)
    assert all(f"BIG-{i} " in text + " " for i in range(300))
    assert "Total quantity 600" in pages[-1]
    assert "Total 30,000.00 EUR" in pages[-1]


def test_file_names_are_safe_whatever_the_code(brand: Any, data: Dataset) -> None:
    order = Order(code="AT/2027 01", pk=7)

    assert document_file_name(order, "order") == "order-AT-2027-01.pdf"
    assert document_file_name(data.open, "order-confirmation").endswith(".pdf")


def test_an_order_placed_again_ends_with_what_it_changed_against_the_returned_order(
    brand: Any, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = make_catalog(
        brand=brand, code="SS27", currency="EUR", model="M-SS", prefix="SS", skus=3
    )
    returned = factories.make_order(
        buyer=buyer, catalog=catalog, quantities={"SS-0": 3, "SS-1": 1, "SS-2": 2}
    )
    new = factories.order_again(
        order=returned,
        oc={"SS-0": 5, "SS-1": 1},
        quantities={"SS-0": 5, "SS-1": 4, "SS-2": 2},
        actor=owner,
        billing_address="Accounts <b>&</b> Co\n9 New Road",
    )

    text = po_text(new)
    buyer_text = po_text(new, side="buyer")
    first_text = po_text(returned)

    changes = text.split("What changed", 1)[1]
    assert f"Against the returned order {returned.code}, which this order replaces." in changes
    assert "2 lines changed 1 line unchanged" in changes
    assert "Total quantity 6 → 11; amount 300.00 → 550.00 EUR." in changes
    assert (
        "The returned order's OC changed 2 lines; this order took the brand's quantities on 1"
        in (changes)
    )
    assert "Not taken: SS-2 (OC 0, ordered 2)" in changes
    assert "SS-0 Changed 3 → 5 5 ✓ 150.00 → 250.00" in changes
    assert "SS-1 Changed 1 → 4 1 50.00 → 200.00" in changes
    assert "Accounts <b>&</b> Co 9 New Road" in changes  # literally, as typed
    assert "What changed" in buyer_text
    assert "What changed" not in first_text


def test_a_long_order_is_rendered_in_parts_that_read_as_one_document(
    brand: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linesheet.reporting.order_pdf.LINES_PER_PART", 100)
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = make_catalog(
        brand=brand, code="BIG", currency="EUR", model="M-BIG", prefix="BIG", skus=250
    )
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities=None)
    seen: list[tuple[int, int]] = []

    pages = pages_of(
        purchase_order_pdf(
            order=order,
            lines=list(order.lines.all()),
            side="brand",
            progress=lambda done, total: seen.append((done, total)),
        )
    )

    assert seen == [(100, 250), (200, 250), (250, 250)]
    text = " ".join(pages)
    assert all(f"BIG-{i} " in text + " " for i in range(250))
    # The header once, on the first page; every page numbered in the whole document; the
    # running header from the second page on; the totals once, at the end.
    assert f"Purchase order {order.code}" in pages[0]
    assert sum(page.lower().count("desired delivery date") for page in pages) == 1
    for number, page in enumerate(pages, 1):
        assert page.endswith(f"Page {number} of {len(pages)}")
        assert "Unit price (EUR)" in page
        if number > 1:
            assert f"Atelier Purchase order {order.code} Printed" in page
    assert sum(page.count("Total quantity") for page in pages) == 1
    assert "Lines 250 Total quantity 500 Total 25,000.00 EUR" in pages[-1]
