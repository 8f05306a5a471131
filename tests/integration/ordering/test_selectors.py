from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linesheet.core.clock import day_start
from linesheet.core.errors import InvalidInput
from linesheet.core.keyset import encode_cursor
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import (
    OrderFilters,
    cart_priced,
    live_orders,
    order_detail,
    orders_of_brand,
    orders_page,
)
from linesheet.ordering.services import (
    order_archive,
    order_place,
    order_reject,
    order_set_tags,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, skus=3)


def place_orders(brand: Any, catalog: Any, count: int) -> list[Any]:
    buyer = factories.make_connected_buyer(brand=brand)
    return [factories.make_order(buyer=buyer, catalog=catalog) for _ in range(count)]


def tag_another_brands_order(name: str) -> None:
    """Give an order of another brand a tag of the same name, which no search may find."""
    other_brand = factories.make_brand()
    other_order = factories.make_order(
        buyer=factories.make_connected_buyer(brand=other_brand),
        catalog=factories.make_catalog(brand=other_brand, skus=1),
    )
    order_set_tags(order_id=other_order.pk, actor=None, names=[name])


def test_keyset_pages_walk_every_order_once_newest_first(brand: Any, catalog: Any) -> None:
    placed = place_orders(brand, catalog, 7)
    # Two orders share a timestamp: the id breaks the tie without skipping or repeating.
    Order.objects.filter(pk=placed[3].pk).update(placed_at=placed[4].placed_at)
    orders = orders_of_brand(brand=brand, filters=OrderFilters())

    seen: list[str] = []
    cursor = None
    while True:
        page = orders_page(orders, cursor=cursor, limit=3)
        seen.extend(order.code for order in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break

    expected = list(Order.objects.order_by("-placed_at", "-id").values_list("code", flat=True))
    assert seen == expected
    assert len(seen) == 7


def test_a_forged_cursor_is_refused_with_a_code(brand: Any) -> None:
    orders = orders_of_brand(brand=brand, filters=OrderFilters())
    with pytest.raises(InvalidInput) as refusal:
        orders_page(orders, cursor="not-a-cursor", limit=10)
    assert refusal.value.params["errors"]["cursor"][0]["code"] == "invalid_cursor"


def test_each_filter_narrows_the_brands_orders(brand: Any, catalog: Any) -> None:
    first, second = place_orders(brand, catalog, 2)
    other_catalog = factories.make_catalog(brand=brand, skus=1)
    other_buyer = factories.make_connected_buyer(brand=brand)
    third = factories.make_order(buyer=other_buyer, catalog=other_catalog)
    Order.objects.filter(pk=first.pk).update(
        placed_at=first.placed_at - datetime.timedelta(days=10)
    )

    def codes(**filters: Any) -> set[str]:
        return set(
            orders_of_brand(brand=brand, filters=OrderFilters(**filters)).values_list(
                "code", flat=True
            )
        )

    assert codes() == {first.code, second.code, third.code}
    assert codes(catalog_id=other_catalog.pk) == {third.code}
    assert codes(buyer_id=other_buyer.pk) == {third.code}
    assert codes(status="awaiting_oc") == {first.code, second.code, third.code}
    assert codes(status="oc_created") == set()
    assert codes(route="proxy") == set()
    assert codes(code_prefix=third.code) == {third.code}
    today = second.placed_at.date()
    assert codes(placed_from=today) == {second.code, third.code}
    assert codes(placed_to=today - datetime.timedelta(days=1)) == {first.code}
    assert codes(q=other_buyer.name) == {third.code}
    assert codes(archived=True) == set()


def test_a_cursor_starts_after_its_order_among_orders_placed_at_the_same_time(
    brand: Any, catalog: Any
) -> None:
    placed = place_orders(brand, catalog, 4)
    moment = placed[0].placed_at
    Order.objects.filter(pk__in=[o.pk for o in placed]).update(placed_at=moment)
    orders = orders_of_brand(brand=brand, filters=OrderFilters())

    page = orders_page(orders, cursor=encode_cursor(moment, placed[2].pk), limit=10)

    assert [o.pk for o in page.items] == [placed[1].pk, placed[0].pk]


def test_the_tag_filter_finds_the_orders_with_the_brands_tag_of_that_name(
    brand: Any, catalog: Any
) -> None:
    tagged, _untagged = place_orders(brand, catalog, 2)
    order_set_tags(order_id=tagged.pk, actor=None, names=["Key account"])
    tag_another_brands_order("Key account")

    def codes(tag: str) -> list[str]:
        filters = OrderFilters(tag=tag)
        return [o.code for o in orders_of_brand(brand=brand, filters=filters)]

    assert codes(" Key   account ") == [tagged.code]
    assert codes("key account") == []
    assert codes("Nobody") == []


def walk(orders: Any, *, limit: int) -> list[str]:
    """Return the codes of every page of `orders`, following the cursors."""
    seen: list[str] = []
    cursor = None
    while True:
        page = orders_page(orders, cursor=cursor, limit=limit)
        seen.extend(order.code for order in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return seen


def test_tag_pages_walk_each_tagged_order_once_newest_first_with_any_other_filter(
    brand: Any, catalog: Any, owner: Any
) -> None:
    buyers = [factories.make_connected_buyer(brand=brand) for _ in range(2)]
    catalogs = [catalog, factories.make_catalog(brand=brand, skus=1)]
    placed = [
        factories.make_order(buyer=buyers[n % 2], catalog=catalogs[n // 2 % 2]) for n in range(12)
    ]
    # One order a day back from yesterday noon, two pairs placed at the same moment: the
    # pages must break those ties by id without skipping or repeating an order. Placing dates
    # are set before tagging, as placing would have stamped them.
    noon = day_start(timezone.localdate()) - datetime.timedelta(hours=12)
    days = [0, 1, 2, 2, 3, 4, 5, 6, 6, 7, 8, 9]
    for order, days_back in zip(placed, days, strict=True):
        order.placed_at = noon - datetime.timedelta(days=days_back)
        Order.objects.filter(pk=order.pk).update(placed_at=order.placed_at)
    tagged = [order for n, order in enumerate(placed) if n != 5]
    tagged_with: dict[str, set[int]] = {"vip": set(), "rush": set()}
    for n, order in enumerate(tagged):
        # More tags than the one searched must not show an order twice.
        names = ["vip", "rush"][: 1 + n % 2]
        order_set_tags(order_id=order.pk, actor=owner, names=names)
        for name in names:
            tagged_with[name].add(order.pk)
    for order in tagged[6:9]:
        order_reject(order_id=order.pk, actor=owner, notify=False)
    order_archive(order_id=tagged[7].pk, actor=owner)
    tag_another_brands_order("vip")

    def expected(filters: OrderFilters) -> list[str]:
        """The same search without the tag, narrowed to the tag's orders in Python."""
        assert filters.tag is not None
        untagged = dataclasses.replace(filters, tag=None)
        return [
            order.code
            for order in orders_of_brand(brand=brand, filters=untagged).order_by(
                "-placed_at", "-id"
            )
            if order.pk in tagged_with[filters.tag]
        ]

    today = timezone.localdate()
    searches = [
        OrderFilters(tag="vip"),
        OrderFilters(tag="vip", archived=True),
        OrderFilters(tag="vip", status="rejected"),
        OrderFilters(tag="vip", status="awaiting_oc"),
        OrderFilters(tag="vip", buyer_id=buyers[1].pk),
        OrderFilters(tag="vip", catalog_id=catalogs[1].pk),
        OrderFilters(tag="vip", buyer_id=buyers[0].pk, catalog_id=catalogs[0].pk),
        OrderFilters(
            tag="vip",
            placed_from=today - datetime.timedelta(days=7),
            placed_to=today - datetime.timedelta(days=3),
        ),
        OrderFilters(tag="vip", code_prefix="00001"),
        OrderFilters(tag="vip", q=buyers[0].name),
        OrderFilters(tag="rush", status="awaiting_oc"),
    ]
    for filters in searches:
        want = expected(filters)
        assert want, filters  # each search finds something
        for limit in (1, 2, 5, 50):
            assert walk(orders_of_brand(brand=brand, filters=filters), limit=limit) == want, (
                filters,
                limit,
            )
    assert len(expected(OrderFilters(tag="vip"))) == 10  # all tagged but the archived one


def test_an_archived_tagged_order_is_found_only_among_the_archived(
    brand: Any, catalog: Any, owner: Any
) -> None:
    kept, archived = place_orders(brand, catalog, 2)
    for order in (kept, archived):
        order_set_tags(order_id=order.pk, actor=owner, names=["vip"])
    order_reject(order_id=archived.pk, actor=owner, notify=False)
    order_archive(order_id=archived.pk, actor=owner)

    def codes(**filters: Any) -> list[str]:
        return walk(orders_of_brand(brand=brand, filters=OrderFilters(**filters)), limit=10)

    assert codes(tag="vip") == [kept.code]
    assert codes(tag="vip", archived=True) == [archived.code]


def test_a_tag_page_costs_one_query_and_its_cursor_is_that_of_the_same_order_untagged(
    brand: Any, catalog: Any, owner: Any
) -> None:
    placed = place_orders(brand, catalog, 5)
    for order in placed:
        order_set_tags(order_id=order.pk, actor=owner, names=["vip"])
    tagged = orders_of_brand(brand=brand, filters=OrderFilters(tag="vip"))
    untagged = orders_of_brand(brand=brand, filters=OrderFilters())

    with CaptureQueriesContext(connection) as queries:
        page = orders_page(tagged, cursor=None, limit=2)
        [(o.buyer.name, o.catalog.name) for o in page.items]

    assert len(queries) == 1
    assert page.next_cursor == orders_page(untagged, cursor=None, limit=2).next_cursor
    after = orders_page(untagged, cursor=page.next_cursor, limit=2)
    assert [o.pk for o in orders_page(tagged, cursor=page.next_cursor, limit=2).items] == [
        o.pk for o in after.items
    ]


def test_another_brands_orders_never_appear(brand: Any, catalog: Any) -> None:
    place_orders(brand, catalog, 1)
    other = factories.make_brand()
    assert not orders_of_brand(brand=other, filters=OrderFilters()).exists()


def test_an_order_page_costs_one_query_whatever_the_number_of_orders(
    brand: Any, catalog: Any
) -> None:
    place_orders(brand, catalog, 12)
    orders = orders_of_brand(brand=brand, filters=OrderFilters())
    with CaptureQueriesContext(connection) as few:
        page = orders_page(orders, cursor=None, limit=5)
        [(o.buyer.name, o.catalog.name) for o in page.items]
    with CaptureQueriesContext(connection) as many:
        page = orders_page(orders, cursor=page.next_cursor, limit=50)
        [(o.buyer.name, o.catalog.name) for o in page.items]
    assert len(few) == len(many) == 1


def test_order_detail_costs_the_same_for_one_line_and_fifty(brand: Any) -> None:
    small_catalog = factories.make_catalog(brand=brand, skus=1)
    big_catalog = factories.make_catalog(brand=brand, skus=50)
    buyer = factories.make_connected_buyer(brand=brand)
    small = factories.make_order(buyer=buyer, catalog=small_catalog)
    big = factories.make_order(buyer=buyer, catalog=big_catalog)

    def load(order: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            detail = order_detail(orders=Order.objects.all(), order_id=order.pk)
            assert detail is not None
            [line.amount for line in detail.lines.all()]
            [(event.type, event.actor) for event in detail.events.all()]
        return len(queries)

    assert load(small) == load(big) == 3


def test_placing_costs_the_same_number_of_queries_for_one_line_and_fifty(brand: Any) -> None:
    small_catalog = factories.make_catalog(brand=brand, skus=1)
    big_catalog = factories.make_catalog(brand=brand, skus=50)
    buyer = factories.make_connected_buyer(brand=brand)
    factories.make_order(buyer=buyer, catalog=small_catalog)  # the numbering row exists now
    small_cart = factories.make_cart(buyer=buyer, catalog=small_catalog)
    big_cart = factories.make_cart(buyer=buyer, catalog=big_catalog)

    def place(cart: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
        return len(queries)

    assert place(small_cart) == place(big_cart)


def test_live_orders_leave_out_rejected_and_returned_orders(brand: Any, catalog: Any) -> None:
    live, rejected, returned = place_orders(brand, catalog, 3)
    Order.objects.filter(pk=rejected.pk).update(status="rejected")
    Order.objects.filter(pk=returned.pk).update(status="returned_to_cart")
    assert list(live_orders().values_list("code", flat=True)) == [live.code]


def test_a_priced_cart_uses_the_buyers_wholesale_rate(brand: Any, catalog: Any) -> None:
    buyer = factories.make_connected_buyer(brand=brand)
    buyer.wholesale_rate = "0.4000"
    buyer.save()
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    priced = cart_priced(cart=cart)
    assert [str(p.unit_price) for p in priced.lines] == ["40.00"] * 3
    assert str(priced.total_amount) == "240.00"
    assert priced.total_quantity == 6
