"""Bearer tokens: the token and its user read as DRF's own lookup reads them, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from linesheet.api.auth import BearerTokenAuthentication
from tests import factories
from tests.model_values import field_values

pytestmark = pytest.mark.django_db


def test_the_token_comes_with_its_user_in_one_query(django_assert_num_queries: Any) -> None:
    user = factories.make_user()
    token = Token.objects.create(user=user)
    expected = Token.objects.select_related("user").get(key=token.key)
    with django_assert_num_queries(1):
        found_user, found = BearerTokenAuthentication().authenticate_credentials(token.key)
        assert found.user is found_user  # cached: no second query
    assert field_values(found) == field_values(expected)
    assert field_values(found_user) == field_values(expected.user)
    assert found.created == expected.created


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
