"""Buyer App fixtures: a buyer user in an organisation connected to the brand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def buyer_user(db: None) -> Any:
    return factories.make_user(email="buyer@maison.test")


@pytest.fixture
def organization(buyer_user: Any) -> Any:
    return factories.make_organization(name="Maison Claire", members=[buyer_user])


@pytest.fixture
def connected_buyer(brand: Any, organization: Any) -> Any:
    return factories.make_buyer(
        brand=brand, organization=organization, wholesale_rate=Decimal("0.4500")
    )


@pytest.fixture
def buyer_client(client: Client, buyer_user: Any) -> Client:
    client.force_login(buyer_user)
    return client
