"""The Order Management export, read back with openpyxl and checked cell by cell."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linesheet.ordering.models import Order
from linesheet.ordering.selectors import OrderFilters, orders_of_brand
from linesheet.ordering.services import order_set_tags
from linesheet.reporting.order_export import (
    Column,
    orders_xlsx,
    xlsx_stream,
)
from tests.integration.reporting.dataset import Dataset

pytestmark = pytest.mark.django_db

HEADER = [
    "Order code",
    "Status",
    "Route",
    "Buyer",
    "Catalog",
    "Placed at (UTC)",
    "SKU",
    "Model",
    "Product",
    "Colour",
    "Size",
    "Ordered quantity",
    "OC quantity",
    "Unit price",
    "Amount",
    "Currency",
    "Tax rate",
    "Order net",
    "Order shipping",
    "Order tax",
    "Order gross",
    "Order tax per rate",
]


def read(chunks: Iterable[bytes]) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(b"".join(chunks)))
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export(brand: Any, **filters: Any) -> list[list[Any]]:
    return read(
        orders_xlsx(
            orders=orders_of_brand(brand=brand, filters=OrderFilters(**filters)),
            time_zone=brand.time_zone,
        )
    )


def local(order: Order) -> datetime.datetime:
    return timezone.localtime(order.placed_at).replace(tzinfo=None)


def comparable(rows: list[list[Any]]) -> list[list[Any]]:
    """Numbers as Decimal; times to the second (Excel keeps milliseconds at best)."""

    def cell(value: Any) -> Any:
        if isinstance(value, float | int) and not isinstance(value, bool):
            return Decimal(str(value)).normalize()
        if isinstance(value, datetime.datetime):
            return value.replace(microsecond=0)
        return value

    return [[cell(value) for value in row] for row in rows]


def expected_line(
    order: Order,
    sku: str,
    color: str,
    size: str,
    ordered: Any,
    oc: Any,
    unit: str,
    amount: Any,
    *,
    first: bool = False,
) -> list[Any]:
    """A line's row; an order's first row also holds its totals (no tax: the brand has no
    rates, so gross is net)."""
    labels = {
        "awaiting_oc": "Please create an OC",
        "oc_confirmed": "OC confirmed",
        "rejected": "Order rejected",
        "returned_to_cart": "Returned to cart",
    }
    return [
        order.code,
        labels[order.status],
        "Buyer App",
        order.buyer.name,
        order.catalog.code,
        local(order),
        sku,
        order.catalog.products.get().model_number,
        order.catalog.products.get().name,
        color,
        size,
        ordered,
        oc,
        Decimal(unit),
        None if amount is None else Decimal(amount),
        order.currency,
        None,
        order.total_amount if first else None,
        None,
        Decimal(0) if first else None,
        order.total_amount if first else None,
        None,
    ]


def test_every_order_line_is_a_row_newest_order_first_cell_by_cell(
    brand: Any, data: Dataset
) -> None:
    rows = export(brand)

    assert rows[0] == HEADER
    assert comparable(rows[1:]) == comparable(
        [
            expected_line(data.nordic_nok, "FW-0", "Black", "36", 3, None, "40", "120", first=True),
            expected_line(data.replacement, "SS-1", "Sand", "37", 6, None, "50", "300", first=True),
            expected_line(data.returned, "SS-1", "Sand", "37", 7, None, "50", "350", first=True),
            expected_line(data.rejected, "SS-2", "Black", "38", 10, None, "50", "500", first=True),
            # The OC changed SS-0 to 5, removed SS-2 (0) and added SS-1 (a row of its own).
            expected_line(data.confirmed, "SS-0", "Black", "36", 1, 5, "40", "40", first=True),
            expected_line(data.confirmed, "SS-2", "Black", "38", 4, 0, "40", "160"),
            expected_line(data.confirmed, "SS-1", "Sand", "37", None, 1, "40", None),
            expected_line(data.open, "SS-0", "Black", "36", 2, None, "50", "100", first=True),
            expected_line(data.open, "SS-1", "Sand", "37", 3, None, "50", "150"),
            expected_line(data.old, "SS-0", "Black", "36", 100, None, "50", "5000", first=True),
        ]
    )


def test_the_export_takes_the_search_filters(brand: Any, data: Dataset) -> None:
    returned = export(brand, status="returned_to_cart")
    nordic = export(brand, buyer_id=data.nordic.pk, catalog_id=data.ss27.pk)

    assert [row[0] for row in returned[1:]] == [data.returned.code]
    assert [row[6] for row in nordic[1:]] == ["SS-0", "SS-2", "SS-1"]
    assert export(brand, code_prefix="NO-SUCH-CODE") == [HEADER]


def test_the_export_of_a_tag_holds_each_tagged_orders_lines_once(brand: Any, data: Dataset) -> None:
    order_set_tags(order_id=data.confirmed.pk, actor=None, names=["vip", "rush"])
    order_set_tags(order_id=data.old.pk, actor=None, names=["vip"])

    rows = export(brand, tag="vip")

    codes = [data.confirmed.code] * 3 + [data.old.code]
    assert [row[0] for row in rows[1:]] == codes
    assert [row[0] for row in export(brand, tag="vip", status="awaiting_oc")[1:]] == codes[3:]


def test_another_brands_orders_are_not_exported(brand: Any, data: Dataset) -> None:
    codes = {row[0] for row in export(brand)[1:]}

    assert data.foreign.code == "EL-0001"
    assert data.foreign.code not in codes
    assert [row[0] for row in export(data.foreign.brand)[1:]] == ["EL-0001"]


def test_money_and_times_carry_number_formats(brand: Any, data: Dataset) -> None:
    chunks = orders_xlsx(
        orders=orders_of_brand(brand=brand, filters=OrderFilters()), time_zone=brand.time_zone
    )
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).worksheets[0]

    assert sheet["F2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["N2"].number_format == "#,##0.00"
    assert sheet["O2"].number_format == "#,##0.00"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["R2"].number_format == "#,##0.00"
    assert sheet["T2"].number_format == "#,##0.00"
    assert sheet.auto_filter.ref == "A1:V11"


def test_the_file_comes_in_pieces_while_rows_are_written() -> None:
    produced: list[int] = []

    def rows() -> Iterable[list[Any]]:
        for index in range(5_000):
            produced.append(index)
            yield [f"ORDER-{index:06d}", index, Decimal(index) / 4]

    columns = [Column("Order code", 16), Column("Quantity", 10), Column("Amount", 14, "#,##0.00")]
    pieces = xlsx_stream(sheet_title="Lines", columns=columns, rows=rows(), chunk_bytes=4096)
    first = next(pieces)
    # The first piece left before every row was read: the file is not built whole in memory.
    assert first and len(produced) < 5_000
    rest = list(pieces)
    assert len(rest) > 2
    table = read([first, *rest])

    assert len(table) == 5_001
    assert table[0] == ["Order code", "Quantity", "Amount"]
    assert table[1_235] == ["ORDER-001234", 1_234, Decimal("308.5")]


def test_cells_keep_what_was_typed_and_leave_out_what_xlsx_cannot_hold() -> None:
    columns = [
        Column("Text", 10),
        Column("Padded", 10),
        Column("Number", 10, "#,##0.00"),
        Column("When", 10, "yyyy-mm-dd hh:mm"),
        Column("Flag", 5),
        Column("Blank", 5),
    ]
    when = datetime.datetime(2027, 3, 1, 14, 5)
    rows = [
        ["A & B <b>", "  two spaces  ", Decimal("1234.50"), when, True, None],
        ["bell\x07 rings", "", 7, None, False, ""],
    ]

    table = read(xlsx_stream(sheet_title="Cells", columns=columns, rows=rows))

    assert table[1] == ["A & B <b>", "  two spaces  ", 1234.5, when, True, None]
    assert table[2] == ["bell rings", None, 7, None, False, None]
