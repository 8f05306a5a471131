"""The guard every order-changing service opens with, and the one writer of the status."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.core.statements import RelatedSelect, column, related_select, table, update
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import (
    Order,
    OrderEvent,
)
from linesheet.ordering.statuses import (
    STATUS_NAMES,
    OrderAction,
    OrderStatus,
    can_transition,
    is_allowed,
)


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
    # Only the mutable fields change (what Order.save(update_fields=...) would write), with
    # the statement written once: every order-changing service ends here.
    update(
        Order,
        order.pk,
        status=order.status,
        updated_at=order.updated_at,
    )
    return record_event(
        order=order, type=event_type, actor=actor, previous=previous, status=status, **details
    )


@dataclass(frozen=True)
class OrderCode:
    """An order named as the Brand App and the API name it: its brand and its code."""

    brand_id: int
    code: str


def order_lock(*, order_id: int | OrderCode) -> Order:
    """Lock the order's buyer organisation (as connected now), then the order. In a transaction.

    The order is given by its id, or by its brand and code (`OrderCode`): a request naming the
    order by code needs no query of its own to find the id. Raises Order.DoesNotExist when there
    is no such order (in that brand).

    The order comes with LOCKED_WITH as select_related would join them. Both statements are
    written once from the models' metadata (`related_select`): every order-changing service
    starts here, and the ORM compiling the six-table select on each call cost more CPU than the
    database takes to answer it.
    """
    args: list[int | str]
    if isinstance(order_id, OrderCode):
        by_code, args = True, [order_id.brand_id, order_id.code]
    else:
        by_code, args = False, [order_id]
    statements = _lock_statements(connection.alias, connection.vendor, by_code=by_code)
    with connection.cursor() as cursor:
        cursor.execute(statements.organization, args)
        cursor.execute(statements.order, args)
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist(f"order {order_id}")
    order = statements.select.instance(row)
    assert isinstance(order, Order)
    return order


# What `order_lock` reads with the order: the services, the rules and the emails look at these
# without another query.
LOCKED_WITH = ("brand", "buyer", "buyer__organization", "catalog", "organization")


@dataclass(frozen=True)
class _LockStatements:
    organization: str
    order: str
    select: RelatedSelect


@functools.cache
def _lock_statements(alias: str, vendor: str, *, by_code: bool) -> _LockStatements:
    """Write the two locking statements of `order_lock`, once per database (the cache key).

    Their parameters are the order's id, or (`by_code`) its brand's id and its code.
    """
    select = related_select(Order, LOCKED_WITH, alias)

    def where(order_alias: str) -> str:
        if by_code:
            return (
                f" WHERE {order_alias}.{column(Order, 'brand', using=alias)} = %s"
                f" AND {order_alias}.{column(Order, 'code', using=alias)} = %s"
            )
        return f" WHERE {order_alias}.{column(Order, 'id', using=alias)} = %s"

    org_pk = column(BuyerOrganization, "id", using=alias)
    return _LockStatements(
        organization=(
            f"SELECT org.{org_pk} FROM {table(BuyerOrganization, using=alias)} org"
            f" JOIN {table(Buyer, using=alias)} b"
            f" ON b.{column(Buyer, 'organization', using=alias)} = org.{org_pk}"
            f" JOIN {table(Order, using=alias)} o"
            f" ON o.{column(Order, 'buyer', using=alias)} = b.{column(Buyer, 'id', using=alias)}"
            f"{where('o')}{_for_update_of('org')}"
        ),
        order=f"{select.sql}{where(select.alias())}{_for_update_of(select.alias())}",
        select=select,
    )


def _for_update_of(table: str) -> str:
    """Return the row-lock clause for `table`'s rows, as select_for_update(of=...) writes it.

    Empty where the database has no row locks (SQLite: its write lock serialises writers).
    """
    features = connection.features
    if not features.has_select_for_update:
        return ""
    of = (table,) if features.has_select_for_update_of else ()
    return " " + connection.ops.for_update_sql(of=of)
