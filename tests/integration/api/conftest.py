"""Fixtures of the API tests: clients that send a Bearer token, and a snapshot of the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import (
    ApiToken,
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationMembership,
    OrganizationRecipient,
    User,
)
from linesheet.accounts.tokens import api_token_issue
from linesheet.api.models import IdempotencyKey
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.notifications.models import OutboundEmail

WATCHED_MODELS: list[type[Model]] = [
    Catalog,
    Product,
    SKU,
    Buyer,
    Invitation,
    BuyerOrganization,
    OrganizationMembership,
    OrganizationRecipient,
    OutboundEmail,
    IdempotencyKey,
]


def client_for(user: User) -> APIClient:
    """Return a client that authenticates as the user with a new Bearer token.

    The token counts as used just now: requests within the minute write no last-use time, so
    query counts are the endpoint's own.
    """
    token, secret = api_token_issue(user=user, name="tests")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_user() -> Callable[[User], APIClient]:
    return client_for


@pytest.fixture
def database_state() -> Callable[[], dict[str, list[dict[str, Any]]]]:
    """Return a function that captures every row the API endpoints may write."""

    def capture() -> dict[str, list[dict[str, Any]]]:
        return {
            model.__name__: list(model._default_manager.order_by("pk").values())
            for model in WATCHED_MODELS
        }

    return capture
