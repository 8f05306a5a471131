"""Product images' files: where they are kept, their thumbnails, and links to them.

The original (checked and re-encoded by core.images) is stored when the image is added; the
thumbnails are made afterwards by a background task (catalog.tasks), each the longest side of
THUMBNAIL_SIZES, in JPEG (every mail client and PDF renderer shows it). Until they are made,
`product_image_url` and friends answer None and the pages show a placeholder.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Final

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from linesheet.catalog.models import ProductImage
from linesheet.core.images import CleanImage, image_thumbnails, thumbnail_size
from linesheet.core.stored_files import (
    stored_file_bytes,
    stored_file_data_uri,
    stored_file_url,
    stored_files_delete,
    stored_files_delete_unreferenced,
)

# Longest side in pixels. "s": lines in carts, orders, OCs and emails; "m": gallery cards and
# the line sheet PDF; "l": a product's own page.
THUMBNAIL_SIZES: Final = {"s": 96, "m": 320, "l": 800}
# The size key that names the original itself.
ORIGINAL: Final = "original"
# Where the files are kept: <folder>/<brand id>/<product id>/<random>.<ext> (and -s.jpg, ...).
PRODUCT_IMAGES_FOLDER: Final = "product-images"


def product_image_storage_name(*, brand_id: int, product_id: int, extension: str) -> str:
    """Return a new, unguessable storage name for an original of the product."""
    return f"{PRODUCT_IMAGES_FOLDER}/{brand_id}/{product_id}/{uuid.uuid4().hex}.{extension}"


def product_image_original_store(*, brand_id: int, product_id: int, clean: CleanImage) -> str:
    """Store a checked original; return its storage name."""
    name = product_image_storage_name(
        brand_id=brand_id, product_id=product_id, extension=clean.extension
    )
    return str(default_storage.save(name, ContentFile(clean.content)))


def _thumbnail_name(original: str, size: str) -> str:
    stem = original.rsplit(".", 1)[0]
    return f"{stem}-{size}.jpg"


def product_image_thumbnails_make(*, image_id: int) -> dict[str, str]:
    """Make the image's missing thumbnails, store them and note them on its row.

    Returns the thumbnails the row names afterwards ({} when the image is gone). Safe to run
    twice. If the image is removed meanwhile, the files just made are deleted again.
    """
    image = ProductImage.objects.filter(pk=image_id).only("original", "thumbnails").first()
    if image is None:
        return {}
    missing = [size for size in THUMBNAIL_SIZES if size not in image.thumbnails]
    if not missing:
        return dict(image.thumbnails)
    content = stored_file_bytes(image.original)
    if content is None:
        raise FileNotFoundError(f"the original {image.original!r} of image {image_id} is missing")
    smalls = image_thumbnails(
        content, sizes={size: THUMBNAIL_SIZES[size] for size in missing}, format="JPEG"
    )
    made = {
        size: str(
            default_storage.save(_thumbnail_name(image.original, size), ContentFile(small.content))
        )
        for size, small in smalls.items()
    }
    thumbnails = {**image.thumbnails, **made}
    # Only while the row still holds this original: a removed image keeps no thumbnails.
    if not ProductImage.objects.filter(pk=image_id, original=image.original).update(
        thumbnails=thumbnails
    ):
        stored_files_delete(list(made.values()))
        return {}
    return thumbnails


def _stored_name(image: ProductImage, size: str) -> str | None:
    if size == ORIGINAL:
        return image.original or None
    if size not in THUMBNAIL_SIZES:
        raise ValueError(f"unknown image size {size!r}: one of {[*THUMBNAIL_SIZES, ORIGINAL]}")
    name = (image.thumbnails or {}).get(size)
    return name if isinstance(name, str) and name else None


def product_image_dimensions(image: ProductImage, size: str) -> tuple[int, int]:
    """Return the width and height of the image at `size` (a thumbnail size or "original")."""
    if size == ORIGINAL:
        return image.width, image.height
    return thumbnail_size(image.width, image.height, THUMBNAIL_SIZES[size])


def product_image_url(image: ProductImage, size: str) -> str | None:
    """Return a URL a browser can load the image at `size` from; None until it is made."""
    name = _stored_name(image, size)
    return stored_file_url(name) if name else None


def product_image_bytes(image: ProductImage, size: str) -> bytes | None:
    """Return the image at `size` as JPEG (a thumbnail) or as kept (the original); None until
    it is made."""
    name = _stored_name(image, size)
    return stored_file_bytes(name) if name else None


def product_image_data_uri(image: ProductImage, size: str) -> str | None:
    """Return the image at `size` as a data: URI (PDFs embed it); None until it is made."""
    name = _stored_name(image, size)
    return stored_file_data_uri(name) if name else None


def product_image_files(image: ProductImage) -> list[str]:
    """Return the storage names of every file of the image: the original and its thumbnails."""
    names = [image.original]
    names.extend(name for name in (image.thumbnails or {}).values() if isinstance(name, str))
    return [name for name in names if name]


def product_image_files_sweep(*, older_than: datetime.timedelta) -> int:
    """Delete stored product image files no image names (left by a transaction that never
    committed), older than `older_than`; return how many. One query per brand."""
    folders, _files = _listdir(PRODUCT_IMAGES_FOLDER)
    deleted = 0
    for brand_folder in folders:
        if not brand_folder.isdigit():
            continue
        referenced: set[str] = set()
        rows = ProductImage.objects.filter(product__brand_id=int(brand_folder)).values_list(
            "original", "thumbnails"
        )
        for original, thumbnails in rows:
            referenced.add(original)
            referenced.update(name for name in (thumbnails or {}).values() if isinstance(name, str))
        deleted += stored_files_delete_unreferenced(
            folder=f"{PRODUCT_IMAGES_FOLDER}/{brand_folder}",
            referenced=referenced,
            older_than=older_than,
        )
    return deleted


def _listdir(folder: str) -> tuple[list[str], list[str]]:
    try:
        return default_storage.listdir(folder)
    except FileNotFoundError:
        return [], []
