"""Excel order sheets: a catalog's blank sheet, and a filled sheet imported as a buyer's order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction

from linesheet.accounts.models import Buyer, User
from linesheet.catalog.models import SKU, SKU_CATALOG_ORDER, Catalog
from linesheet.core.errors import InvalidInput
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import MAX_CART_LINES, Order, OrderRoute
from linesheet.ordering.order_sheets import (
    OrderSheetError,
    OrderSheetErrorCode,
    OrderSheetRowsInvalid,
    ReadSheet,
    RowProblem,
    RowProblemCode,
    SheetCatalog,
    SheetLine,
    SheetSku,
    SkuStanding,
    order_sheet_build,
    order_sheet_read,
    sheet_reference_parse,
    sheet_rows_check,
)
from linesheet.ordering.services.placing import OrderHeader, order_place_for_buyer


def order_sheet_export(*, catalog: Catalog) -> bytes:
    """Return the catalog's blank order sheet (xlsx): one row per orderable SKU, two queries."""
    skus = (
        SKU.objects.filter(product__catalog=catalog, is_active=True)
        .select_related("product")
        .order_by(*SKU_CATALOG_ORDER)
    )
    return order_sheet_build(
        catalog=SheetCatalog(
            brand_id=catalog.brand_id,
            brand_name=catalog.brand.name,
            catalog_id=catalog.pk,
            name=catalog.name,
            code=catalog.code,
            currency=catalog.currency,
            order_deadline=catalog.order_deadline,
        ),
        skus=(
            SheetSku(
                model_number=sku.product.model_number,
                product_name=sku.product.name,
                sku_number=sku.sku_number,
                color=sku.color,
                size=sku.size,
                retail_price=sku.retail_price,
            )
            for sku in skus
        ),
    )


@dataclass(frozen=True)
class SheetImport:
    """The order an imported sheet became, and what was read from it."""

    order: Order
    file_name: str
    sku_rows: int
    lines: int


def _catalog_of(*, buyer: Buyer, sheet: ReadSheet, expected: Catalog | None) -> Catalog:
    parsed = sheet_reference_parse(sheet.reference)
    catalog = None
    if parsed is not None and parsed[0] == buyer.brand_id:
        catalog = (
            Catalog.objects.select_related("brand")
            .filter(brand_id=buyer.brand_id, pk=parsed[1])
            .first()
        )
    if catalog is None or (expected is not None and expected.pk != catalog.pk):
        raise OrderSheetError(OrderSheetErrorCode.WRONG_CATALOG, found=sheet.describe())
    return catalog


def _standings(*, buyer: Buyer, lines: list[SheetLine]) -> dict[str, SkuStanding]:
    """Return what the brand's books say about the sheet's SKU numbers, in one query."""
    rows = SKU.objects.filter(
        brand_id=buyer.brand_id, sku_number__in=[line.sku_number for line in lines]
    ).values_list("sku_number", "product__catalog_id", "product__catalog__code", "is_active")
    return {
        number: SkuStanding(catalog_id=catalog_id, catalog_code=code, orderable=active)
        for number, catalog_id, code, active in rows
    }


# What placing calls a bad line, as a row problem of the sheet.
_LINE_CODES = {"unknown_sku": RowProblemCode.UNKNOWN_SKU}


def _rows_refusal(error: InvalidInput, lines: list[SheetLine]) -> InvalidInput:
    """Point placing's `lines.N.field` refusals at the sheet's rows, where they are fixable.

    Placing checks the lines again after our check (a SKU may have been retired meanwhile).
    """
    problems = []
    for key, found in error.params.get("errors", {}).items():
        parts = key.split(".")
        if len(parts) != 3 or parts[0] != "lines" or not parts[1].isdigit():
            return error
        line = lines[int(parts[1])]
        for problem in found:
            code = _LINE_CODES.get(problem["code"], RowProblemCode.NOT_ORDERABLE)
            problems.append(RowProblem(line.row, line.sku_number, "sku_number", code, {}))
    return OrderSheetRowsInvalid(problems)


def order_import_sheet(
    *,
    buyer: Buyer,
    source: IO[bytes],
    file_name: str,
    placed_by: User | None,
    header: OrderHeader | None = None,
    catalog: Catalog | None = None,
) -> SheetImport:
    """Place the buyer's order from a filled order sheet (route `excel_sheet`).

    The sheet names its catalog; with `catalog`, a sheet for another one is refused. Every bad
    row is reported at once (OrderSheetRowsInvalid, with Excel row numbers) and nothing is
    written; refusals of the file as a whole are OrderSheetError with their own code.
    """
    sheet = order_sheet_read(source)
    found = _catalog_of(buyer=buyer, sheet=sheet, expected=catalog)
    if not sheet.lines and not sheet.problems:
        raise OrderSheetError(OrderSheetErrorCode.EMPTY_SHEET)
    problems = [
        *sheet.problems,
        *sheet_rows_check(
            lines=sheet.lines,
            catalog_id=found.pk,
            skus=_standings(buyer=buyer, lines=sheet.lines),
        ),
    ]
    if problems:
        raise OrderSheetRowsInvalid(problems)
    if len(sheet.lines) > MAX_CART_LINES:
        raise OrderSheetError(
            OrderSheetErrorCode.TOO_MANY_LINES, count=len(sheet.lines), limit=MAX_CART_LINES
        )
    with transaction.atomic():
        try:
            order = order_place_for_buyer(
                buyer=buyer,
                catalog=found,
                quantities={line.sku_number: line.quantity for line in sheet.lines},
                header=header or OrderHeader(),
                placed_by=placed_by,
                route=OrderRoute.EXCEL_SHEET,
            )
        except InvalidInput as error:
            raise _rows_refusal(error, sheet.lines) from error
        record_event(
            order=order,
            type=OrderEventType.SHEET_IMPORTED,
            actor=placed_by,
            file=file_name[:200],
            rows_on_the_sheet=sheet.sku_rows,
            rows_imported=len(sheet.lines),
        )
    return SheetImport(
        order=order, file_name=file_name, sku_rows=sheet.sku_rows, lines=len(sheet.lines)
    )
