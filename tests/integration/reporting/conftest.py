"""Reporting fixtures: the fixed data set of orders in every state that matters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.reporting.dataset import Dataset, build


@pytest.fixture
def data(brand: Any, owner: Any) -> Dataset:
    return build(brand=brand, owner=owner)
