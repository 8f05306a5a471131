"""Document operations: the OC (create, update, approve, reject, confirm, reopen), backlog SKUs,
delivery notes, invoices and partner-inventory transfer slips.

Every operation opens with `order_for_action` (transaction, row locks, the status policy) and
writes its event in the same transaction; notifications follow from the event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, BuyerOrganization, User
from linesheet.catalog.models import SKU, sku_catalog_position
from linesheet.catalog.pricing import wholesale_price
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
from linesheet.ordering.messages import notification_details
from linesheet.ordering.models import MAX_LINE_QUANTITY, Order
from linesheet.ordering.services import (
    action_not_allowed,
    order_for_action,
    order_lock,
    order_set_status,
)
from linesheet.ordering.statuses import OrderAction, OrderStatus, is_allowed

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


# --- Order confirmation -----------------------------------------------------------------------


def _confirmation_lines(
    *, order: Order, quantities: Mapping[str, int]
) -> list[OrderConfirmationLine]:
    """Build OC lines in the catalog's order: original lines keep their price, added SKUs take
    today's wholesale price."""
    errors: dict[str, list[dict[str, str]]] = {}
    wanted: dict[str, int] = {}
    for index, (number, quantity) in enumerate(quantities.items()):
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not (0 <= quantity <= MAX_LINE_QUANTITY)
        ):
            errors[f"lines.{index}.quantity"] = [
                {
                    "code": "invalid_quantity",
                    "message": _(
                        "The quantity of %(sku)s must be a whole number from 0 to %(max)s."
                    )
                    % {"sku": number, "max": MAX_LINE_QUANTITY},
                }
            ]
        elif quantity > 0:
            wanted[number] = quantity
    original = {line.sku_number: line for line in order.lines.all()}
    skus = {
        sku.sku_number: sku
        for sku in SKU.objects.filter(
            product__catalog_id=order.catalog_id, sku_number__in=list(wanted)
        ).select_related("product")
    }
    for index, number in enumerate(quantities):
        if number in wanted and number not in skus:
            errors[f"lines.{index}.sku_number"] = [
                {
                    "code": "unknown_sku",
                    "message": _("%(sku)s is not a SKU of this order's catalog.") % {"sku": number},
                }
            ]
    if not errors and not wanted:
        errors["lines"] = [
            {
                "code": "empty",
                "message": _(
                    "An OC needs at least one line; to cancel everything, reject the order."
                ),
            }
        ]
    if errors:
        raise InvalidInput(errors)
    lines = []
    in_catalog_order = sorted(wanted.items(), key=lambda item: sku_catalog_position(skus[item[0]]))
    for position, (number, quantity) in enumerate(in_catalog_order):
        sku = skus[number]
        price = (
            original[number].unit_price
            if number in original
            else wholesale_price(
                retail_price=sku.retail_price, wholesale_rate=order.buyer.wholesale_rate
            )
        )
        lines.append(
            OrderConfirmationLine(
                sku=sku,
                sku_number=number,
                model_number=sku.product.model_number,
                product_name=sku.product.name,
                color=sku.color,
                size=sku.size,
                quantity=quantity,
                unit_price=price,
                amount=price * quantity,
                position=position,
            )
        )
    return lines


def confirmation_save(
    *,
    order_id: int,
    quantities: Mapping[str, int],
    allow_buyer_approval: bool,
    actor: User | None,
    notify: bool,
    message: str = "",
    version: int | None = None,
) -> tuple[OrderConfirmation, bool]:
    """Create the order's OC, or update it while `oc_created` or `oc_rejected`.

    `quantities` maps SKU number to quantity: change an original line, add a SKU of the
    catalog, or leave a line out (or give 0) to remove it. The Original Order never changes.
    Returns the OC and whether this call created it.

    Lock, then decide: whether the OC exists (create or update) is read under the order's
    lock, so of two first saves at once one creates the OC and the other updates it. `version`
    is the OC version the caller edited (0: there was no OC yet); when the OC is at another
    version now, the save is refused with `stale_confirmation`, the current OC in its params.
    Without `version` the save goes over whatever is there.
    """
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        existing = OrderConfirmation.objects.filter(order=order).first()
        action = OrderAction.UPDATE_OC if existing is not None else OrderAction.CREATE_OC
        if not is_allowed(order.status, action):
            raise action_not_allowed(order=order, action=action)
        current = existing.version if existing is not None else 0
        if version is not None and version != current:
            raise DocumentError(
                DocumentErrorCode.STALE_CONFIRMATION,
                version=current,
                confirmation=_confirmation_snapshot(existing, currency=order.currency),
            )
        lines = _confirmation_lines(order=order, quantities=quantities)
        now = timezone.now()
        confirmation, _created = OrderConfirmation.objects.update_or_create(
            order=order,
            defaults={
                "allow_buyer_approval": allow_buyer_approval,
                "total_quantity": sum(line.quantity for line in lines),
                "total_amount": sum((line.amount for line in lines), Decimal("0")),
                "updated_at": now,
                "buyer_note": "",
                "version": current + 1,
            },
            create_defaults={
                "allow_buyer_approval": allow_buyer_approval,
                "total_quantity": sum(line.quantity for line in lines),
                "total_amount": sum((line.amount for line in lines), Decimal("0")),
                "created_by": actor,
                "created_at": now,
                "updated_at": now,
                "version": current + 1,
            },
        )
        OrderConfirmationLine.objects.filter(confirmation=confirmation).delete()
        for line in lines:
            line.confirmation = confirmation
        OrderConfirmationLine.objects.bulk_create(lines)
        event_details = {
            **details,
            "allow_buyer_approval": allow_buyer_approval,
            "lines": len(lines),
            "total_quantity": confirmation.total_quantity,
            "version": confirmation.version,
        }
        event_type = OrderEventType.OC_UPDATED if existing else OrderEventType.OC_CREATED
        if order.status == OrderStatus.OC_CREATED:
            order.updated_at = now
            order.save(update_fields=["updated_at"])
            record_event(order=order, type=event_type, actor=actor, **event_details)
        else:
            order_set_status(
                order=order,
                status=OrderStatus.OC_CREATED,
                actor=actor,
                event_type=event_type,
                **event_details,
            )
    return confirmation, existing is None


def _confirmation_snapshot(
    confirmation: OrderConfirmation | None, *, currency: str
) -> dict[str, Any] | None:
    """Return the OC as it is, JSON-ready, for a refusal that must show it (money with currency)."""
    if confirmation is None:
        return None

    def money(amount: Decimal) -> dict[str, str]:
        return {"amount": f"{amount:.2f}", "currency": currency}

    return {
        "version": confirmation.version,
        "allow_buyer_approval": confirmation.allow_buyer_approval,
        "updated_at": confirmation.updated_at.isoformat(),
        "total_quantity": confirmation.total_quantity,
        "total_amount": money(confirmation.total_amount),
        "lines": [
            {
                "sku_number": line.sku_number,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
                "amount": money(line.amount),
            }
            for line in confirmation.lines.order_by("position", "id")
        ],
    }


def _buyer_order(*, order_id: int, organization: BuyerOrganization, action: str) -> Order:
    order = order_for_action(order_id=order_id, action=action)
    if order.organization_id != organization.pk:
        raise Order.DoesNotExist(f"order {order_id}")
    confirmation = OrderConfirmation.objects.filter(order=order).first()
    if confirmation is None or not confirmation.allow_buyer_approval:
        raise DocumentError(DocumentErrorCode.BUYER_APPROVAL_OFF)
    return order


def confirmation_approve(
    *, order_id: int, organization: BuyerOrganization, actor: User | None
) -> Order:
    """The buyer approves the OC (only when the brand asked for approval)."""
    with transaction.atomic():
        order = _buyer_order(
            order_id=order_id, organization=organization, action=OrderAction.APPROVE_OC
        )
        order_set_status(
            order=order,
            status=OrderStatus.OC_APPROVED,
            actor=actor,
            event_type=OrderEventType.OC_APPROVED,
        )
    return order


def confirmation_reject(
    *, order_id: int, organization: BuyerOrganization, actor: User | None, note: str = ""
) -> Order:
    """The buyer rejects the OC, optionally saying why; the brand may then update it."""
    note = note.strip()
    if len(note) > 2000:
        raise InvalidInput.field("note", "too_long", _("Keep the note under 2000 characters."))
    with transaction.atomic():
        order = _buyer_order(
            order_id=order_id, organization=organization, action=OrderAction.REJECT_OC
        )
        OrderConfirmation.objects.filter(order=order).update(buyer_note=note)
        order_set_status(
            order=order,
            status=OrderStatus.OC_REJECTED,
            actor=actor,
            event_type=OrderEventType.OC_REJECTED,
            note=note,
        )
    return order


def confirmation_confirm(
    *, order_id: int, actor: User | None, notify: bool, message: str = ""
) -> Order:
    """Confirm the OC (from `oc_created` or `oc_approved`)."""
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.CONFIRM_OC)
        order_set_status(
            order=order,
            status=OrderStatus.OC_CONFIRMED,
            actor=actor,
            event_type=OrderEventType.OC_CONFIRMED,
            **details,
        )
    return order


def reopen_blockers(*, order: Order) -> list[DocumentError]:
    """Return why a confirmed OC cannot be made editable again: delivery notes, backlog SKUs."""
    blockers = []
    notes = list(DeliveryNote.objects.filter(order=order).values_list("number", flat=True))
    if notes:
        blockers.append(
            DocumentError(DocumentErrorCode.HAS_DELIVERY_NOTE, numbers=", ".join(notes))
        )
    backlog = list(BacklogSkuList.objects.filter(order=order).values_list("number", flat=True))
    if backlog:
        blockers.append(
            DocumentError(DocumentErrorCode.HAS_BACKLOG_SKUS, numbers=", ".join(backlog))
        )
    return blockers


def confirmation_reopen(
    *, order_id: int, actor: User | None, notify: bool, message: str = ""
) -> Order:
    """Make a confirmed OC editable again, while no delivery note or backlog SKUs exist."""
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.REOPEN_OC)
        blockers = reopen_blockers(order=order)
        if blockers:
            first = blockers[0]
            raise DocumentError(
                first.code, **first.params, blockers=[b.as_dict() for b in blockers]
            )
        order_set_status(
            order=order,
            status=OrderStatus.OC_CREATED,
            actor=actor,
            event_type=OrderEventType.OC_REOPENED,
            **details,
        )
    return order


def _confirmation_of(order: Order) -> OrderConfirmation:
    confirmation = OrderConfirmation.objects.filter(order=order).first()
    if confirmation is None:
        raise DocumentError(DocumentErrorCode.NO_CONFIRMATION)
    return confirmation


# --- Backlog SKUs, delivery notes, invoices, partner-inventory slips -------------------------


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
