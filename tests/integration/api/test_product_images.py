"""The API of a product's images: upload several at once, order, colour, remove; coded refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from linesheet.catalog.models import Product, ProductImage
from tests import factories
from tests.image_files import image_bytes, png_bomb, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(catalog: Any) -> Product:
    return catalog.products.get()


@pytest.fixture
def api(owner: Any, as_user: Callable[[Any], APIClient]) -> APIClient:
    return as_user(owner)


def images_url(product: Product) -> str:
    return f"/api/v1/brands/{product.brand.slug}/products/{product.pk}/images"


def files_in(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def post_images(api: APIClient, product: Product, *files: Any, **fields: Any) -> Any:
    return api.post(images_url(product), {"files": list(files), **fields}, format="multipart")


def test_several_images_are_uploaded_at_once_and_listed_in_order(
    api: APIClient, product: Product, stored_files: Path, run_worker: Any
) -> None:
    response = post_images(
        api,
        product,
        upload(image_bytes(size=(900, 600))),
        upload(image_bytes(format="PNG")),
        color="Black",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(image["position"], image["is_main"], image["color"]) for image in body] == [
        (0, True, "Black"),
        (1, False, "Black"),
    ]
    assert body[0]["urls"]["m"] is None and not body[0]["thumbnails_ready"]
    assert body[0]["urls"]["original"].startswith("http://testserver/files/")

    run_worker()
    listed = api.get(images_url(product)).json()
    assert listed[0]["thumbnails_ready"]
    thumbnail = APIClient().get(listed[0]["urls"]["m"])  # the link alone is enough
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (upload(b"GIF89a fake", "cat.jpg"), "image_type_not_allowed"),
        (upload(png_bomb(), "bomb.png"), "image_too_many_pixels"),
        (upload(image_bytes(format="PNG")[:60], "cut.png"), "image_unreadable"),
    ],
    ids=["type", "bomb", "truncated"],
)
def test_one_bad_file_refuses_the_upload_with_its_code_and_stores_nothing(
    api: APIClient, product: Product, stored_files: Path, bad: Any, code: str
) -> None:
    response = post_images(api, product, upload(image_bytes()), bad)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["name"] == bad.name
    assert not ProductImage.objects.exists()
    assert files_in(stored_files) == []


def test_an_unknown_colour_or_no_file_is_refused_on_its_field(
    api: APIClient, product: Product, stored_files: Path
) -> None:
    colour = post_images(api, product, upload(image_bytes()), color="Purple")
    nothing = api.post(images_url(product), {"color": "Black"}, format="multipart")

    assert colour.json()["errors"]["color"][0]["code"] == "color_unknown"
    assert "files" in nothing.json()["errors"]
    assert files_in(stored_files) == []


def test_images_are_reordered_recoloured_and_removed(
    api: APIClient, product: Product, stored_files: Path
) -> None:
    first, second = post_images(api, product, upload(image_bytes()), upload(image_bytes())).json()
    url = images_url(product)

    ordered = api.put(f"{url}/order", {"image_ids": [second["id"], first["id"]]}, format="json")
    assert [image["id"] for image in ordered.json()] == [second["id"], first["id"]]
    assert ordered.json()[0]["is_main"]

    mismatch = api.put(f"{url}/order", {"image_ids": [second["id"]]}, format="json")
    assert mismatch.json()["errors"]["image_ids"][0]["code"] == "image_order_mismatch"

    patched = api.patch(f"{url}/{first['id']}", {"color": "Black"}, format="json")
    assert patched.status_code == 200 and patched.json()["color"] == "Black"

    assert api.delete(f"{url}/{second['id']}").status_code == 204
    assert api.delete(f"{url}/{second['id']}").status_code == 404
    remaining = api.get(url).json()
    assert [(image["id"], image["position"]) for image in remaining] == [(first["id"], 0)]


def test_a_viewer_reads_but_may_not_upload(
    viewer: Any, as_user: Callable[[Any], APIClient], product: Product, stored_files: Path
) -> None:
    api = as_user(viewer)

    assert api.get(images_url(product)).status_code == 200
    response = post_images(api, product, upload(image_bytes()))
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_role"
    assert files_in(stored_files) == []


def test_another_brands_product_is_not_found(api: APIClient, stored_files: Path) -> None:
    other = factories.make_catalog(brand=factories.make_brand()).products.get()

    assert api.get(f"/api/v1/brands/atelier/products/{other.pk}/images").status_code == 404
    assert post_images(api, other, upload(image_bytes())).status_code == 404


def test_an_upload_over_the_image_request_limit_is_refused_before_it_is_read(
    api: APIClient, product: Product, stored_files: Path, settings: Any
) -> None:
    settings.IMAGE_UPLOAD_MAX_BYTES = 2000

    response = post_images(api, product, upload(image_bytes(size=(400, 400))))

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert files_in(stored_files) == []


def test_a_retried_upload_with_its_idempotency_key_adds_the_images_once(
    api: APIClient, product: Product, stored_files: Path
) -> None:
    content = image_bytes()
    responses = [
        api.post(
            images_url(product),
            {"files": [upload(content, "a.jpg")]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )
        for _ in range(2)
    ]

    assert [response.status_code for response in responses] == [201, 201]
    assert responses[1]["Idempotent-Replayed"] == "true"
    assert product.images.count() == 1
    assert len(files_in(stored_files)) == 1
