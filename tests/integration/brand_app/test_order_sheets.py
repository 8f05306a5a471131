"""Excel order sheets in the Brand App: download a catalog's sheet, import a filled one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linesheet.catalog.models import Catalog
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderLine
from linesheet.ordering.selectors import orders_of_organization
from tests import factories, sheet_files
from tests.sheet_files import filled_sheet, sheet_row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=3, name="Spring 27", code="SS27")


@pytest.fixture
def sheet(catalog: Catalog) -> bytes:
    return ordering.order_sheet_export(catalog=catalog)


@pytest.fixture
def connected(brand: Any) -> Any:
    return factories.make_connected_buyer(brand=brand)


def import_url(brand: Any) -> str:
    return reverse("brand-sheet-import", args=[brand.slug])


def upload(data: bytes, name: str = "filled.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def written() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Order, OrderLine, OrderEvent, Cart)}


def test_the_catalog_sheet_downloads_as_an_xlsx_named_after_the_catalog(
    viewer_client: Client, brand: Any, catalog: Catalog
) -> None:
    url = reverse("brand-order-sheet", args=[brand.slug, catalog.pk])

    response = viewer_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="order-sheet-SS27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.protection.sheet is True
    assert (
        "Download order sheet"
        in viewer_client.get(
            reverse("brand-catalog-detail", args=[brand.slug, catalog.pk])
        ).content.decode()
    )


def test_another_brands_sheet_is_not_found(owner_client: Client, brand: Any) -> None:
    theirs = factories.make_catalog(brand=factories.make_brand(), skus=1)
    url = reverse("brand-order-sheet", args=[brand.slug, theirs.pk])
    assert owner_client.get(url).status_code == 404


def test_the_import_page_starts_with_the_buyer_chosen_on_the_buyers_page(
    owner_client: Client, brand: Any, connected: Any, catalog: Catalog
) -> None:
    buyer_page = owner_client.get(reverse("brand-buyer-detail", args=[brand.slug, connected.pk]))
    assert f"{import_url(brand)}?buyer={connected.pk}" in buyer_page.content.decode()
    orders_page = owner_client.get(reverse("brand-orders", args=[brand.slug]))
    assert import_url(brand) in orders_page.content.decode()

    response = owner_client.get(f"{import_url(brand)}?buyer={connected.pk}")

    assert response.status_code == 200
    assert response.context["form"]["buyer"].value() == connected.pk
    assert reverse("brand-order-sheet", args=[brand.slug, catalog.pk]) in response.content.decode()


def test_a_filled_sheet_is_imported_and_its_lines_are_listed(
    owner_client: Client, owner: Any, brand: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    a, _b, c = factories.sku_numbers(catalog)

    response = owner_client.post(
        import_url(brand),
        {"buyer": connected.pk, "file": upload(filled_sheet(sheet, {a: 2, c: 7})), "comment": ""},
        follow=True,
    )

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "brand-sheet-import-result", args=[brand.slug, order.code]
    )
    page = response.content.decode()
    assert f"Order {order.code} was imported for {connected.name}: 2 lines." in page
    assert a in page and c in page and "filled.xlsx" in page
    assert (order.route, order.placed_by) == ("excel_sheet", owner)
    assert list(orders_of_organization(organization=connected.organization)) == [order]
    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    assert sorted(cart.lines.values_list("sku__sku_number", "quantity")) == [(a, 2), (c, 7)]


def test_every_bad_row_is_listed_with_its_excel_row_and_nothing_is_imported(
    owner_client: Client, brand: Any, connected: Any, catalog: Catalog, sheet: bytes
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    data = filled_sheet(sheet, {a: 1, b: "lots", c: -2}, typed_rows={"NOPE-9": 3})
    before = written()

    response = owner_client.post(import_url(brand), {"buyer": connected.pk, "file": upload(data)})

    assert response.status_code == 400
    problems = [(p.row, p.sku_number, p.code) for p in response.context["problems"]]
    row = sheet_row_of(data, b)
    assert problems == [
        (row, b, "not_a_whole_number"),
        (row + 1, c, "negative"),
        (row + 2, "NOPE-9", "unknown_sku"),
    ]
    page = response.content.decode()
    assert "3 rows of the order sheet are not valid; nothing was imported." in page
    assert f'<th scope="row" class="num">{row + 2}</th>' in page
    assert response.context["form"]["buyer"].value() == str(connected.pk)
    assert written() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"model;sku;qty\n", "not an Excel workbook"),
        (None, "No quantities are filled in"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_on_the_file_field(
    owner_client: Client,
    brand: Any,
    connected: Any,
    sheet: bytes,
    content: bytes | None,
    message: str,
) -> None:
    response = owner_client.post(
        import_url(brand), {"buyer": connected.pk, "file": upload(content or sheet)}
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Order.objects.exists()


def test_a_sheet_of_another_brand_is_refused(
    owner_client: Client, brand: Any, connected: Any
) -> None:
    theirs = factories.make_catalog(brand=factories.make_brand(), skus=1)
    data = filled_sheet(
        ordering.order_sheet_export(catalog=theirs), {factories.sku_numbers(theirs)[0]: 1}
    )

    response = owner_client.post(import_url(brand), {"buyer": connected.pk, "file": upload(data)})

    assert response.status_code == 400
    assert "made for another catalog or brand" in response.content.decode()
    assert not Order.objects.exists()


def test_a_viewer_cannot_import(
    viewer_client: Client, brand: Any, connected: Any, sheet: bytes
) -> None:
    assert viewer_client.get(import_url(brand)).status_code == 403
    response = viewer_client.post(import_url(brand), {"buyer": connected.pk, "file": upload(sheet)})
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_the_result_page_of_an_order_not_imported_leads_to_the_order(
    owner_client: Client, brand: Any, connected: Any, catalog: Catalog
) -> None:
    order = factories.make_order(buyer=connected, catalog=catalog)
    url = reverse("brand-sheet-import-result", args=[brand.slug, order.code])

    response = owner_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("brand-order-detail", args=[brand.slug, order.code])


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        (lambda sheet: sheet_files.wide_row(sheet, 100_000), "has more than 32 cells"),
        (
            lambda sheet: sheet_files.with_shared_strings(sheet, 500_000),
            "The file holds more than 60000 shared texts",
        ),
    ],
    ids=["wide row", "shared texts"],
)
def test_a_file_too_costly_to_read_is_refused_with_a_clear_message(
    owner_client: Client, brand: Any, connected: Any, sheet: bytes, attack: Any, message: str
) -> None:
    response = owner_client.post(
        import_url(brand), {"buyer": connected.pk, "file": upload(attack(sheet))}
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Order.objects.exists()


def test_an_upload_over_the_request_limit_is_a_bad_request(
    owner_client: Client, brand: Any, connected: Any, settings: Any
) -> None:
    body = b"\0" * (settings.UPLOAD_MAX_BYTES + 1)

    response = owner_client.post(import_url(brand), {"buyer": connected.pk, "file": upload(body)})

    assert response.status_code == 400
    assert response.context is None  # Django's Bad Request: the view never read the file
    assert not Order.objects.exists()
