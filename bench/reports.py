"""Reports: analytics over a year, the Excel export of ~100,000 lines, a 5,000-row sheet import.

- Analytics by SKU over the last 365 days, as the Brand App page computes it (the report and
  the period's returns, rendered) and as the API answers it; median of a few runs. The API
  also with one past month changed before each run, and with no month summed yet.
- The Order Management export of a date range holding about 100,000 lines, run in a fresh
  Python process so its peak memory (max RSS) is its own; the stream goes to /dev/null.
- An order sheet of a 5,000-SKU catalog, every quantity filled, imported as an order.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Sum
from django.db.models.functions import TruncDate
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bench.data import STAFF_EMAIL, DataSet
from bench.measure import Row, captured_queries, in_child, median, peak_rss_mb, query_count, timings
from linesheet.accounts.models import Brand, Buyer, User
from linesheet.catalog.models import SKU, Catalog, CatalogStatus, Product
from linesheet.core.clock import day_start
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import Order, OrderLine
from linesheet.ordering.order_sheets import HEADER_ROW, QUANTITY_COLUMN
from linesheet.ordering.selectors import OrderFilters, orders_of_brand
from linesheet.ordering.services import (
    SheetImport,
    order_import_sheet,
    order_reject,
    order_sheet_export,
)
from linesheet.ordering.statuses import LIVE_WITH_OC
from linesheet.reporting.models import AnalyticsMonth, AnalyticsMonthSum

SECTION = "reports"
ANALYTICS_DAYS = 365
ANALYTICS_RUNS = 5
ANALYTICS_TARGET_SECONDS = 1.0
EXPORT_LINES = 100_000
EXPORT_RUNS = 3
EXPORT_TARGET_SECONDS = 30.0
EXPORT_TARGET_MB = 200.0
# The loader's catalogs are S01..S50 with SKUs "S01-000-BLA-S"; these codes never meet them.
IMPORT_CATALOG_CODE = "SHEET-5000"
IMPORT_PRODUCTS, IMPORT_SIZES = 500, 10
IMPORT_RUNS = 3
IMPORT_TARGET_SECONDS = 5.0


def run(data: DataSet) -> list[Row]:
    brand = Brand.objects.get(pk=data.brand_id)
    return [*_analytics(data), *_export(brand), _import(brand)]


# --- Analytics ----------------------------------------------------------------------------------


def _get(client: Client, url: str, query: dict[str, str]) -> bytes:
    response = client.get(url, query)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response.content


def _queries(action: Callable[[], object]) -> list[dict[str, Any]]:
    """Return each statement `action` sends: its time in ms and its first words."""
    return [
        {"ms": round(float(query["time"]) * 1000, 1), "sql": query["sql"][:160]}
        for query in captured_queries(action)
    ]


def _analytics_row(
    what: str,
    action: Callable[[], object],
    *,
    before: Callable[[], object] | None = None,
    targeted: bool = True,
    key: str = "",
) -> Row:
    """Time `action` a few times, after `before` each time when given (untimed).

    `targeted` is false for a figure shown beside the target but not held to it.
    """
    print(f"  {what}", flush=True)
    if before is not None:
        before()
    queries = _queries(action)
    durations = []
    for _ in range(ANALYTICS_RUNS):
        if before is not None:
            before()
        durations += timings(action, repeat=1, warmup=0)
    value = median(durations)
    return Row(
        SECTION,
        what,
        value,
        "s",
        target=f"median < {ANALYTICS_TARGET_SECONDS:g} s" if targeted else "",
        met=value < ANALYTICS_TARGET_SECONDS if targeted else None,
        key=key,
        details={
            "runs_s": [round(d, 3) for d in durations],
            "queries": len(queries),
            "query_ms": queries,
        },
    )


def _forget_months(brand_id: int) -> Callable[[], None]:
    """Return what empties the brand's cached months, so that every month is summed again."""

    def forget() -> None:
        AnalyticsMonthSum.objects.filter(brand_id=brand_id).delete()
        AnalyticsMonth.objects.filter(brand_id=brand_id).delete()

    return forget


def _change_a_month(brand_id: int, start: datetime.date) -> Callable[[], None]:
    """Return what changes one order of a month six months into the period, as an OC would."""
    month = (start + datetime.timedelta(days=190)).replace(day=1)

    def change() -> None:
        order = (
            Order.objects.filter(
                brand_id=brand_id,
                status__in=LIVE_WITH_OC,
                placed_at__gte=day_start(month),
                placed_at__lt=day_start(month + datetime.timedelta(days=20)),
            )
            .order_by("placed_at")
            .first()
        )
        assert order is not None
        Order.objects.filter(pk=order.pk).update(sums_revision=F("sums_revision") + 1)

    return change


def _analytics(data: DataSet) -> list[Row]:
    """The year by SKU: the Brand App page (report and returns) and the API.

    Each is timed with every past month summed already, the API also with one month changed
    since (one month summed again) and with none summed yet (the first view of the year).
    """
    today = timezone.localdate()
    start = today - datetime.timedelta(days=ANALYTICS_DAYS - 1)
    query = {"by": "sku", "from": start.isoformat(), "to": today.isoformat()}
    page = Client()
    page.force_login(User.objects.get(email=STAFF_EMAIL))
    api = Client(headers={"authorization": f"Bearer {data.staff_token}"})
    page_url = reverse("brand-analytics", args=[data.brand_slug])
    api_url = reverse("api-brand-analytics-orders", args=[data.brand_slug])
    answer = json.loads(_get(api, api_url, query))
    rows = [
        _analytics_row(
            f"analytics by SKU, {ANALYTICS_DAYS} days: Brand App page",
            lambda: _get(page, page_url, query),
        ),
        _analytics_row(
            f"analytics by SKU, {ANALYTICS_DAYS} days: API", lambda: _get(api, api_url, query)
        ),
        _analytics_row(
            f"analytics by SKU, {ANALYTICS_DAYS} days: API, one month changed",
            lambda: _get(api, api_url, query),
            before=_change_a_month(data.brand_id, start),
            key="analytics:changed",
        ),
        _analytics_row(
            f"analytics by SKU, {ANALYTICS_DAYS} days: API, no month summed yet",
            lambda: _get(api, api_url, query),
            before=_forget_months(data.brand_id),
            # Once per month and brand: `sum_analytics_months` does it nightly, ahead of views.
            targeted=False,
        ),
    ]
    if json.loads(_get(api, api_url, query)) != answer:
        raise RuntimeError("analytics answered differently once its months were summed again")
    rows[0].details["figures"] = {
        "rows": len(answer["results"]),
        # By SKU an order has one line per row, so the rows' orders add up to the lines summed.
        "lines_summed": sum(result["orders"] for result in answer["results"]),
        "totals": [
            {"orders": t["orders"], "quantity": t["quantity"], "amount": t["amount"]}
            for t in answer["totals"]
        ],
    }
    return rows


# --- Excel export -------------------------------------------------------------------------------


def _export_days(brand: Brand) -> tuple[OrderFilters, int, int]:
    """Return the search of the fewest whole days up to yesterday holding EXPORT_LINES lines.

    Returns the filters (archived orders left out, as the search does by default), the orders
    they find and the rows their export has.
    """
    last = timezone.localdate() - datetime.timedelta(days=1)
    per_day = (
        orders_of_brand(brand=brand, filters=OrderFilters(placed_to=last))
        .annotate(day=TruncDate("placed_at"))
        .values("day")
        .annotate(day_lines=Sum("line_count"))
        .order_by("-day")
        .values_list("day", "day_lines")
    )
    first, lines = last, 0
    for day, day_lines in per_day:
        first, lines = day, lines + day_lines
        if lines >= EXPORT_LINES:
            break
    filters = OrderFilters(placed_from=first, placed_to=last)
    orders = orders_of_brand(brand=brand, filters=filters)
    found = orders.aggregate(orders=Count("id"), lines=Sum("line_count"))
    # A SKU the OC added is a row of its own (see order_line_rows).
    in_the_order = OrderLine.objects.filter(
        order=OuterRef("confirmation__order"), sku=OuterRef("sku")
    )
    added = (
        OrderConfirmationLine.objects.filter(confirmation__order__in=orders)
        .exclude(Exists(in_the_order))
        .count()
    )
    return filters, found["orders"], (found["lines"] or 0) + added


def export_in_child(spec_json: str) -> None:
    """Export the orders the spec's days hold to /dev/null; print time, size and max RSS."""
    from linesheet.reporting.order_export import orders_xlsx

    spec = json.loads(spec_json)
    brand = Brand.objects.get(pk=spec["brand_id"])
    filters = OrderFilters(
        placed_from=datetime.date.fromisoformat(spec["from"]),
        placed_to=datetime.date.fromisoformat(spec["to"]),
    )
    report: dict[str, Any] = {}
    if spec["export"]:
        size = 0
        started = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            for piece in orders_xlsx(
                orders=orders_of_brand(brand=brand, filters=filters), time_zone=brand.time_zone
            ):
                size += sink.write(piece)
        report["seconds"] = time.perf_counter() - started
        report["bytes"] = size
    report["peak_mb"] = peak_rss_mb()
    print(json.dumps(report))


def _export(brand: Brand) -> list[Row]:
    """Time the export and take its peak RSS, beside a child that only sets Django up."""
    filters, orders, lines = _export_days(brand)
    assert filters.placed_from is not None and filters.placed_to is not None
    days = {"from": filters.placed_from.isoformat(), "to": filters.placed_to.isoformat()}
    print(
        f"  export of {lines:,} lines ({orders:,} orders, {days['from']} to {days['to']})",
        flush=True,
    )
    spec = {"brand_id": brand.pk, **days}
    setup_only = in_child("bench.reports:export_in_child", {**spec, "export": False})["peak_mb"]
    runs = [
        in_child("bench.reports:export_in_child", {**spec, "export": True})
        for _ in range(EXPORT_RUNS)
    ]
    seconds = median([r["seconds"] for r in runs])
    peak = max(r["peak_mb"] for r in runs)
    details = {
        "filters": {"placed_from": days["from"], "placed_to": days["to"]},
        "orders": orders,
        "lines": lines,
        "runs_s": [round(r["seconds"], 2) for r in runs],
        "file_mb": round(runs[0]["bytes"] / 2**20, 1),
        "peak_rss_mb": [round(r["peak_mb"], 1) for r in runs],
        "setup_only_rss_mb": round(setup_only, 1),
        "export_share_mb": round(peak - setup_only, 1),
    }
    what = f"Excel export of {lines:,} lines"
    return [
        Row(
            SECTION,
            f"{what}: time",
            seconds,
            "s",
            target=f"< {EXPORT_TARGET_SECONDS:g} s",
            met=seconds < EXPORT_TARGET_SECONDS,
            key="export:time",
            details=details,
        ),
        Row(
            SECTION,
            f"{what}: peak RSS",
            peak,
            "MB",
            baseline=setup_only,
            baseline_label="Django set up, no export",
            ratio=peak / setup_only,
            target=f"< {EXPORT_TARGET_MB:g} MB peak",
            met=peak < EXPORT_TARGET_MB,
            key="export:peak",
        ),
    ]


# --- Excel import -------------------------------------------------------------------------------


def _import_catalog(brand: Brand) -> Catalog:
    """Return the brand's 5,000-SKU catalog for the import, made on the first run."""
    catalog, created = Catalog.objects.get_or_create(
        brand=brand,
        code=IMPORT_CATALOG_CODE,
        defaults={"name": "Sheet import", "currency": "EUR", "status": CatalogStatus.OPEN},
    )
    if created:
        products = Product.objects.bulk_create(
            Product(
                brand=brand,
                catalog=catalog,
                model_number=f"{IMPORT_CATALOG_CODE}-{p:03d}",
                name=f"Sheet style {p:03d}",
            )
            for p in range(IMPORT_PRODUCTS)
        )
        SKU.objects.bulk_create(
            (
                SKU(
                    brand=brand,
                    product=product,
                    sku_number=f"{product.model_number}-{s}",
                    color=("Black", "Navy")[s % 2],
                    size=str(36 + s // 2),
                    retail_price=Decimal("99.90"),
                    position=s,
                )
                for product in products
                for s in range(IMPORT_SIZES)
            ),
            batch_size=5_000,
        )
    return catalog


def _filled_sheet(catalog: Catalog) -> bytes:
    """Download the catalog's order sheet and fill in every quantity."""
    workbook = load_workbook(io.BytesIO(order_sheet_export(catalog=catalog)))
    sheet = workbook.active
    assert sheet is not None
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        sheet.cell(row=row, column=QUANTITY_COLUMN + 1).value = row % 9 + 1
    filled = io.BytesIO()
    workbook.save(filled)
    return filled.getvalue()


def _import(brand: Brand) -> Row:
    catalog = _import_catalog(brand)
    # An offline buyer: no organisation, so no cart or Buyer App pair is touched.
    buyer = Buyer.objects.filter(brand=brand, organization=None).order_by("id").first()
    assert buyer is not None
    content = _filled_sheet(catalog)
    print(f"  import of a {len(content) // 1024} KB sheet", flush=True)
    imported: list[SheetImport] = []

    def import_once() -> None:
        imported.append(
            order_import_sheet(
                buyer=buyer, source=io.BytesIO(content), file_name="bench.xlsx", placed_by=None
            )
        )

    queries = query_count(import_once)
    durations = timings(import_once, repeat=IMPORT_RUNS, warmup=0)
    value = median(durations)
    # Rejected, the 5,000-line orders leave the live orders that a later run's analytics sum.
    for result in imported:
        order_reject(order_id=result.order.pk, actor=None, notify=False)
    return Row(
        SECTION,
        f"Excel sheet import of {imported[0].lines:,} rows",
        value,
        "s",
        target=f"median < {IMPORT_TARGET_SECONDS:g} s",
        met=value < IMPORT_TARGET_SECONDS,
        key="import",
        details={
            "runs_s": [round(d, 3) for d in durations],
            "queries": queries,
            "sheet_kb": len(content) // 1024,
        },
    )
