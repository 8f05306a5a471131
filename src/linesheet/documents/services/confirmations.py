"""The order confirmation (OC): create, update, approve, reject, confirm, reopen.

Every operation opens with `order_for_action` (transaction, row locks, the status policy) and
writes its event in the same transaction; notifications follow from the event.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.catalog.models import SKU, sku_catalog_position
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.taxes import tax_rules_for
from linesheet.core.errors import InvalidInput
from linesheet.core.money import CENT
from linesheet.core.tax import TaxLine, TaxTotals
from linesheet.documents.errors import DocumentError, DocumentErrorCode
from linesheet.documents.models import (
    BacklogSkuList,
    DeliveryNote,
    OrderConfirmation,
    OrderConfirmationLine,
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
from linesheet.ordering.taxes import order_tax_totals, taxed_lines_totals

MAX_SHIPPING_FEE = Decimal("1000000000")


def _confirmation_lines(
    *, order: Order, quantities: Mapping[str, int]
) -> list[OrderConfirmationLine]:
    """Build OC lines in the catalog's order: original lines keep their price and tax rate,
    added SKUs take today's wholesale price and today's rate for the buyer's country."""
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
    added = [number for number in wanted if number not in original]
    rules = tax_rules_for(brand=order.brand, country=order.buyer.country) if added else None
    for position, (number, quantity) in enumerate(in_catalog_order):
        sku = skus[number]
        if number in original:
            price = original[number].unit_price
            rate = original[number].applied_tax
        else:
            price = wholesale_price(
                retail_price=sku.retail_price, wholesale_rate=order.buyer.wholesale_rate
            )
            rate = rules.rate_for(sku.product.tax_class) if rules else None
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
                tax_name=rate.name if rate else "",
                tax_rate=rate.rate if rate else None,
                tax_reduced=rate.reduced if rate else False,
                position=position,
            )
        )
    return lines


def confirmation_totals(
    *, order: Order, lines: list[OrderConfirmationLine], shipping: TaxLine | None = None
) -> TaxTotals:
    """Return the OC's net, shipping, tax per rate and gross, rounded as the order was."""
    rounding = order_tax_totals(order).rounding if order.tax_totals else order.brand.tax_rounding
    return taxed_lines_totals(
        lines=[(line.amount, line.applied_tax) for line in lines],
        currency=order.currency,
        rounding=rounding,
        shipping=shipping,
    )


def shipping_checked(value: Any) -> Decimal | None:
    """Return a shipping fee the brand typed (cents from 0), None for none given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        fee = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        fee = Decimal("NaN")
    if (
        isinstance(value, (float, bool))
        or not fee.is_finite()
        or not (0 <= fee < MAX_SHIPPING_FEE)
        or fee != fee.quantize(CENT)
    ):
        raise InvalidInput.field(
            "shipping",
            "invalid_shipping",
            _("A shipping fee is an amount from 0, in cents at most (e.g. 9.90)."),
        )
    return fee.quantize(CENT)


def _confirmation_shipping(
    *, order: Order, existing: OrderConfirmation | None, fee: Decimal | None
) -> TaxLine | None:
    """The OC's fee: the one given, else the OC's as last saved, else the order's.

    The fee keeps the rate it was charged at; a fee the order did not have is taxed at the
    brand's standard rate for the buyer's country today.
    """
    kept = order_tax_totals(order)
    if existing is not None and existing.tax_totals:
        kept = TaxTotals.from_dict(existing.tax_totals)
    if fee is None:
        if kept.shipping is None:
            return None
        return TaxLine(net=kept.shipping, rate=kept.shipping_rate)
    rate = kept.shipping_rate or order_tax_totals(order).shipping_rate
    if kept.shipping is None and rate is None:
        rate = tax_rules_for(brand=order.brand, country=order.buyer.country).standard
    return TaxLine(net=fee, rate=rate)


def confirmation_save(
    *,
    order_id: int,
    quantities: Mapping[str, int],
    allow_buyer_approval: bool,
    actor: User | None,
    notify: bool,
    message: str = "",
    version: int | None = None,
    shipping: Any = None,
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

    `shipping` changes the shipping fee (an amount, 0 ships free); without it the OC keeps
    the fee it has, or the order's.
    """
    details = notification_details(notify=notify, message=message)
    fee = shipping_checked(shipping)
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
        totals = confirmation_totals(
            order=order,
            lines=lines,
            shipping=_confirmation_shipping(order=order, existing=existing, fee=fee),
        )
        now = timezone.now()
        confirmation, _created = OrderConfirmation.objects.update_or_create(
            order=order,
            defaults={
                "allow_buyer_approval": allow_buyer_approval,
                "total_quantity": sum(line.quantity for line in lines),
                "total_amount": totals.net,
                "tax_totals": totals.as_dict(),
                "updated_at": now,
                "buyer_note": "",
                "version": current + 1,
            },
            create_defaults={
                "allow_buyer_approval": allow_buyer_approval,
                "total_quantity": sum(line.quantity for line in lines),
                "total_amount": totals.net,
                "tax_totals": totals.as_dict(),
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
