"""What fuzzing the API from its schema found, each pinned by a test of its own."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return dict(json.loads(response.content))


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/brands/not a slug/orders",  # the slug converter does not match
        "/api/v1/brands/atelier/buyers/-5",  # nor does the int converter
        "/api/v1/buyer-orgs/1.5/carts",
        "/api/v1/no-such-endpoint",
    ],
)
def test_an_api_url_that_matches_no_route_answers_a_problem_not_an_html_page(
    owner: Any, path: str
) -> None:
    response = client_for(owner).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_a_page_outside_the_api_that_matches_no_route_is_still_the_html_page(db: None) -> None:
    response = APIClient().get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/brands/{brand}/orders",
        "/api/v1/buyer-orgs/{org}/orders",
        "/api/v1/buyer-orgs/{org}/carts",
    ],
)
def test_lists_that_answer_a_page_are_documented_as_a_page(
    schema: dict[str, Any], path: str
) -> None:
    ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    body = resolve(schema, ok["schema"])

    assert body["type"] == "object"
    assert set(body["required"]) == {"results", "next", "previous"}
    assert body["properties"]["results"]["type"] == "array"


@pytest.mark.parametrize("limit", ["abc", "0", "-3", "1.5", "1e3", "²"])
def test_a_limit_that_is_not_a_whole_number_from_1_is_refused(owner: Any, limit: str) -> None:
    response = client_for(owner).get(f"/api/v1/brands/atelier/catalogs?limit={limit}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]["limit"][0]["code"] == "invalid"


def test_a_limit_over_200_still_answers_200_items_at_most(owner: Any, brand: Any) -> None:
    factories.make_catalog(brand=brand, skus=0)

    response = client_for(owner).get("/api/v1/brands/atelier/catalogs?limit=1000")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_the_schema_says_a_limit_starts_at_1(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/brands/{brand}/catalogs"]["get"]["parameters"]
    [limit] = [p for p in parameters if p["name"] == "limit"]

    assert limit["schema"]["minimum"] == 1


def test_an_empty_limit_is_a_limit_not_given(owner: Any, brand: Any) -> None:
    # As everywhere in the API's query strings: an empty value is a parameter not given.
    response = client_for(owner).get("/api/v1/brands/atelier/catalogs?limit=")

    assert response.status_code == 200


def test_the_idempotency_key_is_documented_as_the_server_reads_it(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/brands/{brand}/orders/{code}/return-to-cart"]["post"]
    [key] = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]

    assert key["schema"]["minLength"] == 1
    assert key["schema"]["maxLength"] == 255


def test_every_operation_that_takes_an_idempotency_key_documents_its_400(
    schema: dict[str, Any],
) -> None:
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "Idempotency-Key" in {p["name"] for p in operation.get("parameters", [])}
        and "400" not in operation["responses"]
    ]

    assert undocumented == []


def test_the_token_endpoint_documents_its_429(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]

    assert "429" in responses


def workbook_text(response: Any) -> str:
    """Read the whole download as a workbook; return the text of every cell."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_order_sheet_of_a_catalog_named_with_control_characters_downloads(
    owner: Any, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, name="Spring\x1b[31m 2027\x07", skus=2)

    response = client_for(owner).get(f"/api/v1/brands/atelier/catalogs/{catalog.pk}/order-sheet")

    assert response.status_code == 200
    cells = workbook_text(response)
    assert "Spring[31m 2027" in cells


def test_the_order_export_of_a_buyer_named_with_control_characters_downloads(
    owner: Any, brand: Any
) -> None:
    organization = factories.make_organization(name="Shop\x07 Bell\x1b")
    buyer = factories.make_buyer(brand=brand, organization=organization)
    factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand))

    response = client_for(owner).get("/api/v1/brands/atelier/orders.xlsx")

    assert response.status_code == 200
    cells = workbook_text(response)
    assert "Shop Bell" in cells


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/login/"])
def test_a_login_with_a_null_character_in_the_email_is_refused_not_a_server_error(
    path: str,
) -> None:
    # PostgreSQL text cannot hold NUL: the login throttle's lookup of the email failed with 500.
    client = APIClient()
    body = {"email": "shop\x00@example.test", "password": "wrong-password"}
    if path.startswith("/api/"):
        response = client.post(path, body, format="json")
        assert response.status_code == 400
    else:  # the login page shows the form again, with its error
        response = client.post(path, {"username": body["email"], "password": body["password"]})
        assert response.status_code == 200
