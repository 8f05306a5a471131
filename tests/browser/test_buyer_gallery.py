"""The buyer's catalog gallery in Chromium: cards with images (or their placeholders), the
filters, the product's grid and the cart with theirs, at a phone's width and a desktop's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def a_buyer_with_a_catalog(page: Page) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Autumn Winter", skus=0)
    knit = factories.make_product(
        catalog=catalog,
        model_number="KN-100",
        name="Merino Crew",
        category="Knitwear",
        colors=("Navy", "Grey"),
        sizes=("S", "M"),
        retail_price=Decimal("120.00"),
    )
    factories.make_product(
        catalog=catalog,
        model_number="OW-200",
        name="Wool Coat",
        category="Outerwear",
        colors=("Black",),
        sizes=("M", "L"),
        retail_price=Decimal("300.00"),
    )
    factories.make_product(
        catalog=catalog, model_number="AC-300", name="Cashmere Scarf", colors=("Navy",)
    )
    factories.add_product_image(knit)
    factories.add_product_image(knit, color="Navy", rgb=(20, 30, 90))
    user = factories.make_user(email="claire@maison.test")
    factories.make_connected_buyer(brand=brand, members=[user])  # wholesale rate 50 %
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Autumn Winter").click()


def test_the_buyer_filters_the_gallery_and_opens_a_products_grid(page: Page) -> None:
    a_buyer_with_a_catalog(page)
    cards = page.get_by_test_id("product-card")

    expect(cards).to_have_count(3)
    expect(cards.first.locator(".thumb")).to_be_visible()  # the image, or its placeholder
    expect(cards.filter(has_text="Wool Coat")).to_contain_text("Wholesale 150.00 EUR")
    expect(cards.filter(has_text="Merino Crew")).to_contain_text("Navy, Grey")

    page.get_by_label("Colour").select_option("Navy")
    page.get_by_role("button", name="Filter").click()
    expect(cards).to_have_count(2)
    expect(page.get_by_test_id("gallery-count")).to_have_text("2 products")

    page.get_by_label("Category").select_option("Knitwear")
    page.get_by_role("button", name="Filter").click()
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Merino Crew")

    page.get_by_role("link", name="Clear").click()
    page.get_by_role("searchbox", name="Search").fill("coat")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(cards).to_have_count(1)
    cards.get_by_role("link", name="OW-200 Wool Coat").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Wool Coat")
    expect(page.get_by_test_id("product-image").locator(".thumb")).to_be_visible()
    page.get_by_label("Black, M (OW-200-Black-M)").fill("3")
    expect(page.locator(".order-bar__total")).to_have_text("In the grid: 3 pieces · 450.00 EUR")


def test_nothing_matching_says_so_and_offers_every_product_again(page: Page) -> None:
    a_buyer_with_a_catalog(page)

    page.get_by_role("searchbox", name="Search").fill("velvet")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_test_id("product-card")).to_have_count(0)
    expect(page.get_by_text("No products match these filters.")).to_be_visible()
    page.get_by_role("link", name="Show every product").click()
    expect(page.get_by_test_id("product-card")).to_have_count(3)


@pytest.mark.parametrize(("width", "columns"), [(390, 2), (1440, 4)])
def test_the_cards_fit_the_screen_of_a_phone_and_of_a_desktop(
    page: Page, width: int, columns: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    a_buyer_with_a_catalog(page)
    cards = page.get_by_test_id("product-card")
    expect(cards).to_have_count(3)

    boxes = [cards.nth(i).bounding_box() for i in range(3)]
    assert all(box is not None for box in boxes)
    # Nothing runs off the side of the page, and the cards sit side by side in a row.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)  # type: ignore[index]
    tops = [box["y"] for box in boxes]  # type: ignore[index]
    assert tops.count(tops[0]) == min(columns, 3)
    image = cards.first.locator(".thumb").bounding_box()
    assert image is not None and image["width"] >= 120


def loaded(page: Page, selector: str) -> bool:
    """Whether every image the selector finds has loaded (a real picture, not a broken link)."""
    return bool(
        page.eval_on_selector_all(
            selector,
            "images => images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0)",
        )
    )


def test_images_show_in_the_gallery_the_grid_and_the_cart(page: Page) -> None:
    a_buyer_with_a_catalog(page)
    cards = page.get_by_test_id("product-card")

    knit = cards.filter(has_text="Merino Crew")
    expect(knit.locator("img.thumb-m")).to_be_visible()
    expect(cards.filter(has_text="Wool Coat").locator(".thumb-placeholder")).to_be_visible()
    page.wait_for_load_state("load")
    assert loaded(page, ".gallery img.thumb")

    knit.get_by_role("link", name="KN-100 Merino Crew").click()
    picture = page.get_by_test_id("product-image").locator("img")
    expect(picture).to_be_visible()
    main = picture.get_attribute("src")
    assert loaded(page, "[data-product-picture] img")
    navy = page.locator("tr[data-picture]")
    expect(navy).to_have_count(1)
    expect(navy).to_contain_text("Navy")
    page.get_by_label("Navy, M (KN-100-Navy-M)").fill("2")  # the Navy picture while typing
    expect(picture).to_have_attribute("src", navy.get_attribute("data-picture") or "")
    assert navy.get_attribute("data-picture") != main
    page.get_by_label("Grey, S (KN-100-Grey-S)").focus()  # none of its own: the main one
    expect(picture).to_have_attribute("src", main or "")
    page.get_by_role("button", name="Add to cart").click()

    page.get_by_role("status").get_by_role("link", name="View the cart").click()
    line = page.locator("tr[data-cart-line]")
    expect(line.locator("img.thumb-s")).to_be_visible()
    assert loaded(page, "tr[data-cart-line] img.thumb")
