"""Excel order sheets: a catalog's sheet to fill in, and a filled sheet read back. No database.

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
(figures in the README, *Reliability*). Every bad row is reported, with its Excel row number;
problems that need the catalog (unknown SKU, another catalog's SKU, no longer orderable) are
decided by `sheet_rows_check` from facts the caller looked up.
"""

from __future__ import annotations

import datetime
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.spreadsheets import xlsx_cell
from linesheet.ordering.models import MAX_LINE_QUANTITY

# The sheet is a form read back by machine: its labels are fixed, never translated.
SHEET_TITLE = "Order sheet"
REFERENCE_LABEL = "Sheet reference"
COLUMNS = ("Model number", "Product", "SKU number", "Colour", "Size", "Retail price", "Quantity")
SKU_COLUMN = COLUMNS.index("SKU number")
QUANTITY_COLUMN = COLUMNS.index("Quantity")
COLUMN_WIDTHS = (16, 34, 20, 18, 9, 15, 12)
HEADER_ROW = 10  # where the build puts the column headings; reading looks for them
HEADER_SEARCH_ROWS = 30  # how far down reading looks for them

# Limits of an upload. A filled sheet of 5,000 SKUs is about 150 KB, 1.5 MB unpacked and
# 100,000 XML elements; of MAX_SHEET_ROWS rows, 6 MB and 400,000 elements (Excel, saving it
# again, moves the texts into a shared table: fewer elements).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_PART_BYTES = 16 * 1024 * 1024  # any one member, unpacked
MAX_ZIP_MEMBERS = 200
MAX_SHEET_ROWS = 20_000  # SKU rows below the headings
MAX_ROW_CELLS = 32  # cells of one row: the sheet has 7 columns, room for notes beside them
# XML elements, counted before openpyxl reads any: of the worksheets and the shared texts
# (read as a stream, a few microseconds each), of the shared-text table (read whole when the
# file opens), and of every other part (the workbook, its styles, names and manifest: read
# whole into objects, tens of microseconds each).
MAX_XML_ELEMENTS = 500_000
MAX_SHARED_STRINGS = 60_000
MAX_OTHER_ELEMENTS = 30_000
MAX_READ_SECONDS = 20.0  # a safety net: the counts above keep reading to a few seconds


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


# --- Building a sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetCatalog:
    """What the sheet's header says about the catalog, and the reference it is read back by."""

    brand_id: int
    brand_name: str
    catalog_id: int
    name: str
    code: str
    currency: str
    order_deadline: datetime.date | None

    @property
    def reference(self) -> str:
        return sheet_reference(brand_id=self.brand_id, catalog_id=self.catalog_id)


@dataclass(frozen=True)
class SheetSku:
    model_number: str
    product_name: str
    sku_number: str
    color: str
    size: str
    retail_price: Decimal


def sheet_reference(*, brand_id: int, catalog_id: int) -> str:
    return f"B{brand_id}-C{catalog_id}"


_REFERENCE = re.compile(r"^B(\d{1,18})-C(\d{1,18})$")


def sheet_reference_parse(reference: str | None) -> tuple[int, int] | None:
    """Return (brand id, catalog id) of a sheet reference, or None when it is not one."""
    match = _REFERENCE.match((reference or "").strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def order_sheet_filename(*, code: str) -> str:
    """Return a download name that is safe in any file system and header."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", code).strip("-.") or "catalog"
    return f"order-sheet-{safe}.xlsx"


_THIN = Side(style="thin", color="B8C2CC")
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF7D6")


def _styles(currency: str) -> list[NamedStyle]:
    """Named styles, registered once: far cheaper than a style object per cell."""
    price = NamedStyle(name="sheet_price", number_format=f'#,##0.00 "{currency}"')
    quantity = NamedStyle(
        name="sheet_quantity",
        number_format="0",
        fill=_EDITABLE_FILL,
        border=Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
        protection=Protection(locked=False),
        font=Font(bold=True),
    )
    return [price, quantity]


def order_sheet_build(*, catalog: SheetCatalog, skus: Iterable[SheetSku]) -> bytes:
    """Return the catalog's order sheet as xlsx bytes: header, one row per SKU, protected.

    Written row by row in openpyxl's write-only mode; only the price and quantity cells carry
    a style of their own, which keeps a catalog of thousands of SKUs well under a second.
    """
    workbook = Workbook(write_only=True)
    for style in _styles(catalog.currency):
        workbook.add_named_style(style)
    sheet = workbook.create_sheet(SHEET_TITLE)
    # The sheet's head (column widths, frozen headings) is written with the first row.
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    def cell(value: Any, **style: Any) -> WriteOnlyCell:
        return xlsx_cell(sheet, value, **style)

    label_font = Font(bold=True, color="52606D")
    deadline: Any = catalog.order_deadline or "No deadline"
    sheet.append([cell(f"{catalog.brand_name} · {SHEET_TITLE}", font=Font(bold=True, size=14))])
    for label, value in [
        ("Brand", catalog.brand_name),
        ("Catalog", catalog.name),
        ("Catalog code", catalog.code),
        ("Currency", catalog.currency),
        ("Order deadline", deadline),
        (REFERENCE_LABEL, catalog.reference),
    ]:
        shown = cell(value, alignment=Alignment(horizontal="left"))
        if isinstance(value, datetime.date):
            shown.number_format = "yyyy-mm-dd"
        sheet.append([cell(label, font=label_font), shown])
    sheet.append(
        [
            cell(
                "Type the quantity of each SKU to order in the yellow Quantity column; leave it "
                "empty (or 0) for the others. Do not change the other columns.",
                font=Font(italic=True, color="52606D"),
            )
        ]
    )
    sheet.append([])
    heading_font = Font(bold=True, color="FFFFFF")
    heading_fill = PatternFill("solid", fgColor="1F3A5F")
    sheet.append(
        [
            cell(
                title,
                font=heading_font,
                fill=heading_fill,
                alignment=Alignment(horizontal="center" if column > 4 else "left"),
            )
            for column, title in enumerate(COLUMNS, start=1)
        ]
    )

    last_row = HEADER_ROW
    for sku in skus:
        # Strings are written as text cells: a SKU number such as 00123 stays 00123, and a
        # name such as "=1+1" stays that text.
        sheet.append(
            [
                cell(sku.model_number),
                cell(sku.product_name),
                cell(sku.sku_number),
                cell(sku.color),
                cell(sku.size),
                cell(sku.retail_price, style="sheet_price"),
                cell(None, style="sheet_quantity"),
            ]
        )
        last_row += 1

    # The sheet's tail (validation, filter, protection) is written when the workbook is saved.
    if last_row > HEADER_ROW:
        letter = get_column_letter(QUANTITY_COLUMN + 1)
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(MAX_LINE_QUANTITY),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Quantity",
            error=f"Type a whole number from 0 to {MAX_LINE_QUANTITY}.",
            showInputMessage=True,
            promptTitle="Quantity",
            prompt="A whole number of pieces; leave empty for none.",
        )
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
        sheet.data_validations.append(validation)
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{letter}{last_row}"
    # No password: the protection keeps the columns safe from slips, it is not a secret.
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False  # filtering stays possible (False = not protected)
    sheet.protection.formatColumns = False
    workbook.security = WorkbookProtection(lockStructure=True)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Reading a filled sheet ---------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    """A row with a quantity of 1 or more: it becomes an order line."""

    row: int
    sku_number: str
    quantity: int


@dataclass(frozen=True)
class ReadSheet:
    header: Mapping[str, str]  # the labelled cells above the column headings
    lines: list[SheetLine]
    problems: list[RowProblem]
    sku_rows: int  # rows naming a SKU, filled in or not

    @property
    def reference(self) -> str | None:
        return self.header.get(REFERENCE_LABEL)

    def describe(self) -> str:
        """Say which catalog the sheet claims to be for, in its own words."""
        code, name = self.header.get("Catalog code"), self.header.get("Catalog")
        brand = self.header.get("Brand")
        shown = " ".join(part for part in (code, name) if part) or gettext("no catalog named")
        return f"{shown}, {brand}" if brand else shown


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _file_size(source: IO[bytes]) -> int:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _check_archive(source: IO[bytes]) -> None:
    """Refuse what is not an xlsx, or would unpack to too much, before openpyxl opens it."""
    size = _file_size(source)
    if size > MAX_FILE_BYTES:
        raise OrderSheetError(
            OrderSheetErrorCode.FILE_TOO_LARGE,
            size=_size_label(size),
            limit=_size_label(MAX_FILE_BYTES),
        )
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK) from exc
    finally:
        source.seek(0)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK)
    # The declared sizes bound what zipfile will inflate: it stops at file_size.
    unpacked = sum(member.file_size for member in members)
    largest = max(member.file_size for member in members)
    for size, limit in ((unpacked, MAX_UNCOMPRESSED_BYTES), (largest, MAX_PART_BYTES)):
        if len(members) > MAX_ZIP_MEMBERS or size > limit:
            raise OrderSheetError(
                OrderSheetErrorCode.FILE_TOO_LARGE,
                size=_size_label(size) + " " + gettext("unpacked"),
                limit=_size_label(limit) + " " + gettext("unpacked"),
            )


_BULK_TYPES = ("worksheet+xml", "sharedStrings+xml")
# openpyxl reads the styles from this name, whatever the manifest calls it.
_STYLES_PART = "xl/styles.xml"


class _PartScan:
    """Count the elements of the package's XML parts as expat reads them; stop at a limit.

    Every member is scanned (openpyxl finds its parts by their names in other parts, which are
    not to be trusted): one that is not XML stops expat at once, as it would stop openpyxl.
    Worksheets and the shared texts, by the manifest's content types, count against
    MAX_XML_ELEMENTS; every other part against MAX_OTHER_ELEMENTS.
    """

    def __init__(self, deadline: Callable[[], None]) -> None:
        self.counts = {"bulk": 0, "other": 0}
        self.kind = "other"
        self.strings = 0
        self.rows = 0
        self.row_cells = 0
        self.deadline = deadline
        self.overrides: dict[str, str] = {}
        self.defaults: dict[str, str] = {}

    def _too_many(self, limit: int, what: str) -> OrderSheetError:
        return OrderSheetError(
            OrderSheetErrorCode.TOO_MANY_CELLS, limit=limit, what=what, rows=MAX_SHEET_ROWS
        )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        count = self.counts[self.kind] = self.counts[self.kind] + 1
        if self.kind == "bulk" and count > MAX_XML_ELEMENTS:
            raise self._too_many(MAX_XML_ELEMENTS, gettext("cells, texts and other elements"))
        if self.kind == "other" and count > MAX_OTHER_ELEMENTS:
            raise self._too_many(MAX_OTHER_ELEMENTS, gettext("styles, names and other elements"))
        if not count % 8192:
            self.deadline()
        local = name.rpartition(":")[2]
        if local == "row":
            self.rows += 1
            self.row_cells = 0
        elif local == "c":
            self.row_cells += 1
            if self.row_cells > MAX_ROW_CELLS:
                raise OrderSheetError(
                    OrderSheetErrorCode.TOO_MANY_COLUMNS,
                    row=self.rows,
                    limit=MAX_ROW_CELLS,
                    columns=len(COLUMNS),
                )
        elif local == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise self._too_many(MAX_SHARED_STRINGS, gettext("shared texts"))
        elif local == "Override":
            self.overrides[attributes.get("PartName", "").lstrip("/")] = attributes.get(
                "ContentType", ""
            )
        elif local == "Default":
            self.defaults[attributes.get("Extension", "").lower()] = attributes.get(
                "ContentType", ""
            )

    def kind_of(self, name: str) -> str:
        """Say how openpyxl reads the part: as a stream ("bulk") or whole ("other")."""
        extension = name.rpartition(".")[2].lower()
        content_type = self.overrides.get(name, self.defaults.get(extension, ""))
        if name != _STYLES_PART and content_type.endswith(_BULK_TYPES):
            return "bulk"
        return "other"

    def scan(self, part: IO[bytes], kind: str) -> None:
        """Read one member through expat, counting; a part that is not XML is left alone."""
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        # An xlsx declares no document type: entities are how XML bombs grow.
        parser.StartDoctypeDeclHandler = _no_document_type
        self.kind = kind
        self.rows = self.row_cells = 0
        try:
            while chunk := part.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return  # not XML: openpyxl cannot read it either


def _no_document_type(*args: Any) -> None:
    raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK)


def _scan_parts(source: IO[bytes], deadline: Callable[[], None]) -> None:
    """Refuse a package whose XML would cost too much to parse, before openpyxl parses any."""
    scan = _PartScan(deadline)
    manifest = "[Content_Types].xml"
    try:
        with zipfile.ZipFile(source) as archive:
            # The manifest first: it says which parts are worksheets and shared texts.
            members = sorted(archive.infolist(), key=lambda member: member.filename != manifest)
            for member in members:
                with archive.open(member) as part:
                    kind = "other" if member.filename == manifest else scan.kind_of(member.filename)
                    scan.scan(part, kind)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
        # A bad checksum, an encrypted member, a compression zipfile does not know.
        raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK) from exc
    finally:
        source.seek(0)


def _deadline(clock: Callable[[], float]) -> Callable[[], None]:
    """Return a check that refuses the file once MAX_READ_SECONDS have passed since now."""
    ends = clock() + MAX_READ_SECONDS

    def check() -> None:
        if clock() > ends:
            raise OrderSheetError(OrderSheetErrorCode.TOO_SLOW, seconds=int(MAX_READ_SECONDS))

    return check


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a SKU number Excel turned into a number
    return str(value).strip()


def _quantity(value: Any) -> int | tuple[str, dict[str, Any]] | None:
    """Return the whole quantity of a cell, None when empty, or (problem code, params)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = _text(value)[:40]
    if isinstance(value, bool):
        return RowProblemCode.NOT_A_WHOLE_NUMBER, {"value": shown}
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float | Decimal | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return RowProblemCode.NOT_A_WHOLE_NUMBER, {"value": shown}
        if not number.is_finite():
            return RowProblemCode.NOT_A_WHOLE_NUMBER, {"value": shown}
    else:  # a date, a time, an error value
        return RowProblemCode.NOT_A_WHOLE_NUMBER, {"value": shown}
    # Compare as Decimal first: int() of "1e999999" would build a huge number.
    if number < 0:
        return RowProblemCode.NEGATIVE, {"value": shown}
    if number > MAX_LINE_QUANTITY:
        return RowProblemCode.TOO_LARGE, {"value": shown, "limit": MAX_LINE_QUANTITY}
    if number != number.to_integral_value():
        return RowProblemCode.NOT_A_WHOLE_NUMBER, {"value": shown}
    return int(number)


def _is_heading(values: Sequence[Any]) -> bool:
    found = [_text(value).casefold() for value in values]
    return found == [title.casefold() for title in COLUMNS]


def order_sheet_read(
    source: IO[bytes], *, clock: Callable[[], float] = time.monotonic
) -> ReadSheet:
    """Read a filled order sheet: its reference, its lines, and every bad row.

    Refuses the file as a whole (OrderSheetError) when it is too large or too complex to read,
    not an xlsx workbook, or has no heading row of the sheet's columns; row problems are
    returned, not raised.
    """
    deadline = _deadline(clock)
    _check_archive(source)
    _scan_parts(source, deadline)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK) from exc
    try:
        if not workbook.worksheets:
            raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(
            min_row=1,
            max_row=HEADER_SEARCH_ROWS + MAX_SHEET_ROWS + 1,
            max_col=len(COLUMNS),
            values_only=True,
        )
        return _read_rows(enumerate(rows, start=1), deadline)
    except OrderSheetError:
        raise
    except Exception as exc:  # malformed XML shows only while the rows are read
        raise OrderSheetError(OrderSheetErrorCode.NOT_A_WORKBOOK) from exc
    finally:
        workbook.close()


def _read_rows(
    rows: Iterable[tuple[int, Sequence[Any]]], deadline: Callable[[], None]
) -> ReadSheet:
    header: dict[str, str] = {}
    heading: int | None = None
    lines: list[SheetLine] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    sku_rows = 0
    for number, values in rows:
        deadline()
        if heading is None:
            if _is_heading(values):
                heading = number
            elif number >= HEADER_SEARCH_ROWS:
                break
            elif _text(values[0]) and values[1] is not None:
                header.setdefault(_text(values[0])[:60], _text(values[1])[:200])
            continue
        if number - heading > MAX_SHEET_ROWS:
            if any(value is not None and _text(value) for value in values):
                raise OrderSheetError(OrderSheetErrorCode.TOO_MANY_ROWS, limit=MAX_SHEET_ROWS)
            continue
        sku_number = _text(values[SKU_COLUMN])[:60]
        if sku_number:
            sku_rows += 1
        quantity = _quantity(values[QUANTITY_COLUMN])
        if quantity is None or quantity == 0:
            continue
        if isinstance(quantity, tuple):
            code, params = quantity
            problems.append(RowProblem(number, sku_number, "quantity", code, params))
            continue
        if not sku_number:
            problems.append(RowProblem(number, "", "sku_number", RowProblemCode.MISSING_SKU, {}))
            continue
        if sku_number in first_row:
            problems.append(
                RowProblem(
                    number,
                    sku_number,
                    "sku_number",
                    RowProblemCode.DUPLICATE_SKU,
                    {"first": first_row[sku_number]},
                )
            )
            continue
        first_row[sku_number] = number
        lines.append(SheetLine(row=number, sku_number=sku_number, quantity=quantity))
    if heading is None:
        raise OrderSheetError(OrderSheetErrorCode.WRONG_COLUMNS, columns=", ".join(COLUMNS))
    return ReadSheet(header=header, lines=lines, problems=problems, sku_rows=sku_rows)


# --- Checking the rows against the catalog ------------------------------------------------------


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
