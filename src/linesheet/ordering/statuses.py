"""Order statuses, the transitions between them and the actions each status accepts: as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    AWAITING_OC = "awaiting_oc", _("Please create an OC")
    OC_CREATED = "oc_created", _("OC created")
    OC_APPROVED = "oc_approved", _("OC approved")
    OC_REJECTED = "oc_rejected", _("OC rejected by buyer")
    OC_CONFIRMED = "oc_confirmed", _("OC confirmed")
    REJECTED = "rejected", _("Order rejected")
    RETURNED_TO_CART = "returned_to_cart", _("Returned to cart")


S = OrderStatus

# The Brand App label is the choice label; the Buyer App speaks from the buyer's side.
BRAND_LABELS = {status: status.label for status in OrderStatus}
BUYER_LABELS = {
    S.AWAITING_OC: _("Awaiting OC creation"),
    S.OC_CREATED: _("Please check the OC"),
    S.OC_APPROVED: _("OC approved"),
    S.OC_REJECTED: _("OC rejected"),
    S.OC_CONFIRMED: _("OC confirmed"),
    S.REJECTED: _("Order declined"),
    S.RETURNED_TO_CART: _("Returned to cart"),
}

# Neutral names for messages read by either side ("not possible in status …").
STATUS_NAMES = {
    S.AWAITING_OC: _("Awaiting OC"),
    S.OC_CREATED: _("OC created"),
    S.OC_APPROVED: _("OC approved"),
    S.OC_REJECTED: _("OC rejected"),
    S.OC_CONFIRMED: _("OC confirmed"),
    S.REJECTED: _("Rejected"),
    S.RETURNED_TO_CART: _("Returned to cart"),
}

TERMINAL_STATUSES = frozenset({S.REJECTED, S.RETURNED_TO_CART})
# Orders that count as business: analytics and live views leave the others out.
LIVE_STATUSES = frozenset(set(OrderStatus) - TERMINAL_STATUSES)
# A live order has its OC from OC_CREATED on (the OC is made in the same transaction, and
# never deleted); before, it is awaiting one.
LIVE_WITHOUT_OC = frozenset({S.AWAITING_OC})
LIVE_WITH_OC = LIVE_STATUSES - LIVE_WITHOUT_OC


class CountedLines(models.TextChoices):
    """Which of an order's lines count as its business (in analytics) in a status."""

    ORIGINAL = "original", _("Original Order")
    CONFIRMATION = "confirmation", _("OC")


def counted_lines(status: str) -> CountedLines | None:
    """Return which lines an order in `status` counts with: none once rejected or returned."""
    if status in LIVE_WITHOUT_OC:
        return CountedLines.ORIGINAL
    if status in LIVE_WITH_OC:
        return CountedLines.CONFIRMATION
    return None


# Which status may follow which. Placing an order starts it at AWAITING_OC.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.AWAITING_OC: frozenset({S.OC_CREATED, S.REJECTED, S.RETURNED_TO_CART}),
    S.OC_CREATED: frozenset(
        {S.OC_APPROVED, S.OC_REJECTED, S.OC_CONFIRMED, S.REJECTED, S.RETURNED_TO_CART}
    ),
    S.OC_APPROVED: frozenset({S.OC_CONFIRMED, S.REJECTED, S.RETURNED_TO_CART}),
    S.OC_REJECTED: frozenset({S.OC_CREATED, S.REJECTED, S.RETURNED_TO_CART}),
    S.OC_CONFIRMED: frozenset({S.OC_CREATED, S.REJECTED, S.RETURNED_TO_CART}),
    S.REJECTED: frozenset(),
    S.RETURNED_TO_CART: frozenset(),
}


class OrderAction(models.TextChoices):
    CREATE_OC = "create_oc", _("Create the OC")
    UPDATE_OC = "update_oc", _("Update the OC")
    APPROVE_OC = "approve_oc", _("Approve the OC")
    REJECT_OC = "reject_oc", _("Reject the OC")
    CONFIRM_OC = "confirm_oc", _("Confirm the OC")
    REOPEN_OC = "reopen_oc", _("Make the OC editable again")
    REJECT = "reject", _("Reject the order")
    RETURN_TO_CART = "return_to_cart", _("Return to the buyer's cart")
    CREATE_BACKLOG_SKUS = "create_backlog_skus", _("Create backlog SKUs")
    CREATE_DELIVERY_NOTE = "create_delivery_note", _("Create a delivery note")
    DELETE_DELIVERY_NOTE = "delete_delivery_note", _("Delete a delivery note")
    CREATE_INVOICE = "create_invoice", _("Create an invoice")
    CREATE_PARTNER_INVENTORY_SLIP = (
        "create_partner_inventory_slip",
        _("Create a partner-inventory transfer slip"),
    )
    ARCHIVE = "archive", _("Archive")
    SET_TAGS = "set_tags", _("Apply tags")
    EXPORT_PDF = "export_pdf", _("Download PDF")
    EXPORT_EXCEL = "export_excel", _("Export to Excel")


A = OrderAction

# Allowed on every order whatever its status: reading out and labelling.
ALWAYS = frozenset({A.SET_TAGS, A.EXPORT_PDF, A.EXPORT_EXCEL})
# Accepted by every live order.
ANY_LIVE = frozenset({A.REJECT, A.RETURN_TO_CART, A.CREATE_PARTNER_INVENTORY_SLIP})

# Which operations each status accepts. Business conditions beyond the status (an invoice
# exists, buyer approval is off, ...) are rules checked by the operation itself.
ALLOWED_ACTIONS: dict[OrderStatus, frozenset[OrderAction]] = {
    S.AWAITING_OC: ALWAYS | ANY_LIVE | {A.CREATE_OC},
    S.OC_CREATED: ALWAYS
    | ANY_LIVE
    | {A.UPDATE_OC, A.APPROVE_OC, A.REJECT_OC, A.CONFIRM_OC, A.CREATE_INVOICE},
    S.OC_APPROVED: ALWAYS | ANY_LIVE | {A.CONFIRM_OC, A.CREATE_INVOICE},
    S.OC_REJECTED: ALWAYS | ANY_LIVE | {A.UPDATE_OC},
    S.OC_CONFIRMED: ALWAYS
    | ANY_LIVE
    | {
        A.REOPEN_OC,
        A.CREATE_BACKLOG_SKUS,
        A.CREATE_DELIVERY_NOTE,
        A.DELETE_DELIVERY_NOTE,
        A.CREATE_INVOICE,
    },
    # A rejected or returned order stays as a log: only archive and tags (and exports).
    S.REJECTED: ALWAYS | {A.ARCHIVE},
    S.RETURNED_TO_CART: ALWAYS | {A.ARCHIVE},
}


def brand_label(status: str) -> str:
    return str(BRAND_LABELS[OrderStatus(status)])


def buyer_label(status: str) -> str:
    return str(BUYER_LABELS[OrderStatus(status)])


def brand_labels() -> dict[str, str]:
    """Every status's Brand App label in the active language, for labelling many orders."""
    return {status.value: str(label) for status, label in BRAND_LABELS.items()}


def buyer_labels() -> dict[str, str]:
    """Every status's Buyer App label in the active language, for labelling many orders."""
    return {status.value: str(label) for status, label in BUYER_LABELS.items()}


def is_allowed(status: str, action: str) -> bool:
    """Say whether an order in `status` accepts `action`."""
    return OrderAction(action) in ALLOWED_ACTIONS[OrderStatus(status)]


def can_transition(current: str, target: str) -> bool:
    return OrderStatus(target) in TRANSITIONS[OrderStatus(current)]
