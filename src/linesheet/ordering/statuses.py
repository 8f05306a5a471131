"""Order statuses, the transitions between them and the actions each status accepts: as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.utils.functional import Promise
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

# Each status has one label per side, and no other name: whatever a reader of one side sees
# (a page, an email, a PDF, an export, the API's status_label, a refusal) uses that side's.
Side = Literal["brand", "buyer"]
LABELS: dict[Side, Mapping[OrderStatus, str | Promise]] = {
    "brand": BRAND_LABELS,
    "buyer": BUYER_LABELS,
}


def status_label(status: str, *, side: Side) -> str:
    """Return the status's label on `side` in the active language."""
    return str(LABELS[side][OrderStatus(status)])


def status_labels(*, side: Side) -> dict[str, str]:
    """Every status's label on `side` in the active language, for labelling many orders."""
    return {status.value: str(label) for status, label in LABELS[side].items()}


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

EVERY_STATUS = frozenset(OrderStatus)


@dataclass(frozen=True)
class ActionRule:
    """The statuses an operation accepts and the status it leads to (None: it keeps it)."""

    accepts: frozenset[OrderStatus]
    leads_to: OrderStatus | None = None


# Every operation on a placed order: where it may start and where it ends. Business
# conditions beyond the status (an invoice exists, buyer approval is off, ...) are rules
# checked by the operation itself. Placing an order starts it at AWAITING_OC.
ACTIONS: dict[OrderAction, ActionRule] = {
    A.CREATE_OC: ActionRule(frozenset({S.AWAITING_OC}), leads_to=S.OC_CREATED),
    A.UPDATE_OC: ActionRule(frozenset({S.OC_CREATED, S.OC_REJECTED}), leads_to=S.OC_CREATED),
    A.APPROVE_OC: ActionRule(frozenset({S.OC_CREATED}), leads_to=S.OC_APPROVED),
    A.REJECT_OC: ActionRule(frozenset({S.OC_CREATED}), leads_to=S.OC_REJECTED),
    A.CONFIRM_OC: ActionRule(frozenset({S.OC_CREATED, S.OC_APPROVED}), leads_to=S.OC_CONFIRMED),
    A.REOPEN_OC: ActionRule(frozenset({S.OC_CONFIRMED}), leads_to=S.OC_CREATED),
    A.REJECT: ActionRule(LIVE_STATUSES, leads_to=S.REJECTED),
    A.RETURN_TO_CART: ActionRule(LIVE_STATUSES, leads_to=S.RETURNED_TO_CART),
    A.CREATE_BACKLOG_SKUS: ActionRule(frozenset({S.OC_CONFIRMED})),
    A.CREATE_DELIVERY_NOTE: ActionRule(frozenset({S.OC_CONFIRMED})),
    A.DELETE_DELIVERY_NOTE: ActionRule(frozenset({S.OC_CONFIRMED})),
    A.CREATE_INVOICE: ActionRule(frozenset({S.OC_CREATED, S.OC_APPROVED, S.OC_CONFIRMED})),
    A.CREATE_PARTNER_INVENTORY_SLIP: ActionRule(LIVE_STATUSES),
    # A rejected or returned order stays as a log: only archive and tags (and exports).
    A.ARCHIVE: ActionRule(TERMINAL_STATUSES),
    A.SET_TAGS: ActionRule(EVERY_STATUS),
    A.EXPORT_PDF: ActionRule(EVERY_STATUS),
    A.EXPORT_EXCEL: ActionRule(EVERY_STATUS),
}

# Which operations each status accepts, read from ACTIONS.
ALLOWED_ACTIONS: dict[OrderStatus, frozenset[OrderAction]] = {
    status: frozenset(action for action, rule in ACTIONS.items() if status in rule.accepts)
    for status in OrderStatus
}

# Which status may follow which, read from ACTIONS: an operation that keeps the status (the
# OC updated while `oc_created`) is no transition.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    status: frozenset(
        rule.leads_to
        for rule in ACTIONS.values()
        if status in rule.accepts and rule.leads_to is not None and rule.leads_to != status
    )
    for status in OrderStatus
}


def is_allowed(status: str, action: str) -> bool:
    """Say whether an order in `status` accepts `action`."""
    return OrderAction(action) in ALLOWED_ACTIONS[OrderStatus(status)]


def can_transition(current: str, target: str) -> bool:
    return OrderStatus(target) in TRANSITIONS[OrderStatus(current)]


def leads_to(action: str) -> OrderStatus | None:
    """Return the status `action` moves an order to; None when it keeps the order's status."""
    return ACTIONS[OrderAction(action)].leads_to
