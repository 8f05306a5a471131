"""Returning a placed order to the buyer organisation's cart."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.core.clock import today
from linesheet.ordering import rules, selectors
from linesheet.ordering.errors import OrderError, OrderErrorCode, ReturnBlocker
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.messages import notification_details
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.services.guard import OrderCode, order_for_action, order_set_status
from linesheet.ordering.statuses import OrderAction, OrderStatus


def _not_returnable(blockers: list[rules.Blocker]) -> OrderError:
    details = [ReturnBlocker(b.code, **b.params).as_dict() for b in blockers]
    return OrderError(
        OrderErrorCode.NOT_RETURNABLE,
        reasons=" ".join(detail["message"] for detail in details),
        blockers=details,
    )


def _return_blockers(order: Order) -> list[rules.Blocker]:
    """Every reason the locked order cannot be returned now, its status among them."""
    return rules.return_to_cart_blockers(selectors.return_facts(order=order, today=today()))


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
    with transaction.atomic():
        order = order_for_action(
            order_id=order_id,
            action=OrderAction.RETURN_TO_CART,
            refusal=lambda locked: _not_returnable(_return_blockers(locked)),
        )
        blockers = _return_blockers(order)
        if blockers:
            raise _not_returnable(blockers)
        organization = order.buyer.organization
        assert organization is not None  # offline_buyer would have blocked
        cart = _returned_cart_create(
            order=order, organization=organization, message=str(details["message"])
        )
        order_lines_copy_to_cart(order=order, cart=cart)
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
    that lock; the one-cart constraint stops any other. No savepoint of its own: the refusal
    leaves the operation, whose transaction is then rolled back whole, so nothing runs in it
    after the failed INSERT (two round trips fewer on every return).
    """
    blocker_params = {"catalog": order.catalog.name, "organization": organization.name}
    try:
        return Cart.objects.create(
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
    except IntegrityError as exc:
        raise _not_returnable([rules.Blocker(OrderErrorCode.CART_EXISTS, blocker_params)]) from exc


def order_lines_copy_to_cart(*, order: Order, cart: Cart) -> None:
    """Copy the Original Order's lines into the cart, in their order, in one statement."""
    # Set-based: one INSERT ... SELECT whatever the number of lines, with no line read into
    # Python, where bulk_create would read them all and SQLite split their INSERT in batches.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ordering_cartline (cart_id, sku_id, quantity)"
            " SELECT %s, sku_id, quantity FROM ordering_orderline"
            " WHERE order_id = %s ORDER BY position, id",
            [cart.pk, order.pk],
        )
