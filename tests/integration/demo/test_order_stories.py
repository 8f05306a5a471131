"""The demo's orders in every status, with documents, tags, archives and returns to the cart."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from linesheet.accounts.models import Brand
from linesheet.demo.data import ATELIER
from linesheet.demo.stories import demo_story_orders
from linesheet.documents.models import (
    BacklogSkuList,
    DeliveryNote,
    Invoice,
    OrderConfirmation,
    PartnerInventorySlip,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderTag
from linesheet.ordering.selectors import cart_oc_proposals, order_return_check
from linesheet.ordering.statuses import OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Seed once for the module: every test here only reads."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _seeded(seeded: Any) -> None:
    pass


def atelier() -> Any:
    return Order.objects.filter(brand__slug="atelier")


def returned() -> list[Order]:
    return list(atelier().filter(status=OrderStatus.RETURNED_TO_CART).order_by("id"))


def test_atelier_has_orders_in_every_status() -> None:
    counts = Counter(atelier().values_list("status", flat=True))

    assert set(counts) == set(OrderStatus.values)
    assert counts[OrderStatus.AWAITING_OC] >= 20  # most recent orders still wait for their OC
    assert counts[OrderStatus.RETURNED_TO_CART] >= 4


def test_some_orders_have_delivery_notes_invoices_backlog_skus_and_partner_slips() -> None:
    for model in (DeliveryNote, Invoice, BacklogSkuList, PartnerInventorySlip):
        assert model.objects.filter(brand__slug="atelier").exists(), model.__name__
    # Invoiced from a delivery note and straight from the OC.
    assert Invoice.objects.filter(delivery_notes__isnull=False).exists()
    assert Invoice.objects.filter(delivery_notes__isnull=True).exists()
    # Only confirmed orders were delivered or split.
    for model in (DeliveryNote, BacklogSkuList):
        statuses = set(model.objects.values_list("order__status", flat=True))
        assert statuses == {OrderStatus.OC_CONFIRMED}, model.__name__


def test_some_orders_are_tagged_and_only_finished_ones_archived() -> None:
    assert (
        OrderTag.objects.filter(order__brand__slug="atelier").values("order").distinct().count()
        >= 5
    )
    archived = set(atelier().filter(archived=True).values_list("status", flat=True))
    assert archived == {OrderStatus.REJECTED, OrderStatus.RETURNED_TO_CART}


def test_every_returned_order_has_its_cart_or_the_order_that_replaced_it() -> None:
    neither = []
    for order in returned():
        cart = Cart.objects.filter(source_order=order).first()
        replacement = Order.objects.filter(replaces=order).first()
        if cart is not None:
            assert cart.returned_by_brand
            assert cart.organization_id == order.organization_id
            assert replacement is None
        elif replacement is not None:
            assert replacement.status == OrderStatus.AWAITING_OC
            assert replacement.placed_at > order.placed_at
            placed_again = OrderEvent.objects.get(order=order, type="replaced")
            assert placed_again.details["replaced_by"] == replacement.code
        else:
            neither.append(order)
    # One shop deleted its returned cart instead of ordering again; that order was archived.
    assert len(neither) == 1 and neither[0].archived


def test_returned_carts_wait_in_maison_margaux_and_show_the_brands_oc_proposals() -> None:
    waiting = list(Cart.objects.filter(source_order__isnull=False).select_related("organization"))

    maison = [cart for cart in waiting if cart.organization.name == "Maison Margaux"]
    assert maison
    assert sum(1 for cart in waiting if cart_oc_proposals(cart=cart)) >= 2
    assert any(cart.return_message for cart in maison)
    assert Order.objects.filter(replaces__isnull=False, brand__slug="atelier").count() >= 1


def test_no_email_about_an_order_goes_out() -> None:
    with_message = 0
    for order in returned():
        event = OrderEvent.objects.get(order=order, type="returned_to_cart")
        # A message exists only with the email that carries it; that email is cancelled.
        assert event.details["notify"] is bool(event.details["message"])
        with_message += bool(event.details["message"])
    assert with_message >= 1
    # And each order placed again told the brand staff member who had returned it.
    placed_again = atelier().filter(replaces__isnull=False).count()
    assert placed_again >= 1
    about_orders = OutboundEmail.objects.filter(reference__startswith="order_event:")
    assert about_orders.count() == with_message + placed_again
    assert about_orders.filter(kind="order_reordered").count() == placed_again
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"cancelled"}


def test_every_return_blocker_but_offline_buyer_shows_somewhere_in_the_demo() -> None:
    today = timezone.localdate()
    codes: set[str] = set()
    for order in atelier().select_related("buyer__organization", "catalog"):
        codes.update(b.code for b in order_return_check(order=order, today=today).blockers)

    assert codes >= {
        "already_returned",
        "order_rejected",
        "cart_exists",
        "has_delivery_note",
        "has_invoice",
        "has_backlog_skus",
        "partner_inventory",
    }
    returnable = [
        order
        for order in atelier().filter(status=OrderStatus.AWAITING_OC)
        if order_return_check(order=order, today=today).returnable
    ]
    assert len(returnable) >= 5


def test_the_histories_happened_after_placing_and_before_now() -> None:
    now = timezone.now()
    for order in atelier().prefetch_related("events"):
        moments = [event.created_at for event in order.events.all()]
        assert moments == sorted(moments), order.code
        assert moments[0] == order.placed_at
        assert moments[-1] < now
    for confirmation in OrderConfirmation.objects.select_related("order"):
        assert confirmation.order.placed_at < confirmation.created_at < now


def test_the_stories_go_to_the_same_orders_on_every_run() -> None:
    brand = Brand.objects.get(slug="atelier")

    first = [(story, order.pk) for story, order in demo_story_orders(brand=brand, demo=ATELIER)]
    second = [(story, order.pk) for story, order in demo_story_orders(brand=brand, demo=ATELIER)]

    assert first == second
    assert len(first) == len(ATELIER.stories)
