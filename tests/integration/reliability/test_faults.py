"""Faults during a return to the cart: the database failing half-way, the mail server down.

A worker killed in the middle of sending is covered with the real worker process in
tests/integration/notifications/test_worker_process.py
(test_a_worker_killed_mid_send_leaves_a_task_that_is_requeued_and_delivered_once).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linesheet.core.errors import DomainError
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.ordering.models import Cart, CartLine, Order, OrderEvent
from linesheet.ordering.services import order_return_to_cart
from tests import factories
from tests.smtp_inbox import SmtpInbox, free_loopback_port

TRIGGER = "reliability_injected_failure"


@dataclass(frozen=True)
class Step:
    """A write of the return, and how to recognise it for the marked order."""

    table: str
    event: str  # INSERT or UPDATE
    condition: str  # SQL on NEW, with {order} for the marked order's id


# The return's writes in the order it makes them.
STEPS = {
    "cart": Step(Cart._meta.db_table, "INSERT", "NEW.source_order_id = {order}"),
    "cart_lines": Step(
        CartLine._meta.db_table,
        "INSERT",
        f"(SELECT source_order_id FROM {Cart._meta.db_table} WHERE id = NEW.cart_id) = {{order}}",
    ),
    "order_status": Step(Order._meta.db_table, "UPDATE", "NEW.id = {order}"),
    "event": Step(OrderEvent._meta.db_table, "INSERT", "NEW.order_id = {order}"),
    "outbox_email": Step(OutboundEmail._meta.db_table, "INSERT", "NEW.order_id = {order}"),
    "delivery_task": Step(DBTaskResult._meta.db_table, "INSERT", "1 = 1"),
}


def install_failure(step: Step, order_id: int) -> Callable[[], None]:
    """Make the database itself refuse the step's write for the order; return the undo."""
    condition = step.condition.format(order=order_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF {condition} THEN "
                f"RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME; END IF; "
                f"RETURN NEW; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE {step.event} ON {step.table} "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE {step.event} ON {step.table} "
                f"FOR EACH ROW WHEN {condition} "
                f"BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )

    def remove() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {step.table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")

    return remove


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a return writes or changes."""
    models = [Cart, CartLine, Order, OrderEvent, OutboundEmail, DBTaskResult]
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
    }


@pytest.fixture
def returnable_order(db: None) -> Order:
    brand = factories.make_brand(name="Atelier")
    buyer = factories.make_connected_buyer(brand=brand, recipients=["orders@shop.test"])
    catalog = factories.make_catalog(brand=brand, skus=3)
    return factories.make_order(buyer=buyer, catalog=catalog)


@pytest.fixture
def failing_step(
    request: pytest.FixtureRequest, returnable_order: Order
) -> Iterator[tuple[str, Callable[[], None]]]:
    """Install the failure of one step of the return; removed after the test whatever happens."""
    name = request.param
    remove = install_failure(STEPS[name], returnable_order.pk)
    try:
        yield name, remove
    finally:
        remove()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failing_step", list(STEPS), indirect=True)
def test_a_database_error_at_any_step_of_a_return_leaves_nothing_changed(
    returnable_order: Order, failing_step: tuple[str, Callable[[], None]]
) -> None:
    name, remove_failure = failing_step
    owner = factories.make_member(brand=returnable_order.brand)
    before = snapshot()

    # Raised by the database, not by the code under test. On SQLite a trigger's abort is an
    # integrity error, which the cart insert reports as the one-cart rule (`cart_exists`).
    with pytest.raises((DatabaseError, DomainError)) as failure:
        order_return_to_cart(order_id=returnable_order.pk, actor=owner, notify=True, message="x")

    assert "injected failure" in str(failure.value) or (
        name == "cart" and connection.vendor == "sqlite"
    ), failure.value
    assert snapshot() == before
    # Nothing was half-done: once the database accepts the writes, the same return works.
    remove_failure()
    _order, cart = order_return_to_cart(
        order_id=returnable_order.pk, actor=owner, notify=True, message="x"
    )
    assert Cart.objects.get().pk == cart.pk
    assert Order.objects.get().status == "returned_to_cart"
    assert OrderEvent.objects.filter(type="returned_to_cart").count() == 1
    assert OutboundEmail.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


# --- The mail server down while orders are returned -------------------------------------------


@dataclass
class Clock:
    offset: datetime.timedelta = datetime.timedelta(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Move `timezone.now()` ahead at will, for the worker and the retry schedule alike."""
    real_now, moved = timezone.now, Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


def text_of(message: Any) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return str(part.get_payload(decode=True).decode())


@pytest.mark.django_db
def test_returns_commit_while_smtp_is_down_and_each_email_goes_out_once_when_it_is_back(
    smtp_server: SmtpInbox, run_worker: Any, settings: Any, clock: Clock
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.EMAIL_PORT = free_loopback_port()  # nothing listens: connecting is refused
    brand = factories.make_brand(name="Atelier")
    owner = factories.make_member(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    orders = [
        factories.make_order(
            buyer=factories.make_connected_buyer(brand=brand, recipients=[f"shop{n}@shop.test"]),
            catalog=catalog,
        )
        for n in range(5)
    ]

    carts = {}
    for index, order in enumerate(orders):
        # The last one is returned without telling the buyer.
        _order, carts[order.pk] = order_return_to_cart(
            order_id=order.pk, actor=owner, notify=index < 4, message=f"Fix line {index}"
        )
    run_worker()

    assert set(Order.objects.values_list("status", flat=True)) == {"returned_to_cart"}
    assert Cart.objects.filter(returned_by_brand=True).count() == 5
    assert smtp_server.messages == []
    emails = list(OutboundEmail.objects.order_by("pk"))
    assert [(e.status, e.attempts) for e in emails] == [(EmailStatus.PENDING, 1)] * 4
    assert OrderEvent.objects.filter(type="email_failed").count() == 4

    settings.EMAIL_PORT = smtp_server.port  # the mail server is back
    run_worker()
    assert smtp_server.messages == []  # each retry waits for its time
    clock.offset += datetime.timedelta(seconds=31)
    run_worker()
    run_worker()

    received = Counter(str(m["To"]) for m in smtp_server.messages)
    assert received == Counter(f"shop{n}@shop.test" for n in range(4))
    assert [(e.status, e.attempts) for e in OutboundEmail.objects.order_by("pk")] == [
        (EmailStatus.SENT, 2)
    ] * 4
    for message in smtp_server.messages:
        order = next(o for o in orders if o.code in str(message["Subject"]))
        assert reverse("buyer-cart", args=[carts[order.pk].pk]) in text_of(message)
    assert OrderEvent.objects.filter(type="email_sent").count() == 4
    assert set(Order.objects.values_list("status", flat=True)) == {"returned_to_cart"}
