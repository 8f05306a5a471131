from __future__ import annotations

import json
from typing import Any

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/auth/tokens": {"get"},
    "/api/v1/auth/tokens/{token_id}": {"delete"},
    "/api/v1/me": {"get"},
    "/api/v1/brands/{brand}/catalogs": {"get", "post"},
    "/api/v1/brands/{brand}/catalogs/{catalog_id}": {"get", "patch"},
    "/api/v1/brands/{brand}/catalogs/{catalog_id}/products": {"post"},
    "/api/v1/brands/{brand}/products/{product_id}/images": {"get", "post"},
    "/api/v1/brands/{brand}/products/{product_id}/images/order": {"put"},
    "/api/v1/brands/{brand}/products/{product_id}/images/{image_id}": {"patch", "delete"},
    "/api/v1/brands/{brand}/buyers": {"get", "post"},
    "/api/v1/brands/{brand}/buyers/{buyer_id}": {"get", "patch"},
    "/api/v1/brands/{brand}/invitations": {"post"},
    "/api/v1/invitations/{token}/accept": {"post"},
    "/api/v1/buyer-orgs/{org}/catalogs": {"get"},
    "/api/v1/buyer-orgs/{org}/catalogs/{catalog_id}": {"get"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return dict(json.loads(response.content))


def test_the_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate_schema(schema)


def test_the_schema_is_served_as_yaml_by_default() -> None:
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_interactive_docs_are_served() -> None:
    assert APIClient().get("/api/docs/").status_code == 200


def test_the_schema_documents_each_endpoint_with_its_methods(schema: dict[str, Any]) -> None:
    documented = {
        path: {method for method in operations if method in HTTP_METHODS}
        for path, operations in schema["paths"].items()
        if path in ENDPOINTS
    }

    assert documented == ENDPOINTS


def test_every_write_documents_the_idempotency_key(schema: dict[str, Any]) -> None:
    for path, methods in ENDPOINTS.items():
        # Logging in and revoking tokens take no key: a retry is harmless.
        for method in methods - {"get"} - ({"post", "delete"} if "/auth/" in path else set()):
            parameters = schema["paths"][path][method].get("parameters", [])
            assert {"in": "header", "name": "Idempotency-Key"}.items() <= next(
                (p for p in parameters if p["name"] == "Idempotency-Key"), {}
            ).items(), (method, path)


def test_lists_are_documented_as_cursor_pages(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/brands/{brand}/catalogs"]["get"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page_schema = schema["components"]["schemas"][page.rsplit("/", 1)[1]]

    assert set(page_schema["properties"]) == {"results", "next", "previous"}
    assert {p["name"] for p in operation["parameters"]} >= {"cursor", "limit"}


def test_refusals_are_documented_as_problem_details(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/api/v1/brands/{brand}/catalogs"]["post"]["responses"]

    assert set(responses) >= {"201", "400", "403", "404", "422"}
    assert responses["400"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_money_is_documented_as_a_decimal_string_with_its_currency(
    schema: dict[str, Any],
) -> None:
    components = schema["components"]["schemas"]
    sku = components["BuyerSku"]["properties"]

    assert sku["wholesale_price"]["allOf"][0]["$ref"].endswith("/Money") or sku[
        "wholesale_price"
    ].get("$ref", "").endswith("/Money")
    money = components["Money"]["properties"]
    assert money["amount"]["type"] == "string"
    assert money["amount"]["format"] == "decimal"


def test_both_order_resources_document_changes_beside_replaces(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]

    def response_schema(path: str) -> dict[str, Any]:
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        ref = content["application/json"]["schema"]["$ref"]
        return dict(components[ref.rsplit("/", 1)[1]])

    for path in (
        "/api/v1/brands/{brand}/orders/{code}",
        "/api/v1/buyer-orgs/{org}/orders/{order_id}",
    ):
        properties = response_schema(path)["properties"]
        assert {"replaces", "changes"} <= set(properties), path
        assert properties["changes"]["nullable"] is True
        assert properties["changes"]["allOf"] == [{"$ref": "#/components/schemas/OrderChanges"}]
    changes = components["OrderChanges"]["properties"]
    assert {"lines", "header", "counts", "old_amount", "new_amount", "oc"} <= set(changes)
    line = components["LineChange"]["properties"]
    assert {"old_quantity", "new_quantity", "old_amount", "new_amount", "oc_quantity"} <= set(line)
    assert components["LineChangeEnum"]["enum"] == ["added", "removed", "changed"]
    assert components["HeaderFieldEnum"]["enum"] == [
        "desired_delivery_date",
        "delivery_address",
        "billing_address",
        "comment",
    ]
