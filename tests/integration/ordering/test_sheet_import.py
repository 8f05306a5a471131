"""Excel order sheets: the catalog's sheet, filled in and imported as the buyer's order."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linesheet.catalog.models import SKU, Catalog
from linesheet.core.errors import InvalidInput
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, CartLine, Order, OrderEvent, OrderLine
from linesheet.ordering.order_sheets import HEADER_ROW, OrderSheetError, OrderSheetRowsInvalid
from linesheet.ordering.selectors import orders_of_organization
from linesheet.ordering.services import OrderHeader
from tests import factories
from tests.sheet_files import filled_sheet, sheet_row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=4, name="Spring 27", code="SS27")


@pytest.fixture
def sheet(catalog: Catalog) -> bytes:
    return ordering.order_sheet_export(catalog=catalog)


def written() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Order, OrderLine, OrderEvent, Cart, CartLine)
    }


def import_sheet(buyer: Any, data: bytes, owner: Any, **kwargs: Any) -> ordering.SheetImport:
    return ordering.order_import_sheet(
        buyer=buyer, source=io.BytesIO(data), file_name="filled.xlsx", placed_by=owner, **kwargs
    )


def test_the_sheet_lists_every_orderable_sku_of_the_catalog_in_two_queries(
    catalog: Catalog, django_assert_num_queries: Any
) -> None:
    retired = factories.sku_numbers(catalog)[3]
    SKU.objects.filter(sku_number=retired).update(is_active=False)
    catalog = Catalog.objects.get(pk=catalog.pk)

    with django_assert_num_queries(2):
        data = ordering.order_sheet_export(catalog=catalog)

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    numbers = [sheet.cell(row=row, column=3).value for row in range(HEADER_ROW + 1, 20)]
    assert [n for n in numbers if n] == factories.sku_numbers(catalog)[:3]


def test_a_filled_sheet_becomes_the_connected_buyers_order_and_returns_to_its_cart(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    a, b, _c, _d = factories.sku_numbers(catalog)
    date = timezone.localdate() + datetime.timedelta(days=30)

    result = import_sheet(
        buyer,
        filled_sheet(sheet, {a: 3, b: "12"}),
        owner,
        header=OrderHeader(desired_delivery_date=date, comment="From the showroom"),
    )

    order = result.order
    assert (result.lines, result.sku_rows) == (2, 4)
    assert (order.route, order.organization_id, order.placed_by) == (
        "excel_sheet",
        buyer.organization_id,
        owner,
    )
    assert list(order.lines.values_list("sku_number", "quantity")) == [(a, 3), (b, 12)]
    assert (order.desired_delivery_date, order.comment) == (date, "From the showroom")
    assert order.delivery_address == buyer.organization.delivery_address
    imported = order.events.get(type="sheet_imported")
    assert imported.details == {"file": "filled.xlsx", "rows_on_the_sheet": 4, "rows_imported": 2}
    assert list(orders_of_organization(organization=buyer.organization)) == [order]

    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)

    assert cart.organization_id == buyer.organization_id
    assert sorted(cart.lines.values_list("sku__sku_number", "quantity")) == [(a, 3), (b, 12)]


def test_an_offline_buyers_imported_order_cannot_be_returned(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    offline = factories.make_buyer(brand=brand)
    a = factories.sku_numbers(catalog)[0]

    order = import_sheet(offline, filled_sheet(sheet, {a: 1}), owner).order

    assert order.organization_id is None
    with pytest.raises(OrderError) as refusal:
        ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert [b["code"] for b in refusal.value.params["blockers"]] == ["offline_buyer"]


def test_every_bad_row_is_reported_with_its_excel_row_and_nothing_is_written(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    a, b, c, d = factories.sku_numbers(catalog)
    other = factories.make_catalog(brand=brand, skus=1, code="AW26")
    foreign = factories.sku_numbers(other)[0]
    SKU.objects.filter(sku_number=d).update(is_active=False)  # retired after the download
    data = filled_sheet(
        sheet,
        {a: 2, b: "two", c: -1, d: 4},
        typed_rows={"NOPE-1": 1, foreign: 2, a: 5},
    )
    before = written()

    with pytest.raises(OrderSheetRowsInvalid) as refusal:
        import_sheet(buyer, data, owner)

    rows = [(row["row"], row["sku_number"], row["code"]) for row in refusal.value.params["rows"]]
    first = sheet_row_of(data, a)
    assert rows == [
        (first + 1, b, "not_a_whole_number"),
        (first + 2, c, "negative"),
        (first + 3, d, "not_orderable"),
        (first + 4, "NOPE-1", "unknown_sku"),
        (first + 5, foreign, "other_catalog"),
        (first + 6, a, "duplicate_sku"),
    ]
    assert refusal.value.code == "invalid"
    assert f"rows.{first + 1}.quantity" in refusal.value.params["errors"]
    assert written() == before


def test_a_quantity_above_the_limit_is_a_bad_row(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    a = factories.sku_numbers(catalog)[0]
    with pytest.raises(OrderSheetRowsInvalid) as refusal:
        import_sheet(factories.make_buyer(brand=brand), filled_sheet(sheet, {a: 100_001}), owner)
    assert [row["code"] for row in refusal.value.params["rows"]] == ["too_large"]


def test_a_sheet_with_no_quantities_is_refused(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    with pytest.raises(OrderSheetError) as refusal:
        import_sheet(factories.make_buyer(brand=brand), sheet, owner)
    assert refusal.value.code == "empty_sheet"
    assert not Order.objects.exists()


def test_another_brands_sheet_is_refused_as_the_wrong_catalog(
    brand: Any, sheet: bytes, owner: Any
) -> None:
    stranger = factories.make_brand()
    their_catalog = factories.make_catalog(brand=stranger, skus=2)
    theirs = ordering.order_sheet_export(catalog=their_catalog)
    data = filled_sheet(theirs, {factories.sku_numbers(their_catalog)[0]: 1})

    with pytest.raises(OrderSheetError) as refusal:
        import_sheet(factories.make_buyer(brand=brand), data, owner)

    assert refusal.value.code == "wrong_catalog"
    assert their_catalog.code in refusal.value.message
    assert not Order.objects.exists()


def test_a_sheet_of_another_catalog_than_the_one_expected_is_refused(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    expected = factories.make_catalog(brand=brand, skus=1)
    data = filled_sheet(sheet, {factories.sku_numbers(catalog)[0]: 1})

    with pytest.raises(OrderSheetError) as refusal:
        import_sheet(factories.make_buyer(brand=brand), data, owner, catalog=expected)

    assert refusal.value.code == "wrong_catalog"
    assert not Order.objects.exists()


def test_a_closed_catalogs_sheet_is_refused_and_nothing_is_written(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    data = filled_sheet(sheet, {factories.sku_numbers(catalog)[0]: 1})
    Catalog.objects.filter(pk=catalog.pk).update(status="closed")
    before = written()

    with pytest.raises(OrderError) as refusal:
        import_sheet(factories.make_buyer(brand=brand), data, owner)

    assert refusal.value.code == "catalog_closed"
    assert written() == before


def test_a_past_delivery_date_is_refused(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any
) -> None:
    data = filled_sheet(sheet, {factories.sku_numbers(catalog)[0]: 1})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    with pytest.raises(InvalidInput) as refusal:
        import_sheet(
            factories.make_buyer(brand=brand),
            data,
            owner,
            header=OrderHeader(desired_delivery_date=yesterday),
        )

    assert set(refusal.value.params["errors"]) == {"desired_delivery_date"}
    assert not Order.objects.exists()


def test_a_file_that_is_no_workbook_is_refused(brand: Any, owner: Any) -> None:
    with pytest.raises(OrderSheetError) as refusal:
        import_sheet(factories.make_buyer(brand=brand), b"not a workbook", owner)
    assert refusal.value.code == "not_a_workbook"


def test_a_sheet_with_more_filled_rows_than_an_order_takes_is_refused(
    brand: Any, catalog: Catalog, sheet: bytes, owner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 5,000 lines; a limit of 2 keeps the sheet small.
    monkeypatch.setattr("linesheet.ordering.services.sheets.MAX_CART_LINES", 2)
    a, b, c, _d = factories.sku_numbers(catalog)

    with pytest.raises(OrderSheetError) as refusal:
        import_sheet(
            factories.make_buyer(brand=brand), filled_sheet(sheet, {a: 1, b: 1, c: 1}), owner
        )

    assert refusal.value.code == "too_many_lines"
    assert not Order.objects.exists()
