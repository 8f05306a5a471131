"""Bearer tokens: DRF's token authentication under the `Bearer` keyword."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from linesheet.api.auth import BearerTokenAuthentication
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_token_under_the_bearer_keyword_authenticates_its_user() -> None:
    user = factories.make_user()
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert client.get("/api/v1/me").json()["email"] == user.email
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me").status_code == 401


def test_an_unknown_token_and_an_inactive_users_token_are_refused() -> None:
    token = Token.objects.create(user=factories.make_user(is_active=False))
    with pytest.raises(AuthenticationFailed, match=r"User inactive or deleted\."):
        BearerTokenAuthentication().authenticate_credentials(token.key)
    with pytest.raises(AuthenticationFailed, match=r"Invalid token\."):
        BearerTokenAuthentication().authenticate_credentials(token.key[:-1] + "x")


def test_an_inactive_users_token_gets_401_from_the_api() -> None:
    token = Token.objects.create(user=factories.make_user(is_active=False))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
