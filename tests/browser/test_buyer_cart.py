"""The cart page in a real browser: live totals, placing what is on screen, the scroll kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from linesheet.ordering.models import Cart, Order
from linesheet.ordering.selectors import cart_priced
from tests import factories

pytestmark = pytest.mark.browser


def log_in(page: Page, user: Any) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def a_cart(*, skus: int, quantities: dict[int, int]) -> tuple[Any, Cart, list[str]]:
    """A buyer user with a cart of a catalog of `skus` SKUs (retail 100.00: 50.00 to them)."""
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=skus)
    numbers = factories.sku_numbers(catalog)
    user = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[user])
    cart = factories.make_cart(
        buyer=buyer,
        catalog=catalog,
        quantities={numbers[index]: quantity for index, quantity in quantities.items()},
    )
    return user, cart, numbers


def test_totals_follow_the_typed_quantities_and_placing_orders_what_the_page_shows(
    page: Page,
) -> None:
    user, cart, (first, second, _third) = a_cart(skus=3, quantities={0: 2, 1: 3})
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")
    checkout = page.locator(".checkout")
    expect(checkout).to_contain_text("250.00")  # 5 x 50.00

    page.get_by_label(f"Quantity of {first}").fill("10")
    page.get_by_label(f"Quantity of {second}").fill("0")

    row = page.get_by_role("row").filter(has_text=first)
    expect(row.locator("[data-cart-amount]")).to_have_text("500.00")
    expect(page.locator("tfoot")).to_contain_text("500.00")
    totals = checkout.locator(".checkout__totals")
    expect(totals.locator("[data-cart-total-lines]")).to_have_text("1")
    expect(totals.locator("[data-cart-total-quantity]")).to_have_text("10")
    expect(checkout).to_contain_text("500.00 EUR")

    page.get_by_role("button", name="Place the order").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("an order of 1 lines, total quantity 10, for 500.00 EUR")
    expect(dialog).to_contain_text("Your changes on this page are saved first")
    dialog.get_by_role("button", name="Place the order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    order = Order.objects.get()
    assert list(order.lines.values_list("sku_number", "quantity")) == [(first, 10)]


def test_saving_quantities_comes_back_to_the_same_place_on_the_page(page: Page) -> None:
    user, cart, numbers = a_cart(skus=40, quantities={index: 1 for index in range(40)})
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")
    last = page.get_by_label(f"Quantity of {numbers[-1]}")
    last.scroll_into_view_if_needed()
    last.fill("7")
    save = page.get_by_role("button", name="Save quantities")
    save.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 500  # far down a long cart

    save.click()

    expect(page.get_by_role("status")).to_contain_text("The quantities were saved.")
    expect(page.get_by_label(f"Quantity of {numbers[-1]}")).to_have_value("7")
    after = page.evaluate("window.scrollY")
    assert abs(after - before) < 80, (before, after)


def test_a_refused_save_comes_back_as_a_page_that_reloads_without_posting(page: Page) -> None:
    user, cart, (first, _second) = a_cart(skus=2, quantities={0: 2, 1: 3})
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")

    page.get_by_label(f"Quantity of {first}").fill("200000")
    page.get_by_role("button", name="Save quantities").click()

    expect(page).to_have_url(f"{page.url.split('/carts/')[0]}/carts/{cart.pk}/")
    expect(page.get_by_label(f"Quantity of {first}")).to_have_value("200000")
    expect(page.locator(".has-errors")).to_contain_text("must be between 0 and 100000")
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.reload()
    expect(page.get_by_label(f"Quantity of {first}")).to_have_value("2")
    assert posts == []


def test_an_empty_cart_offers_a_disabled_place_button_that_says_why(page: Page) -> None:
    user, cart, _numbers = a_cart(skus=2, quantities={})
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")

    place = page.get_by_role("button", name="Place the order")
    expect(place).to_be_disabled()
    expect(page.locator("#place-why")).to_have_text(
        "The cart is empty: add SKUs from the catalog to order."
    )


@pytest.mark.parametrize(
    ("mode", "scope"), [("half_up", "line"), ("down", "document"), ("up", "line")]
)
def test_net_tax_per_rate_and_gross_follow_the_typed_quantities_as_the_server_computes_them(
    page: Page, mode: str, scope: str
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    factories.make_tax_rates(brand=brand, tax_rounding_mode=mode, tax_rounding_scope=scope)
    catalog = factories.make_catalog(brand=brand, name="Tea", skus=0)
    factories.make_product(catalog=catalog, model_number="KETTLE", retail_price=Decimal("120.00"))
    factories.make_product(
        catalog=catalog, model_number="TEA", retail_price=Decimal("33.33"), tax_class="reduced"
    )
    user = factories.make_user(email="haruki@kissa.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[user])
    buyer.country = "JP"
    buyer.save(update_fields=["country"])
    cart = factories.make_cart(
        buyer=buyer, catalog=catalog, quantities={"KETTLE-Black-M": 1, "TEA-Black-M": 1}
    )
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")
    checkout = page.locator(".checkout__totals")
    expect(checkout).to_contain_text("Tax JCT 10 %")
    expect(checkout).to_contain_text("Tax JCT 8 %")

    page.get_by_label("Quantity of KETTLE-Black-M").fill("3")
    page.get_by_label("Quantity of TEA-Black-M").fill("7")

    # Kettle 3 x 60.00 = 180.00 at 10 %; tea 7 x 16.67 = 116.69 at 8 %: 9.3352.
    expected_tea_tax = {"half_up": "9.34", "down": "9.33", "up": "9.34"}[mode]
    standard = checkout.locator('[data-cart-tax="JCT|10|standard"]')
    reduced = checkout.locator('[data-cart-tax="JCT|8|reduced"]')
    expect(standard).to_have_text("18.00")
    expect(reduced).to_have_text(expected_tea_tax)
    expect(checkout.locator("[data-cart-total-amount]")).to_have_text("296.69")
    gross = f"{Decimal('296.69') + Decimal('18.00') + Decimal(expected_tea_tax):.2f}"
    expect(checkout.locator("[data-cart-total-gross]")).to_have_text(gross)
    shown = [standard.inner_text(), reduced.inner_text(), gross]

    page.get_by_role("button", name="Save quantities").first.click()

    expect(page.get_by_label("Quantity of TEA-Black-M")).to_have_value("7")
    # The server's totals, as saved, are those the page showed while typing.
    priced = cart_priced(cart=Cart.objects.get(pk=cart.pk))
    assert [f"{t.amount:.2f}" for t in priced.tax.taxes] + [f"{priced.tax.gross:.2f}"] == shown
    expect(checkout.locator("[data-cart-total-gross]")).to_have_text(gross)


def test_the_cart_shows_the_shipping_fee_and_free_shipping_once_the_net_passes_the_band(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    factories.make_tax_rates(brand=brand)
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)
    factories.make_shipping_group(brand=brand, catalog=catalog)  # DE: 9.90, free from 200.00
    first, second = factories.sku_numbers(catalog)
    user = factories.make_user(email="jonas@feld.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[user])
    buyer.country = "DE"
    buyer.save(update_fields=["country"])
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={first: 1, second: 1})
    log_in(page, user)
    page.goto(f"/carts/{cart.pk}/")
    checkout = page.locator(".checkout__totals")

    # 2 x 50.00 = 100.00; the fee 9.90; 19 % of 100.00 and of 9.90: 19.00 + 1.88.
    expect(checkout.locator("[data-cart-shipping]")).to_have_text("9.90")
    expect(checkout.locator("[data-cart-total-gross]")).to_have_text("130.78")

    page.get_by_label(f"Quantity of {first}").fill("3")
    # 4 x 50.00 = 200.00: free from 200.00; 19 % of 200.00.
    expect(checkout.locator("[data-cart-shipping]")).to_have_text("Free")
    expect(checkout.locator("[data-cart-total-gross]")).to_have_text("238.00")

    page.get_by_role("button", name="Save quantities").first.click()
    expect(page.get_by_label(f"Quantity of {first}")).to_have_value("3")
    priced = cart_priced(cart=Cart.objects.get(pk=cart.pk))
    assert (priced.tax.shipping, priced.tax.gross) == (Decimal("0.00"), Decimal("238.00"))
    expect(checkout.locator("[data-cart-shipping]")).to_have_text("Free")

    page.get_by_label(f"Quantity of {first}").fill("0")
    page.get_by_label(f"Quantity of {second}").fill("0")
    expect(checkout.locator("[data-cart-shipping-row]")).to_be_hidden()
