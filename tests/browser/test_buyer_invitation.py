from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from linesheet.accounts.services import invitation_create
from tests import factories

pytestmark = pytest.mark.browser


def test_a_buyer_accepts_an_invitation_for_a_new_organisation_and_sees_wholesale_prices(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)  # retail 100.00
    invitation = invitation_create(
        brand=brand,
        email="hello@maison.test",
        created_by=owner,
        name="Maison Claire",
        wholesale_rate=Decimal("0.45"),
    )

    page.goto(f"/invitations/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Atelier invites you to order on linesheet"
    )
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_label("Email")).to_have_value("hello@maison.test")
    page.get_by_label("Your name").fill("Claire Martin")
    page.get_by_label("Password").fill("plum-velvet-harbour")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(rf"/invitations/{invitation.token}/$"))
    page.get_by_label("Name of the new organisation").fill("Maison Claire Paris")
    page.get_by_role("button", name="Accept invitation").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Maison Claire Paris is now connected to Atelier."
    )
    page.get_by_role("link", name="Spring Summer 2026").click()
    page.get_by_test_id("product-card").get_by_role("link").click()

    grid = page.get_by_role("table")  # colours down, sizes across, wholesale price in each cell
    expect(grid.get_by_role("columnheader", name="36")).to_be_visible()
    expect(grid.get_by_role("row").nth(1)).to_contain_text("Black")
    expect(grid.get_by_role("row").nth(1)).to_contain_text("45.00")
    expect(page.get_by_text("45 %")).to_be_visible()
