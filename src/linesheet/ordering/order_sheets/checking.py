"""A read sheet's rows checked against the catalog, from facts the caller looked up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linesheet.ordering.order_sheets.errors import RowProblem, RowProblemCode
from linesheet.ordering.order_sheets.reading import SheetLine


@dataclass(frozen=True)
class SkuStanding:
    """What the brand's books say about a SKU number on the sheet."""

    catalog_id: int
    catalog_code: str
    orderable: bool


def sheet_rows_check(
    *, lines: Sequence[SheetLine], catalog_id: int, skus: Mapping[str, SkuStanding]
) -> list[RowProblem]:
    """Return the problem of every line whose SKU is unknown, another catalog's, or retired.

    `skus` holds the brand's SKUs among the sheet's numbers; a number missing there is unknown.
    """
    problems: list[RowProblem] = []
    for line in lines:
        standing = skus.get(line.sku_number)
        if standing is None:
            code, params = RowProblemCode.UNKNOWN_SKU, {}
        elif standing.catalog_id != catalog_id:
            code, params = RowProblemCode.OTHER_CATALOG, {"catalog": standing.catalog_code}
        elif not standing.orderable:
            code, params = RowProblemCode.NOT_ORDERABLE, {}
        else:
            continue
        problems.append(RowProblem(line.row, line.sku_number, "sku_number", code, params))
    return problems
