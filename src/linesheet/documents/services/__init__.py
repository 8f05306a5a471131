"""Document operations, one module per concern; import them from here.

Every operation opens with `order_for_action` (transaction, row locks, the status policy) and
writes its event in the same transaction; notifications follow from the event.
"""

from __future__ import annotations

from linesheet.documents.services.confirmations import (
    confirmation_approve,
    confirmation_confirm,
    confirmation_reject,
    confirmation_reopen,
    confirmation_save,
    reopen_blockers,
)
from linesheet.documents.services.deliveries import (
    backlog_skus_create,
    delivery_note_create,
    delivery_note_delete,
    document_number_issue,
    invoice_create,
    partner_inventory_slip_create,
)

__all__ = [
    "backlog_skus_create",
    "confirmation_approve",
    "confirmation_confirm",
    "confirmation_reject",
    "confirmation_reopen",
    "confirmation_save",
    "delivery_note_create",
    "delivery_note_delete",
    "document_number_issue",
    "invoice_create",
    "partner_inventory_slip_create",
    "reopen_blockers",
]
