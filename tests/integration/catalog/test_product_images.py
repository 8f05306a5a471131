"""Product images: added all or none, ordered, removed with their files; thumbnails by a task."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from PIL import Image

from linesheet.catalog.images import (
    THUMBNAIL_SIZES,
    product_image_bytes,
    product_image_data_uri,
    product_image_files,
    product_image_thumbnails_make,
    product_image_url,
)
from linesheet.catalog.models import SKU, Product, ProductImage
from linesheet.catalog.periodic import delete_unused_image_files
from linesheet.catalog.selectors import product_images_of, product_main_images
from linesheet.catalog.services import (
    product_image_move,
    product_image_remove,
    product_image_set_color,
    product_image_set_main,
    product_images_add,
    product_images_reorder,
)
from linesheet.core.errors import DomainError
from linesheet.core.images import ImageError
from linesheet.core.periodic import periodic_jobs
from tests import factories
from tests.image_files import image_bytes, jpeg_with_metadata, png_bomb, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(catalog: Any) -> Product:
    product = catalog.products.get()
    SKU.objects.filter(product=product).update(color="Black")
    sku = SKU.objects.filter(product=product).first()
    assert sku is not None
    SKU.objects.filter(pk=sku.pk).update(color="Ecru")
    return product


def files_in(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def add(product: Product, *contents: bytes, color: str = "", **options: Any) -> list[ProductImage]:
    files = [upload(content, name=f"photo-{i}.jpg") for i, content in enumerate(contents)]
    return product_images_add(product=product, files=files, color=color, actor=None, **options)


def test_images_are_added_after_the_products_others_with_their_sizes(
    product: Product, stored_files: Path
) -> None:
    first = add(product, image_bytes(size=(60, 40)))
    more = add(product, image_bytes(format="PNG", size=(30, 50)), image_bytes(format="WEBP"))

    images = list(ProductImage.objects.filter(product=product))
    assert [image.pk for image in images] == [image.pk for image in first + more]
    assert [image.position for image in images] == [0, 1, 2]
    assert [(image.width, image.height) for image in images] == [(60, 40), (30, 50), (60, 40)]
    assert [Path(image.original).suffix for image in images] == [".jpg", ".png", ".webp"]
    assert len(files_in(stored_files)) == 3


def test_what_is_stored_is_the_clean_upright_image_not_the_upload(
    product: Product, stored_files: Path
) -> None:
    [image] = add(product, jpeg_with_metadata(size=(60, 40), orientation=6))

    kept = (stored_files / image.original).read_bytes()
    assert b"SpyCam" not in kept
    assert (image.width, image.height) == (40, 60)


def test_one_bad_file_refuses_the_whole_upload_and_stores_nothing(
    product: Product, stored_files: Path
) -> None:
    with pytest.raises(ImageError) as caught:
        add(product, image_bytes(), image_bytes(format="PNG"), image_bytes(format="GIF"))

    assert caught.value.code == "image_type_not_allowed"
    assert caught.value.params["name"] == "photo-2.jpg"
    assert not ProductImage.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert files_in(stored_files) == []


@pytest.mark.parametrize(
    ("bad", "code"),
    [(png_bomb(), "image_too_many_pixels"), (image_bytes()[:200], "image_unreadable")],
    ids=["bomb", "truncated"],
)
def test_each_refusal_leaves_no_file_behind(
    product: Product, stored_files: Path, bad: bytes, code: str
) -> None:
    with pytest.raises(ImageError) as caught:
        add(product, image_bytes(), bad)

    assert caught.value.code == code
    assert files_in(stored_files) == []


def test_files_are_deleted_when_the_transaction_fails_after_they_were_stored(
    product: Product, stored_files: Path
) -> None:
    # A product at its limit: the count is checked in the transaction, after the files are kept.
    ProductImage.objects.bulk_create(
        ProductImage(product=product, position=i, original=f"x{i}.jpg", width=1, height=1)
        for i in range(40)
    )

    with pytest.raises(DomainError) as caught:
        add(product, image_bytes(), image_bytes())

    assert caught.value.params["errors"]["files"][0]["code"] == "too_many_images"
    assert ProductImage.objects.filter(product=product).count() == 40
    assert files_in(stored_files) == []


def test_an_image_for_a_colour_the_product_does_not_have_is_refused(
    product: Product, stored_files: Path
) -> None:
    with pytest.raises(DomainError) as caught:
        add(product, image_bytes(), color="Purple")

    assert caught.value.params["errors"]["color"][0]["code"] == "color_unknown"
    assert files_in(stored_files) == []


def test_an_image_for_one_colour_is_kept_with_it(product: Product, stored_files: Path) -> None:
    [image] = add(product, image_bytes(), color="Ecru")

    assert image.color == "Ecru"
    assert product_image_set_color(image=image, color="", actor=None).color == ""


def test_thumbnails_are_made_by_the_worker_after_the_images_are_added(
    product: Product, stored_files: Path, run_worker: Any
) -> None:
    [image] = add(product, image_bytes(size=(1600, 1200)))
    assert image.thumbnails == {}
    assert product_image_url(image, "m") is None
    assert product_image_bytes(image, "m") is None

    run_worker()

    image.refresh_from_db()
    assert set(image.thumbnails) == set(THUMBNAIL_SIZES)
    for size, longest in THUMBNAIL_SIZES.items():
        content = product_image_bytes(image, size)
        assert content is not None
        with Image.open(io.BytesIO(content)) as thumbnail:
            assert thumbnail.format == "JPEG"
            assert max(thumbnail.size) == longest
            assert thumbnail.size[0] * 3 == thumbnail.size[1] * 4
    data_uri = product_image_data_uri(image, "s")
    assert data_uri is not None and data_uri.startswith("data:image/jpeg;base64,")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_thumbnails_of_an_image_removed_meanwhile_are_not_kept(
    product: Product, stored_files: Path
) -> None:
    [image] = add(product, image_bytes(size=(400, 300)))
    product_image_remove(image=image, actor=None)

    assert product_image_thumbnails_make(image_id=image.pk) == {}
    assert [path for path in files_in(stored_files) if "-s" in path.name] == []


def test_images_are_reordered_and_a_main_one_chosen(product: Product, stored_files: Path) -> None:
    a, b, c = add(product, image_bytes(), image_bytes(), image_bytes())

    product_images_reorder(product=product, image_ids=[c.pk, a.pk, b.pk], actor=None)
    assert list(product.images.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]

    product_image_set_main(image=b, actor=None)
    assert list(product.images.values_list("pk", "position")) == [(b.pk, 0), (c.pk, 1), (a.pk, 2)]

    product_image_move(image=b, offset=1, actor=None)
    product_image_move(image=a, offset=-5, actor=None)
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]


@pytest.mark.parametrize("ids", ["missing", "repeated", "foreign"])
def test_an_order_that_does_not_name_each_image_once_is_refused(
    product: Product, stored_files: Path, ids: str
) -> None:
    a, b = add(product, image_bytes(), image_bytes())
    other_product = factories.make_catalog(brand=product.brand).products.get()
    [other] = add(other_product, image_bytes())
    image_ids = {"missing": [a.pk], "repeated": [a.pk, a.pk], "foreign": [a.pk, other.pk]}[ids]

    with pytest.raises(DomainError) as caught:
        product_images_reorder(product=product, image_ids=image_ids, actor=None)

    assert caught.value.params["errors"]["image_ids"][0]["code"] == "image_order_mismatch"
    assert list(product.images.values_list("pk", flat=True)) == [a.pk, b.pk]


def test_a_removed_images_files_are_deleted_once_committed_and_the_rest_renumbered(
    product: Product, stored_files: Path, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a, b, c = add(product, image_bytes(), image_bytes(), image_bytes())
    run_worker()
    a.refresh_from_db()
    assert len(files_in(stored_files)) == 3 * 4

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product_image_remove(image=a, actor=None)
    assert len(files_in(stored_files)) == 3 * 4  # not before the commit
    for callback in callbacks:
        callback()

    assert len(files_in(stored_files)) == 2 * 4
    assert not (stored_files / a.original).exists()
    assert list(product.images.values_list("pk", "position")) == [(b.pk, 0), (c.pk, 1)]


def test_a_rolled_back_removal_keeps_the_files(product: Product, stored_files: Path) -> None:
    [image] = add(product, image_bytes())

    with pytest.raises(RuntimeError), transaction.atomic():
        product_image_remove(image=image, actor=None)
        raise RuntimeError("the caller fails")

    assert ProductImage.objects.filter(pk=image.pk).exists()
    assert (stored_files / image.original).exists()


def test_main_images_and_all_images_of_many_products_take_one_query_each(
    brand: Any, stored_files: Path, django_assert_num_queries: Any
) -> None:
    products = [factories.make_catalog(brand=brand).products.get() for _ in range(4)]
    expected_main = {}
    for index, product in enumerate(products[:3]):
        images = add(product, *[image_bytes()] * (index + 1))
        product_image_set_main(image=images[-1], actor=None)
        expected_main[product.pk] = images[-1].pk
    ids = [product.pk for product in products]

    with django_assert_num_queries(1):
        main = product_main_images(product_ids=ids)
    with django_assert_num_queries(1):
        every = product_images_of(product_ids=ids)

    assert {pk: image.pk for pk, image in main.items()} == expected_main
    assert {pk: len(images) for pk, images in every.items()} == {
        products[0].pk: 1,
        products[1].pk: 2,
        products[2].pk: 3,
    }
    assert [image.position for image in every[products[2].pk]] == [0, 1, 2]


def test_a_thumbnail_task_whose_original_is_lost_stops_without_retrying(
    product: Product, stored_files: Path, run_worker: Any
) -> None:
    [image] = add(product, image_bytes())
    (stored_files / image.original).unlink()

    run_worker()

    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "original missing")
    image.refresh_from_db()
    assert image.thumbnails == {}


def test_files_no_image_names_are_swept_once_old_and_the_others_kept(
    product: Product, stored_files: Path, run_worker: Any
) -> None:
    [image] = add(product, image_bytes())
    run_worker()
    image.refresh_from_db()
    folder = stored_files / "product-images" / str(product.brand_id) / str(product.pk)
    old_orphan, new_orphan = folder / "left-behind.jpg", folder / "being-uploaded.jpg"
    old_orphan.write_bytes(b"x")
    new_orphan.write_bytes(b"x")
    day_ago = time.time() - 24 * 3600
    for path in [old_orphan, *(stored_files / name for name in product_image_files(image))]:
        os.utime(path, (day_ago, day_ago))

    outcome = delete_unused_image_files()

    assert outcome == "1 image file(s) and 0 logo file(s) deleted"
    assert not old_orphan.exists() and new_orphan.exists()
    assert all((stored_files / name).exists() for name in product_image_files(image))
    assert "delete_unused_image_files" in periodic_jobs()
