"""The guard every order-changing service opens with, and the one writer of the status."""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import ForeignKey, Model
from django.db.models.expressions import Col
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.core.errors import InvalidInput
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


def today() -> datetime.date:
    return timezone.localdate()


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


MAX_MESSAGE_LENGTH = 2000


# Line breaks and tabs belong in a letter; other control characters (terminal escapes, bells,
# backspaces) only garble the email and the cart page, or hide what the text says.
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")


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
    control = sorted(
        {
            f"U+{ord(character):04X}"
            for character in message
            if unicodedata.category(character) == "Cc"
            and character not in ALLOWED_CONTROL_CHARACTERS
        }
    )
    if control:
        raise InvalidInput.field(
            "message",
            "control_characters",
            _("The message contains control characters (%(characters)s); send plain text.")
            % {"characters": ", ".join(control)},
        )
    return {"notify": bool(notify), "message": message if notify else ""}


def order_lock(*, order_id: int) -> Order:
    """Lock the order's buyer organisation (as connected now), then the order. In a transaction.

    The order comes with LOCKED_WITH as select_related would join them. Both statements are
    written once from the models' metadata (`_lock_statements`): every order-changing service
    starts here, and the ORM compiling the six-table select on each call cost more CPU than the
    database takes to answer it.
    """
    statements = _lock_statements(connection.alias, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(statements.organization, [order_id])
        cursor.execute(statements.order, [order_id])
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist(f"order {order_id}")
    return _instances(row, statements.parts)


# What `order_lock` reads with the order: the services, the rules and the emails look at these
# without another query.
LOCKED_WITH = ("brand", "buyer", "buyer__organization", "catalog", "organization")


@dataclass(frozen=True)
class _Part:
    """One model's columns in the locked row, and the relation it hangs from."""

    model: type[Model]
    start: int
    attnames: tuple[str, ...]
    pk_index: int
    # (column index, the backend's and the field's converters, the column) as the ORM applies them
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Col], ...]
    parent: int | None = None
    field: ForeignKey[Any, Any] | None = None


@dataclass(frozen=True)
class _LockStatements:
    organization: str
    order: str
    parts: tuple[_Part, ...]


@functools.cache
def _lock_statements(alias: str, vendor: str) -> _LockStatements:
    """Write the two locking statements of `order_lock`, once per database (the cache key)."""
    quote = _quoted
    order, buyer, organization = Order._meta, Buyer._meta, BuyerOrganization._meta
    columns: list[str] = []
    joins: list[str] = []
    parts: list[_Part] = []

    def add(model: type[Model], parent: int | None, field: ForeignKey[Any, Any] | None) -> None:
        table = f"t{len(parts)}"
        fields = model._meta.concrete_fields
        converters = []
        for index, model_field in enumerate(fields):
            column = model_field.get_col(table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((index, tuple(found), column))
        parts.append(
            _Part(
                model=model,
                start=len(columns),
                attnames=tuple(f.attname for f in fields),
                pk_index=fields.index(model._meta.pk),
                converters=tuple(converters),
                parent=parent,
                field=field,
            )
        )
        columns.extend(f"{table}.{quote(f.column)}" for f in fields)

    add(Order, None, None)
    index_of = {"": 0}
    for path in LOCKED_WITH:
        parent_path, _sep, name = path.rpartition("__")
        parent = index_of[parent_path]
        field = parts[parent].model._meta.get_field(name)
        assert isinstance(field, ForeignKey)
        table = f"t{len(parts)}"
        joins.append(
            f" {'LEFT JOIN' if field.null else 'JOIN'} {quote(field.related_model._meta.db_table)}"
            f" {table} ON {table}.{quote(field.target_field.column)}"
            f" = t{parent}.{quote(field.column)}"
        )
        index_of[path] = len(parts)
        add(field.related_model, parent, field)
    org_pk = quote(organization.pk.column)
    return _LockStatements(
        organization=(
            f"SELECT org.{org_pk} FROM {quote(organization.db_table)} org"
            f" JOIN {quote(buyer.db_table)} b"
            f" ON b.{quote(buyer.get_field('organization').column)} = org.{org_pk}"
            f" JOIN {quote(order.db_table)} o"
            f" ON o.{quote(order.get_field('buyer').column)} = b.{quote(buyer.pk.column)}"
            f" WHERE o.{quote(order.pk.column)} = %s{_for_update_of('org')}"
        ),
        order=(
            f"SELECT {', '.join(columns)} FROM {quote(order.db_table)} t0{''.join(joins)}"
            f" WHERE t0.{quote(order.pk.column)} = %s{_for_update_of('t0')}"
        ),
        parts=tuple(parts),
    )


def _quoted(name: str | None) -> str:
    assert name is not None  # every concrete field has a column
    return connection.ops.quote_name(name)


def _for_update_of(table: str) -> str:
    """Return the row-lock clause for `table`'s rows, as select_for_update(of=...) writes it.

    Empty where the database has no row locks (SQLite: its write lock serialises writers).
    """
    features = connection.features
    if not features.has_select_for_update:
        return ""
    of = (table,) if features.has_select_for_update_of else ()
    return " " + connection.ops.for_update_sql(of=of)


def _instances(row: Sequence[Any], parts: tuple[_Part, ...]) -> Order:
    """Turn the locked row into the order with its related instances cached, as the ORM would."""
    instances: list[Model | None] = []
    for part in parts:
        values = list(row[part.start : part.start + len(part.attnames)])
        for index, converters, column in part.converters:
            for convert in converters:
                values[index] = convert(values[index], column, connection)
        parent = instances[part.parent] if part.parent is not None else None
        instance = (
            None
            if part.field is not None and (parent is None or values[part.pk_index] is None)
            else part.model.from_db(connection.alias, part.attnames, values)
        )
        if part.field is not None and parent is not None:
            part.field.set_cached_value(parent, instance)
        instances.append(instance)
    order = instances[0]
    assert isinstance(order, Order)
    return order
