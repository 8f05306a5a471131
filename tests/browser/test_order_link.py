from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from linesheet.ordering.models import Order, OrderLink
from linesheet.ordering.services import order_link_create
from tests import factories
from tests.browser.test_brand_catalog import log_in

pytestmark = pytest.mark.browser


def test_a_visitor_registers_a_new_shop_through_a_link_and_orders_from_the_catalog(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2027", skus=2)
    first, second = factories.sku_numbers(catalog)  # Black 36 and Black 37, retail 100.00
    link = order_link_create(catalog=catalog, created_by=owner, passcode="spring-27")

    page.goto(f"/l/{link.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order from Atelier")
    expect(page.get_by_text("Spring Summer 2027")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("claire@maison.test")
    page.get_by_label("Your name").fill("Claire Martin")
    page.get_by_label("Your shop or company").fill("Maison Claire Paris")
    page.get_by_label("Password").fill("plum-velvet-harbour")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(rf"/l/{link.token}/$"))
    expect(page.get_by_role("status")).to_contain_text("Your account and Maison Claire Paris")
    page.get_by_label("Passcode").fill("wrong")
    page.get_by_role("button", name="Start ordering").click()
    expect(page.get_by_text("The passcode is not correct.")).to_be_visible()
    page.get_by_label("Passcode").fill("spring-27")
    page.get_by_role("button", name="Start ordering").click()

    expect(page).to_have_url(re.compile(r"/carts/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Maison Claire Paris is ordering from Spring Summer 2027 of Atelier."
    )
    page.get_by_role("link", name="Add SKUs from the catalog").first.click()
    page.get_by_test_id("product-card").get_by_role("link").click()
    page.get_by_label(f"Black, 36 ({first})").fill("4")
    page.get_by_label(f"Black, 37 ({second})").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("Cart updated: 2 SKUs added or changed.")

    page.get_by_role("status").get_by_role("link", name="View the cart").click()
    page.get_by_role("button", name="Place the order").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("total quantity 6")
    dialog.get_by_role("button", name="Place the order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    order = Order.objects.get()
    expect(page.locator(".placed__code")).to_contain_text(order.code)
    assert (order.route, order.order_link_id, order.total_quantity) == ("order_link", link.pk, 6)
    assert order.organization is not None and order.organization.name == "Maison Claire Paris"


def test_a_brand_owner_creates_a_link_copies_it_and_sees_the_passcode_once(page: Page) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2027", skus=1)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    log_in(page, owner.email)
    page.goto(f"/brand/atelier/catalogs/{catalog.pk}/")
    page.get_by_role("link", name="Order links").click()
    page.get_by_label("Passcode").fill("spring-27")
    page.get_by_role("button", name="Create link").click()

    expect(page.get_by_role("status").first).to_contain_text("The order link was created.")
    link = OrderLink.objects.get()
    url = f"{settings.BASE_URL}/l/{link.token}/"
    expect(page.get_by_label(re.compile("^URL of the link"))).to_have_value(url)
    expect(page.get_by_label("Passcode", exact=True).first).to_have_value("spring-27")
    page.locator(".link-card__url").get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url

    page.reload()
    expect(page.locator("#new-passcode")).to_have_count(0)
    expect(page.get_by_role("button", name="Revoke")).to_be_visible()
