"""Pure decisions about carts and orders: plain facts in, every blocker out. No database."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from linesheet.ordering.errors import OrderErrorCode, ReturnWarningCode
from linesheet.ordering.statuses import OrderAction, is_allowed, leads_to

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


@dataclass(frozen=True)
class RejectFacts:
    """What the reject rules look at: the documents made from the order, by their numbers."""

    backlog_skus: Sequence[str]
    delivery_notes: Sequence[str]
    invoices: Sequence[str]


def reject_blockers(facts: RejectFacts) -> list[Blocker]:
    """Return every reason the brand cannot reject the order; empty when it can.

    A declined order never has documents: backlog SKUs lock the order for split delivery, and
    a delivery note or an invoice says goods were sent or billed. The status is not looked at
    here: ALLOWED_ACTIONS says which statuses accept a rejection.
    """
    return [
        Blocker(code, {"numbers": ", ".join(numbers)})
        for code, numbers in (
            (OrderErrorCode.HAS_BACKLOG_SKUS, facts.backlog_skus),
            (OrderErrorCode.HAS_DELIVERY_NOTE, facts.delivery_notes),
            (OrderErrorCode.HAS_INVOICE, facts.invoices),
        )
        if numbers
    ]


@dataclass(frozen=True)
class ReturnFacts:
    """What the return-to-cart rules look at, read under the order's lock (or as a UI hint)."""

    status: str
    buyer_name: str
    buyer_connected: bool
    organization_name: str
    catalog_name: str
    cart_exists: bool
    delivery_notes: Sequence[str]
    invoices: Sequence[str]
    backlog_skus: Sequence[str]
    consignment_catalog: bool
    partner_inventory_slips: Sequence[str]
    catalog_status: str
    order_deadline: datetime.date | None
    today: datetime.date
    unorderable_skus: Sequence[str]
    # The catalog is limited and the buyer is not on its access list.
    off_access_list: bool = False


def return_status_blockers(status: str) -> list[Blocker]:
    """Return why an order in `status` cannot be returned (ACTIONS), in the return's own words.

    Empty when the status accepts the return. A returned order is `already_returned`, a
    rejected one `order_rejected`: the statuses the return and the rejection lead to.
    """
    if is_allowed(status, OrderAction.RETURN_TO_CART):
        return []
    if status == leads_to(OrderAction.RETURN_TO_CART):
        return [Blocker(OrderErrorCode.ALREADY_RETURNED)]
    if status == leads_to(OrderAction.REJECT):
        return [Blocker(OrderErrorCode.ORDER_REJECTED)]
    raise ValueError(f"no return blocker says why status {status!r} refuses the return")


def return_to_cart_blockers(facts: ReturnFacts) -> list[Blocker]:
    """Return every reason the order cannot go back to the buyer's cart; empty when it can.

    OC status is no rule: an order returns with or without an OC, confirmed or not.
    """
    blockers = return_status_blockers(facts.status)
    already_returned = facts.status == leads_to(OrderAction.RETURN_TO_CART)
    if not facts.buyer_connected:
        blockers.append(Blocker(OrderErrorCode.OFFLINE_BUYER, {"buyer": facts.buyer_name}))
    elif facts.cart_exists and not already_returned:
        # After a return the cart for the catalog is most likely the one the return made.
        blockers.append(
            Blocker(
                OrderErrorCode.CART_EXISTS,
                {"catalog": facts.catalog_name, "organization": facts.organization_name},
            )
        )
    if facts.buyer_connected and facts.off_access_list and not already_returned:
        blockers.append(
            Blocker(
                OrderErrorCode.CATALOG_NOT_AVAILABLE,
                {"buyer": facts.buyer_name, "catalog": facts.catalog_name},
            )
        )
    for code, numbers in (
        (OrderErrorCode.HAS_DELIVERY_NOTE, facts.delivery_notes),
        (OrderErrorCode.HAS_INVOICE, facts.invoices),
        (OrderErrorCode.HAS_BACKLOG_SKUS, facts.backlog_skus),
    ):
        if numbers:
            blockers.append(Blocker(code, {"numbers": ", ".join(numbers)}))
    if facts.consignment_catalog or facts.partner_inventory_slips:
        reason = (
            _("transfer slip %(numbers)s") % {"numbers": ", ".join(facts.partner_inventory_slips)}
            if facts.partner_inventory_slips
            else _("the catalog %(catalog)s is a consignment catalog")
            % {"catalog": facts.catalog_name}
        )
        blockers.append(Blocker(OrderErrorCode.PARTNER_INVENTORY, {"reason": str(reason)}))
    return blockers


def return_to_cart_warnings(facts: ReturnFacts) -> list[Blocker]:
    """Return what will stop the buyer from ordering the returned cart as it is."""
    warnings: list[Blocker] = []
    if facts.unorderable_skus:
        warnings.append(
            Blocker(
                ReturnWarningCode.SKU_NOT_ORDERABLE,
                {"skus": ", ".join(sorted(facts.unorderable_skus))},
            )
        )
    reason = catalog_closed_reason(
        status=facts.catalog_status, order_deadline=facts.order_deadline, today=facts.today
    )
    if reason is not None:
        warnings.append(
            Blocker(
                ReturnWarningCode.CATALOG_CLOSED,
                {"catalog": facts.catalog_name, "reason": str(CLOSED_REASONS[reason])},
            )
        )
    return warnings
