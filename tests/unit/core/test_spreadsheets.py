"""A cell made by xlsx_cell keeps any text as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from linesheet.core.spreadsheets import xlsx_cell

TEXTS = ['=HYPERLINK("http://evil.test","x")', "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "#N/A"]


@pytest.mark.parametrize("text", TEXTS)
def test_text_that_reads_as_a_formula_or_an_error_is_written_as_text(text: str) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("S")
    sheet.append([xlsx_cell(sheet, text), xlsx_cell(sheet, 7)])
    data = io.BytesIO()
    workbook.save(data)

    text_cell, number_cell = next(load_workbook(data).worksheets[0].iter_rows())
    assert (text_cell.data_type, text_cell.value) == ("s", text)
    assert (number_cell.data_type, number_cell.value) == ("n", 7)


def test_control_characters_are_left_out() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("S")

    assert xlsx_cell(sheet, "a\x07b").value == "ab"
