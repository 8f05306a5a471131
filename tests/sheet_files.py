"""Fill order sheets as a person would in Excel, for the import tests."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl import load_workbook

from linesheet.ordering.order_sheets import COLUMNS, HEADER_ROW

SKU_COLUMN = COLUMNS.index("SKU number") + 1
QUANTITY_COLUMN = COLUMNS.index("Quantity") + 1


def filled_sheet(
    data: bytes,
    quantities: Mapping[str, Any],
    *,
    typed_rows: Mapping[str, Any] | None = None,
) -> bytes:
    """Return the sheet with quantities typed next to the SKU numbers they name.

    `typed_rows` adds rows below the SKUs: {sku number as typed: quantity}, as if someone
    unprotected the sheet and typed in SKUs of their own.
    """
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    rows = {
        sheet.cell(row=row, column=SKU_COLUMN).value: row
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
    }
    for number, quantity in quantities.items():
        sheet.cell(row=rows[number], column=QUANTITY_COLUMN).value = quantity
    row = sheet.max_row
    for number, quantity in (typed_rows or {}).items():
        row += 1
        sheet.cell(row=row, column=SKU_COLUMN).value = number
        sheet.cell(row=row, column=QUANTITY_COLUMN).value = quantity
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_row_of(data: bytes, sku_number: str) -> int:
    """Return the Excel row of a SKU on the sheet."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(values) >= SKU_COLUMN and values[SKU_COLUMN - 1] == sku_number:
            return number
    raise LookupError(sku_number)


# --- Hostile files: a real order sheet with one part made to cost -------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _package(parts: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_rows(data: bytes, rows: bytes) -> bytes:
    """Return the sheet with `rows` (XML <row> elements) after its own rows."""
    parts = _parts(data)
    parts[SHEET_PART] = parts[SHEET_PART].replace(b"</sheetData>", rows + b"</sheetData>")
    return _package(parts)


def wide_row(data: bytes, cells: int) -> bytes:
    """One row below the sheet's with `cells` cells: each costs openpyxl an object."""
    return with_rows(data, b'<row r="20000">' + b"<c><v>1</v></c>" * cells + b"</row>")


NUMBER_CELL = b"<c><v>1</v></c>"
TEXT_CELL = b'<c t="inlineStr"><is><t>x</t></is></c>'


def rows_of_cells(data: bytes, rows: int, cells: int, cell: bytes = NUMBER_CELL) -> bytes:
    """`rows` rows of `cells` cells each (numbers, or `cell`), after the sheet's own rows."""
    row = cell * cells
    return with_rows(data, b"".join(b"<row>" + row + b"</row>" for _ in range(rows)))


def with_shared_strings(data: bytes, count: int, text: bytes = b"a") -> bytes:
    """A shared-strings table of `count` texts, which openpyxl reads whole when it opens."""
    parts = _parts(data)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="{count}">'.encode()
        + (b"<si><t>" + text + b"</t></si>") * count
        + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
        + SHARED_STRINGS_TYPE.encode()
        + b'"/></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="'
        + SHARED_STRINGS_RELATION.encode()
        + b'" Target="sharedStrings.xml"/></Relationships>',
    )
    return _package(parts)


def with_styles(data: bytes, count: int) -> bytes:
    """A styles part of `count` cell formats, which openpyxl reads whole when it opens."""
    parts = _parts(data)
    styles = parts["xl/styles.xml"]
    formats = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
    parts["xl/styles.xml"] = re.sub(
        rb"<cellXfs[^>]*>", lambda m: m.group(0) + formats, styles, count=1
    )
    return _package(parts)


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package with a part replaced (or added)."""
    parts = _parts(data)
    parts[name] = content
    return _package(parts)


def entity_bomb(data: bytes) -> bytes:
    """The workbook part declaring entities that expand a billion times (billion laughs)."""
    declarations = b'<!ENTITY a0 "lol">' + b"".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">'.encode() for n in range(1, 10)
    )
    parts = _parts(data)
    workbook = parts["xl/workbook.xml"]
    start = workbook.index(b"<workbook")
    parts["xl/workbook.xml"] = (
        workbook[:start] + b"<!DOCTYPE workbook [" + declarations + b"]>" + workbook[start:]
    )
    return _package(parts)


def with_defined_names(data: bytes, count: int) -> bytes:
    """The workbook part with `count` defined names, which openpyxl reads into objects."""
    parts = _parts(data)
    names = b"".join(
        b'<definedName name="n%d">Sheet!$A$1</definedName>' % number for number in range(count)
    )
    workbook = parts["xl/workbook.xml"]
    end = workbook.index(b"</workbook>")
    parts["xl/workbook.xml"] = (
        workbook[:end] + b"<definedNames>" + names + b"</definedNames>" + workbook[end:]
    )
    return _package(parts)


def long_text(data: bytes, characters: int) -> bytes:
    """One cell below the sheet's rows holding a text of `characters` characters."""
    text = b"x" * characters
    return with_rows(data, b'<row><c t="inlineStr"><is><t>' + text + b"</t></is></c></row>")


_EMPTY_QUANTITY = re.compile(rb'<c r="G(\d+)"([^>]*?) ?/>')


def every_quantity_filled(data: bytes) -> bytes:
    """The blank sheet with 1 typed into every quantity cell (fast for a sheet of any size)."""
    parts = _parts(data)
    parts[SHEET_PART] = _EMPTY_QUANTITY.sub(rb'<c r="G\1"\2><v>1</v></c>', parts[SHEET_PART])
    return _package(parts)
