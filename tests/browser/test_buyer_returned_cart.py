from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from linesheet.documents.services import confirmation_save
from linesheet.ordering.models import Order
from linesheet.ordering.services import order_return_to_cart
from tests import factories

pytestmark = pytest.mark.browser


def test_a_buyer_corrects_a_returned_order_with_the_brands_oc_and_orders_it_again(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=3)
    first, second, _third = factories.sku_numbers(catalog)  # retail 100.00: 50.00 wholesale
    user = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[user])
    # The brand's side: the order, an OC that changes a quantity, the return with a message.
    old = factories.make_order(buyer=buyer, catalog=catalog, quantities={first: 2, second: 3})
    confirmation_save(
        order_id=old.pk,
        quantities={first: 4, second: 3},
        allow_buyer_approval=False,
        actor=None,
        notify=False,
    )
    order_return_to_cart(
        order_id=old.pk, actor=None, notify=True, message="Please <b>fix</b> the sizes"
    )

    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.locator(".subnav").get_by_role("link", name="Draft Order List").click()
    row = page.get_by_role("row").filter(has_text="Spring Summer 2026")
    expect(row.get_by_text("Returned by brand")).to_be_visible()
    expect(row).to_contain_text(f"from order {old.code}")
    expect(row.get_by_role("link", name=old.code)).to_have_attribute("href", f"/orders/{old.pk}/")
    expect(row).to_contain_text("Message from Atelier: Please <b>fix</b> the sizes")
    row.get_by_role("link", name="Spring Summer 2026").click()

    banner = page.locator(".return-banner")
    expect(banner).to_contain_text("Returned by Atelier")
    expect(banner.get_by_role("link", name=old.code)).to_be_visible()
    message = banner.locator(".return-message")
    expect(message).to_contain_text("Please <b>fix</b> the sizes")  # literally, as typed
    expect(message.locator("b")).to_have_count(0)

    proposals = page.locator(".oc-proposals")
    proposal = proposals.get_by_role("row").filter(has_text=first)
    expect(proposal).to_contain_text("2")
    expect(proposal.locator(".oc-qty")).to_have_text("4")
    proposal.get_by_role("button", name="Use the brand's quantity").click()
    expect(page.get_by_role("status")).to_contain_text(f"{first} now has the brand's OC quantity.")
    expect(page.get_by_label(f"Quantity of {first}")).to_have_value("4")

    page.get_by_label(f"Quantity of {second}").fill("5")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.get_by_role("status")).to_contain_text("The quantities were saved.")
    expect(page.locator(".checkout")).to_contain_text("450.00")  # 9 x 50.00

    page.get_by_role("button", name="Place the order").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("total quantity 9, for 450.00 EUR")
    dialog.get_by_role("button", name="Place the order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    new = Order.objects.exclude(pk=old.pk).get()
    assert new.code != old.code
    assert dict(new.lines.values_list("sku_number", "quantity")) == {first: 4, second: 5}
    expect(page.locator(".placed__code")).to_contain_text(new.code)

    page.get_by_role("link", name="View the order").click()
    lineage = page.locator(".lineage")
    expect(lineage).to_contain_text(f"Replaces {old.code}")
    lineage.get_by_role("link", name=old.code).click()

    expect(page).to_have_url(re.compile(rf"/orders/{old.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned to cart")
    expect(page.locator(".lineage")).to_contain_text(f"Ordered again as {new.code}")
    expect(page.locator(".lineage").get_by_role("link", name=new.code)).to_be_visible()
