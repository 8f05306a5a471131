"""Catalog operations: create and edit catalogs, add products with their SKUs."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand
from linesheet.catalog.models import SKU, Catalog, CatalogStatus, Product
from linesheet.core.errors import InvalidInput


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
) -> Catalog:
    """Create a catalog; its code is unique within the brand."""
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
            )
    except IntegrityError as exc:  # a concurrent create took the code after our check
        raise _code_taken(code) from exc


CATALOG_EDITABLE_FIELDS = frozenset(
    {"name", "code", "status", "order_deadline", "currency", "consignment"}
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
