"""Refusals of document operations, each with a stable code and a message that says what to do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError


class DocumentErrorCode:
    BUYER_APPROVAL_OFF = "buyer_approval_off"
    HAS_DELIVERY_NOTE = "has_delivery_note"
    HAS_BACKLOG_SKUS = "has_backlog_skus"
    HAS_INVOICE = "has_invoice"
    NO_CONFIRMATION = "no_confirmation"
    NOTHING_TO_DELIVER = "nothing_to_deliver"
    DELIVERY_NOTE_OF_ANOTHER_ORDER = "delivery_note_of_another_order"
    STALE_CONFIRMATION = "stale_confirmation"


class DocumentError(DomainError):
    messages = {
        DocumentErrorCode.BUYER_APPROVAL_OFF: _(
            "The brand confirms this OC itself; it does not ask for your approval."
        ),
        DocumentErrorCode.HAS_DELIVERY_NOTE: _(
            "A delivery note (%(numbers)s) references this order. Delete it first."
        ),
        DocumentErrorCode.HAS_BACKLOG_SKUS: _(
            "Backlog SKUs (%(numbers)s) were created from this order, which locks its lines."
        ),
        DocumentErrorCode.HAS_INVOICE: _(
            "The invoice %(numbers)s references this delivery note, so it cannot be deleted."
        ),
        DocumentErrorCode.NO_CONFIRMATION: _("This order has no OC yet: create one first."),
        DocumentErrorCode.NOTHING_TO_DELIVER: _(
            "Every SKU of the OC has been delivered already; there is nothing left to deliver."
        ),
        DocumentErrorCode.DELIVERY_NOTE_OF_ANOTHER_ORDER: _(
            "Those delivery notes do not all belong to this order, or are invoiced already."
        ),
        DocumentErrorCode.STALE_CONFIRMATION: _(
            "The OC was saved by someone else while you were editing it (it is at version "
            "%(version)s now). Your changes were not saved: check the OC as it is now, then "
            "save again."
        ),
    }
