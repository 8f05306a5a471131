"""Returning a placed order to the buyer's cart, end to end through the services."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linesheet.catalog.models import SKU, Catalog
from linesheet.documents import services as documents
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import selectors
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, CartLine, Order, OrderEvent
from linesheet.ordering.selectors import cart_oc_proposals, order_return_check
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer: Any, catalog: Any, shop_user: Any) -> Order:
    a, b, c = factories.sku_numbers(catalog)
    cart = factories.make_cart(buyer=buyer, catalog=catalog, quantities={a: 4, b: 2, c: 1})
    ordering.cart_update(
        cart=cart,
        desired_delivery_date=timezone.localdate() + datetime.timedelta(days=40),
        comment="Ring twice",
        delivery_address="9 Quai Voltaire\nParis",
    )
    return ordering.order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=shop_user
    )


def return_(order: Order, owner: Any, **kwargs: Any) -> tuple[Order, Cart]:
    kwargs.setdefault("notify", False)
    return ordering.order_return_to_cart(order_id=order.pk, actor=owner, **kwargs)


def blocker_codes(refusal: pytest.ExceptionInfo[OrderError]) -> list[str]:
    assert refusal.value.code == "not_returnable"
    return [b["code"] for b in refusal.value.params["blockers"]]


def test_the_cart_gets_the_original_order_even_after_an_oc_changed_it(
    order: Order, owner: Any, catalog: Any
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    documents.confirmation_save(
        order_id=order.pk,
        quantities={a: 10, c: 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)

    returned, cart = return_(order, owner, message="Please split by colour")

    assert returned.status == "returned_to_cart"
    assert cart.returned_by_brand is True
    assert cart.source_order_id == order.pk
    assert cart.organization_id == order.organization_id
    assert cart.catalog_id == catalog.pk
    assert cart.desired_delivery_date == order.desired_delivery_date
    assert cart.comment == "Ring twice"
    assert cart.delivery_address == "9 Quai Voltaire\nParis"
    assert cart.billing_address == order.billing_address
    assert cart.return_message == ""  # notify was off: no message is kept
    lines = dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity"))
    assert lines == {a: 4, b: 2, c: 1}
    assert order.confirmation.lines.count() == 2  # the OC stays readable on the order


def test_the_return_records_actor_notification_choice_and_message(order: Order, owner: Any) -> None:
    _, cart = return_(order, owner, notify=True, message="Wrong sizes, please fix")
    event = OrderEvent.objects.filter(order=order).latest("id")
    assert event.type == "returned_to_cart"
    assert event.actor == owner
    assert event.details["notify"] is True
    assert event.details["message"] == "Wrong sizes, please fix"
    assert event.details["cart_id"] == cart.pk
    assert event.details["previous"] == "awaiting_oc"
    assert cart.return_message == "Wrong sizes, please fix"


def test_notification_on_queues_one_email_and_off_queues_none(
    buyer: Any, catalog: Any, owner: Any, order: Order, smtp_server: Any, run_worker: Any
) -> None:
    return_(order, owner, notify=True, message="m")
    run_worker()  # the task that sends the email writes it
    [email] = OutboundEmail.objects.all()
    assert email.to == ["orders@shop.test"]
    assert email.subject == f"Atelier returned your order {order.code} to your cart"

    other_catalog = factories.make_catalog(brand=catalog.brand, skus=1)
    second = factories.make_order(buyer=buyer, catalog=other_catalog)
    return_(second, owner, notify=False, message="ignored")
    assert OutboundEmail.objects.count() == 1


def test_a_second_return_is_refused_as_already_returned(order: Order, owner: Any) -> None:
    return_(order, owner)
    Cart.objects.all().delete()  # even with the cart gone the order stays returned
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["already_returned"]


def test_a_rejected_order_cannot_be_returned(order: Order, owner: Any) -> None:
    ordering.order_reject(order_id=order.pk, actor=owner, notify=False)
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["order_rejected"]


def test_an_existing_cart_for_the_catalog_blocks_with_a_message_saying_what_to_do(
    order: Order, owner: Any, buyer: Any, catalog: Any
) -> None:
    factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["cart_exists"]
    [blocker] = refusal.value.params["blockers"]
    assert "must order or delete that cart" in blocker["message"]
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert Cart.objects.count() == 1


def test_a_cart_the_checks_missed_is_refused_by_the_constraint_and_nothing_changes(
    order: Order, owner: Any, buyer: Any, catalog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cart made by a path that takes no organisation lock, after the checks read none.
    factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    real_facts = selectors.return_facts
    monkeypatch.setattr(
        selectors,
        "return_facts",
        lambda **kwargs: dataclasses.replace(real_facts(**kwargs), cart_exists=False),
    )

    with pytest.raises(OrderError) as refusal:
        return_(order, owner, notify=True, message="m")

    assert blocker_codes(refusal) == ["cart_exists"]
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert Cart.objects.count() == 1
    assert not OrderEvent.objects.filter(type="returned_to_cart").exists()
    assert not OutboundEmail.objects.exists()


def test_an_offline_buyer_blocks_and_a_buyer_who_connects_later_can_be_returned_to(
    brand: Any, catalog: Any, owner: Any
) -> None:
    offline = factories.make_buyer(brand=brand)
    connected_later = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=connected_later, catalog=catalog)
    # The order belonged to a buyer that is now offline (its organisation disconnected).
    Order.objects.filter(pk=order.pk).update(buyer=offline)
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["offline_buyer"]

    offline.organization = factories.make_organization()
    offline.save()
    _, cart = return_(order, owner)
    assert cart.organization_id == offline.organization_id  # the buyer as it is now


def test_documents_block_the_return_each_with_its_code(
    order: Order, owner: Any, catalog: Any
) -> None:
    a, *_ = factories.sku_numbers(catalog)
    documents.confirmation_save(
        order_id=order.pk, quantities={a: 4}, allow_buyer_approval=False, actor=owner, notify=False
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    documents.invoice_create(order_id=order.pk, actor=owner, delivery_note_ids=[note.pk])
    documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="Oslo")

    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["has_delivery_note", "has_invoice", "partner_inventory"]
    assert Order.objects.get(pk=order.pk).status == "oc_confirmed"


def test_backlog_skus_block_the_return(order: Order, owner: Any, catalog: Any) -> None:
    a, *_ = factories.sku_numbers(catalog)
    documents.confirmation_save(
        order_id=order.pk, quantities={a: 4}, allow_buyer_approval=False, actor=owner, notify=False
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    documents.backlog_skus_create(order_id=order.pk, actor=owner)
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["has_backlog_skus"]


def test_an_order_from_a_consignment_catalog_is_partner_inventory(
    buyer: Any, owner: Any, brand: Any
) -> None:
    consignment = factories.make_catalog(brand=brand, skus=1, consignment=True)
    order = factories.make_order(buyer=buyer, catalog=consignment)
    with pytest.raises(OrderError) as refusal:
        return_(order, owner)
    assert blocker_codes(refusal) == ["partner_inventory"]


def test_unorderable_lines_are_restored_flagged_and_warned_about_beforehand(
    order: Order, owner: Any, catalog: Any, buyer: Any
) -> None:
    a, *_ = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number=a).update(is_active=False)
    Catalog.objects.filter(pk=catalog.pk).update(status="closed")

    check = order_return_check(order=Order.objects.get(pk=order.pk), today=timezone.localdate())
    assert check.returnable is True
    assert [w.code for w in check.warnings] == ["sku_not_orderable", "catalog_closed"]

    _, cart = return_(order, owner)
    assert CartLine.objects.filter(cart=cart, sku__sku_number=a).exists()
    Catalog.objects.filter(pk=catalog.pk).update(status="open")
    with pytest.raises(OrderError) as refusal:
        ordering.order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
    assert refusal.value.code == "sku_not_orderable"
    assert a in refusal.value.message


def test_reordering_the_returned_cart_makes_a_new_order_that_records_the_one_it_replaces(
    order: Order, owner: Any, buyer: Any, shop_user: Any, catalog: Any
) -> None:
    _, cart = return_(order, owner)
    a, *_ = factories.sku_numbers(catalog)
    ordering.cart_set_lines(cart=cart, quantities={a: 6}, replace=False)

    new = ordering.order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=shop_user
    )

    assert new.code != order.code
    assert new.status == "awaiting_oc"
    assert new.replaces_id == order.pk
    assert dict(new.lines.values_list("sku_number", "quantity"))[a] == 6
    # Who returned it is named, to be told by email.
    assert OrderEvent.objects.filter(order=order, type="replaced").get().details == {
        "replaced_by": new.code,
        "notify_member_id": owner.pk,
        "notify_member": owner.email,
    }
    assert Order.objects.get(pk=order.pk).status == "returned_to_cart"


def test_a_returned_order_refuses_everything_but_archive_and_tags(order: Order, owner: Any) -> None:
    return_(order, owner)
    for operation in (
        lambda: documents.confirmation_save(
            order_id=order.pk, quantities={}, allow_buyer_approval=False, actor=owner, notify=False
        ),
        lambda: ordering.order_reject(order_id=order.pk, actor=owner, notify=False),
        lambda: documents.partner_inventory_slip_create(
            order_id=order.pk, actor=owner, partner="x"
        ),
    ):
        with pytest.raises(OrderError) as refusal:
            operation()
        assert refusal.value.code == "action_not_allowed"
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["redo"])
    ordering.order_archive(order_id=order.pk, actor=owner)
    assert Order.objects.get(pk=order.pk).archived is True


def test_the_buyer_can_take_over_the_brands_oc_quantities(
    order: Order, owner: Any, catalog: Any
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    documents.confirmation_save(
        order_id=order.pk,
        quantities={a: 10, c: 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    _, cart = return_(order, owner)

    proposals = {
        p.sku_number: (p.cart_quantity, p.oc_quantity) for p in cart_oc_proposals(cart=cart)
    }
    assert proposals == {a: (4, 10), b: (2, 0), c: (1, 1)}

    ordering.cart_take_oc_quantities(cart=cart, sku_numbers=[a])
    assert dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity")) == {
        a: 10,
        b: 2,
        c: 1,
    }
    ordering.cart_take_oc_quantities(cart=cart)
    assert dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity")) == {
        a: 10,
        c: 1,
    }
    assert cart_oc_proposals(cart=cart) == []


@pytest.mark.parametrize("lines", [1, 500])
def test_a_return_costs_the_same_number_of_queries_for_1_and_500_lines(
    brand: Any, owner: Any, lines: int
) -> None:
    buyer = factories.make_connected_buyer(brand=brand, recipients=["a@shop.test"])
    catalog = factories.make_catalog(brand=brand, skus=lines)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    with CaptureQueriesContext(connection) as queries:
        return_(order, owner, notify=True, message="m")
    assert len(queries) == RETURN_QUERIES[connection.vendor]


# One round trip each, fixed whatever the number of lines: the service's savepoint and its
# release (the test runs in a transaction), the organisation's lock, the order's, the facts
# (one query), the cart, one INSERT of the lines, the status, the event, the analytics revision,
# the recipients, the email and its task. The email is written by the task that sends it: its
# lines and their pictures are read there, not here.
RETURN_QUERIES = {"sqlite": 13, "postgresql": 13}
