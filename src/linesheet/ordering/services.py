"""Ordering operations: carts, placing orders, and the guard that opens every order change."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.catalog.models import SKU, Catalog
from linesheet.catalog.pricing import wholesale_price
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules, selectors
from linesheet.ordering.errors import OrderError, OrderErrorCode, ReturnBlocker
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import (
    MAX_CART_LINES,
    MAX_LINE_QUANTITY,
    Cart,
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    OrderRoute,
    OrderTag,
    Tag,
)
from linesheet.ordering.numbering import order_code_issue
from linesheet.ordering.statuses import (
    STATUS_NAMES,
    OrderAction,
    OrderStatus,
    can_transition,
    is_allowed,
)


def today() -> datetime.date:
    return timezone.localdate()


# --- The guard and the status writer ----------------------------------------------------------


def order_for_action(*, order_id: int, action: str) -> Order:
    """Lock the order for `action` and check its status accepts it. Call inside a transaction.

    Locks in the project's fixed order: the buyer organisation's row first, then the order, so
    operations on different orders of one organisation (returns, carts) serialise instead of
    deadlocking.
    """
    order = order_lock(order_id=order_id)
    if not is_allowed(order.status, action):
        raise action_not_allowed(order=order, action=action)
    return order


def action_not_allowed(*, order: Order, action: str) -> OrderError:
    """Return the refusal of `action` on `order` in its current status."""
    return OrderError(
        OrderErrorCode.ACTION_NOT_ALLOWED,
        action=action,
        order_status=order.status,
        action_label=str(OrderAction(action).label),
        status_label=str(STATUS_NAMES[OrderStatus(order.status)]),
    )


def order_set_status(
    *,
    order: Order,
    status: str,
    actor: User | None,
    event_type: str = OrderEventType.STATUS_CHANGED,
    **details: object,
) -> OrderEvent:
    """Move the order to `status` along TRANSITIONS and record it: the one writer of status.

    The event is the operation's own (`event_type`), carrying the previous and new status.
    """
    if not can_transition(order.status, status):
        raise RuntimeError(f"no transition {order.status} -> {status}")  # a bug, not input
    previous = order.status
    order.status = status
    order.updated_at = timezone.now()
    order.save(update_fields=["status", "updated_at"])
    return record_event(
        order=order, type=event_type, actor=actor, previous=previous, status=status, **details
    )


# --- Carts ------------------------------------------------------------------------------------


def _buyer_of(*, organization: BuyerOrganization, catalog: Catalog) -> Buyer:
    buyer = Buyer.objects.filter(brand_id=catalog.brand_id, organization=organization).first()
    if buyer is None:
        raise OrderError(OrderErrorCode.NOT_CONNECTED, brand=catalog.brand.name)
    return buyer


def cart_create(*, organization: BuyerOrganization, catalog: Catalog) -> Cart:
    """Open the organisation's cart for a catalog; a second cart for the same catalog is refused."""
    _buyer_of(organization=organization, catalog=catalog)
    reason = rules.catalog_closed_reason(
        status=catalog.status, order_deadline=catalog.order_deadline, today=today()
    )
    if reason is not None:
        raise OrderError(
            OrderErrorCode.CATALOG_CLOSED,
            catalog=catalog.name,
            reason=str(rules.CLOSED_REASONS[reason]),
        )
    try:
        with transaction.atomic():
            # Lock order: organisation first (see order_for_action).
            BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
            if Cart.objects.filter(organization=organization, catalog=catalog).exists():
                raise OrderError(OrderErrorCode.CART_EXISTS, catalog=catalog.name)
            return Cart.objects.create(
                organization=organization,
                catalog=catalog,
                brand_id=catalog.brand_id,
                delivery_address=organization.delivery_address,
                billing_address=organization.billing_address,
            )
    except IntegrityError as exc:  # the unique constraint: another request won the race
        raise OrderError(OrderErrorCode.CART_EXISTS, catalog=catalog.name) from exc


CART_HEADER_FIELDS = frozenset(
    {"desired_delivery_date", "comment", "delivery_address", "billing_address"}
)


def cart_update(*, cart: Cart, **changes: object) -> Cart:
    """Change the cart's header: desired delivery date, comment, addresses."""
    unknown = set(changes) - CART_HEADER_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    date = changes.get("desired_delivery_date")
    if isinstance(date, datetime.date) and date < today():
        raise InvalidInput.field(
            "desired_delivery_date", "in_past", _("The desired delivery date is in the past.")
        )
    with transaction.atomic():
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*sorted(changes), "updated_at"])
    return locked


def _resolve_skus(*, cart: Cart, sku_numbers: list[str]) -> dict[str, SKU]:
    found = {
        sku.sku_number: sku
        for sku in SKU.objects.filter(
            brand_id=cart.brand_id, product__catalog_id=cart.catalog_id, sku_number__in=sku_numbers
        )
    }
    errors: dict[str, list[dict[str, str]]] = {}
    for index, number in enumerate(sku_numbers):
        sku = found.get(number)
        if sku is None:
            errors[f"lines.{index}.sku_number"] = [
                {
                    "code": "unknown_sku",
                    "message": _("%(sku)s is not a SKU of this catalog.") % {"sku": number},
                }
            ]
        elif not sku.is_active:
            errors[f"lines.{index}.sku_number"] = [
                {
                    "code": OrderErrorCode.SKU_NOT_ORDERABLE,
                    "message": _("%(sku)s can no longer be ordered.") % {"sku": number},
                }
            ]
    if errors:
        raise InvalidInput(errors)
    return found


def _check_quantities(quantities: Mapping[str, int], *, allow_zero: bool) -> None:
    errors: dict[str, list[dict[str, str]]] = {}
    low = 0 if allow_zero else 1
    for index, (number, quantity) in enumerate(quantities.items()):
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            message = _("The quantity of %(sku)s must be a whole number.") % {"sku": number}
        elif not low <= quantity <= MAX_LINE_QUANTITY:
            message = _("The quantity of %(sku)s must be between %(low)s and %(high)s.") % {
                "sku": number,
                "low": low,
                "high": MAX_LINE_QUANTITY,
            }
        else:
            continue
        errors[f"lines.{index}.quantity"] = [{"code": "invalid_quantity", "message": message}]
    if errors:
        raise InvalidInput(errors)


def cart_set_lines(
    *, cart: Cart, quantities: Mapping[str, int], replace: bool = True
) -> list[CartLine]:
    """Set the cart's lines from {sku_number: quantity}.

    With `replace`, the given lines become the whole cart (quantities 1..MAX). Without it, only
    the given SKUs change and a quantity of 0 removes a line (the catalog grid works this way).
    Bad input refuses everything and changes nothing.
    """
    _check_quantities(quantities, allow_zero=not replace)
    wanted = {number: quantity for number, quantity in quantities.items() if quantity > 0}
    skus = _resolve_skus(cart=cart, sku_numbers=list(wanted)) if wanted else {}
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).first()
        lines = CartLine.objects.filter(cart=cart)
        if replace:
            lines.delete()
        else:
            lines.filter(sku__sku_number__in=list(quantities)).delete()
        CartLine.objects.bulk_create(
            CartLine(cart=cart, sku=skus[number], quantity=quantity)
            for number, quantity in wanted.items()
        )
        if CartLine.objects.filter(cart=cart).count() > MAX_CART_LINES:
            raise OrderError(OrderErrorCode.TOO_MANY_LINES, limit=MAX_CART_LINES, status=400)
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return list(CartLine.objects.filter(cart=cart).select_related("sku"))


def cart_delete(*, cart: Cart) -> None:
    """Delete the cart and its lines."""
    with transaction.atomic():
        Cart.objects.filter(pk=cart.pk).delete()


# --- Placing ----------------------------------------------------------------------------------


def order_place(
    *,
    cart_id: int,
    organization: BuyerOrganization,
    placed_by: User | None,
    route: str = OrderRoute.BUYER_APP,
) -> Order:
    """Turn the cart into an order with the brand's next code, in one transaction, and delete it.

    The lines, prices (retail x the buyer's wholesale rate, now), date, comment and addresses
    become the Original Order. A cart returned by the brand records the order it replaces.
    """
    with transaction.atomic():
        BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        cart = (
            Cart.objects.select_for_update(of=("self",))
            .select_related("catalog", "brand", "source_order")
            .filter(pk=cart_id, organization=organization)
            .first()
        )
        if cart is None:
            raise OrderError(OrderErrorCode.CART_NOT_FOUND, status=404)
        buyer = _buyer_of(organization=organization, catalog=cart.catalog)
        lines = list(
            CartLine.objects.filter(cart=cart).select_related("sku__product").order_by("id")
        )
        blockers = rules.order_place_blockers(
            rules.PlacementFacts(
                catalog_name=cart.catalog.name,
                catalog_status=cart.catalog.status,
                order_deadline=cart.catalog.order_deadline,
                today=today(),
                line_count=len(lines),
                unorderable_skus=[line.sku.sku_number for line in lines if not line.sku.is_active],
            )
        )
        if blockers:
            first = blockers[0]
            raise OrderError(
                first.code,
                **first.params,
                blockers=[OrderError(b.code, **b.params).as_dict() for b in blockers],
            )
        now = timezone.now()
        priced = [
            (
                line,
                wholesale_price(
                    retail_price=line.sku.retail_price, wholesale_rate=buyer.wholesale_rate
                ),
            )
            for line in lines
        ]
        order = Order.objects.create(
            brand=cart.brand,
            code=order_code_issue(brand=cart.brand, today=timezone.localdate(now)),
            buyer=buyer,
            organization=organization,
            catalog=cart.catalog,
            route=route,
            status=OrderStatus.AWAITING_OC,
            currency=cart.catalog.currency,
            total_quantity=sum(line.quantity for line in lines),
            total_amount=sum((price * line.quantity for line, price in priced), Decimal("0")),
            line_count=len(lines),
            desired_delivery_date=cart.desired_delivery_date,
            comment=cart.comment,
            delivery_address=cart.delivery_address,
            billing_address=cart.billing_address,
            placed_at=now,
            placed_by=placed_by,
            replaces_id=cart.source_order_id,
            updated_at=now,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                sku=line.sku,
                sku_number=line.sku.sku_number,
                model_number=line.sku.product.model_number,
                product_name=line.sku.product.name,
                color=line.sku.color,
                size=line.sku.size,
                quantity=line.quantity,
                unit_price=price,
                amount=price * line.quantity,
                position=position,
            )
            for position, (line, price) in enumerate(priced)
        )
        record_event(
            order=order,
            type=OrderEventType.PLACED,
            actor=placed_by,
            route=route,
            lines=len(lines),
            replaces=cart.source_order.code if cart.source_order is not None else None,
        )
        if cart.source_order is not None:
            record_event(
                order=cart.source_order,
                type=OrderEventType.REPLACED,
                actor=placed_by,
                replaced_by=order.code,
            )
        Cart.objects.filter(pk=cart.pk).delete()
    return order


# --- Operations on a placed order -------------------------------------------------------------

MAX_MESSAGE_LENGTH = 2000


def notification_details(*, notify: bool, message: str) -> dict[str, object]:
    """Return the event details that say whether and what to tell the buyer."""
    message = message.strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInput.field(
            "message",
            "too_long",
            _("The message is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(message), "limit": MAX_MESSAGE_LENGTH},
        )
    return {"notify": bool(notify), "message": message if notify else ""}


def order_reject(*, order_id: int, actor: User | None, notify: bool, message: str = "") -> Order:
    """Reject the order (terminal), optionally telling the buyer why."""
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.REJECT)
        order_set_status(
            order=order,
            status=OrderStatus.REJECTED,
            actor=actor,
            event_type=OrderEventType.REJECTED,
            **details,
        )
    return order


def order_archive(*, order_id: int, actor: User | None) -> Order:
    """Hide a rejected or returned order from the default list. Irreversible."""
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.ARCHIVE)
        if not order.archived:
            order.archived = True
            order.updated_at = timezone.now()
            order.save(update_fields=["archived", "updated_at"])
            record_event(order=order, type=OrderEventType.ARCHIVED, actor=actor)
    return order


def order_set_tags(*, order_id: int, actor: User | None, names: list[str]) -> list[Tag]:
    """Replace the order's tags with `names`, creating the brand's tags that do not exist yet."""
    cleaned = sorted({" ".join(name.split()) for name in names if name.strip()})
    too_long = [name for name in cleaned if len(name) > 40]
    if too_long or len(cleaned) > 20:
        raise InvalidInput.field(
            "tags", "invalid", _("Use at most 20 tags of at most 40 characters each.")
        )
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.SET_TAGS)
        existing = {
            tag.name: tag for tag in Tag.objects.filter(brand=order.brand, name__in=cleaned)
        }
        missing = [Tag(brand=order.brand, name=name) for name in cleaned if name not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {
                tag.name: tag for tag in Tag.objects.filter(brand=order.brand, name__in=cleaned)
            }
        before = sorted(OrderTag.objects.filter(order=order).values_list("tag__name", flat=True))
        if before != cleaned:
            OrderTag.objects.filter(order=order).delete()
            OrderTag.objects.bulk_create(OrderTag(order=order, tag=existing[n]) for n in cleaned)
            record_event(
                order=order,
                type=OrderEventType.TAGS_CHANGED,
                actor=actor,
                before=before,
                after=cleaned,
            )
    return [existing[name] for name in cleaned]


# --- Return to the buyer's cart -----------------------------------------------------------------


def order_lock(*, order_id: int) -> Order:
    """Lock the order's buyer organisation (as connected now), then the order. In a transaction."""
    list(
        BuyerOrganization.objects.select_for_update()
        .filter(buyer_records__orders=order_id)
        .values_list("pk")
    )
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("brand", "buyer__organization", "catalog", "organization")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Order.DoesNotExist(f"order {order_id}")
    return order


def _not_returnable(blockers: list[rules.Blocker]) -> OrderError:
    details = [ReturnBlocker(b.code, **b.params).as_dict() for b in blockers]
    return OrderError(
        OrderErrorCode.NOT_RETURNABLE,
        reasons=" ".join(detail["message"] for detail in details),
        blockers=details,
    )


def order_return_to_cart(
    *, order_id: int, actor: User | None, notify: bool, message: str = ""
) -> tuple[Order, Cart]:
    """Send the order back to its buyer organisation's cart as the Original Order. Irreversible.

    One transaction: lock the organisation, then the order; check every rule again under the
    lock; create the cart marked returned by the brand with the original lines, date, comment
    and addresses (never the OC); move the order to `returned_to_cart`; record the event, whose
    notify flag queues the buyer's email in this same transaction. A concurrent second return
    waits on the locks and is then refused with `already_returned`; the one-cart constraint is
    the backstop against a cart created by any other path.
    """
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        facts = selectors.return_facts(order=order, today=today())
        blockers = rules.return_to_cart_blockers(facts)
        if blockers:
            raise _not_returnable(blockers)
        if not is_allowed(order.status, OrderAction.RETURN_TO_CART):
            raise action_not_allowed(order=order, action=OrderAction.RETURN_TO_CART)
        organization = order.buyer.organization
        assert organization is not None  # offline_buyer would have blocked
        try:
            with transaction.atomic():
                cart = Cart.objects.create(
                    organization=organization,
                    catalog=order.catalog,
                    brand=order.brand,
                    desired_delivery_date=order.desired_delivery_date,
                    comment=order.comment,
                    delivery_address=order.delivery_address,
                    billing_address=order.billing_address,
                    returned_by_brand=True,
                    source_order=order,
                    return_message=str(details["message"]),
                )
        except IntegrityError as exc:
            raise _not_returnable(
                [
                    rules.Blocker(
                        OrderErrorCode.CART_EXISTS,
                        {"catalog": order.catalog.name, "organization": organization.name},
                    )
                ]
            ) from exc
        _copy_order_lines_to_cart(order=order, cart=cart)
        order_set_status(
            order=order,
            status=OrderStatus.RETURNED_TO_CART,
            actor=actor,
            event_type=OrderEventType.RETURNED_TO_CART,
            cart_id=cart.pk,
            organization=organization.name,
            **details,
        )
    return order, cart


def _copy_order_lines_to_cart(*, order: Order, cart: Cart) -> None:
    """Copy the Original Order's lines into the cart in one INSERT ... SELECT.

    One statement whatever the number of lines: no read of the lines into Python and no
    batching (SQLite would split a bulk INSERT of 500 lines on its parameter limit).
    """
    cart_line, order_line = CartLine._meta, OrderLine._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cart_line.db_table} (cart_id, sku_id, quantity) "
            f"SELECT %s, sku_id, quantity FROM {order_line.db_table} "
            "WHERE order_id = %s ORDER BY position, id",
            [cart.pk, order.pk],
        )


def cart_take_oc_quantities(*, cart: Cart, sku_numbers: list[str] | None = None) -> list[CartLine]:
    """Set the returned cart's lines to the brand's OC quantities: the given SKUs, or all."""
    proposals = {p.sku_number: p for p in selectors.cart_oc_proposals(cart=cart)}
    chosen = (
        proposals
        if sku_numbers is None
        else {n: proposals[n] for n in sku_numbers if n in proposals}
    )
    if not chosen:
        return list(CartLine.objects.filter(cart=cart).select_related("sku"))
    return cart_set_lines(
        cart=cart,
        quantities={number: p.oc_quantity for number, p in chosen.items()},
        replace=False,
    )
