"""Returning a placed order to the buyer organisation's cart."""

from __future__ import annotations

from django.db import IntegrityError, connection

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.core.clock import today
from linesheet.core.statements import insert
from linesheet.core.transactions import operation
from linesheet.ordering import rules, selectors
from linesheet.ordering.errors import OrderError, OrderErrorCode, ReturnBlocker
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.messages import notification_details
from linesheet.ordering.models import (
    Cart,
    CartLine,
    Order,
    OrderLine,
)
from linesheet.ordering.services.guard import (
    OrderCode,
    action_not_allowed,
    order_lock,
    order_set_status,
)
from linesheet.ordering.statuses import (
    OrderAction,
    OrderStatus,
    is_allowed,
)


def _not_returnable(blockers: list[rules.Blocker]) -> OrderError:
    details = [ReturnBlocker(b.code, **b.params).as_dict() for b in blockers]
    return OrderError(
        OrderErrorCode.NOT_RETURNABLE,
        reasons=" ".join(detail["message"] for detail in details),
        blockers=details,
    )


def order_return_to_cart(
    *, order_id: int | OrderCode, actor: User | None, notify: bool, message: str = ""
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
    with operation():
        order = order_lock(order_id=order_id)
        facts = selectors.return_facts(order=order, today=today())
        blockers = rules.return_to_cart_blockers(facts)
        if blockers:
            raise _not_returnable(blockers)
        if not is_allowed(order.status, OrderAction.RETURN_TO_CART):
            raise action_not_allowed(order=order, action=OrderAction.RETURN_TO_CART)
        organization = order.buyer.organization
        assert organization is not None  # offline_buyer would have blocked
        cart = _returned_cart_create(
            order=order, organization=organization, message=str(details["message"])
        )
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


def _returned_cart_create(*, order: Order, organization: BuyerOrganization, message: str) -> Cart:
    """Create the cart marked returned by the brand; refuse with `cart_exists` if one is there.

    The check under the organisation's lock already refused a cart made by any path that takes
    that lock; the one-cart constraint stops any other. No savepoint around the INSERT: its
    violation ends the whole return, which the caller's atomic block rolls back as the refusal
    leaves it, so the usual case saves two round trips.
    """
    cart = Cart(
        organization=organization,
        catalog=order.catalog,
        brand=order.brand,
        desired_delivery_date=order.desired_delivery_date,
        comment=order.comment,
        delivery_address=order.delivery_address,
        billing_address=order.billing_address,
        returned_by_brand=True,
        source_order=order,
        return_message=message,
    )
    try:
        insert(cart)
        return cart
    except IntegrityError as exc:
        raise _not_returnable(
            [
                rules.Blocker(
                    OrderErrorCode.CART_EXISTS,
                    {"catalog": order.catalog.name, "organization": organization.name},
                )
            ]
        ) from exc


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
