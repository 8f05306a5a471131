"""Reporting endpoints: PDF documents, the xlsx export and order analytics."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.reporting.dataset import Dataset, build
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def data(brand: Any, owner: Any) -> Dataset:
    return build(brand=brand, owner=owner)


@pytest.fixture
def api(viewer: Any) -> Any:
    """A viewer: every reporting endpoint reads only."""
    return client_for(viewer)


def brand_url(rest: str) -> str:
    return f"/api/v1/brands/atelier/{rest}"


def org_url(buyer: Any, rest: str) -> str:
    return f"/api/v1/buyer-orgs/{buyer.organization_id}/{rest}"


# --- PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["open", "confirmed", "rejected", "returned"])
def test_the_purchase_order_pdf_is_served_in_every_status(
    api: Any, data: Dataset, which: str
) -> None:
    order = getattr(data, which)

    response = api.get(brand_url(f"orders/{order.code}/pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"Purchase order {order.code}" in text_of(response.content)


def test_a_client_may_ask_for_the_pdf_by_its_type(api: Any, data: Dataset) -> None:
    url = brand_url(f"orders/{data.open.code}/pdf")

    found = api.get(url, HTTP_ACCEPT="application/pdf")
    missing = api.get(brand_url("orders/NOPE/pdf"), HTTP_ACCEPT="application/pdf")

    assert found.status_code == 200 and found.content.startswith(b"%PDF-")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"


def test_the_confirmation_pdf_is_not_found_without_an_oc(api: Any, data: Dataset) -> None:
    with_oc = api.get(brand_url(f"orders/{data.confirmed.code}/confirmation/pdf"))
    without = api.get(brand_url(f"orders/{data.open.code}/confirmation/pdf"))

    assert "Total 240.00 EUR" in text_of(with_oc.content)
    assert without.status_code == 404
    assert without.json()["code"] == "not_found"


def test_pdfs_of_another_brand_are_not_found(api: Any, data: Dataset) -> None:
    assert api.get(brand_url(f"orders/{data.foreign.code}/pdf")).status_code == 404
    assert api.get(f"/api/v1/brands/elsewhere/orders/{data.foreign.code}/pdf").status_code == 404


def test_the_buyer_downloads_its_own_orders_only(data: Dataset) -> None:
    maison = client_for(data.maison_user)

    own = maison.get(org_url(data.maison, f"orders/{data.returned.pk}/pdf"))
    other_org = maison.get(org_url(data.nordic, f"orders/{data.confirmed.pk}/pdf"))
    not_its_order = maison.get(org_url(data.maison, f"orders/{data.confirmed.pk}/pdf"))

    assert own.status_code == 200
    text = text_of(own.content)
    assert data.returned.code in text and "Returned to cart" in text
    assert other_org.status_code == 404
    assert not_its_order.status_code == 404


def test_the_buyer_downloads_the_confirmation(data: Dataset) -> None:
    nordic = client_for(data.nordic_user)

    response = nordic.get(org_url(data.nordic, f"orders/{data.confirmed.pk}/confirmation/pdf"))
    without = nordic.get(org_url(data.nordic, f"orders/{data.nordic_nok.pk}/confirmation/pdf"))

    assert f"Order confirmation {data.confirmed.code}" in text_of(response.content)
    assert without.status_code == 404


# --- xlsx -------------------------------------------------------------------------------------


def rows_of(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_takes_the_order_search_filters(api: Any, data: Dataset) -> None:
    rows = rows_of(
        api.get(brand_url("orders.xlsx"), {"buyer": data.nordic.pk, "catalog": data.ss27.pk})
    )

    assert [row[0] for row in rows[1:]] == [data.confirmed.code] * 3
    assert [(row[6], row[11], row[12]) for row in rows[1:]] == [
        ("SS-0", 1, 5),
        ("SS-2", 4, 0),
        ("SS-1", None, 1),
    ]


def test_the_export_includes_a_returned_order(api: Any, data: Dataset) -> None:
    rows = rows_of(api.get(brand_url("orders.xlsx"), {"status": "returned_to_cart"}))

    assert rows[1][:2] == [data.returned.code, "Returned to cart"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"placed_from": "yesterday"}, "placed_from"),
        ({"limit": "10"}, "limit"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_filter_is_invalid(api: Any, data: Dataset, params: Any, field: str) -> None:
    response = api.get(brand_url("orders.xlsx"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]


def test_another_brands_export_is_not_found(api: Any, data: Dataset) -> None:
    assert api.get("/api/v1/brands/elsewhere/orders.xlsx").status_code == 404


# --- Analytics --------------------------------------------------------------------------------


def test_analytics_by_product_per_currency(api: Any, data: Dataset) -> None:
    response = api.get(brand_url("analytics/orders"), {"by": "product"})

    assert response.status_code == 200
    body = response.json()
    today = timezone.localdate()
    assert body["by"] == "product"
    assert body["to"] == today.isoformat()
    assert [r for r in body["results"]] == [
        {
            "key": "M-SS",
            "label": "Model M-SS",
            "orders": 3,
            "quantity": 17,
            "amount": {"amount": "790.00", "currency": "EUR"},
        },
        {
            "key": "M-FW",
            "label": "Model M-FW",
            "orders": 1,
            "quantity": 3,
            "amount": {"amount": "120.00", "currency": "NOK"},
        },
    ]
    assert body["totals"] == [
        {"orders": 3, "quantity": 17, "amount": {"amount": "790.00", "currency": "EUR"}},
        {"orders": 1, "quantity": 3, "amount": {"amount": "120.00", "currency": "NOK"}},
    ]


def test_analytics_keys_buyers_and_catalogs_by_id(api: Any, data: Dataset) -> None:
    buyers = api.get(brand_url("analytics/orders"), {"by": "buyer"}).json()["results"]
    catalogs = api.get(brand_url("analytics/orders"), {"by": "catalog"}).json()["results"]
    skus = api.get(brand_url("analytics/orders"), {"by": "sku"}).json()["results"]

    assert [(r["key"], r["quantity"]) for r in buyers] == [
        (str(data.maison.pk), 11),
        (str(data.nordic.pk), 6),
        (str(data.nordic.pk), 3),
    ]
    assert [r["key"] for r in catalogs] == [str(data.ss27.pk), str(data.fw27.pk)]
    assert [(r["key"], r["amount"]["amount"]) for r in skus] == [
        ("SS-1", "490.00"),
        ("SS-0", "300.00"),
        ("FW-0", "120.00"),
    ]


def test_analytics_over_a_chosen_period(api: Any, data: Dataset) -> None:
    day = timezone.localdate(data.old.placed_at).isoformat()

    body = api.get(brand_url("analytics/orders"), {"from": day, "to": day}).json()

    assert (body["from"], body["to"]) == (day, day)
    assert [(r["key"], r["quantity"]) for r in body["results"]] == [("M-SS", 100)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "colour"}, "by"),
        ({"from": "2027-03-10", "to": "2027-03-01"}, "to"),
        ({"from": "soon"}, "from"),
        ({"group": "sku"}, "group"),
    ],
)
def test_bad_analytics_queries_are_invalid(api: Any, params: Any, field: str) -> None:
    response = api.get(brand_url("analytics/orders"), params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]


def test_analytics_of_another_brand_are_not_found(api: Any, data: Dataset) -> None:
    outsider = client_for(factories.make_member(brand=data.foreign.brand))

    assert outsider.get(brand_url("analytics/orders")).status_code == 404
    assert api.get("/api/v1/brands/elsewhere/analytics/orders").status_code == 404


def test_the_schema_documents_the_reporting_endpoints_and_their_media_types() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    paths = schema["paths"]

    def media(path: str) -> set[str]:
        return set(paths[path]["get"]["responses"]["200"]["content"])

    assert media("/api/v1/brands/{brand}/orders/{code}/pdf") == {"application/pdf"}
    assert media("/api/v1/brands/{brand}/orders/{code}/confirmation/pdf") == {"application/pdf"}
    assert media("/api/v1/buyer-orgs/{org}/orders/{order_id}/pdf") == {"application/pdf"}
    assert media("/api/v1/brands/{brand}/orders.xlsx") == {XLSX}
    assert media("/api/v1/brands/{brand}/analytics/orders") == {"application/json"}
    export_params = {
        p["name"] for p in paths["/api/v1/brands/{brand}/orders.xlsx"]["get"]["parameters"]
    }
    assert {
        "status",
        "buyer",
        "catalog",
        "route",
        "code",
        "placed_from",
        "q",
        "tag",
    } <= export_params
    assert not {"cursor", "limit"} & export_params
