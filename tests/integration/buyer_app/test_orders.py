"""The organisation's orders: the list with its status filter and pages, and one order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linesheet.buyer_app import order_views
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.services import cart_update, order_place, order_return_to_cart
from tests import factories
from tests.page_text import changes_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    return factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)


def place(buyer: Any, brand: Any) -> Order:
    return factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand))


def returned(order: Order) -> Cart:
    """Have the brand return the order to the organisation's cart."""
    _order, cart = order_return_to_cart(order_id=order.pk, actor=None, notify=False)
    return cart


def test_orders_are_listed_newest_first_with_the_buyers_status_label(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    older = place(connected_buyer, brand)
    newer = place(connected_buyer, brand)

    response = buyer_client.get(reverse("buyer-orders"))

    assert [order.code for order in response.context["orders"]] == [newer.code, older.code]
    assert "Awaiting OC creation" in response.text
    assert "Please create an OC" not in response.text
    assert f'href="{reverse("buyer-order", args=[newer.pk])}"' in response.text


def test_the_status_filter_uses_the_buyers_labels_and_shows_only_that_status(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    waiting = place(connected_buyer, brand)
    declined = place(connected_buyer, brand)
    back = place(connected_buyer, brand)
    Order.objects.filter(pk=declined.pk).update(status="rejected")
    returned(back)

    everything = buyer_client.get(reverse("buyer-orders"))
    only_returned = buyer_client.get(reverse("buyer-orders"), {"status": "returned_to_cart"})
    only_declined = buyer_client.get(reverse("buyer-orders"), {"status": "rejected"})

    assert '<option value="returned_to_cart">Returned to cart</option>' in everything.text
    assert '<option value="rejected">Order declined</option>' in everything.text
    assert [o.code for o in only_returned.context["orders"]] == [back.code]
    assert [o.code for o in only_declined.context["orders"]] == [declined.code]
    assert "Order declined" in only_declined.text
    assert waiting.code not in only_declined.text


def test_an_unknown_status_is_refused(buyer_client: Client, connected_buyer: Any) -> None:
    response = buyer_client.get(reverse("buyer-orders"), {"status": "lost"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.text


def test_orders_come_a_page_at_a_time_with_a_next_page_link(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDERS_PER_PAGE", 2)
    codes = [place(connected_buyer, brand).code for _ in range(5)][::-1]  # newest first

    first = buyer_client.get(reverse("buyer-orders"))
    second = buyer_client.get(first.context["next_url"])
    third = buyer_client.get(second.context["next_url"])

    assert "Next page" in first.text
    assert [o.code for o in first.context["orders"]] == codes[:2]
    assert [o.code for o in second.context["orders"]] == codes[2:4]
    assert [o.code for o in third.context["orders"]] == codes[4:]
    assert third.context["next_url"] is None
    assert "Next page" not in third.text
    assert "First page" in third.text
    assert first.context["previous_url"] is None
    back = buyer_client.get(third.context["previous_url"])
    assert [o.code for o in back.context["orders"]] == codes[2:4]
    assert [o.code for o in buyer_client.get(back.context["previous_url"]).context["orders"]] == (
        codes[:2]
    )


def test_the_next_page_keeps_the_status_filter(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDERS_PER_PAGE", 1)
    orders = [place(connected_buyer, brand) for _ in range(3)]
    for order in orders[:2]:
        returned(order)

    first = buyer_client.get(reverse("buyer-orders"), {"status": "returned_to_cart"})
    second = buyer_client.get(first.context["next_url"])

    assert "status=returned_to_cart" in first.context["next_url"]
    assert [o.code for o in second.context["orders"]] == [orders[0].code]
    assert second.context["next_url"] is None


def test_a_broken_page_cursor_says_to_start_again(
    buyer_client: Client, connected_buyer: Any
) -> None:
    response = buyer_client.get(reverse("buyer-orders"), {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert "The page cursor is not valid; start from page one." in response.text


def test_the_order_list_costs_the_same_queries_for_one_and_for_many_orders(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    place(connected_buyer, brand)
    url = reverse("buyer-orders")
    buyer_client.get(url)
    # session, user, organisations, memberships, the page of orders, the header's cart count
    with django_assert_num_queries(6):
        buyer_client.get(url)

    other = factories.make_brand()
    other_buyer = factories.make_buyer(brand=other, organization=connected_buyer.organization)
    for _ in range(4):
        place(other_buyer, other)
    with django_assert_num_queries(6):
        response = buyer_client.get(url)
    assert len(response.context["orders"]) == 5


def test_only_the_organisations_own_orders_are_listed(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    mine = place(connected_buyer, brand)
    theirs = place(factories.make_connected_buyer(brand=brand), brand)

    response = buyer_client.get(reverse("buyer-orders"))

    assert [o.code for o in response.context["orders"]] == [mine.code]
    assert theirs.code not in response.text


# --- One order --------------------------------------------------------------------------------


def test_the_order_page_shows_the_original_order_as_placed(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    cart = factories.make_cart(buyer=connected_buyer, catalog=catalog)
    due = timezone.localdate() + datetime.timedelta(days=20)
    cart_update(
        cart=cart,
        desired_delivery_date=due,
        comment="Hang the coats, please.",
        delivery_address="9 Shop Lane\nAarhus",
    )
    order = order_place(cart_id=cart.pk, organization=organization, placed_by=None)

    response = buyer_client.get(reverse("buyer-order", args=[order.pk]))

    text = response.text
    assert response.status_code == 200
    for expected in (
        order.code,
        "Awaiting OC creation",
        "Atelier",
        "Spring Summer 2026",
        due.isoformat(),
        "Hang the coats, please.",
        "9 Shop Lane\nAarhus",
        "2 Billing Road",
        "45.00",
        "90.00",
        "180.00",
    ):
        assert expected in text, expected
    assert [line.sku_number for line in response.context["order"].lines.all()] == (
        factories.sku_numbers(catalog)
    )


def test_a_returned_order_links_to_its_cart_and_to_the_order_that_replaced_it(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    first = factories.make_order(buyer=connected_buyer, catalog=catalog)
    cart = returned(first)

    while_in_cart = buyer_client.get(reverse("buyer-order", args=[first.pk]))
    second = order_place(cart_id=cart.pk, organization=organization, placed_by=None)
    old = buyer_client.get(reverse("buyer-order", args=[first.pk]))
    new = buyer_client.get(reverse("buyer-order", args=[second.pk]))

    assert "Returned to cart" in while_in_cart.text
    assert f'href="{reverse("buyer-cart", args=[cart.pk])}"' in while_in_cart.text
    assert second.replaces == first
    assert "Ordered again as" in old.text
    assert f'href="{reverse("buyer-order", args=[second.pk])}"' in old.text
    assert "Replaces" in new.text
    assert f'href="{reverse("buyer-order", args=[first.pk])}"' in new.text


def test_the_new_order_page_shows_the_buyer_what_changed_against_the_returned_order(
    buyer_client: Client, brand: Any, catalog: Any, connected_buyer: Any
) -> None:
    first, second = factories.sku_numbers(catalog)
    old = factories.make_order(buyer=connected_buyer, catalog=catalog, quantities={first: 2})
    # The brand's terms changed meanwhile: the same quantity now costs more.
    type(connected_buyer).objects.filter(pk=connected_buyer.pk).update(
        wholesale_rate=Decimal("0.5000")
    )
    new = factories.order_again(
        order=old,
        oc={first: 2, second: 4},
        quantities={first: 2, second: 4},
        delivery_address="9 Shop Lane\nAarhus",
    )

    panel = changes_panel(
        buyer_client.get(reverse("buyer-order", args=[new.pk])), until="Original Order"
    )

    assert f"Against the returned order {old.code}, which this order replaces." in panel
    assert "1 line changed 1 line added Total quantity 2 → 6" in panel
    assert "amount 90.00 → 300.00 EUR." in panel
    assert "The returned order's OC changed 1 line; this order took the brand's quantity." in (
        panel
    )
    assert "It matches the OC on every line." in panel
    assert f"{first} Changed 2 → 2 2 ✓(taken) 90.00 → 100.00 unit price 45.00 → 50.00" in panel
    assert f"{second} Added 0 → 4 4 ✓(taken) 0.00 → 200.00" in panel
    assert "Delivery address 1 Delivery Street Copenhagen → 9 Shop Lane Aarhus" in panel


def test_the_buyer_sees_no_changes_against_an_order_of_another_organisation(
    buyer_client: Client, brand: Any, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    other = factories.make_connected_buyer(brand=brand)
    theirs = factories.make_order(buyer=other, catalog=catalog)
    # Test set-up only: an order of this organisation recorded as replacing theirs.
    ours = factories.make_order(buyer=connected_buyer, catalog=catalog)
    Order.objects.filter(pk=ours.pk).update(replaces=theirs)

    response = buyer_client.get(reverse("buyer-order", args=[ours.pk]))

    assert response.status_code == 200
    assert "What changed" not in response.text
    assert theirs.code not in response.text


def test_the_order_page_costs_a_fixed_number_of_queries(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    order = factories.make_order(
        buyer=connected_buyer, catalog=factories.make_catalog(brand=brand, skus=25)
    )
    url = reverse("buyer-order", args=[order.pk])
    buyer_client.get(url)
    # session, user, organisations, memberships, order, lines, events, its OC (none here),
    # the lines' pictures, the header's cart count
    with django_assert_num_queries(10):
        buyer_client.get(url)


def test_a_new_order_page_costs_the_same_queries_for_one_and_for_forty_changed_lines(
    buyer_client: Client, connected_buyer: Any
) -> None:
    small, big = (
        factories.make_order_placed_again(buyer=connected_buyer, skus=skus) for skus in (1, 40)
    )

    def queries(order: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert buyer_client.get(reverse("buyer-order", args=[order.pk])).status_code == 200
        return len(captured)

    buyer_client.get(reverse("buyer-orders"))  # the first request of a session costs more

    assert queries(small) == queries(big)
    # The 10 of any order page, and the returned order's lines, its OC and the OC's lines.
    assert queries(big) == 13


def test_another_organisations_order_is_not_found(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    theirs = place(factories.make_connected_buyer(brand=brand), brand)

    assert buyer_client.get(reverse("buyer-order", args=[theirs.pk])).status_code == 404
    assert buyer_client.get(reverse("buyer-order-placed", args=[theirs.pk])).status_code == 404
