"""Refusals of an order sheet: of the file as a whole, and of its rows, each with its Excel row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError, InvalidInput


class OrderSheetErrorCode:
    NOT_A_WORKBOOK = "not_a_workbook"
    WRONG_COLUMNS = "wrong_columns"
    WRONG_CATALOG = "wrong_catalog"
    EMPTY_SHEET = "empty_sheet"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    TOO_MANY_CELLS = "too_many_cells"
    TOO_SLOW = "too_slow_to_read"
    TOO_MANY_LINES = "too_many_lines"


class OrderSheetError(DomainError):
    """The upload as a whole is refused: nothing in it was looked at row by row."""

    status = 400
    messages = {
        OrderSheetErrorCode.NOT_A_WORKBOOK: _(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook "
            "(.xlsx)”, without a password, and upload it again."
        ),
        OrderSheetErrorCode.WRONG_COLUMNS: _(
            "The file is not a linesheet order sheet: its first sheet needs a header row with "
            "the columns %(columns)s. Download the catalog's order sheet and fill that in."
        ),
        OrderSheetErrorCode.WRONG_CATALOG: _(
            "This order sheet was made for another catalog or brand (%(found)s). Download the "
            "order sheet of the catalog you want to order from and fill that in."
        ),
        OrderSheetErrorCode.EMPTY_SHEET: _(
            "No quantities are filled in: type a quantity next to each SKU to order, then "
            "upload the sheet again."
        ),
        OrderSheetErrorCode.FILE_TOO_LARGE: _(
            "The file is too large (%(size)s). An order sheet may be at most %(limit)s."
        ),
        OrderSheetErrorCode.TOO_MANY_ROWS: _(
            "The sheet has more than %(limit)s rows below its header. Is it the right file?"
        ),
        OrderSheetErrorCode.TOO_MANY_COLUMNS: _(
            "Row %(row)s has more than %(limit)s cells, and an order sheet has %(columns)s "
            "columns. Download the catalog's order sheet and fill that in."
        ),
        OrderSheetErrorCode.TOO_MANY_CELLS: _(
            "The file holds more than %(limit)s %(what)s, more than an order sheet of "
            "%(rows)s rows can. Is it the right file?"
        ),
        OrderSheetErrorCode.TOO_SLOW: _(
            "Reading the file took longer than %(seconds)s seconds, far longer than an order "
            "sheet takes. Save it in Excel as “Excel Workbook (.xlsx)” and upload it again."
        ),
        OrderSheetErrorCode.TOO_MANY_LINES: _(
            "Quantities are filled in on %(count)s rows, and an order takes at most %(limit)s "
            "lines. Split the sheet into several orders."
        ),
    }


class RowProblemCode:
    UNKNOWN_SKU = "unknown_sku"
    OTHER_CATALOG = "other_catalog"
    NOT_ORDERABLE = "not_orderable"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    MISSING_SKU = "missing_sku"
    DUPLICATE_SKU = "duplicate_sku"


ROW_MESSAGES = {
    RowProblemCode.UNKNOWN_SKU: _("There is no SKU %(sku)s."),
    RowProblemCode.OTHER_CATALOG: _("SKU %(sku)s belongs to another catalog (%(catalog)s)."),
    RowProblemCode.NOT_ORDERABLE: _("SKU %(sku)s can no longer be ordered."),
    RowProblemCode.NOT_A_WHOLE_NUMBER: _("The quantity “%(value)s” is not a whole number."),
    RowProblemCode.NEGATIVE: _("The quantity %(value)s is negative."),
    RowProblemCode.TOO_LARGE: _("The quantity %(value)s is more than %(limit)s."),
    RowProblemCode.MISSING_SKU: _("A quantity is filled in, but the row has no SKU number."),
    RowProblemCode.DUPLICATE_SKU: _("SKU %(sku)s is on the sheet twice (first on row %(first)s)."),
}


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row of an uploaded sheet, at its Excel row number."""

    row: int
    sku_number: str
    field: str  # "quantity" or "sku_number"
    code: str
    params: Mapping[str, Any]

    @property
    def message(self) -> str:
        return str(ROW_MESSAGES[self.code]) % {"sku": self.sku_number, **self.params}

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "sku_number": self.sku_number,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


class OrderSheetRowsInvalid(InvalidInput):
    """Rows of the sheet are bad: every one is listed, and nothing was imported.

    Code `invalid`, like any refused input: `errors` is keyed `rows.<Excel row>.<field>`, and
    `rows` lists the problems in row order with the SKU number each row names.
    """

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        ordered = sorted(problems, key=lambda problem: (problem.row, problem.field))
        errors: dict[str, list[dict[str, str]]] = {}
        for problem in ordered:
            errors.setdefault(f"rows.{problem.row}.{problem.field}", []).append(
                {"code": problem.code, "message": problem.message}
            )
        DomainError.__init__(
            self, "invalid", errors=errors, rows=[problem.as_dict() for problem in ordered]
        )
        self.problems = ordered

    @property
    def message(self) -> str:
        count = len(self.params.get("rows", []))
        if count == 1:
            return gettext("1 row of the order sheet is not valid; nothing was imported.")
        return gettext("%(count)d rows of the order sheet are not valid; nothing was imported.") % {
            "count": count
        }
