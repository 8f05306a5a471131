from __future__ import annotations

import datetime

from linesheet.ordering.rules import (
    PlacementFacts,
    RejectFacts,
    catalog_closed_reason,
    order_place_blockers,
    reject_blockers,
)

TODAY = datetime.date(2027, 3, 1)


def facts(**changes: object) -> PlacementFacts:
    base: dict[str, object] = {
        "catalog_name": "SS27",
        "catalog_status": "open",
        "order_deadline": None,
        "today": TODAY,
        "line_count": 3,
        "unorderable_skus": (),
    }
    base.update(changes)
    return PlacementFacts(**base)  # type: ignore[arg-type]


def codes(f: PlacementFacts) -> list[str]:
    return [blocker.code for blocker in order_place_blockers(f)]


def test_an_open_cart_with_lines_can_be_ordered() -> None:
    assert codes(facts()) == []


def test_a_limited_catalog_still_takes_orders() -> None:
    assert codes(facts(catalog_status="limited")) == []


def test_an_empty_cart_is_refused() -> None:
    assert codes(facts(line_count=0)) == ["empty_cart"]


def test_a_closed_catalog_is_refused() -> None:
    assert codes(facts(catalog_status="closed")) == ["catalog_closed"]


def test_the_deadline_day_itself_still_takes_orders_and_the_day_after_does_not() -> None:
    assert codes(facts(order_deadline=TODAY)) == []
    assert codes(facts(order_deadline=TODAY - datetime.timedelta(days=1))) == ["catalog_closed"]
    assert (
        catalog_closed_reason(
            status="open", order_deadline=TODAY - datetime.timedelta(days=1), today=TODAY
        )
        == "deadline_passed"
    )


def test_unorderable_skus_are_named_in_the_blocker() -> None:
    [blocker] = order_place_blockers(facts(unorderable_skus=("B-2", "A-1")))
    assert blocker.code == "sku_not_orderable"
    assert blocker.params == {"skus": "A-1, B-2"}


def test_every_blocker_is_reported_at_once() -> None:
    assert codes(facts(line_count=0, catalog_status="closed", unorderable_skus=("A-1",))) == [
        "empty_cart",
        "catalog_closed",
        "sku_not_orderable",
    ]


# --- Reject -------------------------------------------------------------------------------------


def reject_codes(**documents: list[str]) -> list[str]:
    base: dict[str, list[str]] = {"backlog_skus": [], "delivery_notes": [], "invoices": []}
    base.update(documents)
    return [blocker.code for blocker in reject_blockers(RejectFacts(**base))]


def test_an_order_without_documents_can_be_rejected() -> None:
    assert reject_codes() == []


def test_backlog_skus_a_delivery_note_or_an_invoice_each_block_a_rejection() -> None:
    assert reject_codes(backlog_skus=["BL-000001"]) == ["has_backlog_skus"]
    assert reject_codes(delivery_notes=["DN-000001"]) == ["has_delivery_note"]
    assert reject_codes(invoices=["INV-000001"]) == ["has_invoice"]


def test_every_document_that_blocks_a_rejection_is_reported_at_once_with_its_numbers() -> None:
    blockers = reject_blockers(
        RejectFacts(
            backlog_skus=["BL-000001"],
            delivery_notes=["DN-000001", "DN-000002"],
            invoices=["INV-000003"],
        )
    )

    assert [(blocker.code, blocker.params) for blocker in blockers] == [
        ("has_backlog_skus", {"numbers": "BL-000001"}),
        ("has_delivery_note", {"numbers": "DN-000001, DN-000002"}),
        ("has_invoice", {"numbers": "INV-000003"}),
    ]
