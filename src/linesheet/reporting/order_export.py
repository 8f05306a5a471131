"""The Order Management search as an Excel workbook, one row per order line, streamed.

The rows are read from the database in chunks and written with openpyxl's write-only
worksheet straight into the ZIP entry of the sheet, which is compressed into a sink that
the HTTP response drains as it goes. Neither the rows nor the finished file are ever held in
memory whole, whatever the number of lines.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from linesheet.core.spreadsheets import xlsx_value
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine, OrderRoute
from linesheet.ordering.statuses import OrderStatus, brand_label

# Rows read per database round trip, and bytes gathered before they are handed on.
CHUNK_ROWS = 2_000
CHUNK_BYTES = 64 * 1024
MONEY_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    title: Any
    width: float
    number_format: str | None = None


ORDER_LINE_COLUMNS: list[Column] = [
    Column(_("Order code"), 16),
    Column(_("Status"), 22),
    Column(_("Route"), 16),
    Column(_("Buyer"), 26),
    Column(_("Catalog"), 12),
    Column(_("Placed at"), 17, DATETIME_FORMAT),
    Column(_("SKU"), 16),
    Column(_("Model"), 14),
    Column(_("Product"), 26),
    Column(_("Colour"), 12),
    Column(_("Size"), 8),
    Column(_("Ordered quantity"), 10),
    Column(_("OC quantity"), 10),
    Column(_("Unit price"), 12, MONEY_FORMAT),
    Column(_("Amount"), 14, MONEY_FORMAT),
    Column(_("Currency"), 9),
]

_ORDER_FIELDS = ("code", "status", "route", "buyer__name", "catalog__code", "placed_at", "currency")
_LINE_FIELDS = ("sku_id", "sku_number", "model_number", "product_name", "color", "size")


@dataclass(frozen=True, slots=True)
class _Line:
    """One line as read: its order's fields, then its own."""

    order_id: int
    code: str
    status: str
    route: str
    buyer: str
    catalog: str
    placed_at: datetime.datetime
    currency: str
    sku_id: int
    sku_number: str
    model_number: str
    product_name: str
    color: str
    size: str
    quantity: int
    unit_price: Decimal
    amount: Decimal

    @property
    def order_key(self) -> tuple[datetime.datetime, int]:
        return self.placed_at, self.order_id


def _lines(queryset: QuerySet[Any], order_path: str) -> Iterator[_Line]:
    """Read the lines newest order first, each order's in their position, in chunks."""
    fields = [
        f"{order_path}id",
        *(f"{order_path}{field}" for field in _ORDER_FIELDS),
        *_LINE_FIELDS,
        "quantity",
        "unit_price",
        "amount",
    ]
    rows = (
        queryset.order_by(f"-{order_path}placed_at", f"-{order_path}id", "position", "id")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_ROWS)
    )
    return (_Line(*values) for values in rows)


def _sorts_before(key: tuple[datetime.datetime, int], other: tuple[datetime.datetime, int]) -> bool:
    """Say whether an order with `key` comes before `other`: newer first, then higher id."""
    return key[0] > other[0] or (key[0] == other[0] and key[1] > other[1])


def order_line_rows(*, orders: QuerySet[Order]) -> Iterator[tuple[Any, ...]]:
    """Yield one row per line of the orders, newest order first, in ORDER_LINE_COLUMNS' order.

    Every Original Order line is a row with the OC's quantity for its SKU beside it: blank
    when the order has no OC, 0 when the OC removed the line. A SKU the OC added is a row
    of its own after the order's lines, with no ordered quantity or amount.

    Two queries, read in chunks and in the same order: the Original Order lines and the OC
    lines. They are matched order by order, so memory holds at most one order's OC, whatever
    the number of lines; and no query needs a per-line subquery or anti-join, whose plans
    depend on the database's statistics.
    """
    statuses = {status.value: brand_label(status) for status in OrderStatus}
    routes = {route.value: str(route.label) for route in OrderRoute}
    oc_groups = itertools.groupby(
        _lines(
            OrderConfirmationLine.objects.filter(confirmation__order__in=orders),
            "confirmation__order__",
        ),
        key=lambda line: line.order_key,
    )
    pending = next(oc_groups, None)

    def row(
        line: _Line,
        placed_at: datetime.datetime,
        ordered: int | None,
        oc: int | None,
        amount: Decimal | None,
    ) -> tuple[Any, ...]:
        return (
            line.code,
            statuses[line.status],
            routes.get(line.route, line.route),
            line.buyer,
            line.catalog,
            placed_at,
            line.sku_number,
            line.model_number,
            line.product_name,
            line.color,
            line.size,
            ordered,
            oc,
            line.unit_price,
            amount,
            line.currency,
        )

    for key, order_lines in itertools.groupby(
        _lines(OrderLine.objects.filter(order__in=orders), "order__"),
        key=lambda line: line.order_key,
    ):
        # The OC lines come in the same order of orders; an order without OC has none.
        while pending is not None and _sorts_before(pending[0], key):
            pending = next(oc_groups, None)
        oc_lines: dict[int, _Line] | None = None
        if pending is not None and pending[0] == key:
            oc_lines = {line.sku_id: line for line in pending[1]}
            pending = next(oc_groups, None)
        # Excel keeps no time zone: the time is written as it reads here.
        placed_at = timezone.localtime(key[0]).replace(tzinfo=None)
        for line in order_lines:
            oc_line = oc_lines.pop(line.sku_id, None) if oc_lines is not None else None
            oc_quantity = None if oc_lines is None else (oc_line.quantity if oc_line else 0)
            yield row(line, placed_at, line.quantity, oc_quantity, line.amount)
        for added in (oc_lines or {}).values():
            yield row(added, placed_at, None, added.quantity, None)


class _Sink:
    """A write-only file: collects what the ZIP writer writes until it is drained."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


class _StreamedExcelWriter(ExcelWriter):
    """openpyxl's writer for a sheet that was already written into the archive as it grew.

    openpyxl writes a write-only sheet to a temporary file and copies it into the ZIP at the
    end; here the sheet's XML went straight into its ZIP entry, so only the bookkeeping that
    `write_worksheet` does is left. Written against openpyxl 3.1.5 (pinned).
    """

    def write_worksheet(self, ws: WriteOnlyWorksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


def _cells(
    sheet: WriteOnlyWorksheet, columns: Sequence[Column], values: Sequence[Any]
) -> list[Any]:
    """Return the row's values, as styled cells where the column has a number format."""
    row: list[Any] = []
    for column, value in zip(columns, values, strict=True):
        if column.number_format and value is not None:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = column.number_format
            row.append(cell)
        else:
            row.append(xlsx_value(value))
    return row


def xlsx_stream(
    *,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """Yield an xlsx file in pieces while its rows are written: a header row, then `rows`.

    A piece leaves as soon as `chunk_bytes` of compressed output have gathered.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # The sheet's part name comes from its number, which openpyxl gives only when saving.
    sheet._id = 1
    sink = _Sink()
    archive = ZipFile(sink, "w", ZIP_DEFLATED, allowZip64=True)
    entry = archive.open(sheet.path[1:], "w", force_zip64=True)
    sheet._writer = WorksheetWriter(sheet, out=entry)
    sheet._writer.write_top()
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.title))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in rows:
        sheet.append(_cells(sheet, columns, values))
        count += 1
        if sink.size >= chunk_bytes:
            yield sink.drain()
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    sheet.close()
    entry.close()
    workbook.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    _StreamedExcelWriter(workbook, archive).save()
    yield sink.drain()


def orders_xlsx(*, orders: QuerySet[Order]) -> Iterator[bytes]:
    """Yield the orders' lines as an xlsx file, in pieces (see order_line_rows)."""
    return xlsx_stream(
        sheet_title=str(_("Order lines")),
        columns=ORDER_LINE_COLUMNS,
        rows=order_line_rows(orders=orders),
    )


def xlsx_file_name(prefix: str) -> str:
    """Return e.g. "orders-atelier-20270301-1405.xlsx"."""
    return f"{prefix}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
