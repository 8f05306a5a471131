"""A catalog's order sheet to fill in: one row per orderable SKU, only the quantities editable."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from linesheet.core.spreadsheets import xlsx_cell
from linesheet.ordering.models import MAX_LINE_QUANTITY
from linesheet.ordering.order_sheets.layout import (
    COLUMN_WIDTHS,
    COLUMNS,
    HEADER_ROW,
    QUANTITY_COLUMN,
    REFERENCE_LABEL,
    SHEET_TITLE,
    sheet_reference,
)


@dataclass(frozen=True)
class SheetCatalog:
    """What the sheet's header says about the catalog, and the reference it is read back by."""

    brand_id: int
    brand_name: str
    catalog_id: int
    name: str
    code: str
    currency: str
    order_deadline: datetime.date | None

    @property
    def reference(self) -> str:
        return sheet_reference(brand_id=self.brand_id, catalog_id=self.catalog_id)


@dataclass(frozen=True)
class SheetSku:
    model_number: str
    product_name: str
    sku_number: str
    color: str
    size: str
    retail_price: Decimal


def order_sheet_filename(*, code: str) -> str:
    """Return a download name that is safe in any file system and header."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", code).strip("-.") or "catalog"
    return f"order-sheet-{safe}.xlsx"


_THIN = Side(style="thin", color="B8C2CC")
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF7D6")


def _styles(currency: str) -> list[NamedStyle]:
    """Named styles, registered once: far cheaper than a style object per cell."""
    price = NamedStyle(name="sheet_price", number_format=f'#,##0.00 "{currency}"')
    quantity = NamedStyle(
        name="sheet_quantity",
        number_format="0",
        fill=_EDITABLE_FILL,
        border=Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
        protection=Protection(locked=False),
        font=Font(bold=True),
    )
    return [price, quantity]


def order_sheet_build(*, catalog: SheetCatalog, skus: Iterable[SheetSku]) -> bytes:
    """Return the catalog's order sheet as xlsx bytes: header, one row per SKU, protected.

    Written row by row in openpyxl's write-only mode; only the price and quantity cells carry
    a style of their own, which keeps a catalog of thousands of SKUs well under a second.
    """
    workbook = Workbook(write_only=True)
    for style in _styles(catalog.currency):
        workbook.add_named_style(style)
    sheet = workbook.create_sheet(SHEET_TITLE)
    # The sheet's head (column widths, frozen headings) is written with the first row.
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    def cell(value: Any, **style: Any) -> WriteOnlyCell:
        return xlsx_cell(sheet, value, **style)

    label_font = Font(bold=True, color="52606D")
    deadline: Any = catalog.order_deadline or "No deadline"
    sheet.append([cell(f"{catalog.brand_name} · {SHEET_TITLE}", font=Font(bold=True, size=14))])
    for label, value in [
        ("Brand", catalog.brand_name),
        ("Catalog", catalog.name),
        ("Catalog code", catalog.code),
        ("Currency", catalog.currency),
        ("Order deadline", deadline),
        (REFERENCE_LABEL, catalog.reference),
    ]:
        shown = cell(value, alignment=Alignment(horizontal="left"))
        if isinstance(value, datetime.date):
            shown.number_format = "yyyy-mm-dd"
        sheet.append([cell(label, font=label_font), shown])
    sheet.append(
        [
            cell(
                "Type the quantity of each SKU to order in the yellow Quantity column; leave it "
                "empty (or 0) for the others. Do not change the other columns.",
                font=Font(italic=True, color="52606D"),
            )
        ]
    )
    sheet.append([])
    heading_font = Font(bold=True, color="FFFFFF")
    heading_fill = PatternFill("solid", fgColor="1F3A5F")
    sheet.append(
        [
            cell(
                title,
                font=heading_font,
                fill=heading_fill,
                alignment=Alignment(horizontal="center" if column > 4 else "left"),
            )
            for column, title in enumerate(COLUMNS, start=1)
        ]
    )

    last_row = HEADER_ROW
    for sku in skus:
        # Strings are written as text cells: a SKU number such as 00123 stays 00123, and a
        # name such as "=1+1" stays that text.
        sheet.append(
            [
                cell(sku.model_number),
                cell(sku.product_name),
                cell(sku.sku_number),
                cell(sku.color),
                cell(sku.size),
                cell(sku.retail_price, style="sheet_price"),
                cell(None, style="sheet_quantity"),
            ]
        )
        last_row += 1

    # The sheet's tail (validation, filter, protection) is written when the workbook is saved.
    if last_row > HEADER_ROW:
        letter = get_column_letter(QUANTITY_COLUMN + 1)
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(MAX_LINE_QUANTITY),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Quantity",
            error=f"Type a whole number from 0 to {MAX_LINE_QUANTITY}.",
            showInputMessage=True,
            promptTitle="Quantity",
            prompt="A whole number of pieces; leave empty for none.",
        )
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
        sheet.data_validations.append(validation)
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{letter}{last_row}"
    # No password: the protection keeps the columns safe from slips, it is not a secret.
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False  # filtering stays possible (False = not protected)
    sheet.protection.formatColumns = False
    workbook.security = WorkbookProtection(lockStructure=True)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
