from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def _token(email: str, password: str) -> Any:
    return APIClient().post(
        "/api/v1/auth/token", {"email": email, "password": password}, format="json"
    )


def test_a_user_gets_a_token_for_the_right_password() -> None:
    factories.make_user(email="anna@example.test")

    response = _token("anna@example.test", factories.PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"]


def test_the_email_is_matched_whatever_its_case() -> None:
    factories.make_user(email="anna@example.test")

    assert _token("Anna@Example.TEST", factories.PASSWORD).status_code == 200


def test_a_wrong_password_gets_no_token() -> None:
    factories.make_user(email="anna@example.test")

    response = _token("anna@example.test", "not-the-password")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "authentication_failed"
    assert "token" not in response.json()


def test_a_token_request_without_a_password_is_invalid() -> None:
    response = APIClient().post("/api/v1/auth/token", {"email": "anna@example.test"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]["password"][0]["code"] == "required"


def test_the_token_authenticates_as_a_bearer_header(brand: Any, owner: Any) -> None:
    token = _token(owner.email, factories.PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == owner.email


def test_a_request_without_a_token_is_not_authenticated() -> None:
    response = APIClient().get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused() -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_me_lists_the_users_brands_with_roles_and_organisations(
    brand: Any, owner: Any, as_user: Any
) -> None:
    other_brand = factories.make_brand(slug="north", name="North")
    factories.make_member(brand=other_brand, role="viewer", user=owner)
    organization = factories.make_organization(name="Shop One", members=[owner])

    response = as_user(owner).get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == owner.pk
    assert [(b["slug"], b["role"]) for b in body["brands"]] == [
        ("atelier", "owner"),
        ("north", "viewer"),
    ]
    assert body["buyer_organizations"] == [{"id": organization.pk, "name": "Shop One"}]
