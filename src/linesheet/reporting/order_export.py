"""The Order Management search as an Excel workbook, one row per order line, streamed.

The rows are read from the database in chunks and written straight into the ZIP entry of
the sheet, which is compressed into a sink that the HTTP response drains as it goes. Neither
the rows nor the finished file are ever held in memory whole, whatever the number of lines.
openpyxl writes the workbook around them (styles, the sheet's panes, widths and filter); the
rows themselves are plain values written as XML here, without a cell object per value (the
figures are in docs/performance.md).
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from django.db.models import Case, F, JSONField, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from linesheet.core.replica import replica_alias
from linesheet.core.spreadsheets import xlsx_value
from linesheet.core.tax import TaxTotals
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine, OrderRoute, applied_tax_of
from linesheet.ordering.statuses import status_labels

# Rows read per database round trip, characters of rows compressed at once, and compressed
# bytes gathered before they are handed on.
CHUNK_ROWS = 2_000
CHUNK_ROWS_TEXT = 64 * 1024
CHUNK_BYTES = 64 * 1024
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
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
    Column(_("Tax rate"), 12),
    # The order's own totals as placed, on its first row only, so that a column's sum is the
    # orders' sum.
    Column(_("Order net"), 14, MONEY_FORMAT),
    Column(_("Order shipping"), 14, MONEY_FORMAT),
    Column(_("Order tax"), 14, MONEY_FORMAT),
    Column(_("Order gross"), 14, MONEY_FORMAT),
    Column(_("Order tax per rate"), 30),
]

_ORDER_FIELDS = ("code", "status", "route", "buyer__name", "catalog__code", "placed_at", "currency")
_LINE_FIELDS = (
    "sku_id",
    "sku_number",
    "model_number",
    "product_name",
    "color",
    "size",
    "tax_name",
    "tax_rate",
    "tax_reduced",
)


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
    tax_name: str
    tax_rate: Decimal | None
    tax_reduced: bool
    quantity: int
    unit_price: Decimal
    amount: Decimal
    # The order's tax totals (TaxTotals.as_dict), read with its first line only.
    order_taxes: dict[str, Any] | None

    @property
    def order_key(self) -> tuple[datetime.datetime, int]:
        return self.placed_at, self.order_id

    @property
    def tax_label(self) -> str:
        rate = applied_tax_of(self)
        return rate.label if rate else ""


def _lines(
    queryset: QuerySet[Any], order_path: str, *, with_totals: bool = False
) -> Iterator[_Line]:
    """Read the lines newest order first, each order's in their position, in chunks.

    With `with_totals`, the order's tax totals come with its first line (position 0), and
    only with it: the other rows do not carry them again.
    """
    fields = [
        f"{order_path}id",
        *(f"{order_path}{field}" for field in _ORDER_FIELDS),
        *_LINE_FIELDS,
        "quantity",
        "unit_price",
        "amount",
        "order_taxes",
    ]
    order_taxes = (
        Case(
            When(position=0, then=F(f"{order_path}tax_totals")),
            default=None,
            output_field=JSONField(),
        )
        if with_totals
        else Value(None, output_field=JSONField())
    )
    rows = (
        queryset.annotate(order_taxes=order_taxes)
        .order_by(f"-{order_path}placed_at", f"-{order_path}id", "position", "id")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_ROWS)
    )
    return (_Line(*values) for values in rows)


def _sorts_before(key: tuple[datetime.datetime, int], other: tuple[datetime.datetime, int]) -> bool:
    """Say whether an order with `key` comes before `other`: newer first, then higher id."""
    return key[0] > other[0] or (key[0] == other[0] and key[1] > other[1])


def order_line_rows(*, orders: QuerySet[Order], time_zone: str) -> Iterator[tuple[Any, ...]]:
    """Yield one row per line of the orders, newest order first, in ORDER_LINE_COLUMNS' order.

    Times are written as clocks in `time_zone` show them.

    Every Original Order line is a row with the OC's quantity for its SKU beside it: blank
    when the order has no OC, 0 when the OC removed the line. A SKU the OC added is a row
    of its own after the order's lines, with no ordered quantity or amount.

    Two queries, read in chunks and in the same order: the Original Order lines and the OC
    lines. They are matched order by order, so memory holds at most one order's OC, whatever
    the number of lines; and no query needs a per-line subquery or anti-join, whose plans
    depend on the database's statistics.
    """
    # Read from the replica when one is configured: an export may be long, and what it
    # lists is the search as it stood a moment ago. (`orders` is a subquery of these reads.)
    database = replica_alias()
    statuses = status_labels(side="brand")
    zone = zoneinfo.ZoneInfo(time_zone)
    routes = {route.value: str(route.label) for route in OrderRoute}
    oc_groups = itertools.groupby(
        _lines(
            OrderConfirmationLine.objects.using(database).filter(confirmation__order__in=orders),
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
        totals = TaxTotals.from_dict(line.order_taxes) if line.order_taxes else None
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
            line.tax_label,
            totals.net if totals else None,
            totals.shipping if totals else None,
            totals.tax if totals else None,
            totals.gross if totals else None,
            "; ".join(f"{t.rate.label}: {t.amount}" for t in totals.taxes) if totals else None,
        )

    for key, order_lines in itertools.groupby(
        _lines(
            OrderLine.objects.using(database).filter(order__in=orders),
            "order__",
            with_totals=True,
        ),
        key=lambda line: line.order_key,
    ):
        # The OC lines come in the same order of orders; an order without OC has none.
        while pending is not None and _sorts_before(pending[0], key):
            pending = next(oc_groups, None)
        oc_lines: dict[int, _Line] | None = None
        if pending is not None and pending[0] == key:
            oc_lines = {line.sku_id: line for line in pending[1]}
            pending = next(oc_groups, None)
        # Excel keeps no time zone: the time is written as it reads in `time_zone`, which the
        # column's title names.
        placed_at = timezone.localtime(key[0], zone).replace(tzinfo=None)
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


# The sheet's rows element as openpyxl writes it for a sheet without rows: where ours go.
_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def _sheet_frame(sheet: WriteOnlyWorksheet) -> tuple[bytes, bytes]:
    """Return the sheet's XML before and after its rows, as openpyxl writes them.

    openpyxl writes the frame (panes, column widths, filter, margins) from the sheet's
    settings; the rows are written by `_RowWriter`, without openpyxl's cell objects.
    """
    out = io.BytesIO()
    writer = WorksheetWriter(sheet, out=out)
    writer.write_top()
    with writer.xf.send(True).element("sheetData"):
        pass
    writer.xf.send(None)
    writer.write_tail()
    writer.close()
    sheet._writer = writer
    head, tail = _EMPTY_SHEET_DATA.split(out.getvalue())
    return head, tail


def _style_id(sheet: WriteOnlyWorksheet, **style: Any) -> int:
    """Register the style with the workbook; return its index for the cells' `s` attribute."""
    cell = WriteOnlyCell(sheet)
    for name, value in style.items():
        setattr(cell, name, value)
    return int(cell.style_id)


class _RowWriter:
    """Write rows of plain values as the sheet's <row> elements, one style per column.

    Text is written inline (no shared-strings table to hold in memory), as openpyxl does;
    None and "" leave the cell out; times become Excel serial days.
    """

    def __init__(self, styles: Sequence[int]) -> None:
        self._columns = [
            (get_column_letter(index), f' s="{style}"' if style else "")
            for index, style in enumerate(styles, 1)
        ]

    def row(self, number: int, values: Sequence[Any]) -> str:
        cells = [f'<row r="{number}">']
        for (column, style), value in zip(self._columns, values, strict=True):
            if value is None or value == "":
                continue
            ref = f"{column}{number}"
            if isinstance(value, str | Promise):
                text = xlsx_value(str(value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(
                    f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
                )
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"{style} t="n"><v>{value}</v></c>')
            elif isinstance(value, Decimal | float):
                cells.append(f'<c r="{ref}"{style} t="n"><v>{value:.16g}</v></c>')
            elif isinstance(value, datetime.datetime | datetime.date):
                cells.append(f'<c r="{ref}"{style} t="n"><v>{to_excel(value):.16g}</v></c>')
            else:
                raise TypeError(f"no cell for {type(value).__name__} values")
        cells.append("</row>")
        return "".join(cells)


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
    header = _RowWriter(
        [_style_id(sheet, font=Font(bold=True), alignment=HEADER_ALIGNMENT)] * len(columns)
    )
    body = _RowWriter(
        [
            _style_id(sheet, number_format=column.number_format) if column.number_format else 0
            for column in columns
        ]
    )
    head, _tail = _sheet_frame(sheet)
    sink = _Sink()
    archive = ZipFile(sink, "w", ZIP_DEFLATED, allowZip64=True)
    entry = archive.open(sheet.path[1:], "w", force_zip64=True)
    entry.write(head + b"<sheetData>")
    entry.write(header.row(1, [str(column.title) for column in columns]).encode())
    number = 1
    batch: list[str] = []
    size = 0
    for values in rows:
        number += 1
        batch.append(body.row(number, values))
        size += len(batch[-1])
        # Rows go to the compressor a batch at a time: one call per row would cost more.
        if size >= CHUNK_ROWS_TEXT:
            entry.write("".join(batch).encode())
            batch.clear()
            size = 0
            if sink.size >= chunk_bytes:
                yield sink.drain()
    entry.write("".join(batch).encode() + b"</sheetData>")
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{number}"
    _head, tail = _sheet_frame(sheet)
    entry.write(tail)
    entry.close()
    workbook.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    _StreamedExcelWriter(workbook, archive).save()
    yield sink.drain()


def _counted(rows: Iterable[Any], progress: Callable[[int], None]) -> Iterator[Any]:
    """Pass the rows on, saying how many have gone every CHUNK_ROWS rows and at the end."""
    count = 0
    for count, row in enumerate(rows, 1):
        yield row
        if count % CHUNK_ROWS == 0:
            progress(count)
    progress(count)


def orders_xlsx(
    *, orders: QuerySet[Order], time_zone: str, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """Yield the orders' lines as an xlsx file, in pieces (see order_line_rows), the times
    in `time_zone` (the brand's); `progress(rows)` hears how many rows are written."""
    columns = [
        replace(column, title=f"{column.title} ({time_zone})")
        if column.number_format == DATETIME_FORMAT
        else column
        for column in ORDER_LINE_COLUMNS
    ]
    rows = order_line_rows(orders=orders, time_zone=time_zone)
    return xlsx_stream(
        sheet_title=str(_("Order lines")),
        columns=columns,
        rows=rows if progress is None else _counted(rows, progress),
    )


def xlsx_file_name(prefix: str) -> str:
    """Return e.g. "orders-atelier-20270301-1405.xlsx"."""
    return f"{prefix}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
