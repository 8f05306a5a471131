"""Spreadsheet basics shared by the order sheets and the exports."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_value(value: Any) -> Any:
    """Return `value` as a worksheet cell takes it: text loses the control characters.

    The xlsx format cannot hold them (openpyxl refuses them), and names and comments typed by
    people sometimes carry one; dropping it beats failing the whole download.
    """
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
