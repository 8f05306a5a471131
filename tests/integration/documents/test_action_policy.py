"""Every status x every order-changing operation: allowed ones pass the guard, others are refused
with action_not_allowed and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from linesheet.documents import services as documents
from linesheet.documents.models import DeliveryNote
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Order, OrderEvent
from linesheet.ordering.statuses import OrderAction, OrderStatus, is_allowed
from tests.factories import oc_quantities

pytestmark = pytest.mark.django_db

A = OrderAction


def operations(owner: Any, buyer: Any, shop_user: Any) -> dict[str, Callable[[Order], Any]]:
    org = buyer.organization
    return {
        A.CREATE_OC: lambda o: documents.confirmation_save(
            order_id=o.pk,
            quantities=oc_quantities(o),
            allow_buyer_approval=True,
            actor=owner,
            notify=False,
        ),
        A.APPROVE_OC: lambda o: documents.confirmation_approve(
            order_id=o.pk, organization=org, actor=shop_user
        ),
        A.REJECT_OC: lambda o: documents.confirmation_reject(
            order_id=o.pk, organization=org, actor=shop_user
        ),
        A.CONFIRM_OC: lambda o: documents.confirmation_confirm(
            order_id=o.pk, actor=owner, notify=False
        ),
        A.REOPEN_OC: lambda o: documents.confirmation_reopen(
            order_id=o.pk, actor=owner, notify=False
        ),
        A.REJECT: lambda o: ordering.order_reject(order_id=o.pk, actor=owner, notify=False),
        A.CREATE_BACKLOG_SKUS: lambda o: documents.backlog_skus_create(order_id=o.pk, actor=owner),
        A.CREATE_DELIVERY_NOTE: lambda o: documents.delivery_note_create(
            order_id=o.pk, actor=owner
        ),
        A.CREATE_INVOICE: lambda o: documents.invoice_create(order_id=o.pk, actor=owner),
        A.CREATE_PARTNER_INVENTORY_SLIP: lambda o: documents.partner_inventory_slip_create(
            order_id=o.pk, actor=owner, partner="Stockholm store"
        ),
        A.ARCHIVE: lambda o: ordering.order_archive(order_id=o.pk, actor=owner),
        A.SET_TAGS: lambda o: ordering.order_set_tags(order_id=o.pk, actor=owner, names=["vip"]),
    }


def action_of(name: str, order: Order) -> str:
    """create_oc becomes update_oc once the order has an OC: one service does both."""
    if name == A.CREATE_OC and hasattr(order, "confirmation"):
        return A.UPDATE_OC
    return name


@pytest.mark.parametrize("status", [s.value for s in OrderStatus])
@pytest.mark.parametrize(
    "name",
    [
        A.CREATE_OC, A.APPROVE_OC, A.REJECT_OC, A.CONFIRM_OC, A.REOPEN_OC, A.REJECT,
        A.CREATE_BACKLOG_SKUS, A.CREATE_DELIVERY_NOTE, A.CREATE_INVOICE,
        A.CREATE_PARTNER_INVENTORY_SLIP, A.ARCHIVE, A.SET_TAGS,
    ],
)  # fmt: skip
def test_every_operation_follows_the_status_policy(
    status: str, name: str, order_in: Any, owner: Any, buyer: Any, shop_user: Any
) -> None:
    order = order_in(status)
    action = action_of(name, Order.objects.get(pk=order.pk))
    events_before = OrderEvent.objects.filter(order=order).count()
    run = operations(owner, buyer, shop_user)[name]

    if is_allowed(status, action):
        run(order)
        assert OrderEvent.objects.filter(order=order).count() > events_before
    else:
        with pytest.raises(OrderError) as refusal:
            run(order)
        assert refusal.value.code == "action_not_allowed"
        assert refusal.value.params["action"] == action
        assert refusal.value.params["order_status"] == status
        assert Order.objects.get(pk=order.pk).status == status
        assert OrderEvent.objects.filter(order=order).count() == events_before


@pytest.mark.parametrize("status", [s.value for s in OrderStatus])
def test_deleting_a_delivery_note_follows_the_status_policy(
    status: str, order_in: Any, owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    Order.objects.filter(pk=order.pk).update(status=status)  # setup: a note on each status
    if is_allowed(status, A.DELETE_DELIVERY_NOTE):
        documents.delivery_note_delete(delivery_note_id=note.pk, actor=owner)
        assert not DeliveryNote.objects.exists()
    else:
        with pytest.raises(OrderError) as refusal:
            documents.delivery_note_delete(delivery_note_id=note.pk, actor=owner)
        assert refusal.value.code == "action_not_allowed"
        assert DeliveryNote.objects.exists()


def test_a_refusal_names_the_action_and_status_in_plain_words(order_in: Any, owner: Any) -> None:
    order = order_in("rejected")
    with pytest.raises(OrderError) as refusal:
        documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    assert (
        refusal.value.message
        == "“Confirm the OC” is not possible while the order's status is “Order rejected”."
    )
