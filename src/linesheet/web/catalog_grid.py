"""A catalog's order grid, as both apps show it: per product, colours down, sizes across, one
cell per SKU; and why the catalog takes no orders today, if it does not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.forms import BoundField

from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.core.clock import today
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.web.forms import QuantitiesForm, quantity_field_name


@dataclass(frozen=True)
class GridCell:
    sku: SKU
    wholesale: Decimal
    field: BoundField


@dataclass(frozen=True)
class GridRow:
    color: str
    cells: list[GridCell | None]  # None where the product has no SKU in that colour and size


@dataclass(frozen=True)
class ProductGrid:
    product: Product
    sizes: list[str]
    rows: list[GridRow]
    retail_low: Decimal | None
    retail_high: Decimal | None
    # The product's main image (catalog.ProductImage), None when it has none.
    image: Any = None


def product_grids(
    *,
    products: list[Product],
    prices: dict[int, Decimal],
    form: QuantitiesForm,
    images: Mapping[int, Any] | None = None,
) -> list[ProductGrid]:
    """Lay each product's SKUs out as a grid, colours and sizes in the brand's SKU order."""
    grids = []
    for product in products:
        skus: list[SKU] = list(product.skus.all())
        sizes = list(dict.fromkeys(sku.size for sku in skus))
        # Rows by colour; a second SKU in the same colour and size (bad data, but possible)
        # opens another row of that colour rather than hiding the first.
        places: list[tuple[str, dict[str, SKU]]] = []
        for sku in skus:
            row = next(
                (cells for color, cells in places if color == sku.color and sku.size not in cells),
                None,
            )
            if row is None:
                row = {}
                places.append((sku.color, row))
            row[sku.size] = sku
        rows = [
            GridRow(
                color=color,
                cells=[_cell(cells.get(size), prices=prices, form=form) for size in sizes],
            )
            for color, cells in places
        ]
        retail = [sku.retail_price for sku in skus]
        grids.append(
            ProductGrid(
                product=product,
                sizes=sizes,
                rows=rows,
                retail_low=min(retail, default=None),
                retail_high=max(retail, default=None),
                image=(images or {}).get(product.pk),
            )
        )
    return grids


def _cell(sku: SKU | None, *, prices: dict[int, Decimal], form: QuantitiesForm) -> GridCell | None:
    if sku is None:
        return None
    return GridCell(sku=sku, wholesale=prices[sku.pk], field=form[quantity_field_name(sku)])


def catalog_closed_error(catalog: Catalog) -> OrderError | None:
    """Say why the catalog takes no orders today, as the services would; None when it does.

    A hint for the page (no inputs, a notice); the services decide for themselves.
    """
    reason = rules.catalog_closed_reason(
        status=catalog.status, order_deadline=catalog.order_deadline, today=today()
    )
    if reason is None:
        return None
    return OrderError(
        OrderErrorCode.CATALOG_CLOSED,
        catalog=catalog.name,
        reason=str(rules.CLOSED_REASONS[reason]),
    )
