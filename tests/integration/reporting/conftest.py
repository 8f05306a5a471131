"""Reporting fixtures: the fixed data set of orders in every state that matters, a clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from linesheet.core.clock import day_start
from tests.integration.reporting.dataset import Dataset, build


@pytest.fixture
def data(brand: Any, owner: Any) -> Dataset:
    return build(brand=brand, owner=owner)


@pytest.fixture
def mid_month(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the clock to noon on the 15th of the month, then move it on by whole days at will."""
    noon = day_start(timezone.localdate().replace(day=15)) + datetime.timedelta(hours=12)

    def days_later(days: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: noon + datetime.timedelta(days=days))

    days_later(0)
    return days_later
