"""Fill order sheets as a person would in Excel, for the import tests."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import load_workbook

from linesheet.ordering.order_sheets import COLUMNS, HEADER_ROW

SKU_COLUMN = COLUMNS.index("SKU number") + 1
QUANTITY_COLUMN = COLUMNS.index("Quantity") + 1


def filled_sheet(
    data: bytes,
    quantities: Mapping[str, Any],
    *,
    typed_rows: Mapping[str, Any] | None = None,
) -> bytes:
    """Return the sheet with quantities typed next to the SKU numbers they name.

    `typed_rows` adds rows below the SKUs: {sku number as typed: quantity}, as if someone
    unprotected the sheet and typed in SKUs of their own.
    """
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    rows = {
        sheet.cell(row=row, column=SKU_COLUMN).value: row
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
    }
    for number, quantity in quantities.items():
        sheet.cell(row=rows[number], column=QUANTITY_COLUMN).value = quantity
    row = sheet.max_row
    for number, quantity in (typed_rows or {}).items():
        row += 1
        sheet.cell(row=row, column=SKU_COLUMN).value = number
        sheet.cell(row=row, column=QUANTITY_COLUMN).value = quantity
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_row_of(data: bytes, sku_number: str) -> int:
    """Return the Excel row of a SKU on the sheet."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(values) >= SKU_COLUMN and values[SKU_COLUMN - 1] == sku_number:
            return number
    raise LookupError(sku_number)
