"""What reading an uploaded order sheet costs: the largest files accepted, and attacks refused.

Each file is read by `order_sheet_read` in a process of its own, which reports its peak memory
(resident set, Django and openpyxl loaded) and the seconds the read took; the table is printed
(`pytest -s`). The attacks are the ones found against the import: a row of 2.5 million cells,
a shared-text table of 55 MB, and their kin; each must be refused with its code, cheaply. The
accepted files are the largest of each kind the limits let through: they must be read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from linesheet.ordering.order_sheets import (
    MAX_OTHER_ELEMENTS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ROWS,
    SheetSku,
    order_sheet_build,
)
from tests import sheet_files as files
from tests.unit.ordering.test_order_sheets import CATALOG


def blank(skus: int = 3) -> bytes:
    return order_sheet_build(
        catalog=CATALOG,
        skus=(
            SheetSku(f"M{n // 10}", f"Model {n // 10}", f"S-{n}", "Black", "40", Decimal("9.5"))
            for n in range(skus)
        ),
    )


def every_limit_at_once() -> bytes:
    """Shared texts, other elements and 32-cell rows of text, each just under its limit."""
    strings = MAX_SHARED_STRINGS - 100
    data = files.with_shared_strings(blank(), strings)
    data = files.with_defined_names(data, MAX_OTHER_ELEMENTS - 1_000)
    # What is left of the worksheets' budget, in rows of 32 text cells (97 elements each).
    rows = (500_000 - 2 * strings - 1_000) // 97
    return files.rows_of_cells(data, rows, 32, files.TEXT_CELL)


ACCEPTED: dict[str, Callable[[], bytes]] = {
    f"order sheet of {MAX_SHEET_ROWS:,} SKUs, all filled": lambda: files.every_quantity_filled(
        blank(MAX_SHEET_ROWS)
    ),
    "every count just under its limit": every_limit_at_once,
    "a text of 15 MB in one cell": lambda: files.long_text(blank(), 15_000_000),
}
REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "a row of 2,500,000 cells": (lambda: files.wide_row(blank(), 2_500_000), "file_too_large"),
    "a row of 33 cells": (lambda: files.wide_row(blank(), 33), "too_many_columns"),
    "55 MB of shared texts": (
        lambda: files.with_shared_strings(blank(), 3_200_000),
        "file_too_large",
    ),
    "60,000 shared texts and more": (
        lambda: files.with_shared_strings(blank(), MAX_SHARED_STRINGS + 1),
        "too_many_cells",
    ),
    "250,000 cell styles": (lambda: files.with_styles(blank(), 250_000), "too_many_cells"),
    "200,000 defined names": (
        lambda: files.with_defined_names(blank(), 200_000),
        "too_many_cells",
    ),
    "600,000 rows of one cell": (
        lambda: files.rows_of_cells(blank(), 600_000, 1),
        "too_many_cells",
    ),
    "a billion laughs": (lambda: files.entity_bomb(blank()), "not_a_workbook"),
}

# The peak resident set from /proc (VmHWM): getrusage's ru_maxrss would keep the peak of
# the forked test process the child was made from.
CHILD = """
import io, json, sys, time
import django
django.setup()
from linesheet.ordering.order_sheets import OrderSheetError, order_sheet_read

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
before = peak_mb()
started = time.perf_counter()
try:
    sheet = order_sheet_read(io.BytesIO(data))
    outcome = f"read: {len(sheet.lines)} lines"
except OrderSheetError as error:
    outcome = error.code
print(json.dumps({
    "outcome": outcome,
    "seconds": time.perf_counter() - started,
    "before_mb": before,
    "peak_mb": peak_mb(),
}))
"""


def read_in_a_child(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        env={"DJANGO_SETTINGS_MODULE": "linesheet.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(result.stdout))


def _row(name: str, size: int, figures: dict[str, object]) -> str:
    return (
        f"{name:<42} {size / 1024:>8.0f} KB {figures['outcome']!s:<22} "
        f"{figures['seconds']:>6.2f} s {figures['peak_mb']:>6.0f} MB peak "
        f"({figures['before_mb']:.0f} MB before)"
    )


def test_the_largest_files_accepted_are_read_and_the_attacks_refused(tmp_path: Path) -> None:
    lines = []
    wrong = {}
    for name, build in ACCEPTED.items():
        path = tmp_path / "sheet.xlsx"
        path.write_bytes(build())
        figures = read_in_a_child(path)
        lines.append(_row(name, path.stat().st_size, figures))
        if not str(figures["outcome"]).startswith("read"):
            wrong[name] = figures["outcome"]
    for name, (build, code) in REFUSED.items():
        path = tmp_path / "sheet.xlsx"
        path.write_bytes(build())
        figures = read_in_a_child(path)
        lines.append(_row(name, path.stat().st_size, figures))
        if figures["outcome"] != code:
            wrong[name] = figures["outcome"]

    print("\nreading an uploaded order sheet, each in a process of its own:")
    print("\n".join(lines))
    assert wrong == {}


@pytest.mark.parametrize("name", list(REFUSED))
def test_each_attack_is_refused_in_process(name: str) -> None:
    """The same refusals without a process each, so a failure shows its traceback."""
    import io

    from linesheet.ordering.order_sheets import OrderSheetError, order_sheet_read

    build, code = REFUSED[name]
    with pytest.raises(OrderSheetError) as refused:
        order_sheet_read(io.BytesIO(build()))

    assert refused.value.code == code
