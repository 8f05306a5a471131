"""No text a user typed becomes a formula in any workbook the app writes.

Every name, code, colour and size of the world is text Excel would run or misread if it were
written as a formula or an error value. Every route of the URL configuration is opened by its
rightful user; each answer that is a workbook (whatever writes it: the order sheet, the
exports, any added later) must hold that text as text, in cells that are neither formulas nor
error values.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from linesheet.accounts.models import Brand, Buyer, BuyerOrganization
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.documents.models import OrderConfirmationLine
from linesheet.ordering.models import OrderLine
from tests.integration.security.requests import (
    content_of,
    full_url,
    rightful,
    world_in_transaction,
)
from tests.integration.security.routes import PUBLIC, all_routes
from tests.integration.security.world import World

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.test","click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "#REF!",
]
# Every text column of what the workbooks show, set to the formulas in turn.
TYPED: list[tuple[Any, list[str]]] = [
    (Brand, ["name"]),
    (BuyerOrganization, ["name"]),
    (Buyer, ["name"]),
    (Catalog, ["name", "code"]),
    (Product, ["name", "model_number"]),
    (SKU, ["color", "size"]),
    (OrderLine, ["sku_number", "model_number", "product_name", "color", "size"]),
    (OrderConfirmationLine, ["sku_number", "model_number", "product_name", "color", "size"]),
]


def fitting(typed: Iterator[str], model: Any, field: str) -> str:
    """Return the next formula the column holds (a size takes 20 characters)."""
    limit = model._meta.get_field(field).max_length
    return next(formula for formula in typed if len(formula) <= limit)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_in_transaction(django_db_blocker) as world:
        typed = itertools.cycle(FORMULAS)
        with django_db_blocker.unblock():
            for model, fields in TYPED:
                # The base manager: as if the orders had been placed with these texts (the
                # Original Order's lines refuse any change through their own manager).
                rows = model._base_manager.all()
                for pk in rows.values_list("pk", flat=True):
                    rows.filter(pk=pk).update(
                        **{field: fitting(typed, model, field) for field in fields}
                    )
            # A number of its own keeps each SKU number (unique per brand) apart.
            for number, pk in enumerate(SKU.objects.values_list("pk", flat=True)):
                SKU.objects.filter(pk=pk).update(sku_number=f"{FORMULAS[number % 9]}{number}")
        yield world


def _workbooks(world: World) -> Iterator[tuple[str, bytes]]:
    """Yield (URL, content) of every route whose answer to its rightful user is a workbook."""
    for route in all_routes():
        if route.route.startswith("admin/") or "GET" not in route.methods:
            continue
        if route.route.endswith("pdf"):  # documents rendered as PDF: slow, and no workbook
            continue
        who = "anonymous" if route.kind == PUBLIC else rightful(route)
        client = (world.api_clients if route.is_api else world.clients)[who]
        url = full_url(route, world)
        response = client.get(url, HTTP_ACCEPT=f"{XLSX_CONTENT_TYPE}, application/json")
        if response.get("Content-Type", "").startswith(XLSX_CONTENT_TYPE):
            yield url, content_of(response)


def test_every_workbook_keeps_formula_like_text_as_text(world: World) -> None:
    found: dict[str, set[str]] = {}
    cells = {}
    for url, content in _workbooks(world):
        workbook = load_workbook(io.BytesIO(content))
        texts = set()
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type in ("f", "e"):
                        cells[f"{url} {cell.coordinate}"] = (cell.data_type, cell.value)
                    if isinstance(cell.value, str):
                        texts.add(cell.value)
        # XML reads a carriage return back as a line feed.
        found[url] = {f for f in FORMULAS if any(f.replace("\r", "\n") in t for t in texts)}

    assert cells == {}
    # The order sheet (page and API) and the Order Management export (page and API), at least.
    assert len(found) >= 4, sorted(found)
    # Each formula is there as the text it is, in the workbooks together; each shows several.
    assert set().union(*found.values()) == set(FORMULAS)
    assert all(len(shown) >= 3 for shown in found.values()), found
