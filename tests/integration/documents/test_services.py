from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from linesheet.catalog.models import SKU
from linesheet.core.errors import InvalidInput
from linesheet.documents import services as documents
from linesheet.documents.errors import DocumentError
from linesheet.documents.models import DeliveryNote, OrderConfirmation
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Order, OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_oc_amends_quantities_adds_and_removes_lines_and_the_original_stays(
    order_in: Any, owner: Any, catalog: Any
) -> None:
    order = order_in("awaiting_oc")
    a, b, c = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number=c).update(retail_price=Decimal("80.00"))

    confirmation, _created = documents.confirmation_save(
        order_id=order.pk,
        quantities={a: 5, b: 0, c: 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )

    lines = list(confirmation.lines.values_list("sku_number", "quantity", "unit_price"))
    # c was in the original at the old price 100 x 0.5: the original line keeps its price.
    assert lines == [(a, 5, Decimal("50.00")), (c, 1, Decimal("50.00"))]
    assert confirmation.total_amount == Decimal("300.00")
    original = list(order.lines.values_list("sku_number", "quantity"))
    assert original == [(a, 2), (b, 2), (c, 2)]
    order.refresh_from_db()
    assert order.status == "oc_created"


def test_an_oc_can_add_a_sku_that_was_not_ordered_at_todays_wholesale_price(
    buyer: Any, owner: Any, catalog: Any
) -> None:
    a, _b, c = factories.sku_numbers(catalog)
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities={a: 1})
    SKU.objects.filter(sku_number=c).update(retail_price=Decimal("90.00"))
    confirmation, _created = documents.confirmation_save(
        order_id=order.pk,
        quantities={a: 1, c: 4},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    assert confirmation.lines.get(sku_number=c).unit_price == Decimal("45.00")


def test_bad_oc_lines_are_refused_and_nothing_is_written(order_in: Any, owner: Any) -> None:
    order = order_in("awaiting_oc")
    with pytest.raises(InvalidInput) as refusal:
        documents.confirmation_save(
            order_id=order.pk,
            quantities={"NOPE": 1, "ALSO": -1},
            allow_buyer_approval=False,
            actor=owner,
            notify=False,
        )
    errors = refusal.value.params["errors"]
    assert errors["lines.0.sku_number"][0]["code"] == "unknown_sku"
    assert errors["lines.1.quantity"][0]["code"] == "invalid_quantity"
    assert not OrderConfirmation.objects.exists()
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"


def test_an_oc_with_no_lines_is_refused_in_favour_of_rejecting(order_in: Any, owner: Any) -> None:
    order = order_in("awaiting_oc")
    with pytest.raises(InvalidInput) as refusal:
        documents.confirmation_save(
            order_id=order.pk, quantities={}, allow_buyer_approval=False, actor=owner, notify=False
        )
    assert refusal.value.params["errors"]["lines"][0]["code"] == "empty"


def save(order: Order, owner: Any, quantities: dict[str, int], version: int | None) -> Any:
    confirmation, _created = documents.confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
        version=version,
    )
    return confirmation


def test_each_save_of_the_oc_counts_up_its_version(order_in: Any, owner: Any) -> None:
    order = order_in("awaiting_oc")
    a, b, _c = order.lines.values_list("sku_number", flat=True)

    first = save(order, owner, {a: 1}, version=0)
    second = save(order, owner, {a: 2}, version=1)
    third = save(order, owner, {b: 3}, version=None)  # no version: saved over what is there

    assert (first.version, second.version, third.version) == (1, 2, 3)
    assert OrderEvent.objects.filter(order=order).latest("id").details["version"] == 3


def test_a_save_from_an_older_version_is_refused_with_the_oc_as_it_is_now(
    order_in: Any, owner: Any
) -> None:
    order = order_in("awaiting_oc")
    a, b, _c = order.lines.values_list("sku_number", flat=True)
    save(order, owner, {a: 1}, version=0)
    save(order, owner, {a: 4, b: 1}, version=1)  # a colleague, from the same version 1
    events = OrderEvent.objects.filter(order=order).count()

    with pytest.raises(DocumentError) as refusal:
        save(order, owner, {a: 9}, version=1)

    assert (refusal.value.code, refusal.value.status) == ("stale_confirmation", 409)
    assert refusal.value.params["version"] == 2
    current = refusal.value.params["confirmation"]
    assert current["version"] == 2
    assert [(line["sku_number"], line["quantity"]) for line in current["lines"]] == [
        (a, 4),
        (b, 1),
    ]
    assert current["lines"][0]["unit_price"] == {"amount": "50.00", "currency": "EUR"}
    oc = OrderConfirmation.objects.get(order=order)
    assert (oc.version, list(oc.lines.values_list("quantity", flat=True))) == (2, [4, 1])
    assert OrderEvent.objects.filter(order=order).count() == events


def test_a_first_save_is_refused_when_an_oc_was_created_meanwhile(
    order_in: Any, owner: Any
) -> None:
    order = order_in("awaiting_oc")
    a, *_rest = order.lines.values_list("sku_number", flat=True)
    save(order, owner, {a: 1}, version=0)

    with pytest.raises(DocumentError) as refusal:
        save(order, owner, {a: 5}, version=0)  # opened before the colleague's OC existed

    assert refusal.value.code == "stale_confirmation"
    assert OrderConfirmation.objects.get(order=order).lines.get().quantity == 1


def test_a_rejected_oc_goes_back_to_oc_created_when_the_brand_updates_it(
    order_in: Any, owner: Any
) -> None:
    order = order_in("oc_rejected")
    documents.confirmation_save(
        order_id=order.pk,
        quantities={order.lines.first().sku_number: 9},
        allow_buyer_approval=True,
        actor=owner,
        notify=False,
    )
    order.refresh_from_db()
    assert order.status == "oc_created"


def test_the_buyer_cannot_answer_an_oc_that_does_not_ask_for_approval(
    order_in: Any, owner: Any, buyer: Any, shop_user: Any
) -> None:
    order = order_in("awaiting_oc")
    documents.confirmation_save(
        order_id=order.pk,
        quantities={order.lines.first().sku_number: 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    with pytest.raises(DocumentError) as refusal:
        documents.confirmation_approve(
            order_id=order.pk, organization=buyer.organization, actor=shop_user
        )
    assert refusal.value.code == "buyer_approval_off"
    assert Order.objects.get(pk=order.pk).status == "oc_created"


def test_another_organisation_cannot_answer_our_oc(order_in: Any, brand: Any) -> None:
    order = order_in("oc_created")
    stranger = factories.make_connected_buyer(brand=brand)
    with pytest.raises(Order.DoesNotExist):
        documents.confirmation_approve(
            order_id=order.pk, organization=stranger.organization, actor=None
        )


def test_a_delivery_note_blocks_reopening_until_it_is_deleted(order_in: Any, owner: Any) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    assert note.number == "DN-000001"

    with pytest.raises(DocumentError) as refusal:
        documents.confirmation_reopen(order_id=order.pk, actor=owner, notify=False)
    assert refusal.value.code == "has_delivery_note"
    assert "DN-000001" in refusal.value.message

    documents.delivery_note_delete(delivery_note_id=note.pk, actor=owner)
    documents.confirmation_reopen(order_id=order.pk, actor=owner, notify=False)
    assert Order.objects.get(pk=order.pk).status == "oc_created"


def test_backlog_skus_lock_the_order_against_reopening(order_in: Any, owner: Any) -> None:
    order = order_in("oc_confirmed")
    backlog = documents.backlog_skus_create(order_id=order.pk, actor=owner)
    assert backlog.lines.count() == 2
    with pytest.raises(DocumentError) as refusal:
        documents.confirmation_reopen(order_id=order.pk, actor=owner, notify=False)
    assert refusal.value.code == "has_backlog_skus"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        ("delivery_note", "has_delivery_note"),
        ("backlog_skus", "has_backlog_skus"),
        ("invoice", "has_invoice"),
    ],
)
def test_an_order_with_a_document_cannot_be_rejected(
    order_in: Any, owner: Any, make: str, code: str
) -> None:
    order = order_in("oc_confirmed")
    document = {
        "delivery_note": documents.delivery_note_create,
        "backlog_skus": documents.backlog_skus_create,
        "invoice": documents.invoice_create,
    }[make](order_id=order.pk, actor=owner)
    events = OrderEvent.objects.filter(order=order).count()

    with pytest.raises(OrderError) as refusal:
        ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message="No")

    assert refusal.value.code == "not_rejectable"
    assert [blocker["code"] for blocker in refusal.value.params["blockers"]] == [code]
    assert document.number in refusal.value.message
    assert Order.objects.get(pk=order.pk).status == "oc_confirmed"
    assert OrderEvent.objects.filter(order=order).count() == events


def test_rejecting_is_possible_again_once_the_delivery_note_is_deleted(
    order_in: Any, owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    documents.delivery_note_delete(delivery_note_id=note.pk, actor=owner)

    ordering.order_reject(order_id=order.pk, actor=owner, notify=False)

    assert Order.objects.get(pk=order.pk).status == "rejected"


def test_delivery_notes_cover_what_is_left_and_then_nothing_is(order_in: Any, owner: Any) -> None:
    order = order_in("oc_confirmed")
    first_sku = order.confirmation.lines.order_by("position").first()
    partial = documents.delivery_note_create(
        order_id=order.pk, actor=owner, quantities={first_sku.sku_number: 1}
    )
    assert list(partial.lines.values_list("quantity", flat=True)) == [1]
    rest = documents.delivery_note_create(order_id=order.pk, actor=owner)
    left = {line.sku_number: line.quantity for line in rest.lines.all()}
    assert left[first_sku.sku_number] == first_sku.quantity - 1
    with pytest.raises(DocumentError) as refusal:
        documents.delivery_note_create(order_id=order.pk, actor=owner)
    assert refusal.value.code == "nothing_to_deliver"


def test_an_invoiced_delivery_note_cannot_be_deleted(order_in: Any, owner: Any) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    invoice = documents.invoice_create(order_id=order.pk, actor=owner, delivery_note_ids=[note.pk])
    assert invoice.number == "INV-000001"
    assert invoice.total_amount == order.confirmation.total_amount
    with pytest.raises(DocumentError) as refusal:
        documents.delivery_note_delete(delivery_note_id=note.pk, actor=owner)
    assert refusal.value.code == "has_invoice"
    assert DeliveryNote.objects.filter(pk=note.pk).exists()


def test_an_invoice_from_the_oc_totals_the_oc(order_in: Any, owner: Any) -> None:
    order = order_in("oc_created")
    invoice = documents.invoice_create(order_id=order.pk, actor=owner)
    assert invoice.total_amount == order.confirmation.total_amount
    assert invoice.lines.count() == order.confirmation.lines.count()


def test_a_partner_inventory_slip_needs_a_partner_name(order_in: Any, owner: Any) -> None:
    order = order_in("awaiting_oc")
    with pytest.raises(InvalidInput):
        documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="  ")
    slip = documents.partner_inventory_slip_create(
        order_id=order.pk, actor=owner, partner="Stockholm  store"
    )
    assert (slip.number, slip.partner) == ("PIS-000001", "Stockholm store")


def test_tags_are_replaced_as_a_set_and_archive_is_only_for_finished_orders(
    order_in: Any, owner: Any
) -> None:
    from linesheet.ordering import services as ordering

    order = order_in("rejected")
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["vip", " rush ", "vip"])
    assert sorted(order.tags.values_list("name", flat=True)) == ["rush", "vip"]
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["rush"])
    assert list(order.tags.values_list("name", flat=True)) == ["rush"]
    ordering.order_archive(order_id=order.pk, actor=owner)
    assert Order.objects.get(pk=order.pk).archived is True
