from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_brand_owner_creates_a_catalog_and_adds_a_product_with_two_skus(page: Page) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")

    log_in(page, owner.email)
    expect(page).to_have_url(re.compile(r"/brand/atelier/orders/$"))

    page.get_by_role("link", name="Catalogs", exact=True).click()
    page.get_by_role("link", name="New catalog").click()
    page.get_by_label("Code").fill("SS26")
    page.get_by_label("Name", exact=True).fill("Spring Summer 2026")
    page.get_by_label("Order deadline").fill("2026-01-31")
    page.get_by_role("button", name="Create catalog").click()

    expect(page.get_by_role("status")).to_contain_text("Catalog SS26 was created.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spring Summer 2026")

    page.get_by_role("link", name="Add product", exact=True).click()
    page.get_by_label("Model number").fill("M-100")
    page.get_by_label("Name", exact=True).fill("Wool coat")
    page.get_by_label("Category").fill("Outerwear")
    page.get_by_label("SKU number, row 1").fill("M-100-BLK-S")
    page.get_by_label("Colour, row 1").fill("Black")
    page.get_by_label("Size, row 1").fill("S")
    page.get_by_label("Retail price, row 1").fill("240")
    # The second SKU goes into a row added by the page's "Add a row" button.
    page.get_by_role("button", name="Add a row").click()
    page.get_by_label("SKU number, row 5").fill("M-100-BLK-M")
    page.get_by_label("Colour, row 5").fill("Black")
    page.get_by_label("Size, row 5").fill("M")
    page.get_by_label("Retail price, row 5").fill("240.50")
    page.get_by_role("button", name="Add product").click()

    expect(page.get_by_role("status")).to_contain_text("M-100 was added with 2 SKUs.")
    skus = page.get_by_role("table")
    expect(skus.get_by_role("row")).to_have_count(3)  # the header and two SKUs
    expect(skus).to_contain_text("M-100-BLK-S")
    expect(skus).to_contain_text("M-100-BLK-M")
    expect(skus).to_contain_text("240.50")
    # The new product's page; the catalog shows it as a card in its gallery.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wool coat")
    expect(page.get_by_test_id("product-image").locator(".thumb-placeholder")).to_be_visible()
    page.get_by_role("link", name="All products").click()
    card = page.get_by_test_id("product-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Outerwear")
    expect(card).to_contain_text("2 sizes")
    expect(card).to_contain_text("2 SKUs")
    expect(card).to_contain_text("Orderable")
    card.get_by_role("link", name="M-100 Wool coat").click()
    expect(page.get_by_role("table")).to_contain_text("M-100-BLK-M")
