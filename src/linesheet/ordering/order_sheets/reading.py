"""Reading a filled sheet back: the upload bounded before openpyxl parses it, then its rows.

See the package's docstring for the limits and why they bound the cost of any upload."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext
from openpyxl import load_workbook

from linesheet.ordering.models import MAX_LINE_QUANTITY
from linesheet.ordering.order_sheets.errors import (
    OrderSheetError,
    OrderSheetErrorCode,
    RowProblem,
    RowProblemCode,
)
from linesheet.ordering.order_sheets.layout import (
    COLUMNS,
    HEADER_SEARCH_ROWS,
    QUANTITY_COLUMN,
    REFERENCE_LABEL,
    SKU_COLUMN,
)

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
# (read as a stream, cheap each), of the shared-text table (read whole when the file opens),
# and of every other part (the workbook, its styles, names and manifest: read whole into
# objects, costlier each). What the limits cost is measured in docs/reliability.md.
MAX_XML_ELEMENTS = 500_000
MAX_SHARED_STRINGS = 60_000
MAX_OTHER_ELEMENTS = 30_000
MAX_READ_SECONDS = 20.0  # a safety net: the counts above keep reading well inside it


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
