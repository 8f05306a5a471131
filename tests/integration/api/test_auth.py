"""Bearer tokens: found by their digest with their user in one query; unknown, expired and
inactive users' tokens refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from linesheet.accounts.models import ApiToken
from linesheet.accounts.tokens import api_token_issue
from linesheet.api.auth import BearerTokenAuthentication
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_token_comes_with_its_user_in_one_query(django_assert_num_queries: Any) -> None:
    user = factories.make_user()
    token, secret = api_token_issue(user=user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())

    with django_assert_num_queries(1):
        found_user, found = BearerTokenAuthentication().authenticate_credentials(secret)
        assert found.user is found_user  # cached: no second query

    assert (found.pk, found_user.pk) == (token.pk, user.pk)


def test_an_unknown_an_expired_and_an_inactive_users_token_are_refused() -> None:
    _token, inactive = api_token_issue(user=factories.make_user())
    ApiToken.objects.update(user=factories.make_user(is_active=False))
    expired, expired_secret = api_token_issue(user=factories.make_user())
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    authentication = BearerTokenAuthentication()

    with pytest.raises(AuthenticationFailed, match=r"User inactive or deleted\."):
        authentication.authenticate_credentials(inactive)
    with pytest.raises(AuthenticationFailed, match=r"Invalid token\."):
        authentication.authenticate_credentials(inactive[:-1] + "x")
    with pytest.raises(AuthenticationFailed, match=r"This token expired on \d{4}-\d\d-\d\d"):
        authentication.authenticate_credentials(expired_secret)


def test_an_inactive_users_token_gets_401_from_the_api() -> None:
    user = factories.make_user()
    _token, secret = api_token_issue(user=user)
    user.__class__.objects.filter(pk=user.pk).update(is_active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_token_in_its_last_second_still_works() -> None:
    token, secret = api_token_issue(user=factories.make_user())
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert client.get("/api/v1/me").status_code == 200


def test_a_token_is_taken_under_the_bearer_keyword_only() -> None:
    user = factories.make_user()
    _token, secret = api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/me").json()["email"] == user.email
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/me").status_code == 401
