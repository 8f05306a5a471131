"""Order Management fits a 1440 px screen whole, and reads as one card per order at 390 px."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from linesheet.ordering.models import Order
from linesheet.ordering.services import order_archive, order_reject, order_set_tags
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def orders(transactional_db: None) -> list[Order]:
    """Orders as a brand has them: long buyer names, tags, big totals, an archived one."""
    brand = factories.make_brand(slug="atelier", name="Atelier")
    factories.make_member(brand=brand, user=factories.make_user(email="owner@atelier.test"))
    owner = brand.memberships.get().user
    catalog = factories.make_catalog(brand=brand, code="AW27-PRE", skus=2)
    placed = []
    for name in ("Maison Margaux Concept Store", "Feld & Söhne Herrenausstatter", "Bottega Rossi"):
        buyer = factories.make_connected_buyer(brand=brand)
        buyer.name = name
        buyer.save(update_fields=["name"])
        numbers = factories.sku_numbers(catalog)
        placed.append(
            factories.make_order(buyer=buyer, catalog=catalog, quantities={numbers[0]: 999})
        )
    Order.objects.filter(pk=placed[0].pk).update(total_amount=Decimal("1234567.89"))
    order_set_tags(order_id=placed[1].pk, actor=owner, names=["Rush", "Showroom Paris"])
    order_reject(order_id=placed[2].pk, actor=owner, notify=False)
    order_archive(order_id=placed[2].pk, actor=owner)
    return placed


def open_order_management(page: Page, *, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login/")
    page.get_by_label("Email").fill("owner@atelier.test")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/brand/atelier/orders/?archived=all")
    expect(page.locator(".list-count")).to_have_text("3 orders")


def box(page: Page, selector: str) -> dict[str, Any]:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return dict(found)


def test_at_1440_px_every_column_shows_without_scrolling(page: Page, orders: list[Order]) -> None:
    open_order_management(page, width=1440)

    wrap = page.locator(".table-wrap")
    client, scroll = wrap.evaluate("wrap => [wrap.clientWidth, wrap.scrollWidth]")
    assert scroll <= client, f"the table is {scroll - client} px wider than its frame"
    frame = box(page, ".table-wrap")
    for header in ("Code", "Status", "Tags", "Total"):
        cell = page.get_by_role("columnheader", name=header, exact=True)
        expect(cell).to_be_visible()
        found = cell.bounding_box()
        assert found is not None
        assert found["x"] + found["width"] <= frame["x"] + frame["width"] + 1, header
    expect(page.get_by_role("row").filter(has_text=orders[0].code)).to_contain_text("1,234,567.89")


def test_at_390_px_each_order_reads_as_a_card_with_its_key_facts(
    page: Page, orders: list[Order]
) -> None:
    open_order_management(page, width=390)

    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for order in orders:
        row = page.get_by_role("row").filter(has_text=order.code)
        for part in (".orders__code", ".orders__status", ".orders__buyer", ".orders__total"):
            cell = row.locator(part)
            expect(cell).to_be_visible()
            found = cell.bounding_box()
            assert found is not None
            assert found["x"] >= 0 and found["x"] + found["width"] <= width, (order.code, part)
    card = page.get_by_role("row").filter(has_text=orders[1].code)
    expect(card).to_contain_text("Feld & Söhne Herrenausstatter")
    quantity = card.locator(".orders__quantity")
    expect(quantity).to_have_text("999")
    assert quantity.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Quantity "'
    expect(card.get_by_role("link", name="Showroom Paris")).to_be_visible()
