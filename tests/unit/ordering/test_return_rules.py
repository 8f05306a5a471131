"""The return-to-cart rules: each blocker alone, the combinations, and the warnings."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from linesheet.ordering.rules import (
    ReturnFacts,
    return_status_blockers,
    return_to_cart_blockers,
    return_to_cart_warnings,
)

TODAY = datetime.date(2027, 3, 1)

RETURNABLE = ReturnFacts(
    status="awaiting_oc",
    buyer_name="Maison Lune",
    buyer_connected=True,
    organization_name="Maison Lune SARL",
    catalog_name="SS27",
    cart_exists=False,
    delivery_notes=(),
    invoices=(),
    backlog_skus=(),
    consignment_catalog=False,
    partner_inventory_slips=(),
    catalog_status="open",
    order_deadline=None,
    today=TODAY,
    unorderable_skus=(),
)


def blocked(**changes: object) -> list[str]:
    facts = dataclasses.replace(RETURNABLE, **changes)  # type: ignore[arg-type]
    return [blocker.code for blocker in return_to_cart_blockers(facts)]


def test_a_placed_order_of_a_connected_buyer_with_no_documents_is_returnable() -> None:
    assert blocked() == []


@pytest.mark.parametrize(
    "status", ["awaiting_oc", "oc_created", "oc_approved", "oc_rejected", "oc_confirmed"]
)
def test_the_oc_status_is_no_rule(status: str) -> None:
    assert blocked(status=status) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "returned_to_cart"}, "already_returned"),
        ({"status": "rejected"}, "order_rejected"),
        ({"buyer_connected": False}, "offline_buyer"),
        ({"cart_exists": True}, "cart_exists"),
        ({"delivery_notes": ("DN-000001",)}, "has_delivery_note"),
        ({"invoices": ("INV-000001",)}, "has_invoice"),
        ({"backlog_skus": ("BL-000001",)}, "has_backlog_skus"),
        ({"consignment_catalog": True}, "partner_inventory"),
        ({"partner_inventory_slips": ("PIS-000001",)}, "partner_inventory"),
    ],
)
def test_each_rule_blocks_with_its_own_code(changes: dict[str, object], code: str) -> None:
    assert blocked(**changes) == [code]


def test_every_failing_rule_is_reported_at_once() -> None:
    assert blocked(
        status="rejected",
        cart_exists=True,
        delivery_notes=("DN-000001", "DN-000002"),
        invoices=("INV-000001",),
        backlog_skus=("BL-000001",),
        consignment_catalog=True,
    ) == [
        "order_rejected",
        "cart_exists",
        "has_delivery_note",
        "has_invoice",
        "has_backlog_skus",
        "partner_inventory",
    ]


def test_an_offline_buyer_has_no_cart_so_cart_exists_is_not_asked() -> None:
    assert blocked(buyer_connected=False, cart_exists=True) == ["offline_buyer"]


def test_blockers_carry_the_numbers_staff_need_to_act_on() -> None:
    facts = dataclasses.replace(RETURNABLE, delivery_notes=("DN-000001", "DN-000002"))
    [blocker] = return_to_cart_blockers(facts)
    assert blocker.params == {"numbers": "DN-000001, DN-000002"}


def test_warnings_name_unorderable_skus_and_a_closed_catalog_but_do_not_block() -> None:
    facts = dataclasses.replace(
        RETURNABLE,
        unorderable_skus=("B-2", "A-1"),
        order_deadline=TODAY - datetime.timedelta(days=1),
    )
    assert return_to_cart_blockers(facts) == []
    warnings = return_to_cart_warnings(facts)
    assert [(w.code, w.params.get("skus")) for w in warnings] == [
        ("sku_not_orderable", "A-1, B-2"),
        ("catalog_closed", None),
    ]


def test_an_order_already_returned_does_not_also_report_the_cart_it_went_to() -> None:
    assert blocked(status="returned_to_cart", cart_exists=True) == ["already_returned"]


@pytest.mark.parametrize(
    ("status", "codes"),
    [
        ("awaiting_oc", []),
        ("oc_created", []),
        ("oc_approved", []),
        ("oc_rejected", []),
        ("oc_confirmed", []),
        ("rejected", ["order_rejected"]),
        ("returned_to_cart", ["already_returned"]),
    ],
)
def test_each_status_the_return_refuses_says_why_in_the_returns_words(
    status: str, codes: list[str]
) -> None:
    assert [b.code for b in return_status_blockers(status)] == codes
