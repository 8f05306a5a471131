"""A limited catalog in the browser: the brand chooses who sees it; the others cannot reach it."""

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


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_the_brand_opens_a_limited_catalog_to_a_group_and_only_that_group_reaches_it(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(
        brand=brand, name="Autumn Winter Pre-order", code="AW27", status="limited", skus=2
    )
    product = catalog.products.get()
    product.name = "Oversized Knit Coat"
    product.save(update_fields=["name"])
    key_user = factories.make_user(email="buyer@maison.test")
    key = factories.make_connected_buyer(brand=brand, members=[key_user])
    key.name = "Maison Margaux"
    key.save(update_fields=["name"])
    other_user = factories.make_user(email="buyer@bottega.test")
    other = factories.make_connected_buyer(brand=brand, members=[other_user])
    other.name = "Bottega Rossi"
    other.save(update_fields=["name"])

    # The brand makes a group and puts it on the catalog's list.
    log_in(page, owner.email)
    page.goto("/brand/atelier/buyers/")
    page.get_by_role("link", name="Buyer groups").click()
    page.get_by_label("Name").fill("Key accounts")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("status")).to_contain_text("The group Key accounts was created")
    page.get_by_label("Maison Margaux").check()
    page.get_by_role("button", name="Save group").click()
    expect(page.get_by_role("status")).to_contain_text("The group was saved.")

    page.goto(f"/brand/atelier/catalogs/{catalog.pk}/")
    expect(page.get_by_test_id("access-summary")).to_have_text(
        "Visible to nobody yet: add buyers or groups to its access list."
    )
    page.get_by_role("link", name="Who sees it").first.click()
    page.get_by_label("Key accounts (1)").check()
    page.get_by_role("button", name="Save access list").click()
    expect(page.get_by_role("status")).to_contain_text("The access list was saved.")
    expect(page.get_by_test_id("access-summary")).to_have_text("Visible to 1 buyer: Key accounts")
    expect(page.get_by_text("Groups added: Key accounts")).to_be_visible()
    log_out(page)

    # The buyer on the list sees and orders from it.
    log_in(page, key_user.email)
    page.goto("/brands/")
    page.get_by_role("link", name="Autumn Winter Pre-order").click()
    expect(page.get_by_text("Oversized Knit Coat")).to_be_visible()
    log_out(page)

    # The other buyer does not see it listed, and its address answers "not found".
    log_in(page, other_user.email)
    page.goto("/brands/")
    expect(page.get_by_role("heading", name="Atelier")).to_be_visible()
    expect(page.get_by_role("link", name="Autumn Winter Pre-order")).to_have_count(0)
    response = page.goto(f"/catalogs/{catalog.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Oversized Knit Coat")
    expect(page).to_have_url(re.compile(rf"/catalogs/{catalog.pk}/$"))
