"""The brand's own order routes through the API: proxy orders and Excel order sheets."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from linesheet.catalog.models import Catalog
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderLine
from linesheet.ordering.order_sheets import MAX_FILE_BYTES
from tests import factories, sheet_files
from tests.integration.api.conftest import client_for
from tests.sheet_files import filled_sheet, sheet_row_of

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/brands/atelier/orders"
IMPORT = "/api/v1/brands/atelier/orders/import"


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=3, name="Spring 27", code="SS27")


@pytest.fixture
def shop_user() -> Any:
    return factories.make_user()


@pytest.fixture
def connected(brand: Any, shop_user: Any) -> Any:
    return factories.make_connected_buyer(brand=brand, members=[shop_user])


@pytest.fixture
def offline(brand: Any) -> Any:
    return factories.make_buyer(brand=brand)


@pytest.fixture
def staff(owner: Any) -> Any:
    return client_for(owner)


@pytest.fixture
def sheet(catalog: Catalog) -> bytes:
    return ordering.order_sheet_export(catalog=catalog)


def proxy_body(buyer: Any, catalog: Catalog, lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "buyer": buyer.pk,
        "catalog": catalog.pk,
        "lines": [{"sku_number": n, "quantity": q} for n, q in lines.items()],
        **extra,
    }


def upload(data: bytes, name: str = "filled.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def written() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Order, OrderLine, OrderEvent, Cart)}


def buyer_orders(shop_user: Any, buyer: Any) -> list[str]:
    response = client_for(shop_user).get(f"/api/v1/buyer-orgs/{buyer.organization_id}/orders")
    assert response.status_code == 200
    return [order["code"] for order in response.json()["results"]]


def return_to_cart(staff: Any, code: str) -> Any:
    return staff.post(f"{ORDERS}/{code}/return-to-cart", {"notify_buyer": False}, format="json")


# --- Proxy orders -------------------------------------------------------------------------------


def test_a_proxy_order_for_a_connected_buyer_shows_in_its_orders_and_returns_to_its_cart(
    staff: Any, shop_user: Any, connected: Any, catalog: Catalog
) -> None:
    a, b, _c = factories.sku_numbers(catalog)
    date = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    response = staff.post(
        ORDERS,
        proxy_body(connected, catalog, {a: 2, b: 5}, desired_delivery_date=date, comment="Call"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["route"], body["status"], body["desired_delivery_date"]) == (
        "proxy",
        "awaiting_oc",
        date,
    )
    assert [(line["sku_number"], line["quantity"]) for line in body["original_lines"]] == [
        (a, 2),
        (b, 5),
    ]
    assert body["delivery_address"] == connected.organization.delivery_address
    assert buyer_orders(shop_user, connected) == [body["code"]]

    returned = return_to_cart(staff, body["code"])

    assert returned.status_code == 200, returned.json()
    cart = Cart.objects.get(pk=returned.json()["cart"]["id"])
    assert cart.organization_id == connected.organization_id
    assert sorted(cart.lines.values_list("sku__sku_number", "quantity")) == [(a, 2), (b, 5)]


def test_an_offline_buyers_proxy_order_is_refused_return_as_offline(
    staff: Any, offline: Any, catalog: Catalog
) -> None:
    a = factories.sku_numbers(catalog)[0]
    created = staff.post(ORDERS, proxy_body(offline, catalog, {a: 1}), format="json")
    assert created.status_code == 201, created.json()
    before = written()

    refused = return_to_cart(staff, created.json()["code"])

    assert refused.status_code == 409
    assert refused.json()["code"] == "not_returnable"
    assert [b["code"] for b in refused.json()["blockers"]] == ["offline_buyer"]
    assert written() == before


def test_every_bad_proxy_line_is_reported_and_nothing_is_written(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    a, b, _c = factories.sku_numbers(catalog)
    before = written()

    response = staff.post(
        ORDERS, proxy_body(connected, catalog, {a: 1, "NOPE": 2, b: 0}), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["errors"]) == {"lines.1.sku_number", "lines.2.quantity"}
    assert written() == before


def test_a_repeated_sku_or_an_unknown_field_is_invalid(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    a = factories.sku_numbers(catalog)[0]
    body = proxy_body(connected, catalog, {a: 1})
    repeated = {**body, "lines": body["lines"] * 2}

    for bad in (repeated, {**body, "route": "buyer_app"}):
        response = staff.post(ORDERS, bad, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
    assert not Order.objects.exists()


def test_another_brands_buyer_or_catalog_is_invalid(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    stranger = factories.make_brand()
    their_buyer = factories.make_buyer(brand=stranger)
    their_catalog = factories.make_catalog(brand=stranger, skus=1)
    a = factories.sku_numbers(catalog)[0]

    foreign_buyer = staff.post(ORDERS, proxy_body(their_buyer, catalog, {a: 1}), format="json")
    foreign_catalog = staff.post(
        ORDERS,
        proxy_body(connected, their_catalog, {factories.sku_numbers(their_catalog)[0]: 1}),
        format="json",
    )

    assert foreign_buyer.status_code == 400
    assert set(foreign_buyer.json()["errors"]) == {"buyer"}
    assert foreign_catalog.status_code == 400
    assert set(foreign_catalog.json()["errors"]) == {"catalog"}
    assert not Order.objects.exists()


def test_another_brands_path_is_not_found(connected: Any, catalog: Catalog) -> None:
    stranger = factories.make_brand(slug="elsewhere")
    client = client_for(factories.make_member(brand=stranger))
    a = factories.sku_numbers(catalog)[0]

    response = client.post(ORDERS, proxy_body(connected, catalog, {a: 1}), format="json")

    assert response.status_code == 404
    assert (
        client.get(f"/api/v1/brands/atelier/catalogs/{catalog.pk}/order-sheet").status_code == 404
    )


def test_a_closed_catalog_refuses_a_proxy_order(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    Catalog.objects.filter(pk=catalog.pk).update(status="closed")
    a = factories.sku_numbers(catalog)[0]

    response = staff.post(ORDERS, proxy_body(connected, catalog, {a: 1}), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "catalog_closed"
    assert not Order.objects.exists()


def test_a_retried_proxy_order_with_the_same_key_places_one_order(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    body = proxy_body(connected, catalog, {factories.sku_numbers(catalog)[0]: 3})

    first = staff.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="proxy-1")
    second = staff.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="proxy-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["code"] == first.json()["code"]
    assert Order.objects.count() == 1


def test_the_order_search_still_answers_on_the_same_path(
    staff: Any, connected: Any, catalog: Catalog
) -> None:
    order = factories.make_order(buyer=connected, catalog=catalog)

    response = staff.get(ORDERS, {"route": "buyer_app"})

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [order.code]


# --- Excel order sheets -------------------------------------------------------------------------


def test_the_order_sheet_downloads_as_an_xlsx_for_viewers_too(
    viewer: Any, catalog: Catalog
) -> None:
    client = client_for(viewer)
    url = f"/api/v1/brands/atelier/catalogs/{catalog.pk}/order-sheet"

    response = client.get(url, HTTP_ACCEPT=XLSX_CONTENT_TYPE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="order-sheet-SS27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.protection.sheet
    missing = client.get(f"/api/v1/brands/atelier/catalogs/{catalog.pk + 99}/order-sheet")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_an_imported_sheet_shows_in_the_buyers_orders_and_returns_to_its_cart(
    staff: Any, shop_user: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    a, _b, c = factories.sku_numbers(catalog)

    response = staff.post(
        IMPORT,
        {
            "buyer": connected.pk,
            "catalog": catalog.pk,
            "file": upload(filled_sheet(sheet, {a: 4, c: 1})),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["route"] == "excel_sheet"
    assert [(line["sku_number"], line["quantity"]) for line in body["original_lines"]] == [
        (a, 4),
        (c, 1),
    ]
    assert "sheet_imported" in [event["type"] for event in body["events"]]
    assert buyer_orders(shop_user, connected) == [body["code"]]

    returned = return_to_cart(staff, body["code"])

    assert returned.status_code == 200, returned.json()
    cart = Cart.objects.get(pk=returned.json()["cart"]["id"])
    assert sorted(cart.lines.values_list("sku__sku_number", "quantity")) == [(a, 4), (c, 1)]


def test_bad_rows_are_all_reported_with_their_excel_rows_and_nothing_is_written(
    staff: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    a, b, _c = factories.sku_numbers(catalog)
    data = filled_sheet(sheet, {a: 2.5, b: 100_001}, typed_rows={"NOPE": 1})
    before = written()

    response = staff.post(IMPORT, {"buyer": connected.pk, "file": upload(data)}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    row = sheet_row_of(data, a)
    assert body["code"] == "invalid"
    assert [(r["row"], r["sku_number"], r["code"]) for r in body["rows"]] == [
        (row, a, "not_a_whole_number"),
        (row + 1, b, "too_large"),
        (row + 3, "NOPE", "unknown_sku"),
    ]
    assert f"rows.{row}.quantity" in body["errors"]
    assert written() == before


@pytest.mark.parametrize(
    ("make", "code"),
    [
        ("not_a_workbook", "not_a_workbook"),
        ("wrong_columns", "wrong_columns"),
        ("other_catalog", "wrong_catalog"),
        ("empty", "empty_sheet"),
        ("oversized", "file_too_large"),
        ("wide_row", "too_many_columns"),
        ("shared_texts", "too_many_cells"),
        ("entity_bomb", "not_a_workbook"),
    ],
)
def test_a_file_refused_as_a_whole_answers_400_with_its_code(
    staff: Any, brand: Any, connected: Any, catalog: Catalog, sheet: bytes, make: str, code: str
) -> None:
    workbook_without_columns = io.BytesIO()
    blank = load_workbook(io.BytesIO(sheet))
    assert blank.active is not None
    blank.active.delete_rows(1, 15)
    blank.save(workbook_without_columns)
    other = factories.make_catalog(brand=brand, skus=1)
    files = {
        "not_a_workbook": b"PK\x03\x04 broken",
        "wrong_columns": workbook_without_columns.getvalue(),
        "other_catalog": filled_sheet(sheet, {factories.sku_numbers(catalog)[0]: 1}),
        "empty": sheet,
        "oversized": b"\0" * (MAX_FILE_BYTES + 1),
        "wide_row": sheet_files.wide_row(sheet, 100_000),
        "shared_texts": sheet_files.with_shared_strings(sheet, 500_000),
        "entity_bomb": sheet_files.entity_bomb(sheet),
    }
    form: dict[str, Any] = {"buyer": connected.pk, "file": upload(files[make])}
    if make == "other_catalog":
        form["catalog"] = other.pk
    before = written()

    response = staff.post(IMPORT, form, format="multipart")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert written() == before


def test_a_viewer_cannot_place_or_import(
    viewer: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    client = client_for(viewer)
    a = factories.sku_numbers(catalog)[0]

    placed = client.post(ORDERS, proxy_body(connected, catalog, {a: 1}), format="json")
    imported = client.post(
        IMPORT,
        {"buyer": connected.pk, "file": upload(filled_sheet(sheet, {a: 1}))},
        format="multipart",
    )

    assert (placed.status_code, imported.status_code) == (403, 403)
    assert not Order.objects.exists()


def test_a_retried_import_with_the_same_key_places_one_order(
    staff: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    data = filled_sheet(sheet, {factories.sku_numbers(catalog)[0]: 2})

    responses = [
        staff.post(
            IMPORT,
            {"buyer": connected.pk, "file": upload(data)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="sheet-1",
        )
        for _ in range(2)
    ]

    assert [r.status_code for r in responses] == [201, 201]
    assert responses[1]["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(
    staff: Any, connected: Any, settings: Any
) -> None:
    body = b"\0" * (settings.UPLOAD_MAX_BYTES + 1)
    before = written()

    response = staff.post(IMPORT, {"buyer": connected.pk, "file": upload(body)}, format="multipart")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert written() == before
