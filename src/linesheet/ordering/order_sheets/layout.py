"""The sheet's fixed layout, which building writes and reading looks for, and its reference.

Its labels are fixed, never translated: the sheet is a form read back by machine."""

from __future__ import annotations

import re

# The sheet is a form read back by machine: its labels are fixed, never translated.
SHEET_TITLE = "Order sheet"
REFERENCE_LABEL = "Sheet reference"
COLUMNS = ("Model number", "Product", "SKU number", "Colour", "Size", "Retail price", "Quantity")
SKU_COLUMN = COLUMNS.index("SKU number")
QUANTITY_COLUMN = COLUMNS.index("Quantity")
COLUMN_WIDTHS = (16, 34, 20, 18, 9, 15, 12)
HEADER_ROW = 10  # where the build puts the column headings; reading looks for them
HEADER_SEARCH_ROWS = 30  # how far down reading looks for them


def sheet_reference(*, brand_id: int, catalog_id: int) -> str:
    return f"B{brand_id}-C{catalog_id}"


_REFERENCE = re.compile(r"^B(\d{1,18})-C(\d{1,18})$")


def sheet_reference_parse(reference: str | None) -> tuple[int, int] | None:
    """Return (brand id, catalog id) of a sheet reference, or None when it is not one."""
    match = _REFERENCE.match((reference or "").strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))
