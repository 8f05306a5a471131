"""The return's floor: the hand-written transaction does what the service does, and both sides'
database time is summed over the same statements, COMMIT included."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, connections, transaction

from bench import data, returns
from bench.measure import database_time
from linesheet.accounts.models import User
from linesheet.ordering.models import Cart, Order, OrderEvent
from linesheet.ordering.statuses import OrderStatus

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_database_time_has_one_duration_per_statement_and_the_commit() -> None:
    with database_time() as durations, transaction.atomic():
        User.objects.count()
        User.objects.filter(email="nobody@example.com").exists()

    # Two SELECTs and the COMMIT (and on SQLite the BEGIN Django sends; psycopg sends it with
    # the first statement); the connection's own commit is back afterwards.
    assert len(durations) == (4 if connection.vendor == "sqlite" else 3)
    assert all(duration > 0 for duration in durations)
    assert "_commit" not in vars(connections["default"])


@pytest.mark.postgres_only
def test_the_hand_written_return_leaves_what_the_service_leaves() -> None:
    data.load(orders=200, small_orders=20)
    staff = User.objects.get(email=data.STAFF_EMAIL)
    by_service, by_hand = data.fresh_orders(2, lines=7)
    returns.order_return_to_cart(
        order_id=by_service, actor=staff, notify=True, message=returns.MESSAGE
    )
    settings = connection.settings_dict
    server = {"user": settings["USER"], "password": settings["PASSWORD"]}
    server |= {"host": settings["HOST"], "port": settings["PORT"], "dbname": settings["NAME"]}
    spent: list[float] = []
    with psycopg.connect(autocommit=True, **server) as sql:
        returns.return_in_sql(sql, order_id=by_hand, actor_id=staff.pk, spent=spent)

    # BEGIN, the ten statements, COMMIT.
    assert len(spent) == len(returns.STATEMENTS) + 2
    for order_id in (by_service, by_hand):
        order = Order.objects.get(pk=order_id)
        cart = Cart.objects.get(source_order_id=order_id)
        assert order.status == OrderStatus.RETURNED_TO_CART
        assert sorted(cart.lines.values_list("sku_id", "quantity")) == sorted(
            order.lines.values_list("sku_id", "quantity")
        )
        assert OrderEvent.objects.filter(order_id=order_id, type="returned_to_cart").count() == 1
        assert order.emails.count() == 1
