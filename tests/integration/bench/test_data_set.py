"""The benchmark data set is a faithful picture of a brand's history, on PostgreSQL.

The figures `make bench` prints only mean something when the data behind them is what the
app itself would have written: totals that match the lines, every status and route, and
fresh orders and carts the services accept.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from bench import data
from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.ordering.models import Cart, CartLine, Order, OrderRoute, OrderTag
from linesheet.ordering.selectors import order_return_check
from linesheet.ordering.services import order_place, order_return_to_cart
from linesheet.ordering.statuses import OrderStatus

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ORDERS = 400


@pytest.fixture
def loaded() -> data.DataSet:
    return data.load(orders=ORDERS, small_orders=40)


def _scalar(sql: str, params: list[object] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_the_large_brand_has_every_order_with_totals_that_match_its_lines(
    loaded: data.DataSet,
) -> None:
    assert loaded.orders == ORDERS
    assert Order.objects.exclude(brand_id=loaded.brand_id).count() == 4 * 40
    mismatched = _scalar(
        "SELECT count(*) FROM ordering_order o JOIN (SELECT order_id, count(*) AS n,"
        " sum(quantity) AS q, sum(amount) AS a FROM ordering_orderline GROUP BY order_id) l"
        " ON l.order_id = o.id"
        " WHERE (o.line_count, o.total_quantity, o.total_amount) <> (l.n, l.q, l.a)"
    )
    without_lines = Order.objects.filter(lines__isnull=True).count()
    assert (mismatched, without_lines) == (0, 0)
    # Every order in an OC status has its OC, whose lines add up to its totals.
    oc_mismatched = _scalar(
        "SELECT count(*) FROM ordering_order o"
        " LEFT JOIN documents_orderconfirmation oc ON oc.order_id = o.id"
        " LEFT JOIN (SELECT confirmation_id, sum(quantity) AS q, sum(amount) AS a"
        " FROM documents_orderconfirmationline GROUP BY confirmation_id) l"
        " ON l.confirmation_id = oc.id"
        " WHERE o.status LIKE 'oc\\_%%' AND (oc.id IS NULL OR l.q IS NULL"
        " OR (oc.total_quantity, oc.total_amount) <> (l.q, l.a))"
    )
    assert oc_mismatched == 0
    returned = Order.objects.filter(status=OrderStatus.RETURNED_TO_CART)
    assert returned.exists()
    assert not returned.exclude(events__type="returned_to_cart").exists()
    assert loaded.lines == _scalar(
        "SELECT count(*) FROM ordering_orderline l JOIN ordering_order o ON o.id = l.order_id"
        " WHERE o.brand_id = %s",
        [loaded.brand_id],
    )


def test_tag_rows_carry_their_orders_placed_at_and_archived_flag(loaded: data.DataSet) -> None:
    tagged = OrderTag.objects.filter(order__brand_id=loaded.brand_id)
    assert tagged.exists()
    assert not OrderTag.objects.exclude(
        placed_at=F("order__placed_at"), archived=F("order__archived")
    ).exists()


def test_every_status_and_route_appears_and_offline_buyers_order_by_proxy_or_sheet(
    loaded: data.DataSet,
) -> None:
    orders = Order.objects.filter(brand_id=loaded.brand_id)
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus)
    assert set(orders.values_list("route", flat=True)) == set(OrderRoute)
    offline = orders.filter(buyer__organization__isnull=True)
    assert offline.exists()
    assert set(offline.values_list("route", flat=True)) <= {"proxy", "excel_sheet"}
    assert not offline.exclude(organization=None).exists()
    assert not orders.filter(route=OrderRoute.ORDER_LINK, order_link=None).exists()
    assert not orders.exclude(route=OrderRoute.ORDER_LINK).exclude(order_link=None).exists()
    connected = orders.exclude(buyer__organization=None)
    assert not connected.exclude(organization_id=F("buyer__organization_id")).exists()
    assert orders.filter(placed_at__lt=timezone.now() - datetime.timedelta(days=3 * 365)).exists()


def test_fresh_orders_are_returnable_each_on_its_own_buyer_and_catalog(
    loaded: data.DataSet,
) -> None:
    staff = User.objects.get(email=data.STAFF_EMAIL)
    ids = data.fresh_orders(3, lines=500)
    orders = list(Order.objects.filter(pk__in=ids).order_by("pk"))
    assert [order.line_count for order in orders] == [500, 500, 500]
    assert len({(order.organization_id, order.catalog_id) for order in orders}) == 3
    for order in orders:
        check = order_return_check(order=order, today=datetime.date.today())
        assert (check.returnable, check.blockers) == (True, [])
        _order, cart = order_return_to_cart(order_id=order.pk, actor=staff, notify=True)
        assert CartLine.objects.filter(cart=cart).count() == 500
    # A second batch never lands on a pair that now has a cart.
    again = Order.objects.filter(pk__in=data.fresh_orders(3, lines=1))
    taken = {(order.organization_id, order.catalog_id) for order in orders}
    assert not taken & {(order.organization_id, order.catalog_id) for order in again}


def test_fresh_carts_hold_the_lines_asked_for_and_can_be_placed(loaded: data.DataSet) -> None:
    carts = data.fresh_carts(2, lines=50)
    for cart_id, organization_id in carts:
        assert CartLine.objects.filter(cart_id=cart_id).count() == 50
        organization = BuyerOrganization.objects.get(pk=organization_id)
        order = order_place(cart_id=cart_id, organization=organization, placed_by=None)
        assert order.line_count == 50
        assert Buyer.objects.get(pk=order.buyer_id).organization_id == organization_id
    assert not Cart.objects.filter(pk__in=[cart_id for cart_id, _org in carts]).exists()
