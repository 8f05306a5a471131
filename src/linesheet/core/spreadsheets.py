"""Spreadsheet basics shared by every workbook the app writes (order sheets, exports).

Every value put into a workbook passes through here: text is stored as text, so a name typed
as `=HYPERLINK(...)`, `+1`, `@SUM(...)` or `#REF!` is shown as typed and never becomes a formula
or an error value in the brand's or the buyer's Excel.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_value(value: Any) -> Any:
    """Return `value` as a worksheet cell takes it: text loses the control characters.

    The xlsx format cannot hold them (openpyxl refuses them), and names and comments typed by
    people sometimes carry one; dropping it beats failing the whole download.
    """
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """Return a cell of a write-only sheet holding `value`, with the given style attributes.

    openpyxl reads text starting with "=" as a formula and "#N/A" and the like as error
    values; a cell made here keeps any text as text.
    """
    cell = WriteOnlyCell(sheet, value=xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
