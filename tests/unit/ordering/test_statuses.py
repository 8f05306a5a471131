"""The status and action tables, checked as literal matrices so any change is deliberate."""

from __future__ import annotations

import pytest

from linesheet.ordering.statuses import (
    ALLOWED_ACTIONS,
    TRANSITIONS,
    OrderAction,
    OrderStatus,
    can_transition,
    is_allowed,
    leads_to,
    status_labels,
)

S = OrderStatus
STATUS_ORDER = [
    "awaiting_oc",
    "oc_created",
    "oc_approved",
    "oc_rejected",
    "oc_confirmed",
    "rejected",
    "returned_to_cart",
]

# Rows: from; columns: to, in STATUS_ORDER.
EXPECTED_TRANSITIONS = {
    "awaiting_oc":      "0 1 0 0 0 1 1",
    "oc_created":       "0 0 1 1 1 1 1",
    "oc_approved":      "0 0 0 0 1 1 1",
    "oc_rejected":      "0 1 0 0 0 1 1",
    "oc_confirmed":     "0 1 0 0 0 1 1",
    "rejected":         "0 0 0 0 0 0 0",
    "returned_to_cart": "0 0 0 0 0 0 0",
}  # fmt: skip

ACTION_ORDER = [
    "create_oc", "update_oc", "approve_oc", "reject_oc", "confirm_oc", "reopen_oc", "reject",
    "return_to_cart", "create_backlog_skus", "create_delivery_note", "delete_delivery_note",
    "create_invoice",
    "create_partner_inventory_slip", "archive", "set_tags", "export_pdf", "export_excel",
]  # fmt: skip

# Rows: status; columns: ACTION_ORDER.
EXPECTED_ACTIONS = {
    "awaiting_oc":      "1 0 0 0 0 0 1 1 0 0 0 0 1 0 1 1 1",
    "oc_created":       "0 1 1 1 1 0 1 1 0 0 0 1 1 0 1 1 1",
    "oc_approved":      "0 0 0 0 1 0 1 1 0 0 0 1 1 0 1 1 1",
    "oc_rejected":      "0 1 0 0 0 0 1 1 0 0 0 0 1 0 1 1 1",
    "oc_confirmed":     "0 0 0 0 0 1 1 1 1 1 1 1 1 0 1 1 1",
    "rejected":         "0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 1",
    "returned_to_cart": "0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 1",
}  # fmt: skip


def test_the_tables_cover_exactly_the_seven_statuses_and_seventeen_actions() -> None:
    assert [s.value for s in OrderStatus] == STATUS_ORDER
    assert [a.value for a in OrderAction] == ACTION_ORDER
    assert set(TRANSITIONS) == set(OrderStatus) == set(ALLOWED_ACTIONS)


@pytest.mark.parametrize("source", STATUS_ORDER)
def test_transitions_match_the_matrix(source: str) -> None:
    row = [bool(int(cell)) for cell in EXPECTED_TRANSITIONS[source].split()]
    assert [can_transition(source, target) for target in STATUS_ORDER] == row


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_allowed_actions_match_the_matrix(status: str) -> None:
    row = [bool(int(cell)) for cell in EXPECTED_ACTIONS[status].split()]
    assert [is_allowed(status, action) for action in ACTION_ORDER] == row


# Where each action takes the order; absent: it keeps its status.
EXPECTED_LEADS_TO = {
    "create_oc": "oc_created",
    "update_oc": "oc_created",
    "approve_oc": "oc_approved",
    "reject_oc": "oc_rejected",
    "confirm_oc": "oc_confirmed",
    "reopen_oc": "oc_created",
    "reject": "rejected",
    "return_to_cart": "returned_to_cart",
}


def test_each_action_leads_where_the_table_says() -> None:
    assert {a: leads_to(a) for a in ACTION_ORDER} == {
        a: EXPECTED_LEADS_TO.get(a) for a in ACTION_ORDER
    }


def test_a_returned_order_accepts_only_archive_tags_and_exports() -> None:
    assert ALLOWED_ACTIONS[S.RETURNED_TO_CART] == {
        OrderAction.ARCHIVE,
        OrderAction.SET_TAGS,
        OrderAction.EXPORT_PDF,
        OrderAction.EXPORT_EXCEL,
    }


def test_terminal_statuses_have_no_way_out() -> None:
    assert TRANSITIONS[S.REJECTED] == frozenset()
    assert TRANSITIONS[S.RETURNED_TO_CART] == frozenset()


def test_each_status_has_one_brand_label_and_one_buyer_label() -> None:
    assert status_labels(side="brand") == {
        "awaiting_oc": "Please create an OC",
        "oc_created": "OC created",
        "oc_approved": "OC approved",
        "oc_rejected": "OC rejected by buyer",
        "oc_confirmed": "OC confirmed",
        "rejected": "Order rejected",
        "returned_to_cart": "Returned to cart",
    }
    assert status_labels(side="buyer") == {
        "awaiting_oc": "Awaiting OC creation",
        "oc_created": "Please check the OC",
        "oc_approved": "OC approved",
        "oc_rejected": "OC rejected",
        "oc_confirmed": "OC confirmed",
        "rejected": "Order declined",
        "returned_to_cart": "Returned to cart",
    }
