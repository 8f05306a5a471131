"""What the brand makes from a confirmed order: backlog SKUs, delivery notes, invoices and
partner-inventory transfer slips, each numbered in the brand's own sequence of its kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, User
from linesheet.core.errors import InvalidInput
from linesheet.documents.errors import DocumentError, DocumentErrorCode
from linesheet.documents.models import (
    BacklogSkuLine,
    BacklogSkuList,
    DeliveryNote,
    DeliveryNoteLine,
    DocumentLine,
    DocumentSequence,
    Invoice,
    InvoiceLine,
    OrderConfirmation,
    OrderConfirmationLine,
    PartnerInventorySlip,
)
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import Order
from linesheet.ordering.services import action_not_allowed, order_for_action
from linesheet.ordering.statuses import OrderAction

Line = TypeVar("Line", bound=DocumentLine)


PREFIXES = {"backlog": "BL-", "delivery_note": "DN-", "invoice": "INV-", "partner_slip": "PIS-"}


def document_number_issue(*, brand: Brand, kind: str) -> str:
    """Take the brand's next number for a kind of document, inside the caller's transaction."""
    sequence = DocumentSequence.objects.select_for_update().filter(brand=brand, kind=kind).first()
    if sequence is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(brand=brand, kind=kind)
        except IntegrityError:
            pass  # created at the same moment by another transaction
        sequence = DocumentSequence.objects.select_for_update().get(brand=brand, kind=kind)
    DocumentSequence.objects.filter(pk=sequence.pk).update(next_value=sequence.next_value + 1)
    return f"{PREFIXES[kind]}{sequence.next_value:06d}"


def _copy_lines(
    model: type[Line], source: Iterable[DocumentLine | Any], **parent: Any
) -> list[Line]:
    """Copy SKU, quantity and price lines onto another document in one INSERT."""
    return model._default_manager.bulk_create(
        model(
            sku_id=line.sku_id,
            sku_number=line.sku_number,
            model_number=line.model_number,
            product_name=line.product_name,
            color=line.color,
            size=line.size,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.unit_price * line.quantity,
            position=position,
            **parent,
        )
        for position, line in enumerate(source)
    )


def _confirmation_of(order: Order) -> OrderConfirmation:
    confirmation = OrderConfirmation.objects.filter(order=order).first()
    if confirmation is None:
        raise DocumentError(DocumentErrorCode.NO_CONFIRMATION)
    return confirmation


def _delivered_quantities(order: Order) -> dict[int, int]:
    rows = (
        DeliveryNoteLine.objects.filter(delivery_note__order=order)
        .values("sku_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["sku_id"]: row["total"] for row in rows}


def _undelivered_lines(order: Order) -> list[OrderConfirmationLine]:
    """Return the OC lines with the quantities still to deliver (none when all went out)."""
    delivered = _delivered_quantities(order)
    remaining = []
    for line in _confirmation_of(order).lines.order_by("position", "id"):
        left = line.quantity - delivered.get(line.sku_id, 0)
        if left > 0:
            line.quantity = left
            remaining.append(line)
    return remaining


# What each kind of delivery document is written as: its model, its line model and the field
# by which a line points at it.
DELIVERY_DOCUMENTS: dict[str, tuple[type[Any], type[Any], str]] = {
    "backlog": (BacklogSkuList, BacklogSkuLine, "backlog"),
    "delivery_note": (DeliveryNote, DeliveryNoteLine, "delivery_note"),
}


def _delivery_document_write(
    *,
    order: Order,
    actor: User | None,
    lines: list[OrderConfirmationLine],
    kind: str,
    event_type: str,
) -> Any:
    """Number and write a backlog list or delivery note with its lines and its event."""
    if not lines:
        raise DocumentError(DocumentErrorCode.NOTHING_TO_DELIVER)
    model, line_model, parent_field = DELIVERY_DOCUMENTS[kind]
    document = model.objects.create(
        brand=order.brand,
        order=order,
        number=document_number_issue(brand=order.brand, kind=kind),
        created_by=actor,
    )
    _copy_lines(line_model, lines, **{parent_field: document})
    record_event(
        order=order, type=event_type, actor=actor, number=document.number, lines=len(lines)
    )
    return document


def backlog_skus_create(*, order_id: int, actor: User | None) -> BacklogSkuList:
    """List the confirmed order's undelivered SKUs for split delivery; this locks the order."""
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.CREATE_BACKLOG_SKUS)
        if BacklogSkuList.objects.filter(order=order).exists():
            raise action_not_allowed(order=order, action=OrderAction.CREATE_BACKLOG_SKUS)
        backlog = _delivery_document_write(
            order=order,
            actor=actor,
            lines=_undelivered_lines(order),
            kind="backlog",
            event_type=OrderEventType.BACKLOG_SKUS_CREATED,
        )
    return backlog


def delivery_note_create(
    *, order_id: int, actor: User | None, quantities: Mapping[str, int] | None = None
) -> DeliveryNote:
    """Write a confirmed order's delivery note: the given quantities, or all undelivered."""
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.CREATE_DELIVERY_NOTE)
        lines = _undelivered_lines(order)
        if quantities is not None:
            lines = _pick_quantities(lines, quantities)
        note = _delivery_document_write(
            order=order,
            actor=actor,
            lines=lines,
            kind="delivery_note",
            event_type=OrderEventType.DELIVERY_NOTE_CREATED,
        )
    return note


def _pick_quantities(
    lines: Sequence[OrderConfirmationLine], quantities: Mapping[str, int]
) -> list[OrderConfirmationLine]:
    by_number = {line.sku_number: line for line in lines}
    errors: dict[str, list[dict[str, str]]] = {}
    picked = []
    for index, (number, quantity) in enumerate(quantities.items()):
        line = by_number.get(number)
        if (
            line is None
            or isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not (0 <= quantity <= line.quantity)
        ):
            errors[f"lines.{index}.quantity"] = [
                {
                    "code": "invalid_quantity",
                    "message": _("%(sku)s: deliver from 0 to the %(left)s still undelivered.")
                    % {"sku": number, "left": line.quantity if line else 0},
                }
            ]
        elif quantity:
            line.quantity = quantity
            picked.append(line)
    if errors:
        raise InvalidInput(errors)
    return picked


def delivery_note_delete(*, delivery_note_id: int, actor: User | None) -> None:
    """Delete a delivery note that no invoice references; this releases the order."""
    with transaction.atomic():
        order_id = (
            DeliveryNote.objects.filter(pk=delivery_note_id)
            .values_list("order_id", flat=True)
            .first()
        )
        if order_id is None:
            raise DeliveryNote.DoesNotExist(f"delivery note {delivery_note_id}")
        order = order_for_action(order_id=order_id, action=OrderAction.DELETE_DELIVERY_NOTE)
        note = DeliveryNote.objects.select_for_update().get(pk=delivery_note_id)
        invoices = list(note.invoices.values_list("number", flat=True))
        if invoices:
            raise DocumentError(DocumentErrorCode.HAS_INVOICE, numbers=", ".join(invoices))
        number = note.number
        note.delete()
        record_event(
            order=order, type=OrderEventType.DELIVERY_NOTE_DELETED, actor=actor, number=number
        )


def invoice_create(
    *, order_id: int, actor: User | None, delivery_note_ids: Sequence[int] | None = None
) -> Invoice:
    """Invoice the order's OC, or the given delivery notes of the order."""
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.CREATE_INVOICE)
        if delivery_note_ids:
            notes = list(
                DeliveryNote.objects.select_for_update(of=("self",))
                .filter(pk__in=delivery_note_ids, order=order, invoices__isnull=True)
                .order_by("pk")
            )
            if len(notes) != len(set(delivery_note_ids)):
                raise DocumentError(DocumentErrorCode.DELIVERY_NOTE_OF_ANOTHER_ORDER)
            source: list[Any] = list(
                DeliveryNoteLine.objects.filter(delivery_note__in=notes).order_by(
                    "delivery_note_id", "position"
                )
            )
        else:
            notes = []
            source = list(_confirmation_of(order).lines.order_by("position", "id"))
        invoice = Invoice.objects.create(
            brand=order.brand,
            order=order,
            number=document_number_issue(brand=order.brand, kind="invoice"),
            created_by=actor,
            currency=order.currency,
            total_amount=sum((line.unit_price * line.quantity for line in source), Decimal("0")),
        )
        invoice.delivery_notes.set(notes)
        _copy_lines(InvoiceLine, source, invoice=invoice)
        record_event(
            order=order,
            type=OrderEventType.INVOICE_CREATED,
            actor=actor,
            number=invoice.number,
            delivery_notes=[note.number for note in notes],
        )
    return invoice


def partner_inventory_slip_create(
    *, order_id: int, actor: User | None, partner: str
) -> PartnerInventorySlip:
    """Tie the order to partner (consignment) inventory with a transfer slip."""
    partner = " ".join(partner.split())
    if not partner or len(partner) > 200:
        raise InvalidInput.field(
            "partner",
            "required",
            _("Name the partner whose inventory this is (up to 200 characters)."),
        )
    with transaction.atomic():
        order = order_for_action(
            order_id=order_id, action=OrderAction.CREATE_PARTNER_INVENTORY_SLIP
        )
        slip = PartnerInventorySlip.objects.create(
            brand=order.brand,
            order=order,
            number=document_number_issue(brand=order.brand, kind="partner_slip"),
            partner=partner,
            created_by=actor,
        )
        record_event(
            order=order,
            type=OrderEventType.PARTNER_INVENTORY_SLIP_CREATED,
            actor=actor,
            number=slip.number,
            partner=partner,
        )
    return slip
