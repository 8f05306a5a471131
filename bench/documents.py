"""Documents: the purchase order PDF of a 5,000-line order, as the task worker renders it.

The order is imported from a filled order sheet of the reports section's 5,000-SKU catalog
(made on its first run), then rendered in a fresh Python process, so that its peak memory
(VmHWM) is its own, beside a child that only sets Django up and reads the lines. The PDF goes
to a temporary file, as the task writes it; the order is rejected afterwards, so later runs'
analytics do not sum it.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from typing import Any

from bench.data import DataSet
from bench.measure import Row, in_child, median, peak_rss_mb
from bench.reports import _filled_sheet, _import_catalog
from linesheet.accounts.models import Brand, Buyer
from linesheet.ordering.services import order_import_sheet, order_reject

SECTION = "documents"
RUNS = 2
TARGET_MB = 300.0


def run(data: DataSet) -> list[Row]:
    brand = Brand.objects.get(pk=data.brand_id)
    buyer = Buyer.objects.filter(brand=brand, organization=None).order_by("id").first()
    assert buyer is not None
    catalog = _import_catalog(brand)
    imported = order_import_sheet(
        buyer=buyer,
        source=io.BytesIO(_filled_sheet(catalog)),
        file_name="bench-documents.xlsx",
        placed_by=None,
    )
    order = imported.order
    try:
        return _pdf(order.pk, imported.lines)
    finally:
        order_reject(order_id=order.pk, actor=None, notify=False)


def render_in_child(spec_json: str) -> None:
    """Render the order's purchase order into a file as the task does; print time, pages, RSS."""
    from pypdf import PdfReader

    from linesheet.ordering.models import Order
    from linesheet.ordering.selectors import order_header
    from linesheet.reporting.order_pdf import order_lines_for_document, purchase_order_pdf

    spec = json.loads(spec_json)
    order = order_header(orders=Order.objects.all(), order_id=spec["order_id"])
    assert order is not None
    lines = order_lines_for_document(order=order)
    report: dict[str, Any] = {"lines": len(lines)}
    if spec["render"]:
        with tempfile.TemporaryFile() as target:
            started = time.perf_counter()
            purchase_order_pdf(order=order, lines=lines, side="brand", target=target)
            report["seconds"] = time.perf_counter() - started
            report["bytes"] = target.tell()
            target.seek(0)
            report["pages"] = len(PdfReader(target).pages)
    report["peak_mb"] = peak_rss_mb()
    print(json.dumps(report))


def _pdf(order_id: int, lines: int) -> list[Row]:
    print(f"  purchase order PDF of {lines:,} lines", flush=True)
    spec = {"order_id": order_id}
    setup_only = in_child("bench.documents:render_in_child", {**spec, "render": False})["peak_mb"]
    runs = [
        in_child("bench.documents:render_in_child", {**spec, "render": True}) for _ in range(RUNS)
    ]
    seconds = median([r["seconds"] for r in runs])
    peak = max(r["peak_mb"] for r in runs)
    details = {
        "lines": lines,
        "pages": runs[0]["pages"],
        "file_mb": round(runs[0]["bytes"] / 2**20, 1),
        "runs_s": [round(r["seconds"], 1) for r in runs],
        "peak_rss_mb": [round(r["peak_mb"], 1) for r in runs],
        "setup_only_rss_mb": round(setup_only, 1),
    }
    what = f"order PDF of {lines:,} lines"
    return [
        Row(SECTION, f"{what}: time", seconds, "s", key="documents:pdf:time", details=details),
        Row(
            SECTION,
            f"{what}: peak RSS",
            peak,
            "MB",
            baseline=setup_only,
            baseline_label="Django set up, lines read",
            ratio=peak / setup_only,
            target=f"< {TARGET_MB:g} MB peak",
            met=peak < TARGET_MB,
            key="documents:pdf:peak",
        ),
    ]
