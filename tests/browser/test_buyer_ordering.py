from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from linesheet.ordering.models import Order
from tests import factories

pytestmark = pytest.mark.browser


def test_a_buyer_orders_from_the_catalog_grid_and_finds_the_order_awaiting_its_oc(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)
    first, second = factories.sku_numbers(catalog)  # Black 36 and Black 37, retail 100.00
    user = factories.make_user(email="claire@maison.test")
    factories.make_connected_buyer(brand=brand, members=[user])  # wholesale rate 50 %
    due = timezone.localdate() + datetime.timedelta(days=45)

    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Spring Summer 2026").click()
    page.get_by_test_id("product-card").get_by_role("link").click()

    page.get_by_label(f"Black, 36 ({first})").fill("4")
    page.get_by_label(f"Black, 37 ({second})").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("Cart updated: 2 SKUs added or changed.")
    expect(page.get_by_label(f"Black, 36 ({first})")).to_have_value("4")

    page.get_by_role("status").get_by_role("link", name="View the cart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spring Summer 2026")
    page.get_by_label(f"Quantity of {second}").fill("6")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.get_by_role("status")).to_contain_text("The quantities were saved.")
    expect(page.get_by_role("table")).to_contain_text("300.00")  # 6 x 50.00
    expect(page.locator(".checkout")).to_contain_text("500.00")  # 10 pieces

    page.get_by_label("Desired delivery date").fill(due.isoformat())
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("status")).to_contain_text("The order details were saved.")

    page.get_by_role("button", name="Place the order").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("total quantity 10, for 500.00 EUR")
    dialog.get_by_role("button", name="Place the order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    order = Order.objects.get()
    assert order.desired_delivery_date == due
    assert order.total_quantity == 10
    expect(page.locator(".placed__code")).to_contain_text(order.code)

    page.get_by_role("link", name="Orders", exact=True).click()
    expect(page).to_have_url(re.compile(r"/orders/$"))
    row = page.get_by_role("row").filter(has_text=order.code)
    expect(row).to_contain_text("Awaiting OC creation")
    expect(row).to_contain_text("500.00")
    expect(page.locator(".subnav__count")).to_have_count(0)  # the cart became the order


def test_the_catalog_grid_keeps_a_running_total_of_pieces_and_amount(page: Page) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=3)
    first, second, third = factories.sku_numbers(catalog)  # retail 100.00 each
    user = factories.make_user(email="claire@maison.test")
    factories.make_connected_buyer(brand=brand, members=[user])  # wholesale rate 50 %

    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Spring Summer 2026").click()
    page.get_by_test_id("product-card").get_by_role("link").click()
    total = page.locator(".order-bar__total")
    expect(total).to_have_text("No quantities in the grid yet.")

    page.get_by_label(f"Black, 36 ({first})").fill("4")
    expect(total).to_have_text("In the grid: 4 pieces · 200.00 EUR")
    page.get_by_label(f"Black, 37 ({second})").fill("12")
    expect(total).to_have_text("In the grid: 16 pieces · 800.00 EUR")
    page.get_by_label(f"Black, 38 ({third})").fill("-3")  # not a quantity: left out
    expect(total).to_have_text("In the grid: 16 pieces · 800.00 EUR")
    page.get_by_label(f"Black, 38 ({third})").fill("")
    page.get_by_role("button", name="Add to cart").click()

    expect(page.get_by_role("status")).to_contain_text("Cart updated")
    expect(total).to_have_text("In the grid: 16 pieces · 800.00 EUR")  # the cart, as loaded
