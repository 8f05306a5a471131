"""A brand adds product images in real Chromium: two at once, reordered, a main one, thumbnails."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from linesheet.catalog.models import ProductImage
from tests import factories
from tests.image_files import image_bytes

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def card_ids(page: Page) -> list[int]:
    cards = page.get_by_test_id("image-card")
    return [int(card.get_attribute("data-image-id") or 0) for card in cards.all()]


def test_a_brand_uploads_two_images_reorders_them_picks_the_main_one_and_sees_thumbnails(
    page: Page, run_worker: Any
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(brand=brand, skus=2, code="SS27")
    product = catalog.products.get()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    log_in(page, owner.email)
    page.goto(f"/brand/atelier/catalogs/{catalog.pk}/")
    page.get_by_role("link", name=re.compile(f"Images of {product.model_number}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(product.model_number)

    page.get_by_label("Images", exact=True).set_input_files(
        [
            {
                "name": "front.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes(size=(900, 1200)),
            },
            {"name": "back.png", "mimeType": "image/png", "buffer": image_bytes(format="PNG")},
        ]
    )
    expect(page.locator("[data-image-drop-chosen]")).to_have_text("front.jpg, back.png")
    page.get_by_label("For the colour").select_option("Black")
    page.get_by_role("button", name="Add images").click()

    expect(page.get_by_role("status")).to_contain_text("2 images were added")
    front, back = card_ids(page)
    # Until the worker has run: placeholders, not broken images.
    expect(page.locator(".image-card .thumb-placeholder")).to_have_count(2)

    page.get_by_role("button", name="Move down (image 1)").click()
    expect(page.get_by_test_id("image-card").first).to_have_attribute("data-image-id", str(back))
    page.get_by_role("button", name="Make main (image 2)").click()
    expect(page.get_by_role("status")).to_contain_text("The main image was chosen.")
    assert card_ids(page) == [front, back]
    expect(page.get_by_test_id("image-card").first.get_by_test_id("main-image")).to_be_visible()

    run_worker()
    page.reload()
    thumbnails = page.locator(".image-card img.thumb-m")
    expect(thumbnails).to_have_count(2)
    loaded = thumbnails.evaluate_all(
        "images => images.map(image => image.complete && image.naturalWidth)"
    )
    assert loaded == [240, 60]  # front (900 x 1200) at 240 x 320; back (60 x 40) as it is
    page.goto(f"/brand/atelier/catalogs/{catalog.pk}/")
    main = page.get_by_test_id("product-card").locator("img.thumb-m")  # the gallery's card
    expect(main).to_have_attribute("width", "240")
    assert errors == []
    assert list(ProductImage.objects.values_list("pk", flat=True)) == [front, back]


def test_images_dropped_on_the_form_are_added(page: Page) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    product = factories.make_catalog(brand=brand, skus=1).products.get()
    content = base64.b64encode(image_bytes()).decode()

    log_in(page, owner.email)
    page.goto(f"/brand/atelier/catalogs/{product.catalog_id}/products/{product.pk}/images/")
    page.locator("[data-image-drop-zone]").evaluate(
        """(zone, content) => {
            const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], "dropped.jpg", { type: "image/jpeg" }));
            const options = { dataTransfer: files, bubbles: true, cancelable: true };
            zone.dispatchEvent(new DragEvent("drop", options));
        }""",
        content,
    )
    expect(page.locator("[data-image-drop-chosen]")).to_have_text("dropped.jpg")
    page.get_by_role("button", name="Add images").click()

    expect(page.get_by_role("status")).to_contain_text("1 image was added")
    assert product.images.count() == 1
