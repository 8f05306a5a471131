"""The lines of an order show their pictures in real Chromium, on both sides, under the CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def loaded_thumbnails(page: Page) -> list[int]:
    """Return the natural width of every line thumbnail on the page (0: it did not load)."""
    return list(
        page.locator("img.thumb-s").evaluate_all("images => images.map(i => i.naturalWidth)")
    )


def test_the_brand_and_the_buyer_see_each_lines_picture_on_the_order_page(
    page: Page, browser: Any
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    shop_user = factories.make_user(email="claire@shop.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[shop_user])
    catalog = factories.make_catalog(brand=brand, skus=3, code="SS27")
    factories.add_product_image(catalog.products.get())
    order = factories.order_walk_to(
        factories.make_order(buyer=buyer, catalog=catalog, user=shop_user),
        "oc_created",
        brand_user=owner,
        buyer_user=shop_user,
    )
    refused: list[str] = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))

    log_in(page, owner.email)
    page.goto(f"/brand/atelier/orders/{order.code}/")
    expect(page.locator("img.thumb-s").first).to_be_visible()
    # The Original Order's three lines and the OC's three, each loaded (80 px: not scaled up).
    assert loaded_thumbnails(page) == [80] * 6

    buyer_page = browser.new_context(base_url=page.url.split("/brand/")[0]).new_page()
    log_in(buyer_page, shop_user.email)
    buyer_page.goto(f"/orders/{order.pk}/")
    expect(buyer_page.locator("img.thumb-s").first).to_be_visible()
    assert loaded_thumbnails(buyer_page) == [80] * 6
    buyer_page.context.close()
    assert refused == []  # nothing refused by the Content Security Policy, no failed load
