"""Pure decisions about carts and orders: plain facts in, every blocker out. No database."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from linesheet.ordering.errors import OrderErrorCode

CLOSED_REASONS = {
    "closed": _("it is closed"),
    "deadline_passed": _("its order deadline has passed"),
}


@dataclass(frozen=True)
class Blocker:
    """One reason an operation cannot go ahead, with its stable code and named params."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def catalog_closed_reason(
    *, status: str, order_deadline: datetime.date | None, today: datetime.date
) -> str | None:
    """Return why a catalog takes no orders (a CLOSED_REASONS key), or None when it does."""
    if status == "closed":
        return "closed"
    if order_deadline is not None and today > order_deadline:
        return "deadline_passed"
    return None


@dataclass(frozen=True)
class PlacementFacts:
    catalog_name: str
    catalog_status: str
    order_deadline: datetime.date | None
    today: datetime.date
    line_count: int
    unorderable_skus: Sequence[str]


def order_place_blockers(facts: PlacementFacts) -> list[Blocker]:
    """Return every reason the cart cannot be ordered now; empty when it can."""
    blockers: list[Blocker] = []
    if facts.line_count == 0:
        blockers.append(Blocker(OrderErrorCode.EMPTY_CART))
    reason = catalog_closed_reason(
        status=facts.catalog_status, order_deadline=facts.order_deadline, today=facts.today
    )
    if reason is not None:
        blockers.append(
            Blocker(
                OrderErrorCode.CATALOG_CLOSED,
                {"catalog": facts.catalog_name, "reason": str(CLOSED_REASONS[reason])},
            )
        )
    if facts.unorderable_skus:
        blockers.append(
            Blocker(
                OrderErrorCode.SKU_NOT_ORDERABLE,
                {"skus": ", ".join(sorted(facts.unorderable_skus))},
            )
        )
    return blockers
