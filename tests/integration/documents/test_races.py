"""Two staff at once on one order, on PostgreSQL with real threads: the OC and rejecting."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.documents import services as documents
from linesheet.documents.errors import DocumentError
from linesheet.documents.models import Invoice, OrderConfirmation
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Order, OrderEvent
from tests import factories
from tests.integration.ordering.test_races import run_at_once

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def an_order() -> tuple[Order, Any, list[str]]:
    brand = factories.make_brand()
    owner = factories.make_member(brand=brand)
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=3)
    numbers = factories.sku_numbers(catalog)
    return factories.make_order(buyer=buyer, catalog=catalog), owner, numbers


def oc_save(order: Order, owner: Any, quantities: dict[str, int], version: int | None) -> Any:
    return lambda: documents.confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
        version=version,
    )


def test_two_first_saves_at_once_make_one_oc_and_update_it_without_a_spurious_refusal() -> None:
    for _ in range(5):
        order, owner, (a, b, _c) = an_order()

        results = run_at_once(
            [oc_save(order, owner, {a: 1}, None), oc_save(order, owner, {b: 2}, None)]
        )

        assert all(isinstance(result, tuple) for result in results), results
        assert sorted(created for _oc, created in results) == [False, True]
        confirmation = OrderConfirmation.objects.get(order=order)
        assert confirmation.version == 2
        types = list(OrderEvent.objects.filter(order=order).values_list("type", flat=True))
        assert types == ["placed", "oc_created", "oc_updated"]


def test_two_first_saves_from_no_oc_make_one_oc_and_refuse_the_other_as_stale() -> None:
    for _ in range(5):
        order, owner, (a, b, _c) = an_order()

        results = run_at_once([oc_save(order, owner, {a: 1}, 0), oc_save(order, owner, {b: 2}, 0)])

        saved = [result for result in results if isinstance(result, tuple)]
        refused = [result for result in results if isinstance(result, DocumentError)]
        assert len(saved) == 1 and len(refused) == 1, results
        assert refused[0].code == "stale_confirmation"
        assert refused[0].params["confirmation"]["version"] == 1
        assert OrderConfirmation.objects.get(order=order).version == 1


def test_two_updates_from_one_version_save_one_and_refuse_the_other_as_stale() -> None:
    order, owner, (a, b, _c) = an_order()
    oc_save(order, owner, {a: 1}, 0)()

    results = run_at_once([oc_save(order, owner, {a: 5}, 1), oc_save(order, owner, {b: 7}, 1)])

    saved = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, DocumentError)]
    assert len(saved) == 1 and [r.code for r in refused] == ["stale_confirmation"], results
    confirmation = OrderConfirmation.objects.get(order=order)
    assert confirmation.version == 2
    winner = dict(saved[0][0].lines.values_list("sku_number", "quantity"))
    assert dict(confirmation.lines.values_list("sku_number", "quantity")) == winner


def test_rejecting_while_an_invoice_is_made_never_leaves_an_invoice_on_a_rejected_order() -> None:
    for _ in range(5):
        order, owner, (a, b, _c) = an_order()
        oc_save(order, owner, {a: 2, b: 1}, 0)()

        results = run_at_once(
            [
                lambda order=order, owner=owner: ordering.order_reject(
                    order_id=order.pk, actor=owner, notify=False
                ),
                lambda order=order, owner=owner: documents.invoice_create(
                    order_id=order.pk, actor=owner
                ),
            ]
        )

        rejected, invoiced = results
        order.refresh_from_db()
        if isinstance(rejected, Order):
            assert isinstance(invoiced, OrderError) and invoiced.code == "action_not_allowed"
            assert order.status == "rejected"
            assert not Invoice.objects.filter(order=order).exists()
        else:
            assert isinstance(rejected, OrderError) and rejected.code == "not_rejectable"
            assert isinstance(invoiced, Invoice)
            assert order.status == "oc_created"
