"""Brand App: a product's images page, and the brand's logo in its settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import Brand
from linesheet.catalog.models import Product, ProductImage
from linesheet.catalog.services import product_images_add
from tests import factories
from tests.image_files import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(catalog: Any) -> Product:
    return catalog.products.get()


def page_url(product: Product) -> str:
    return reverse(
        "brand-product-images",
        kwargs={"brand": product.brand.slug, "pk": product.catalog_id, "product_id": product.pk},
    )


def action_url(image: ProductImage, action: str) -> str:
    product = image.product
    return reverse(
        "brand-product-image-action",
        kwargs={
            "brand": product.brand.slug,
            "pk": product.catalog_id,
            "product_id": product.pk,
            "image_id": image.pk,
            "action": action,
        },
    )


def add(product: Product, count: int) -> list[ProductImage]:
    files = [upload(image_bytes()) for _ in range(count)]
    return product_images_add(product=product, files=files, color="", actor=None)


def files_in(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_the_catalog_page_links_each_product_to_its_images(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    response = owner_client.get(
        reverse(
            "brand-catalog-detail", kwargs={"brand": product.brand.slug, "pk": product.catalog_id}
        )
    )

    assert page_url(product) in response.content.decode()
    assert "thumb thumb-m thumb-placeholder" in response.content.decode()  # the card's image


def test_several_images_are_added_at_once_with_a_colour(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    response = owner_client.post(
        page_url(product),
        {
            "images": [upload(image_bytes(), "a.jpg"), upload(image_bytes(format="PNG"), "b.png")],
            "color": "Black",
        },
    )

    assert response.status_code == 302
    assert list(product.images.values_list("color", "position")) == [("Black", 0), ("Black", 1)]
    page = owner_client.get(page_url(product)).content.decode()
    assert page.count('data-testid="image-card"') == 2
    assert "2 images were added" in page


def test_a_refused_file_shows_its_message_and_nothing_is_stored(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    response = owner_client.post(
        page_url(product),
        {"images": [upload(image_bytes(), "a.jpg"), upload(b"GIF89a not really", "cat.gif")]},
    )

    assert response.status_code == 400
    assert "cat.gif is not a JPEG, PNG or WebP image" in response.content.decode()
    assert not product.images.exists()
    assert files_in(stored_files) == []


def test_a_colour_the_product_lacks_is_refused_on_its_field(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    response = owner_client.post(
        page_url(product), {"images": [upload(image_bytes())], "color": "Purple"}
    )

    assert response.status_code == 400
    assert not product.images.exists()


def test_images_are_moved_made_main_recoloured_and_removed(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    a, b, c = add(product, 3)

    owner_client.post(action_url(c, "up"))
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    owner_client.post(action_url(b, "main"))
    assert list(product.images.values_list("pk", flat=True)) == [b.pk, a.pk, c.pk]
    owner_client.post(action_url(b, "down"))
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, b.pk, c.pk]
    owner_client.post(action_url(a, "color"), {"color": "Black"})
    assert ProductImage.objects.get(pk=a.pk).color == "Black"
    response = owner_client.post(action_url(a, "remove"))

    assert response.status_code == 302
    assert list(product.images.values_list("pk", "position")) == [(b.pk, 0), (c.pk, 1)]


def test_a_drag_and_drop_order_is_saved(
    owner_client: Client, product: Product, stored_files: Path
) -> None:
    a, b = add(product, 2)
    url = page_url(product) + "order/"

    owner_client.post(url, {"order": f"{b.pk},{a.pk}"})
    assert list(product.images.values_list("pk", flat=True)) == [b.pk, a.pk]

    response = owner_client.post(url, {"order": f"{b.pk}"}, follow=True)
    assert "each of the product&#x27;s 2 images once" in response.content.decode()
    assert list(product.images.values_list("pk", flat=True)) == [b.pk, a.pk]


def test_a_viewer_sees_the_images_but_may_change_nothing(
    viewer_client: Client, product: Product, stored_files: Path
) -> None:
    [image] = add(product, 1)

    page = viewer_client.get(page_url(product))
    assert page.status_code == 200
    assert "Add images" not in page.content.decode()
    assert (
        viewer_client.post(page_url(product), {"images": [upload(image_bytes())]}).status_code
        == 403
    )
    assert viewer_client.post(action_url(image, "remove")).status_code == 403
    assert product.images.count() == 1


def test_another_brands_product_is_not_found(owner_client: Client, stored_files: Path) -> None:
    other = factories.make_catalog(brand=factories.make_brand()).products.get()
    url = reverse(
        "brand-product-images",
        kwargs={"brand": "atelier", "pk": other.catalog_id, "product_id": other.pk},
    )

    assert owner_client.get(url).status_code == 404


def test_the_images_page_takes_uploads_over_the_general_request_limit(
    owner_client: Client, product: Product, stored_files: Path, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    response = owner_client.post(
        page_url(product), {"images": [upload(image_bytes(size=(400, 400)))]}
    )

    assert response.status_code == 302
    assert product.images.count() == 1


def test_an_upload_over_the_image_request_limit_is_refused_before_it_is_read(
    owner_client: Client, product: Product, stored_files: Path, settings: Any
) -> None:
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    response = owner_client.post(
        page_url(product), {"images": [upload(image_bytes(size=(400, 400)))]}
    )

    assert response.status_code == 400
    assert response.context is None
    assert files_in(stored_files) == []


def test_an_owner_sets_replaces_and_removes_the_logo_shown_in_the_header(
    owner_client: Client, brand: Brand, stored_files: Path
) -> None:
    url = reverse("brand-settings-logo", kwargs={"brand": brand.slug})

    assert (
        owner_client.post(url, {"logo": upload(image_bytes(format="PNG"), "logo.png")}).status_code
        == 302
    )
    page = owner_client.get(url).content.decode()
    assert 'data-testid="brand-logo"' in page and 'data-testid="logo-preview"' in page

    refused = owner_client.post(url, {"logo": upload(b"<svg/>", "logo.svg")})
    assert refused.status_code == 400
    assert "logo.svg is not a JPEG, PNG or WebP image" in refused.content.decode()

    owner_client.post(url, {"remove": "1"})
    brand.refresh_from_db()
    assert brand.logo == ""


def test_a_staff_member_may_not_change_the_logo(
    client: Client, brand: Brand, stored_files: Path
) -> None:
    client.force_login(factories.make_member(brand=brand, role="staff"))
    url = reverse("brand-settings-logo", kwargs={"brand": brand.slug})

    assert client.post(url, {"logo": upload(image_bytes())}).status_code == 403
    assert files_in(stored_files) == []
