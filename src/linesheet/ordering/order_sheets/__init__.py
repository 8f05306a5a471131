"""Excel order sheets: a catalog's sheet to fill in, and a filled sheet read back. No database.

Import them from here; one module per concern.

The sheet has a header block (brand, catalog, currency, deadline and a reference naming the
brand and catalog it was made for), then one row per orderable SKU. Only the quantity column
is editable; the sheet is protected otherwise, and Excel itself refuses quantities that are
not whole numbers from 0 to MAX_LINE_QUANTITY.

Reading treats the upload as hostile, and bounds what is parsed before openpyxl parses it:
the file size, the number of zip members and their uncompressed sizes (a zip bomb is refused
unread); then one streaming pass over every XML part counts its elements (every cell, text
and style is one or more), the cells of each row, and refuses a document type declaration,
stopping at the first limit passed. openpyxl then reads the first sheet in read-only mode up
to a fixed row, under a time limit. So the cost of any upload the import accepts is bounded
(figures in docs/reliability.md). Every bad row is reported, with its Excel row number;
problems that need the catalog (unknown SKU, another catalog's SKU, no longer orderable) are
decided by `sheet_rows_check` from facts the caller looked up.
"""

from __future__ import annotations

from linesheet.ordering.order_sheets.building import (
    SheetCatalog,
    SheetSku,
    order_sheet_build,
    order_sheet_filename,
)
from linesheet.ordering.order_sheets.checking import SkuStanding, sheet_rows_check
from linesheet.ordering.order_sheets.errors import (
    OrderSheetError,
    OrderSheetErrorCode,
    OrderSheetRowsInvalid,
    RowProblem,
    RowProblemCode,
)
from linesheet.ordering.order_sheets.layout import (
    COLUMNS,
    HEADER_ROW,
    QUANTITY_COLUMN,
    sheet_reference_parse,
)
from linesheet.ordering.order_sheets.reading import (
    MAX_FILE_BYTES,
    MAX_OTHER_ELEMENTS,
    MAX_PART_BYTES,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    ReadSheet,
    SheetLine,
    order_sheet_read,
)

__all__ = [
    "COLUMNS",
    "HEADER_ROW",
    "MAX_FILE_BYTES",
    "MAX_OTHER_ELEMENTS",
    "MAX_PART_BYTES",
    "MAX_SHARED_STRINGS",
    "MAX_SHEET_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "QUANTITY_COLUMN",
    "OrderSheetError",
    "OrderSheetErrorCode",
    "OrderSheetRowsInvalid",
    "ReadSheet",
    "RowProblem",
    "RowProblemCode",
    "SheetCatalog",
    "SheetLine",
    "SheetSku",
    "SkuStanding",
    "order_sheet_build",
    "order_sheet_filename",
    "order_sheet_read",
    "sheet_reference_parse",
    "sheet_rows_check",
]
