"""The guard every order-changing service opens with, and the one writer of the status."""

from __future__ import annotations

import datetime
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.core.errors import InvalidInput
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import (
    Order,
    OrderEvent,
)
from linesheet.ordering.statuses import (
    STATUS_NAMES,
    OrderAction,
    OrderStatus,
    can_transition,
    is_allowed,
)


def today() -> datetime.date:
    return timezone.localdate()


def order_for_action(*, order_id: int, action: str) -> Order:
    """Lock the order for `action` and check its status accepts it. Call inside a transaction.

    Locks in the project's fixed order: the buyer organisation's row first, then the order, so
    operations on different orders of one organisation (returns, carts) serialise instead of
    deadlocking.
    """
    order = order_lock(order_id=order_id)
    if not is_allowed(order.status, action):
        raise action_not_allowed(order=order, action=action)
    return order


def action_not_allowed(*, order: Order, action: str) -> OrderError:
    """Return the refusal of `action` on `order` in its current status."""
    return OrderError(
        OrderErrorCode.ACTION_NOT_ALLOWED,
        action=action,
        order_status=order.status,
        action_label=str(OrderAction(action).label),
        status_label=str(STATUS_NAMES[OrderStatus(order.status)]),
    )


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


MAX_MESSAGE_LENGTH = 2000


# Line breaks and tabs belong in a letter; other control characters (terminal escapes, bells,
# backspaces) only garble the email and the cart page, or hide what the text says.
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")


def notification_details(*, notify: bool, message: str) -> dict[str, object]:
    """Return the event details that say whether and what to tell the buyer."""
    message = message.strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInput.field(
            "message",
            "too_long",
            _("The message is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(message), "limit": MAX_MESSAGE_LENGTH},
        )
    control = sorted(
        {
            f"U+{ord(character):04X}"
            for character in message
            if unicodedata.category(character) == "Cc"
            and character not in ALLOWED_CONTROL_CHARACTERS
        }
    )
    if control:
        raise InvalidInput.field(
            "message",
            "control_characters",
            _("The message contains control characters (%(characters)s); send plain text.")
            % {"characters": ", ".join(control)},
        )
    return {"notify": bool(notify), "message": message if notify else ""}


def order_lock(*, order_id: int) -> Order:
    """Lock the order's buyer organisation (as connected now), then the order. In a transaction."""
    list(
        BuyerOrganization.objects.select_for_update()
        .filter(buyer_records__orders=order_id)
        .values_list("pk")
    )
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("brand", "buyer__organization", "catalog", "organization")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Order.DoesNotExist(f"order {order_id}")
    return order
