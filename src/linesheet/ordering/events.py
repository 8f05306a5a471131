"""Order event types and record_event(), called in the transaction of every change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import User
from linesheet.ordering.models import Order, OrderEvent


class OrderEventType(models.TextChoices):
    PLACED = "placed", _("Order placed")
    SHEET_IMPORTED = "sheet_imported", _("Excel order sheet imported")
    STATUS_CHANGED = "status_changed", _("Status changed")
    OC_CREATED = "oc_created", _("OC created")
    OC_UPDATED = "oc_updated", _("OC updated")
    OC_APPROVED = "oc_approved", _("OC approved by the buyer")
    OC_REJECTED = "oc_rejected", _("OC rejected by the buyer")
    OC_CONFIRMED = "oc_confirmed", _("OC confirmed")
    OC_REOPENED = "oc_reopened", _("OC made editable again")
    REJECTED = "rejected", _("Order rejected")
    RETURNED_TO_CART = "returned_to_cart", _("Returned to the buyer's cart")
    REPLACED = "replaced", _("Placed again as a new order")
    BACKLOG_SKUS_CREATED = "backlog_skus_created", _("Backlog SKUs created")
    DELIVERY_NOTE_CREATED = "delivery_note_created", _("Delivery note created")
    DELIVERY_NOTE_DELETED = "delivery_note_deleted", _("Delivery note deleted")
    INVOICE_CREATED = "invoice_created", _("Invoice created")
    PARTNER_INVENTORY_SLIP_CREATED = (
        "partner_inventory_slip_created",
        _("Partner-inventory transfer slip created"),
    )
    ARCHIVED = "archived", _("Archived")
    TAGS_CHANGED = "tags_changed", _("Tags changed")
    EMAIL_SENT = "email_sent", _("Notification email sent")
    EMAIL_FAILED = "email_failed", _("Notification email failed")


# Sent inside the transaction that records the event, so what listeners write (a notification
# email in the outbox) commits or rolls back with the change itself.
order_event_recorded = Signal()


def record_event(*, order: Order, type: str, actor: User | None, **details: Any) -> OrderEvent:
    """Write one event for `order`; the caller's transaction makes it part of the change."""
    event = OrderEvent.objects.create(
        order=order,
        type=type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        created_at=timezone.now(),
        details=details,
    )
    order_event_recorded.send(sender=OrderEvent, event=event)
    return event


def event_label(type: str) -> str:
    try:
        return str(OrderEventType(type).label)
    except ValueError:
        return type.replace("_", " ")
