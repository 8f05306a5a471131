"""Catalog operations: create and edit catalogs, add products with their SKUs and images."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, ShippingGroup, User
from linesheet.catalog.images import product_image_files, product_image_original_store
from linesheet.catalog.models import SKU, Catalog, CatalogStatus, Product, ProductImage
from linesheet.catalog.tasks import product_image_thumbnails
from linesheet.core.errors import InvalidInput
from linesheet.core.images import image_clean
from linesheet.core.stored_files import stored_files_delete


@dataclass(frozen=True)
class SkuInput:
    sku_number: str
    color: str
    size: str
    retail_price: Decimal


def _code_taken(code: str) -> InvalidInput:
    return InvalidInput.field(
        "code",
        "duplicate",
        _("The code %(code)s is already used by another catalog.") % {"code": code},
    )


def catalog_create(
    *,
    brand: Brand,
    name: str,
    code: str,
    currency: str | None = None,
    status: str = CatalogStatus.OPEN,
    order_deadline: datetime.date | None = None,
    consignment: bool = False,
    shipping_group_id: int | None = None,
) -> Catalog:
    """Create a catalog; its code is unique within the brand."""
    shipping_group_check(
        brand_id=brand.pk, group_id=shipping_group_id, currency=currency or brand.default_currency
    )
    try:
        with transaction.atomic():
            if Catalog.objects.filter(brand=brand, code=code).exists():
                raise _code_taken(code)
            return Catalog.objects.create(
                brand=brand,
                name=name,
                code=code,
                currency=currency or brand.default_currency,
                status=status,
                order_deadline=order_deadline,
                consignment=consignment,
                shipping_group_id=shipping_group_id,
            )
    except IntegrityError as exc:  # a concurrent create took the code after our check
        raise _code_taken(code) from exc


CATALOG_EDITABLE_FIELDS = frozenset(
    {"name", "code", "status", "order_deadline", "currency", "consignment", "shipping_group_id"}
)


def shipping_group_check(*, brand_id: int, group_id: int | None, currency: str) -> None:
    """Refuse a shipping group that is not the brand's in the catalog's currency."""
    if group_id is None:
        return
    if not ShippingGroup.objects.filter(pk=group_id, brand_id=brand_id, currency=currency).exists():
        raise InvalidInput.field(
            "shipping_group_id",
            "invalid_shipping_group",
            _("Choose one of your shipping groups in the catalog's currency (%(currency)s).")
            % {"currency": currency},
        )


def catalog_update(*, catalog: Catalog, **changes: object) -> Catalog:
    """Change a catalog's editable fields; the code stays unique within the brand."""
    unknown = set(changes) - CATALOG_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    new_code = changes.get("code")
    try:
        with transaction.atomic():
            locked = Catalog.objects.select_for_update().get(pk=catalog.pk)
            if (
                new_code is not None
                and new_code != locked.code
                and Catalog.objects.filter(brand_id=locked.brand_id, code=new_code).exists()
            ):
                raise _code_taken(str(new_code))
            for field, value in changes.items():
                setattr(locked, field, value)
            if "shipping_group_id" in changes or "currency" in changes:
                shipping_group_check(
                    brand_id=locked.brand_id,
                    group_id=locked.shipping_group_id,
                    currency=locked.currency,
                )
            locked.save(update_fields=sorted(changes) or None)
    except IntegrityError as exc:
        raise _code_taken(str(new_code)) from exc
    return locked


def product_create(
    *,
    catalog: Catalog,
    model_number: str,
    name: str,
    skus: Sequence[SkuInput],
    category: str = "",
) -> Product:
    """Add a product with its SKUs to a catalog; model and SKU numbers are unique per brand."""
    brand_id = catalog.brand_id
    errors: dict[str, list[dict[str, str]]] = {}
    numbers = [sku.sku_number for sku in skus]
    if not skus:
        errors["skus"] = [{"code": "required", "message": _("A product needs at least one SKU.")}]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        errors.setdefault("skus", []).append(
            {
                "code": "duplicate",
                "message": _("SKU numbers repeat within the product: %(numbers)s")
                % {"numbers": ", ".join(repeated)},
            }
        )
    try:
        with transaction.atomic():
            if Product.objects.filter(brand_id=brand_id, model_number=model_number).exists():
                errors["model_number"] = [
                    {
                        "code": "duplicate",
                        "message": _("The model number %(number)s is already used.")
                        % {"number": model_number},
                    }
                ]
            taken = sorted(
                SKU.objects.filter(brand_id=brand_id, sku_number__in=numbers).values_list(
                    "sku_number", flat=True
                )
            )
            if taken:
                errors.setdefault("skus", []).append(
                    {
                        "code": "duplicate",
                        "message": _("These SKU numbers are already used: %(numbers)s")
                        % {"numbers": ", ".join(taken)},
                    }
                )
            if errors:
                raise InvalidInput(errors)
            product = Product.objects.create(
                brand_id=brand_id,
                catalog=catalog,
                model_number=model_number,
                name=name,
                category=category,
            )
            SKU.objects.bulk_create(
                SKU(
                    brand_id=brand_id,
                    product=product,
                    sku_number=sku.sku_number,
                    color=sku.color,
                    size=sku.size,
                    retail_price=sku.retail_price,
                    position=position,
                )
                for position, sku in enumerate(skus)
            )
    except IntegrityError as exc:
        raise InvalidInput.field(
            "skus", "duplicate", _("A model or SKU number was taken at the same moment; try again.")
        ) from exc
    return product


# --- Product images -------------------------------------------------------------------------

# At most this many images per product, and per upload.
PRODUCT_IMAGES_MAX = 40
PRODUCT_IMAGES_PER_UPLOAD = 20


def _file_name(file: IO[bytes]) -> str:
    return os.path.basename(str(getattr(file, "name", "") or ""))[:200]


def _image_color_checked(*, product: Product, color: str) -> str:
    color = color.strip()
    if color and not SKU.objects.filter(product=product, color=color).exists():
        raise InvalidInput.field(
            "color",
            "color_unknown",
            _("%(product)s has no colour %(color)s.")
            % {"product": product.model_number, "color": color},
        )
    return color


def _product_locked(product: Product) -> Product:
    return Product.objects.select_for_update().get(pk=product.pk)


def _positions_renumber(images: Sequence[ProductImage]) -> list[ProductImage]:
    """Give `images`, in their order, positions 0, 1, 2, ...; save those that changed."""
    changed = []
    for position, image in enumerate(images):
        if image.position != position:
            image.position = position
            changed.append(image)
    if changed:
        ProductImage.objects.bulk_update(changed, ["position"])
    return list(images)


def product_images_add(
    *, product: Product, files: Sequence[IO[bytes]], color: str = "", actor: User | None
) -> list[ProductImage]:
    """Add images to the product after its others, all or none, for one colour or all (blank).

    Each file is checked and re-encoded (core.images) and its original stored; one refused
    file refuses the whole upload with its code, and the files stored so far are deleted again,
    as they are when the transaction fails. The thumbnails are made by a task enqueued in the
    same transaction.
    """
    if not files:
        raise InvalidInput.field("files", "required", _("Choose at least one image."))
    if len(files) > PRODUCT_IMAGES_PER_UPLOAD:
        raise InvalidInput.field(
            "files",
            "too_many_images",
            _("At most %(count)d images can be added at once.")
            % {"count": PRODUCT_IMAGES_PER_UPLOAD},
        )
    color = _image_color_checked(product=product, color=color)
    stored: list[tuple[str, int, int]] = []  # storage name, width, height
    try:
        for file in files:
            clean = image_clean(file, name=_file_name(file))
            name = product_image_original_store(
                brand_id=product.brand_id, product_id=product.pk, clean=clean
            )
            stored.append((name, clean.width, clean.height))
        with transaction.atomic():
            _product_locked(product)
            count = ProductImage.objects.filter(product=product).count()
            if count + len(stored) > PRODUCT_IMAGES_MAX:
                raise InvalidInput.field(
                    "files",
                    "too_many_images",
                    _("A product has at most %(count)d images; it has %(has)d.")
                    % {"count": PRODUCT_IMAGES_MAX, "has": count},
                )
            images = ProductImage.objects.bulk_create(
                ProductImage(
                    product=product,
                    color=color,
                    position=count + offset,
                    original=name,
                    width=width,
                    height=height,
                )
                for offset, (name, width, height) in enumerate(stored)
            )
            if any(image.pk is None for image in images):  # a backend without RETURNING
                images = list(
                    ProductImage.objects.filter(
                        product=product, original__in=[name for name, _w, _h in stored]
                    )
                )
            for image in images:
                product_image_thumbnails.enqueue(image_id=image.pk)
    except BaseException:
        stored_files_delete([name for name, _w, _h in stored])
        raise
    return images


def _images_locked(*, product: Product) -> list[ProductImage]:
    """Lock the product's row and return its images in order (inside a transaction)."""
    _product_locked(product)
    return list(ProductImage.objects.filter(product=product).order_by("position", "id"))


def product_images_reorder(
    *, product: Product, image_ids: Sequence[int], actor: User | None
) -> list[ProductImage]:
    """Put the product's images in the order of `image_ids`: every one of them, once."""
    with transaction.atomic():
        images = _images_locked(product=product)
        by_id = {image.pk: image for image in images}
        if len(image_ids) != len(by_id) or set(image_ids) != set(by_id):
            raise InvalidInput.field(
                "image_ids",
                "image_order_mismatch",
                _("The order must name each of the product's %(count)d images once.")
                % {"count": len(by_id)},
            )
        return _positions_renumber([by_id[image_id] for image_id in image_ids])


def product_image_set_main(*, image: ProductImage, actor: User | None) -> list[ProductImage]:
    """Make `image` the product's main image (first); the others keep their order."""
    with transaction.atomic():
        images = _images_locked(product=image.product)
        chosen = [item for item in images if item.pk == image.pk]
        if not chosen:
            raise _image_gone()
        return _positions_renumber(chosen + [item for item in images if item.pk != image.pk])


def product_image_move(
    *, image: ProductImage, offset: int, actor: User | None
) -> list[ProductImage]:
    """Move `image` `offset` places later (negative: earlier), stopping at either end."""
    with transaction.atomic():
        images = _images_locked(product=image.product)
        index = next((i for i, item in enumerate(images) if item.pk == image.pk), None)
        if index is None:
            raise _image_gone()
        moved = images.pop(index)
        images.insert(max(0, min(len(images), index + offset)), moved)
        return _positions_renumber(images)


def product_image_set_color(*, image: ProductImage, color: str, actor: User | None) -> ProductImage:
    """Show `image` for one of the product's colours, or for all of them (blank)."""
    with transaction.atomic():
        _product_locked(image.product)
        locked = ProductImage.objects.filter(pk=image.pk).first()
        if locked is None:
            raise _image_gone()
        locked.color = _image_color_checked(product=image.product, color=color)
        locked.save(update_fields=["color"])
    return locked


def product_image_remove(*, image: ProductImage, actor: User | None) -> list[ProductImage]:
    """Remove the image; its files are deleted once the removal is committed. Returns the
    product's remaining images, renumbered."""
    with transaction.atomic():
        images = _images_locked(product=image.product)
        gone = next((item for item in images if item.pk == image.pk), None)
        if gone is None:
            raise _image_gone()
        files = product_image_files(gone)
        remaining = [item for item in images if item.pk != gone.pk]
        gone.delete()
        transaction.on_commit(lambda: stored_files_delete(files))
        return _positions_renumber(remaining)


def _image_gone() -> InvalidInput:
    return InvalidInput.field(
        "image", "image_not_found", _("The image is not there any more: it was removed.")
    )
