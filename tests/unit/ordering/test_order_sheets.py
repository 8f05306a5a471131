"""The Excel order sheet: built for a catalog, filled in, read back row by row. No database."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from linesheet.ordering.models import MAX_LINE_QUANTITY
from linesheet.ordering.order_sheets import (
    COLUMNS,
    HEADER_ROW,
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_SHEET_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    OrderSheetError,
    OrderSheetRowsInvalid,
    RowProblem,
    SheetCatalog,
    SheetLine,
    SheetSku,
    SkuStanding,
    order_sheet_build,
    order_sheet_filename,
    order_sheet_read,
    sheet_reference_parse,
    sheet_rows_check,
)

CATALOG = SheetCatalog(
    brand_id=3,
    brand_name="Atelier",
    catalog_id=41,
    name="Spring Summer 2027",
    code="SS27",
    currency="EUR",
    order_deadline=datetime.date(2027, 3, 1),
)
SKUS = [
    SheetSku("M1", "Linen shirt", "M1-BLK-S", "Black", "S", Decimal("120.00")),
    SheetSku("M1", "Linen shirt", "M1-BLK-M", "Black", "M", Decimal("120.00")),
    SheetSku("M2", "Wool coat", "00123", "Camel", "40", Decimal("480.50")),
]
FIRST = HEADER_ROW + 1  # the Excel row of the first SKU


def blank() -> bytes:
    return order_sheet_build(catalog=CATALOG, skus=SKUS)


def filled(
    data: bytes, quantities: Mapping[int, Any], skus: Mapping[int, Any] | None = None
) -> io.BytesIO:
    """Type values into the sheet as a person would: quantities (and SKU cells) by Excel row."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    for row, value in quantities.items():
        sheet.cell(row=row, column=COLUMNS.index("Quantity") + 1).value = value
    for row, value in (skus or {}).items():
        sheet.cell(row=row, column=COLUMNS.index("SKU number") + 1).value = value
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def refusal_code(source: io.BytesIO) -> str:
    with pytest.raises(OrderSheetError) as refusal:
        order_sheet_read(source)
    return refusal.value.code


def codes(problems: list[RowProblem]) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.sku_number, problem.code) for problem in problems]


# --- Building ---------------------------------------------------------------------------------


def test_a_built_sheet_reads_back_with_the_quantities_typed_in() -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: 3, FIRST + 2: 12}))

    assert sheet.lines == [SheetLine(FIRST, "M1-BLK-S", 3), SheetLine(FIRST + 2, "00123", 12)]
    assert sheet.problems == []
    assert sheet.sku_rows == 3
    assert sheet_reference_parse(sheet.reference) == (3, 41)


def test_the_header_names_the_brand_and_the_catalog_with_its_code_currency_and_deadline() -> None:
    sheet = load_workbook(io.BytesIO(blank())).active
    assert sheet is not None
    header = {
        sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=2).value
        for row in range(2, 8)
    }

    assert header["Brand"] == "Atelier"
    assert header["Catalog"] == "Spring Summer 2027"
    assert header["Catalog code"] == "SS27"
    assert header["Currency"] == "EUR"
    assert header["Order deadline"] == datetime.datetime(2027, 3, 1)
    assert [cell.value for cell in sheet[HEADER_ROW]] == list(COLUMNS)
    assert [cell.value for cell in sheet[FIRST + 2]] == [
        "M2", "Wool coat", "00123", "Camel", "40", Decimal("480.5"), None
    ]  # fmt: skip


def test_only_the_quantity_column_is_editable_and_the_sheet_is_protected() -> None:
    workbook = load_workbook(io.BytesIO(blank()))
    sheet = workbook.active
    assert sheet is not None

    assert sheet.protection.sheet is True
    assert workbook.security is not None and workbook.security.lockStructure
    for row in range(1, FIRST + len(SKUS)):
        for column in range(1, len(COLUMNS) + 1):
            editable = row >= FIRST and column == len(COLUMNS)
            assert sheet.cell(row=row, column=column).protection.locked is not editable


def test_the_quantity_column_accepts_only_whole_numbers_from_zero() -> None:
    sheet = load_workbook(io.BytesIO(blank())).active
    assert sheet is not None

    [validation] = sheet.data_validations.dataValidation
    assert (validation.type, validation.operator) == ("whole", "between")
    assert (validation.formula1, validation.formula2) == ("0", str(MAX_LINE_QUANTITY))
    assert str(validation.sqref) == f"G{FIRST}:G{FIRST + len(SKUS) - 1}"


def test_the_columns_have_widths_and_the_headings_stay_in_view() -> None:
    sheet = load_workbook(io.BytesIO(blank())).active
    assert sheet is not None

    assert all(sheet.column_dimensions[letter].width >= 9 for letter in "ABCDEFG")
    assert sheet.freeze_panes == f"A{FIRST}"


def test_a_download_name_is_safe_whatever_the_catalog_code() -> None:
    assert order_sheet_filename(code="SS27") == "order-sheet-SS27.xlsx"
    assert order_sheet_filename(code='AW/27 "main"') == "order-sheet-AW-27-main.xlsx"
    assert order_sheet_filename(code="///") == "order-sheet-catalog.xlsx"


# --- Reading rows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("two", "not_a_whole_number"),
        (2.5, "not_a_whole_number"),
        ("1,5", "not_a_whole_number"),
        (True, "not_a_whole_number"),
        (datetime.datetime(2027, 1, 2), "not_a_whole_number"),
        (-3, "negative"),
        ("-1", "negative"),
        (MAX_LINE_QUANTITY + 1, "too_large"),
        ("1e999999", "too_large"),
    ],
)
def test_a_bad_quantity_is_reported_with_its_excel_row_and_sku(typed: Any, code: str) -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: 2, FIRST + 1: typed}))

    assert codes(sheet.problems) == [(FIRST + 1, "M1-BLK-M", code)]
    assert [line.sku_number for line in sheet.lines] == ["M1-BLK-S"]


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: -1, FIRST + 1: "x", FIRST + 2: 0.5}))

    assert [problem.row for problem in sheet.problems] == [FIRST, FIRST + 1, FIRST + 2]
    assert sheet.lines == []


def test_empty_and_zero_quantities_are_no_lines() -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: 0, FIRST + 1: " ", FIRST + 2: 1}))

    assert [line.sku_number for line in sheet.lines] == ["00123"]
    assert sheet.problems == []


def test_whole_numbers_typed_as_text_or_decimals_are_taken() -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: " 4 ", FIRST + 1: 3.0, FIRST + 2: "7.00"}))

    assert [line.quantity for line in sheet.lines] == [4, 3, 7]


def test_a_quantity_on_a_row_without_a_sku_number_is_reported() -> None:
    sheet = order_sheet_read(filled(blank(), {FIRST: 1}, skus={FIRST: None}))

    assert codes(sheet.problems) == [(FIRST, "", "missing_sku")]


def test_a_sku_on_the_sheet_twice_is_reported_on_its_second_row() -> None:
    sheet = order_sheet_read(
        filled(blank(), {FIRST: 1, FIRST + 1: 2}, skus={FIRST + 1: "M1-BLK-S"})
    )

    assert codes(sheet.problems) == [(FIRST + 1, "M1-BLK-S", "duplicate_sku")]
    assert f"row {FIRST}" in sheet.problems[0].message


def test_rows_naming_unknown_foreign_or_retired_skus_are_each_reported() -> None:
    lines = [
        SheetLine(11, "M1-BLK-S", 1),
        SheetLine(12, "NOPE", 1),
        SheetLine(13, "AW-1", 1),
        SheetLine(14, "OLD-1", 1),
    ]
    standings = {
        "M1-BLK-S": SkuStanding(catalog_id=41, catalog_code="SS27", orderable=True),
        "AW-1": SkuStanding(catalog_id=40, catalog_code="AW26", orderable=True),
        "OLD-1": SkuStanding(catalog_id=41, catalog_code="SS27", orderable=False),
    }

    problems = sheet_rows_check(lines=lines, catalog_id=41, skus=standings)

    assert codes(problems) == [
        (12, "NOPE", "unknown_sku"),
        (13, "AW-1", "other_catalog"),
        (14, "OLD-1", "not_orderable"),
    ]
    assert "AW26" in problems[1].message


def test_the_refusal_of_bad_rows_keys_each_problem_by_its_excel_row() -> None:
    problems = [
        RowProblem(14, "B", "quantity", "negative", {"value": "-1"}),
        RowProblem(12, "A", "sku_number", "unknown_sku", {}),
    ]

    refusal = OrderSheetRowsInvalid(problems)

    assert refusal.code == "invalid"
    assert list(refusal.params["errors"]) == ["rows.12.sku_number", "rows.14.quantity"]
    assert [row["row"] for row in refusal.params["rows"]] == [12, 14]
    assert refusal.message.startswith("2 rows")


# --- Refusing the file as a whole ---------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_not_a_workbook() -> None:
    assert refusal_code(io.BytesIO(b"SKU;Quantity\nM1;2\n")) == "not_a_workbook"


def test_a_zip_that_is_not_an_xlsx_is_not_a_workbook() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "hello")
    data.seek(0)

    assert refusal_code(data) == "not_a_workbook"


def test_a_zip_that_only_looks_like_an_xlsx_is_not_a_workbook() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    data.seek(0)

    assert refusal_code(data) == "not_a_workbook"


def test_a_workbook_without_the_sheets_columns_is_refused() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["SKU", "Qty"])
    sheet.append(["M1-BLK-S", 3])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    assert refusal_code(data) == "wrong_columns"


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    assert refusal_code(io.BytesIO(b"\0" * (MAX_FILE_BYTES + 1))) == "file_too_large"


def bare_package(name: str, content: bytes) -> io.BytesIO:
    """A package with the parts a workbook must have and one more, compressed."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(name, content)
    data.seek(0)
    return data


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = bare_package("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1))
    assert len(data.getvalue()) < MAX_FILE_BYTES  # small on the wire

    assert refusal_code(data) == "file_too_large"


def test_a_sheet_with_more_rows_than_the_limit_is_refused() -> None:
    workbook = load_workbook(io.BytesIO(blank()))
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(row=HEADER_ROW + MAX_SHEET_ROWS + 1, column=3, value="FAR-AWAY")
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)

    assert refusal_code(data) == "too_many_rows"


def test_a_file_still_being_read_when_the_time_is_up_is_refused() -> None:
    ticks = iter(range(0, 10_000, 30))  # a clock that moves 30 seconds each time it is read

    with pytest.raises(OrderSheetError) as refused:
        order_sheet_read(filled(blank(), {FIRST: 1}), clock=lambda: float(next(ticks)))

    assert refused.value.code == "too_slow_to_read"
    assert "longer than 20 seconds" in refused.value.message


def test_a_part_over_its_own_limit_is_refused_unread() -> None:
    data = bare_package("xl/sharedStrings.xml", b" " * (MAX_PART_BYTES + 1))

    assert refusal_code(data) == "file_too_large"
