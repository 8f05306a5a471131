"""Order event types and record_event(), called in the transaction of every change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import User
from linesheet.ordering.models import Order, OrderEvent


class OrderEventType(models.TextChoices):
    PLACED = "placed", _("Order placed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    RETURNED_TO_CART = "returned_to_cart", _("Returned to the buyer's cart")
    REPLACED = "replaced", _("Placed again as a new order")
    ARCHIVED = "archived", _("Archived")
    TAGS_CHANGED = "tags_changed", _("Tags changed")


def record_event(*, order: Order, type: str, actor: User | None, **details: Any) -> OrderEvent:
    """Write one event for `order`; the caller's transaction makes it part of the change."""
    return OrderEvent.objects.create(
        order=order,
        type=type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        created_at=timezone.now(),
        details=details,
    )


def event_label(type: str) -> str:
    try:
        return str(OrderEventType(type).label)
    except ValueError:
        return type.replace("_", " ")
