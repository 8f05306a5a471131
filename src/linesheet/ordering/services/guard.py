"""The guard every order-changing service opens with, and the one writer of the status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.core.errors import DomainError
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import Order, OrderEvent
from linesheet.ordering.statuses import (
    OrderAction,
    Side,
    can_transition,
    is_allowed,
    status_label,
)


@dataclass(frozen=True)
class OrderCode:
    """An order named as the Brand App and the API name it: its brand and its code."""

    brand_id: int
    code: str


def order_for_action(
    *,
    order_id: int | OrderCode,
    action: str,
    refusal: Callable[[Order], DomainError] | None = None,
) -> Order:
    """Lock the order for `action` and check its status accepts it (ACTIONS). In a transaction.

    A status that does not accept the action is refused with `action_not_allowed`, or with
    what `refusal` makes of the locked order when the operation names that refusal in its own
    terms (the return lists it among its blockers).
    """
    order = order_lock(order_id=order_id)
    if not is_allowed(order.status, action):
        if refusal is not None:
            raise refusal(order)
        raise action_not_allowed(order=order, action=action)
    return order


# The buyer's answers to the OC are the only operations a buyer performs on an order; every
# other one is the brand's. A refusal names the status as the one who asked reads it.
BUYER_ACTIONS = frozenset({OrderAction.APPROVE_OC, OrderAction.REJECT_OC})


def action_not_allowed(*, order: Order, action: str) -> OrderError:
    """Return the refusal of `action` on `order` in its current status."""
    side: Side = "buyer" if action in BUYER_ACTIONS else "brand"
    return OrderError(
        OrderErrorCode.ACTION_NOT_ALLOWED,
        action=action,
        order_status=order.status,
        action_label=str(OrderAction(action).label),
        status_label=status_label(order.status, side=side),
    )


# What `order_lock` reads with the order: the services, the rules and the emails look at these
# without another query.
LOCKED_WITH = ("brand", "buyer__organization", "catalog", "organization")


def order_lock(*, order_id: int | OrderCode) -> Order:
    """Lock the order's buyer organisation (as connected now), then the order. In a transaction.

    The project's lock order is the buyer organisation's row first, then the order: two
    operations on different orders of one organisation (returns, carts) then serialise
    instead of deadlocking, and "one cart per organisation and catalog" holds under the lock.
    The order is given by its id, or by its brand and code (`OrderCode`). Raises
    Order.DoesNotExist when there is no such order (in that brand).
    """
    if isinstance(order_id, OrderCode):
        lookup: dict[str, object] = {"brand_id": order_id.brand_id, "code": order_id.code}
    else:
        lookup = {"pk": order_id}
    list(
        BuyerOrganization.objects.select_for_update(of=("self",))
        .filter(**{f"buyer_records__orders__{name}": value for name, value in lookup.items()})
        .values_list("pk", flat=True)
    )
    return Order.objects.select_for_update(of=("self",)).select_related(*LOCKED_WITH).get(**lookup)


def order_set_status(
    *,
    order: Order,
    status: str,
    actor: User | None,
    event_type: str = OrderEventType.STATUS_CHANGED,
    **details: object,
) -> OrderEvent:
    """Move the order to `status` along TRANSITIONS and record it: the one writer of status.

    The event is the operation's own (`event_type`), carrying the previous and new status.
    """
    if not can_transition(order.status, status):
        raise RuntimeError(f"no transition {order.status} -> {status}")  # a bug, not input
    previous = order.status
    order.status = status
    order.updated_at = timezone.now()
    order.save(update_fields=["status", "updated_at"])
    return record_event(
        order=order, type=event_type, actor=actor, previous=previous, status=status, **details
    )
