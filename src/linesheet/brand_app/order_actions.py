"""The order page's operations: one per action of `ALLOWED_ACTIONS`, each with its form.

What the page offers follows one rule. Every operation of the brand's flow is listed; one that
the order's status forbids is disabled with the reason in plain words, and so is one its
documents forbid (delivery notes that stop the OC from being made editable again, nothing left
to deliver). Two exceptions, both read from the same table: archive appears only where the
status accepts it (a rejected or returned order), since before that it never applies; and the
buyer's own answers to the OC (approve, reject) are not the brand's to give, so never appear.

These are hints for the page. Each service checks again, under its lock, when it acts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.forms import Form
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.brand_app.order_forms import (
    ConfirmForm,
    DeliveryNoteForm,
    InvoiceForm,
    NotifyForm,
    PartnerSlipForm,
    RejectForm,
    TagsForm,
)
from linesheet.brand_app.order_page import (
    OcRow,
    UndeliveredLine,
    line_skus,
    oc_rows,
    undelivered_lines,
)
from linesheet.catalog.models import ProductImage
from linesheet.catalog.selectors import sku_line_images
from linesheet.documents.errors import DocumentError, DocumentErrorCode
from linesheet.documents.models import DeliveryNote, OrderConfirmation
from linesheet.documents.selectors import (
    OrderDocuments,
    confirmation_of_order,
    documents_of_order_for_brand,
)
from linesheet.documents.services import reopen_blockers
from linesheet.ordering.errors import RejectBlocker
from linesheet.ordering.models import Order, OrderLine, Tag
from linesheet.ordering.rules import RejectFacts, reject_blockers
from linesheet.ordering.selectors import tags_of_order
from linesheet.ordering.statuses import (
    TERMINAL_STATUSES,
    OrderAction,
    OrderStatus,
    is_allowed,
    status_label,
)

A = OrderAction
S = OrderStatus

GENERIC_BODY = "brand_app/includes/action_form_body.html"
DELIVERY_NOTE_BODY = "brand_app/includes/delivery_note_form_body.html"

# The step the brand is expected to take next in each status: drawn as the primary button.
NEXT_STEP = {
    S.AWAITING_OC: A.CREATE_OC,
    S.OC_CREATED: A.CONFIRM_OC,
    S.OC_APPROVED: A.CONFIRM_OC,
    S.OC_REJECTED: A.UPDATE_OC,
    S.OC_CONFIRMED: A.CREATE_DELIVERY_NOTE,
}


def _hints() -> dict[tuple[OrderAction, OrderStatus], str]:
    """What to do first, after the status reason, where the flow has a way there."""
    create_first = _("Create the OC first.")
    confirm_first = _("Confirm the OC first.")
    update_first = _("The buyer rejected the OC: update it first.")
    return {
        (A.UPDATE_OC, S.OC_CONFIRMED): _("Make the OC editable again first."),
        (A.UPDATE_OC, S.OC_APPROVED): _("The buyer approved it as it is: confirm it."),
        (A.CONFIRM_OC, S.AWAITING_OC): create_first,
        (A.CONFIRM_OC, S.OC_REJECTED): update_first,
        (A.CREATE_DELIVERY_NOTE, S.AWAITING_OC): create_first,
        (A.CREATE_DELIVERY_NOTE, S.OC_CREATED): confirm_first,
        (A.CREATE_DELIVERY_NOTE, S.OC_APPROVED): confirm_first,
        (A.CREATE_DELIVERY_NOTE, S.OC_REJECTED): update_first,
        (A.CREATE_BACKLOG_SKUS, S.AWAITING_OC): create_first,
        (A.CREATE_BACKLOG_SKUS, S.OC_CREATED): confirm_first,
        (A.CREATE_BACKLOG_SKUS, S.OC_APPROVED): confirm_first,
        (A.CREATE_BACKLOG_SKUS, S.OC_REJECTED): update_first,
        (A.CREATE_INVOICE, S.AWAITING_OC): create_first,
        (A.CREATE_INVOICE, S.OC_REJECTED): update_first,
    }


def status_reason(status: str) -> str:
    """Say, in plain words, that the order's status forbids an operation."""
    return _("Not possible while the order's status is “%(status)s”.") % {
        "status": status_label(status, side="brand")
    }


@dataclass
class ActionOption:
    """One operation as the page offers it: a button, or a disabled one with its reasons."""

    key: str
    label: str
    allowed: bool
    note: str = ""  # what it does
    warning: str = ""  # what cannot be taken back, said beside the confirmation
    reasons: list[str] = field(default_factory=list)  # why it is not possible now
    form: Form | None = None
    url: str = ""
    submit_label: str = ""
    link: bool = False  # opens a page of its own (the OC editor) instead of a form here
    primary: bool = False
    danger: bool = False
    body: str = GENERIC_BODY

    @property
    def open(self) -> bool:
        """Say whether its form comes back refused, so the page shows it unfolded."""
        return self.form is not None and self.form.is_bound and bool(self.form.errors)


@dataclass
class OrderPage:
    """Everything the order page shows: the order, its OC and documents, tags, operations."""

    order: Order
    lines: list[OrderLine]
    confirmation: OrderConfirmation | None
    rows: list[OcRow]
    documents: OrderDocuments
    tags: list[Tag]
    undelivered: list[UndeliveredLine]
    open_notes: list[DeliveryNote]
    images: dict[int, ProductImage] = field(default_factory=dict)  # by SKU id
    forms: dict[str, Form] = field(default_factory=dict)
    actions: list[ActionOption] = field(default_factory=list)

    @property
    def line_rows(self) -> list[tuple[OrderLine, ProductImage | None]]:
        """The Original Order's lines, each with the picture it shows."""
        return [(line, self.images.get(line.sku_id)) for line in self.lines]

    @property
    def available(self) -> list[ActionOption]:
        """The operations offered, and one refused just now (shown with what was typed)."""
        return [option for option in self.actions if option.allowed or option.open]

    @property
    def unavailable(self) -> list[ActionOption]:
        return [option for option in self.actions if not (option.allowed or option.open)]

    @property
    def over(self) -> bool:
        """Say whether the order is over (rejected or returned) and stays as a record."""
        return OrderStatus(self.order.status) in TERMINAL_STATUSES

    @property
    def oc_changed_count(self) -> int:
        return sum(1 for row in self.rows if row.changed)

    @property
    def has_documents(self) -> bool:
        documents = self.documents
        return bool(
            documents.backlog_skus
            or documents.delivery_notes
            or documents.invoices
            or documents.partner_inventory_slips
        )

    @property
    def can_delete_delivery_notes(self) -> bool:
        """Say whether the status lets a delivery note go (one no invoice references)."""
        return is_allowed(self.order.status, A.DELETE_DELIVERY_NOTE)

    @property
    def tags_form(self) -> Form | None:
        return self.forms.get("set_tags")

    def delete_form(self, note: DeliveryNote) -> Form | None:
        return self.forms.get(delete_key(note.pk))


def delete_key(note_id: int) -> str:
    return f"delete_delivery_note:{note_id}"


def order_page(
    *,
    order: Order,
    can_write: bool,
    data: QueryDict | None = None,
    bound: str | None = None,
) -> OrderPage:
    """Read the order's OC, documents and tags and lay out its operations (fixed queries).

    `bound` names the form that `data` was posted to; every other form starts fresh.
    """
    lines = list(order.lines.all())
    confirmation = confirmation_of_order(order_id=order.pk)
    documents = documents_of_order_for_brand(order_id=order.pk)
    images = sku_line_images(sku_ids=line_skus(lines=lines, confirmation=confirmation))
    page = OrderPage(
        order=order,
        lines=lines,
        confirmation=confirmation,
        rows=oc_rows(lines=lines, confirmation=confirmation, images=images),
        images=images,
        documents=documents,
        tags=tags_of_order(order_id=order.pk),
        undelivered=undelivered_lines(
            confirmation=confirmation, delivery_notes=documents.delivery_notes
        ),
        open_notes=[note for note in documents.delivery_notes if not note.invoices.all()],
    )
    if can_write:
        page.forms = _forms(page, data=data, bound=bound)
        page.actions = _actions(page)
    return page


def _forms(page: OrderPage, *, data: QueryDict | None, bound: str | None) -> dict[str, Any]:
    def given(key: str) -> QueryDict | None:
        return data if key == bound else None

    made: dict[str, Form] = {
        A.CONFIRM_OC: NotifyForm(given(A.CONFIRM_OC), prefix="confirm"),
        A.REOPEN_OC: NotifyForm(given(A.REOPEN_OC), prefix="reopen"),
        A.CREATE_BACKLOG_SKUS: ConfirmForm(given(A.CREATE_BACKLOG_SKUS), prefix="backlog"),
        A.CREATE_DELIVERY_NOTE: DeliveryNoteForm(
            given(A.CREATE_DELIVERY_NOTE), prefix="delivery", undelivered=page.undelivered
        ),
        A.CREATE_INVOICE: InvoiceForm(
            given(A.CREATE_INVOICE), prefix="invoice", open_notes=page.open_notes
        ),
        A.CREATE_PARTNER_INVENTORY_SLIP: PartnerSlipForm(
            given(A.CREATE_PARTNER_INVENTORY_SLIP), prefix="slip"
        ),
        A.REJECT: RejectForm(given(A.REJECT), prefix="reject"),
        A.ARCHIVE: ConfirmForm(given(A.ARCHIVE), prefix="archive"),
        A.SET_TAGS: TagsForm(
            given(A.SET_TAGS),
            prefix="tags",
            initial={"tags": ", ".join(tag.name for tag in page.tags)},
        ),
    }
    # Every note, invoiced or not: a delete posted from a page that was out of date must come
    # back with the service's refusal, not vanish.
    for note in page.documents.delivery_notes:
        key = delete_key(note.pk)
        made[key] = ConfirmForm(given(key), prefix=f"dn{note.pk}")
    return {str(key): form for key, form in made.items()}


def _actions(page: OrderPage) -> list[ActionOption]:
    order = page.order
    status = OrderStatus(order.status)
    slug, code = order.brand.slug, order.code
    hints = _hints()
    next_step = NEXT_STEP.get(status)

    def url(name: str) -> str:
        return reverse(name, args=[slug, code])

    def option(
        action: OrderAction, *, reasons: Mapping[str, Any] | None = None, **kw: Any
    ) -> ActionOption:
        allowed = is_allowed(status, action)
        why: list[str] = []
        if not allowed:
            why = [status_reason(status)]
            if (action, status) in hints:
                why.append(hints[(action, status)])
        elif reasons:
            why = [str(reason) for reason in reasons.values() if reason]
        kw.setdefault("label", str(action.label))
        kw.setdefault("submit_label", str(action.label))
        return ActionOption(
            key=str(action),
            allowed=allowed and not why,
            reasons=why,
            form=page.forms.get(str(action)),
            primary=action == next_step,
            **kw,
        )

    oc_action = A.UPDATE_OC if page.confirmation is not None else A.CREATE_OC
    nothing_left = (
        DocumentError(DocumentErrorCode.NOTHING_TO_DELIVER).message
        if page.confirmation is not None and not page.undelivered
        else ""
    )
    backlog = page.documents.backlog_skus
    blockers = reopen_blockers(order=order) if status == S.OC_CONFIRMED else []
    documents = page.documents
    reject_refusals = [
        RejectBlocker(blocker.code, **blocker.params)
        for blocker in reject_blockers(
            RejectFacts(
                backlog_skus=[document.number for document in documents.backlog_skus],
                delivery_notes=[document.number for document in documents.delivery_notes],
                invoices=[document.number for document in documents.invoices],
            )
        )
    ]
    actions = [
        option(
            oc_action,
            link=True,
            url=url("brand-order-confirmation"),
            note=_("Change quantities, add or remove SKUs. The Original Order stays as placed."),
        ),
        option(
            A.CONFIRM_OC,
            url=url("brand-order-confirm"),
            note=_("Fix the OC as agreed; delivery notes and backlog SKUs become possible."),
        ),
        option(
            A.REOPEN_OC,
            url=url("brand-order-reopen"),
            reasons={blocker.code: blocker.message for blocker in blockers},
            note=_("Back to “OC created”, so the OC can be changed again."),
        ),
        option(
            A.CREATE_DELIVERY_NOTE,
            url=url("brand-order-delivery-notes"),
            reasons={"nothing_left": nothing_left},
            submit_label=_("Create the delivery note"),
            note=_("Deliver what is left of the OC, all of it or part of it."),
            body=DELIVERY_NOTE_BODY,
        ),
        option(
            A.CREATE_BACKLOG_SKUS,
            url=url("brand-order-backlog-skus"),
            reasons={
                "exists": _("Backlog SKUs %(number)s exist already; an order has one list.")
                % {"number": backlog[0].number}
                if backlog
                else "",
                "nothing_left": nothing_left,
            },
            note=_("List the SKUs still undelivered, for split delivery."),
            warning=_(
                "The list locks the order's lines: the OC can no longer be made editable again."
            ),
        ),
        option(
            A.CREATE_INVOICE,
            url=url("brand-order-invoices"),
            submit_label=_("Create the invoice"),
            note=_("Invoice the OC, or delivery notes not invoiced yet."),
            warning=_("An invoice cannot be deleted."),
        ),
        option(
            A.CREATE_PARTNER_INVENTORY_SLIP,
            url=url("brand-order-partner-slips"),
            label=_("Create a partner-inventory slip"),
            submit_label=_("Create the transfer slip"),
            note=_("Tie the order to a partner's consignment inventory."),
            warning=_(
                "A slip cannot be deleted, and the order can no longer be returned to the "
                "buyer's cart."
            ),
        ),
        option(
            A.REJECT,
            url=url("brand-order-reject"),
            reasons={refusal.code: refusal.message for refusal in reject_refusals},
            danger=True,
            note=_("Decline the order and end it."),
            warning=_(
                "A rejected order stays as a record: only its tags can change, and it can be "
                "archived."
            ),
        ),
    ]
    archive_form = page.forms.get(A.ARCHIVE)
    if is_allowed(status, A.ARCHIVE) or (archive_form is not None and archive_form.is_bound):
        actions.append(
            option(
                A.ARCHIVE,
                url=url("brand-order-archive"),
                label=_("Archive"),
                submit_label=_("Archive the order"),
                reasons={"archived": _("The order is archived.") if order.archived else ""},
                note=_("Hide it from Order Management's list; the Archived filter finds it."),
                warning=_("It stays archived for good."),
            )
        )
    return actions
