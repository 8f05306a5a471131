from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from tests import factories
from tests.browser.test_brand_catalog import log_in

pytestmark = pytest.mark.browser


def test_a_brand_owner_makes_an_api_token_on_the_account_page_then_revokes_it(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")

    log_in(page, owner.email)
    expect(page).to_have_url(re.compile(r"/brand/atelier/orders/$"))
    page.get_by_role("link", name=owner.email).click()  # the top bar's link to the account
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.get_by_label("Name").fill("ERP connector")
    page.get_by_role("button", name="Create a token").click()

    secret = page.get_by_label("Your new token").input_value()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/me").status_code == 200
    row = page.get_by_role("row", name=re.compile("ERP connector"))
    expect(row).to_contain_text("Never")
    row.get_by_role("button", name="Revoke").click()

    expect(page.get_by_role("status")).to_contain_text("The token “ERP connector” is revoked.")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    expect(page.get_by_label("Your new token")).to_have_count(0)
    assert client.get("/api/v1/me").status_code == 401
