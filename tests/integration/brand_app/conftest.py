"""Brand App fixtures: clients logged in as the brand's owner or viewer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def owner_client(client: Client, owner: Any) -> Client:
    client.force_login(owner)
    return client


@pytest.fixture
def viewer_client(client: Client, viewer: Any) -> Client:
    client.force_login(viewer)
    return client
