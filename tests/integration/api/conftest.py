"""Fixtures of the API tests: clients that send a Bearer token, and a snapshot of the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from linesheet.accounts.models import (
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationMembership,
    OrganizationRecipient,
    User,
)
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
    """Return a client that authenticates as the user with a Bearer token."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
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
