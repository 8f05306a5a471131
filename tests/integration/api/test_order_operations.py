"""Operations on a placed order through the REST API: the OC, its answers, documents, tags."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from linesheet.accounts.models import BuyerOrganization
from linesheet.api.models import IdempotencyKey
from linesheet.documents import services as documents
from linesheet.documents.models import (
    BacklogSkuLine,
    BacklogSkuList,
    DeliveryNote,
    DeliveryNoteLine,
    DocumentSequence,
    Invoice,
    InvoiceLine,
    OrderConfirmation,
    OrderConfirmationLine,
    PartnerInventorySlip,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderTag, Tag
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db

WATCHED: list[type[Model]] = [
    Order,
    OrderEvent,
    OrderTag,
    Tag,
    Cart,
    OrderConfirmation,
    OrderConfirmationLine,
    BacklogSkuList,
    BacklogSkuLine,
    DeliveryNote,
    DeliveryNoteLine,
    Invoice,
    InvoiceLine,
    PartnerInventorySlip,
    DocumentSequence,
    OutboundEmail,
    IdempotencyKey,
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row an order operation may write."""
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in WATCHED}


@pytest.fixture
def skus(catalog: Any) -> list[str]:
    return factories.sku_numbers(catalog)


@pytest.fixture
def brand_client(owner: Any) -> Any:
    return client_for(owner)


@pytest.fixture
def shop(shop_user: Any) -> Any:
    return client_for(shop_user)


def url(order: Order, rest: str = "") -> str:
    return f"/api/v1/brands/atelier/orders/{order.code}" + (f"/{rest}" if rest else "")


def buyer_url(order: Order, rest: str = "") -> str:
    return f"/api/v1/buyer-orgs/{order.organization_id}/orders/{order.pk}" + (
        f"/{rest}" if rest else ""
    )


# Stands for the catalog's first SKU number in bodies written before the catalog exists.
A = "<first sku>"


def fill(body: Any, skus: list[str]) -> Any:
    """Return the body with A replaced by the first SKU number."""
    if isinstance(body, dict):
        return {key: fill(value, skus) for key, value in body.items()}
    if isinstance(body, list):
        return [fill(item, skus) for item in body]
    return skus[0] if body == A else body


def lines(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"sku_number": number, "quantity": quantity} for number, quantity in pairs]


def status_of(order: Order) -> str:
    order.refresh_from_db()
    return order.status


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = dict(response.json())
    assert body["code"] == code, body
    return body


# --- The whole walk ---------------------------------------------------------------------------


def test_an_order_walks_from_oc_to_invoice_through_the_api(
    order_in: Any, brand_client: Any, shop: Any, skus: list[str]
) -> None:
    a, b, c = skus
    order = order_in("awaiting_oc")

    created = brand_client.post(
        url(order, "confirmation"),
        {
            "lines": lines((a, 5), (b, 0), (c, 2)),
            "allow_buyer_approval": True,
            "notify_buyer": True,
            "message": "We added one size.",
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    detail = created.json()
    assert detail["status"] == "oc_created"
    oc = detail["confirmation"]
    assert oc["allow_buyer_approval"] is True
    assert [(line["sku_number"], line["quantity"]) for line in oc["lines"]] == [(a, 5), (c, 2)]
    assert oc["lines"][0]["unit_price"] == {"amount": "50.00", "currency": "EUR"}
    assert oc["lines"][0]["amount"] == {"amount": "250.00", "currency": "EUR"}
    assert oc["total_quantity"] == 7
    assert oc["total_amount"] == {"amount": "350.00", "currency": "EUR"}
    assert [line["quantity"] for line in detail["original_lines"]] == [2, 2, 2]
    assert [email.to for email in OutboundEmail.objects.all()] == [["orders@shop.test"]]

    seen_by_buyer = shop.get(buyer_url(order)).json()
    assert seen_by_buyer["status_label"] == "Please check the OC"
    assert seen_by_buyer["confirmation"]["total_quantity"] == 7

    approved = shop.post(buyer_url(order, "confirmation/approve"))
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "oc_approved"

    confirmed = brand_client.post(url(order, "confirmation/confirm"), {}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "oc_confirmed"

    note = brand_client.post(url(order, "delivery-notes"), {"lines": lines((a, 4))}, format="json")
    assert note.status_code == 201, note.json()
    assert note.json()["number"] == "DN-000001"
    assert note.json()["total_quantity"] == 4
    assert note.json()["total_amount"] == {"amount": "200.00", "currency": "EUR"}
    assert note.json()["invoices"] == []

    invoice = brand_client.post(
        url(order, "invoices"), {"delivery_notes": ["DN-000001"]}, format="json"
    )
    assert invoice.status_code == 201, invoice.json()
    body = invoice.json()
    assert body["number"] == "INV-000001"
    assert body["delivery_notes"] == ["DN-000001"]
    assert [(line["sku_number"], line["quantity"]) for line in body["lines"]] == [(a, 4)]
    assert body["total_amount"] == {"amount": "200.00", "currency": "EUR"}

    final = brand_client.get(url(order)).json()
    assert final["status"] == "oc_confirmed"
    docs = final["documents"]
    assert [(n["number"], n["invoices"]) for n in docs["delivery_notes"]] == [
        ("DN-000001", ["INV-000001"])
    ]
    assert [i["number"] for i in docs["invoices"]] == ["INV-000001"]
    assert docs["backlog_skus"] == [] and docs["partner_inventory_slips"] == []
    assert [e["type"] for e in final["events"]] == [
        "placed",
        "oc_created",
        "oc_approved",
        "oc_confirmed",
        "delivery_note_created",
        "invoice_created",
    ]


# --- The OC -----------------------------------------------------------------------------------


def test_updating_the_oc_answers_200_and_leaving_a_line_out_removes_it(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    _a, b, _c = skus
    order = order_in("oc_created")
    first_created_at = order_confirmation(order).created_at

    response = brand_client.post(
        url(order, "confirmation"), {"lines": lines((b, 7))}, format="json"
    )

    assert response.status_code == 200, response.json()
    oc = response.json()["confirmation"]
    assert [(line["sku_number"], line["quantity"]) for line in oc["lines"]] == [(b, 7)]
    assert oc["allow_buyer_approval"] is False
    assert order_confirmation(order).created_at == first_created_at


def test_an_oc_saved_from_an_old_version_is_409_stale_with_the_current_oc(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    a, b, _c = skus
    order = order_in("oc_created")
    seen = brand_client.get(f"/api/v1/brands/atelier/orders/{order.code}").json()
    version = seen["confirmation"]["version"]
    first = brand_client.post(
        url(order, "confirmation"), {"lines": lines((a, 4)), "version": version}, format="json"
    )
    assert first.status_code == 200, first.json()
    assert first.json()["confirmation"]["version"] == version + 1

    stale = brand_client.post(
        url(order, "confirmation"), {"lines": lines((b, 9)), "version": version}, format="json"
    )

    problem = assert_problem(stale, 409, "stale_confirmation")
    assert problem["version"] == version + 1
    current = problem["confirmation"]
    assert current["version"] == version + 1
    assert [(line["sku_number"], line["quantity"]) for line in current["lines"]] == [(a, 4)]
    assert current["total_amount"] == {"amount": "200.00", "currency": "EUR"}
    assert [(line.sku_number, line.quantity) for line in order_confirmation(order).lines.all()] == [
        (a, 4)
    ]


def order_confirmation(order: Order) -> OrderConfirmation:
    return OrderConfirmation.objects.get(order=order)


def test_the_brand_updates_an_oc_the_buyer_rejected_and_sees_the_buyers_note(
    order_in: Any, brand_client: Any, shop: Any, skus: list[str]
) -> None:
    order = order_in("oc_created")
    rejected = shop.post(
        buyer_url(order, "confirmation/reject"), {"note": "Too many of A."}, format="json"
    )
    assert rejected.status_code == 200, rejected.json()
    assert rejected.json()["status"] == "oc_rejected"
    assert brand_client.get(url(order)).json()["confirmation"]["buyer_note"] == "Too many of A."

    updated = brand_client.post(
        url(order, "confirmation"),
        {"lines": lines((skus[0], 2)), "allow_buyer_approval": True},
        format="json",
    )

    assert updated.status_code == 200, updated.json()
    assert updated.json()["status"] == "oc_created"
    assert updated.json()["confirmation"]["buyer_note"] == ""


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"lines": [{"sku_number": "NOPE", "quantity": 1}]}, "lines.0.sku_number", "unknown_sku"),
        ({"lines": [{"sku_number": A, "quantity": -1}]}, "lines.0.quantity", "invalid_quantity"),
        ({"lines": [{"sku_number": A, "quantity": 0}]}, "lines", "empty"),
        ({"lines": [{"sku_number": A, "quantity": 1}] * 2}, "lines", "duplicate"),
        ({"lines": [{"sku_number": A, "quantity": "many"}]}, "lines", None),
        ({"lines": [], "price": 1}, "price", "unknown_field"),
        (
            {"lines": [{"sku_number": A, "quantity": 1}], "message": "x" * 2001},
            "message",
            "too_long",
        ),
    ],
)
def test_bad_oc_input_is_400_invalid_and_changes_nothing(
    order_in: Any, brand_client: Any, skus: list[str], body: Any, field: str, code: str | None
) -> None:
    order = order_in("awaiting_oc")
    before = snapshot()

    response = brand_client.post(url(order, "confirmation"), fill(body, skus), format="json")

    problem = assert_problem(response, 400, "invalid")
    assert field in problem["errors"], problem
    if code is not None:
        assert problem["errors"][field][0]["code"] == code, problem
    assert snapshot() == before


def test_a_refused_operation_names_the_action_and_the_order_status(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("awaiting_oc")
    before = snapshot()

    response = brand_client.post(url(order, "confirmation/confirm"), {}, format="json")

    problem = assert_problem(response, 409, "action_not_allowed")
    assert problem["action"] == "confirm_oc"
    assert problem["order_status"] == "awaiting_oc"
    assert problem["status"] == 409
    assert problem["detail"] == (
        "“Confirm the OC” is not possible while the order's status is “Please create an OC”."
    )
    assert snapshot() == before


def test_a_confirmed_oc_cannot_be_saved_again(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    before = snapshot()

    response = brand_client.post(
        url(order, "confirmation"), {"lines": lines((skus[0], 1))}, format="json"
    )

    problem = assert_problem(response, 409, "action_not_allowed")
    assert (problem["action"], problem["order_status"]) == ("update_oc", "oc_confirmed")
    assert snapshot() == before


def test_reopen_is_refused_while_a_delivery_note_exists_and_allowed_once_it_is_deleted(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("oc_confirmed")
    assert brand_client.post(url(order, "delivery-notes"), {}, format="json").status_code == 201
    before = snapshot()

    refused = brand_client.post(url(order, "confirmation/reopen"), {}, format="json")

    problem = assert_problem(refused, 409, "has_delivery_note")
    assert [b["code"] for b in problem["blockers"]] == ["has_delivery_note"]
    assert "DN-000001" in problem["detail"]
    assert snapshot() == before

    deleted = brand_client.delete(url(order, "delivery-notes/DN-000001"))
    assert deleted.status_code == 204
    assert not DeliveryNote.objects.exists()

    reopened = brand_client.post(
        url(order, "confirmation/reopen"),
        {"notify_buyer": True, "message": "One more change."},
        format="json",
    )
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] == "oc_created"
    assert "update_oc" in reopened.json()["allowed_actions"]


def test_reopen_is_refused_once_backlog_skus_exist(order_in: Any, brand_client: Any) -> None:
    order = order_in("oc_confirmed")
    backlog = brand_client.post(url(order, "backlog-skus"))
    assert backlog.status_code == 201, backlog.json()
    before = snapshot()

    refused = brand_client.post(url(order, "confirmation/reopen"), {}, format="json")

    assert_problem(refused, 409, "has_backlog_skus")
    assert snapshot() == before


def test_confirm_from_oc_created_without_the_buyers_answer(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("oc_created", allow_buyer_approval=False)

    response = brand_client.post(
        url(order, "confirmation/confirm"), {"notify_buyer": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert status_of(order) == "oc_confirmed"
    assert OutboundEmail.objects.count() == 1


# --- The buyer's answer -----------------------------------------------------------------------


def test_the_buyer_cannot_answer_an_oc_the_brand_confirms_itself(order_in: Any, shop: Any) -> None:
    order = order_in("oc_created", allow_buyer_approval=False)
    before = snapshot()

    for action in ("approve", "reject"):
        response = shop.post(buyer_url(order, f"confirmation/{action}"), {}, format="json")
        assert_problem(response, 409, "buyer_approval_off")
    assert snapshot() == before


def test_the_buyer_cannot_approve_before_there_is_an_oc(order_in: Any, shop: Any) -> None:
    order = order_in("awaiting_oc")

    response = shop.post(buyer_url(order, "confirmation/approve"))

    problem = assert_problem(response, 409, "action_not_allowed")
    assert (problem["action"], problem["order_status"]) == ("approve_oc", "awaiting_oc")


@pytest.mark.parametrize("status", ["oc_created", "awaiting_oc", "oc_confirmed"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_another_organisation_gets_404_whatever_the_orders_status(
    order_in: Any, brand: Any, status: str, action: str
) -> None:
    order = order_in(status)
    stranger = factories.make_user()
    other = factories.make_connected_buyer(brand=brand, members=[stranger])
    before = snapshot()

    own_org_path = (
        f"/api/v1/buyer-orgs/{other.organization_id}/orders/{order.pk}/confirmation/{action}"
    )
    theirs = client_for(stranger).post(own_org_path, {}, format="json")
    ours = client_for(stranger).post(buyer_url(order, f"confirmation/{action}"), {}, format="json")

    assert_problem(theirs, 404, "not_found")
    assert_problem(ours, 404, "not_found")
    assert snapshot() == before


def test_the_buyer_sees_the_oc_delivery_notes_and_invoices_but_no_internal_data(
    order_in: Any, brand_client: Any, shop: Any
) -> None:
    order = order_in("oc_confirmed")
    brand_client.put(url(order, "tags"), {"tags": ["slow payer"]}, format="json")
    brand_client.post(url(order, "delivery-notes"), {}, format="json")
    brand_client.post(url(order, "invoices"), {}, format="json")
    brand_client.post(url(order, "partner-inventory-slips"), {"partner": "Depot"}, format="json")

    seen = shop.get(buyer_url(order)).json()

    assert seen["confirmation"]["total_quantity"] == 5
    assert set(seen["documents"]) == {"delivery_notes", "invoices"}
    assert [n["number"] for n in seen["documents"]["delivery_notes"]] == ["DN-000001"]
    assert [i["number"] for i in seen["documents"]["invoices"]] == ["INV-000001"]
    assert "tags" not in seen
    assert "events" not in seen and "allowed_actions" not in seen
    assert "slow payer" not in str(seen) and "Depot" not in str(seen)


# --- Reject, archive, tags --------------------------------------------------------------------


def test_rejecting_the_order_tells_the_buyer_when_asked_and_is_final(
    order_in: Any, brand_client: Any, smtp_server: Any, run_worker: Any
) -> None:
    order = order_in("oc_created")

    response = brand_client.post(
        url(order, "reject"),
        {"notify_buyer": True, "message": "Sold out, sorry."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    assert response.json()["allowed_actions"] == [
        "archive",
        "export_excel",
        "export_pdf",
        "set_tags",
    ]
    run_worker()  # the task that sends the email writes it
    email = OutboundEmail.objects.get()
    assert "Sold out, sorry." in email.body_text
    assert email.status == "sent"
    again = brand_client.post(url(order, "reject"), {}, format="json")
    problem = assert_problem(again, 409, "action_not_allowed")
    assert (problem["action"], problem["order_status"]) == ("reject", "rejected")


def test_whether_an_order_can_be_rejected_is_told_before_and_refused_under_the_lock(
    order_in: Any, brand_client: Any, owner: Any
) -> None:
    order = order_in("oc_confirmed")
    assert brand_client.get(url(order, "reject")).json() == {"rejectable": True, "blockers": []}
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    invoice = documents.invoice_create(order_id=order.pk, actor=owner)

    check = brand_client.get(url(order, "reject"))
    refused = brand_client.post(url(order, "reject"), {"notify_buyer": False}, format="json")

    assert check.status_code == 200
    assert check.json()["rejectable"] is False
    assert [b["code"] for b in check.json()["blockers"]] == ["has_delivery_note", "has_invoice"]
    assert note.number in check.json()["blockers"][0]["message"]
    problem = assert_problem(refused, 409, "not_rejectable")
    assert problem["blockers"] == check.json()["blockers"]
    assert invoice.number in problem["detail"]
    order.refresh_from_db()
    assert order.status == "oc_confirmed"


def test_archive_is_refused_on_a_live_order_and_hides_a_rejected_one(
    order_in: Any, brand_client: Any
) -> None:
    live = order_in("oc_created")
    before = snapshot()
    refused = brand_client.post(url(live, "archive"))
    problem = assert_problem(refused, 409, "action_not_allowed")
    assert (problem["action"], problem["order_status"]) == ("archive", "oc_created")
    assert snapshot() == before

    rejected = order_in("rejected")
    archived = brand_client.post(url(rejected, "archive"))

    assert archived.status_code == 200, archived.json()
    assert archived.json()["archived"] is True
    listed = brand_client.get("/api/v1/brands/atelier/orders").json()["results"]
    assert [o["code"] for o in listed] == [live.code]
    hidden = brand_client.get("/api/v1/brands/atelier/orders?archived=true").json()["results"]
    assert [o["code"] for o in hidden] == [rejected.code]
    every = brand_client.get("/api/v1/brands/atelier/orders?archived=all").json()["results"]
    assert sorted(o["code"] for o in every) == sorted([live.code, rejected.code])
    assert_problem(brand_client.get("/api/v1/brands/atelier/orders?archived=maybe"), 400, "invalid")


def test_tags_replace_the_set_on_any_order_and_filter_the_list(
    order_in: Any, brand_client: Any
) -> None:
    vip = order_in("awaiting_oc")
    untagged = order_in("oc_created")
    returned = order_in("returned_to_cart")  # last: its cart is in the way of another order

    first = brand_client.put(url(vip, "tags"), {"tags": ["vip", " rush  order "]}, format="json")
    second = brand_client.put(url(returned, "tags"), {"tags": ["vip"]}, format="json")

    assert first.status_code == 200, first.json()
    assert first.json()["tags"] == ["rush order", "vip"]
    assert second.status_code == 200, second.json()
    assert second.json()["tags"] == ["vip"]

    def codes(query: str) -> list[str]:
        page = brand_client.get(f"/api/v1/brands/atelier/orders?{query}")
        assert page.status_code == 200, page.json()
        return [o["code"] for o in page.json()["results"]]

    assert codes("tag=vip") == [returned.code, vip.code]
    assert codes("tag=rush%20order") == [vip.code]
    assert codes("tag=nobody") == []
    assert untagged.code in codes("")

    cleared = brand_client.put(url(vip, "tags"), {"tags": []}, format="json")
    assert cleared.json()["tags"] == []
    assert codes("tag=vip") == [returned.code]


def test_too_many_tags_are_400_invalid(order_in: Any, brand_client: Any) -> None:
    order = order_in("awaiting_oc")
    before = snapshot()

    response = brand_client.put(
        url(order, "tags"), {"tags": [f"t{i}" for i in range(21)]}, format="json"
    )

    problem = assert_problem(response, 400, "invalid")
    assert "tags" in problem["errors"]
    assert snapshot() == before


def test_the_tag_filter_costs_one_query_per_page_whatever_the_tags(
    buyer: Any, catalog: Any, owner: Any, brand_client: Any
) -> None:
    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = brand_client.get("/api/v1/brands/atelier/orders?tag=vip")
            assert page.status_code == 200
        return len(queries)

    def tagged_order(names: list[str]) -> None:
        order = factories.make_order(buyer=buyer, catalog=catalog)
        ordering.order_set_tags(order_id=order.pk, actor=owner, names=names)

    tagged_order(["vip"])
    few = cost()
    for _ in range(10):
        tagged_order(["vip", "rush", "export", "new"])

    assert cost() == few
    assert len(brand_client.get("/api/v1/brands/atelier/orders?tag=vip").json()["results"]) == 11


def test_the_next_links_of_a_tag_search_walk_its_orders_once_newest_first(
    order_in: Any, owner: Any, brand_client: Any
) -> None:
    orders = [order_in(status) for status in ["awaiting_oc", "rejected", "awaiting_oc"] * 3]
    for n, order in enumerate(orders):
        if n != 4:
            ordering.order_set_tags(order_id=order.pk, actor=owner, names=["vip", "rush"])
    newest_first = sorted(orders, key=lambda o: (o.placed_at, o.pk), reverse=True)

    def walk(query: str) -> list[str]:
        codes: list[str] = []
        next_url: str | None = f"/api/v1/brands/atelier/orders?{query}&limit=2"
        while next_url:
            page = brand_client.get(next_url)
            assert page.status_code == 200, page.json()
            codes += [o["code"] for o in page.json()["results"]]
            next_url = page.json()["next"]
        return codes

    assert walk("tag=vip") == [o.code for o in newest_first if o != orders[4]]
    assert walk("tag=rush&status=rejected") == [
        o.code for o in newest_first if o.status == "rejected" and o != orders[4]
    ]


# --- Documents --------------------------------------------------------------------------------


def test_backlog_skus_list_what_is_undelivered_once_per_order(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    a, b, _c = skus
    order = order_in("oc_confirmed")
    brand_client.post(url(order, "delivery-notes"), {"lines": lines((a, 1))}, format="json")

    created = brand_client.post(url(order, "backlog-skus"))

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == "BL-000001"
    assert [(line["sku_number"], line["quantity"]) for line in body["lines"]] == [(a, 2), (b, 2)]
    assert body["total_quantity"] == 4
    assert body["total_amount"] == {"amount": "200.00", "currency": "EUR"}
    again = brand_client.post(url(order, "backlog-skus"))
    assert_problem(again, 409, "action_not_allowed")
    assert BacklogSkuList.objects.count() == 1


def test_backlog_skus_are_refused_when_everything_was_delivered(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("oc_confirmed")
    brand_client.post(url(order, "delivery-notes"), {}, format="json")
    before = snapshot()

    response = brand_client.post(url(order, "backlog-skus"))

    assert_problem(response, 409, "nothing_to_deliver")
    assert snapshot() == before


def test_delivery_notes_deliver_what_is_left_until_nothing_is(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    a, b, _c = skus
    order = order_in("oc_confirmed")

    partial = brand_client.post(
        url(order, "delivery-notes"), {"lines": lines((a, 1), (b, 0))}, format="json"
    )
    rest = brand_client.post(url(order, "delivery-notes"))

    assert partial.status_code == rest.status_code == 201
    assert [(x["sku_number"], x["quantity"]) for x in partial.json()["lines"]] == [(a, 1)]
    assert [(x["sku_number"], x["quantity"]) for x in rest.json()["lines"]] == [(a, 2), (b, 2)]
    assert rest.json()["number"] == "DN-000002"
    before = snapshot()
    assert_problem(brand_client.post(url(order, "delivery-notes")), 409, "nothing_to_deliver")
    assert snapshot() == before


def test_delivering_more_than_is_left_is_400_invalid(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    before = snapshot()

    response = brand_client.post(
        url(order, "delivery-notes"), {"lines": lines((skus[0], 4))}, format="json"
    )

    problem = assert_problem(response, 400, "invalid")
    assert problem["errors"]["lines.0.quantity"][0]["code"] == "invalid_quantity"
    assert snapshot() == before


def test_delivery_notes_need_a_confirmed_oc(order_in: Any, brand_client: Any) -> None:
    order = order_in("oc_approved")

    response = brand_client.post(url(order, "delivery-notes"))

    problem = assert_problem(response, 409, "action_not_allowed")
    assert (problem["action"], problem["order_status"]) == (
        "create_delivery_note",
        "oc_approved",
    )


def test_an_invoiced_delivery_note_cannot_be_deleted(order_in: Any, brand_client: Any) -> None:
    order = order_in("oc_confirmed")
    brand_client.post(url(order, "delivery-notes"))
    brand_client.post(url(order, "invoices"), {"delivery_notes": ["DN-000001"]}, format="json")
    before = snapshot()

    response = brand_client.delete(url(order, "delivery-notes/DN-000001"))

    problem = assert_problem(response, 409, "has_invoice")
    assert "INV-000001" in problem["detail"]
    assert snapshot() == before


def test_deleting_a_delivery_note_of_another_order_or_none_is_404(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("oc_confirmed")
    other = order_in("oc_confirmed")
    brand_client.post(url(other, "delivery-notes"))
    before = snapshot()

    assert_problem(brand_client.delete(url(order, "delivery-notes/DN-000001")), 404, "not_found")
    assert_problem(brand_client.delete(url(order, "delivery-notes/DN-999999")), 404, "not_found")
    assert snapshot() == before


def test_an_invoice_bills_the_oc_when_no_delivery_note_is_named(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    a, b, _c = skus
    order = order_in("oc_created")

    response = brand_client.post(url(order, "invoices"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(line["sku_number"], line["quantity"]) for line in body["lines"]] == [(a, 3), (b, 2)]
    assert body["delivery_notes"] == []
    assert body["total_amount"] == {"amount": "250.00", "currency": "EUR"}


def test_invoicing_unknown_or_invoiced_delivery_notes_is_refused(
    order_in: Any, brand_client: Any
) -> None:
    order = order_in("oc_confirmed")
    brand_client.post(url(order, "delivery-notes"))
    brand_client.post(url(order, "invoices"), {"delivery_notes": ["DN-000001"]}, format="json")
    before = snapshot()

    unknown = brand_client.post(
        url(order, "invoices"), {"delivery_notes": ["DN-000001", "DN-000404"]}, format="json"
    )
    invoiced = brand_client.post(
        url(order, "invoices"), {"delivery_notes": ["DN-000001"]}, format="json"
    )
    empty = brand_client.post(url(order, "invoices"), {"delivery_notes": []}, format="json")

    problem = assert_problem(unknown, 400, "invalid")
    assert problem["errors"]["delivery_notes.1"][0]["code"] == "unknown_delivery_note"
    assert_problem(invoiced, 409, "delivery_note_of_another_order")
    assert_problem(empty, 400, "invalid")
    assert snapshot() == before


def test_an_order_without_an_oc_cannot_be_invoiced(order_in: Any, brand_client: Any) -> None:
    order = order_in("awaiting_oc")

    problem = assert_problem(brand_client.post(url(order, "invoices")), 409, "action_not_allowed")

    assert (problem["action"], problem["order_status"]) == ("create_invoice", "awaiting_oc")


def test_a_partner_inventory_slip_names_the_partner(order_in: Any, brand_client: Any) -> None:
    order = order_in("awaiting_oc")

    missing = brand_client.post(url(order, "partner-inventory-slips"), {}, format="json")
    created = brand_client.post(
        url(order, "partner-inventory-slips"), {"partner": "  North   Depot "}, format="json"
    )

    assert_problem(missing, 400, "invalid")
    assert created.status_code == 201, created.json()
    assert created.json()["number"] == "PIS-000001"
    assert created.json()["partner"] == "North Depot"
    slips = brand_client.get(url(order)).json()["documents"]["partner_inventory_slips"]
    assert [s["number"] for s in slips] == ["PIS-000001"]


def test_a_rejected_order_takes_no_partner_inventory_slip(order_in: Any, brand_client: Any) -> None:
    order = order_in("rejected")
    before = snapshot()

    response = brand_client.post(
        url(order, "partner-inventory-slips"), {"partner": "Depot"}, format="json"
    )

    assert_problem(response, 409, "action_not_allowed")
    assert snapshot() == before


# --- Every write: viewer, another brand, unknown order ---------------------------------------

# (method, path under the order, body, the status the order needs, with a delivery note)
WRITES: list[tuple[str, str, Any, str, bool]] = [
    ("post", "confirmation", {"lines": [{"sku_number": A, "quantity": 1}]}, "awaiting_oc", False),
    ("post", "confirmation/confirm", {}, "oc_created", False),
    ("post", "confirmation/reopen", {}, "oc_confirmed", False),
    ("post", "reject", {"notify_buyer": True}, "awaiting_oc", False),
    ("post", "backlog-skus", None, "oc_confirmed", False),
    ("post", "delivery-notes", {}, "oc_confirmed", False),
    ("delete", "delivery-notes/DN-000001", None, "oc_confirmed", True),
    ("post", "invoices", {}, "oc_confirmed", False),
    ("post", "partner-inventory-slips", {"partner": "Depot"}, "awaiting_oc", False),
    ("post", "archive", None, "rejected", False),
    ("put", "tags", {"tags": ["vip"]}, "awaiting_oc", False),
]


def _send(client: Any, method: str, path: str, body: Any) -> Any:
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, format="json")


def _ready(order_in: Any, skus: list[str], status: str, with_note: bool, body: Any) -> Any:
    order = order_in(status)
    if with_note:
        documents.delivery_note_create(order_id=order.pk, actor=None)
    return order, fill(body, skus)


@pytest.mark.parametrize(("method", "rest", "body", "status", "with_note"), WRITES)
def test_a_viewer_gets_403_on_every_write_and_nothing_changes_while_an_owner_succeeds(
    order_in: Any,
    skus: list[str],
    viewer: Any,
    brand_client: Any,
    method: str,
    rest: str,
    body: Any,
    status: str,
    with_note: bool,
) -> None:
    order, body = _ready(order_in, skus, status, with_note, body)
    before = snapshot()

    refused = _send(client_for(viewer), method, url(order, rest), body)

    assert_problem(refused, 403, "read_only_role")
    assert snapshot() == before
    done = _send(brand_client, method, url(order, rest), body)
    assert done.status_code in (200, 201, 204), done.content


@pytest.mark.parametrize(("method", "rest", "body", "status", "with_note"), WRITES)
def test_another_brand_gets_404_on_every_write_and_nothing_changes(
    order_in: Any,
    skus: list[str],
    method: str,
    rest: str,
    body: Any,
    status: str,
    with_note: bool,
) -> None:
    order, body = _ready(order_in, skus, status, with_note, body)
    rival = factories.make_member(brand=factories.make_brand(slug="rival"), role="owner")
    before = snapshot()

    ours = _send(client_for(rival), method, url(order, rest), body)
    theirs = _send(
        client_for(rival),
        method,
        f"/api/v1/brands/rival/orders/{order.code}/{rest}",
        body,
    )

    assert_problem(ours, 404, "not_found")
    assert_problem(theirs, 404, "not_found")
    assert snapshot() == before


@pytest.mark.parametrize(("method", "rest", "body", "status", "with_note"), WRITES)
def test_an_unknown_order_code_is_404(
    brand_client: Any, method: str, rest: str, body: Any, status: str, with_note: bool
) -> None:
    response = _send(brand_client, method, f"/api/v1/brands/atelier/orders/NOPE/{rest}", body)

    assert_problem(response, 404, "not_found")


# --- Idempotency ------------------------------------------------------------------------------


def test_a_retried_delivery_note_with_the_same_key_replays_the_first_answer(
    order_in: Any, brand_client: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    body = {"lines": lines((skus[0], 1))}

    first = brand_client.post(
        url(order, "delivery-notes"), body, format="json", HTTP_IDEMPOTENCY_KEY="dn-1"
    )
    again = brand_client.post(
        url(order, "delivery-notes"), body, format="json", HTTP_IDEMPOTENCY_KEY="dn-1"
    )
    other = brand_client.post(
        url(order, "delivery-notes"),
        {"lines": lines((skus[0], 2))},
        format="json",
        HTTP_IDEMPOTENCY_KEY="dn-1",
    )

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert_problem(other, 422, "idempotency_key_reused")
    assert DeliveryNote.objects.count() == 1


def test_a_refused_write_keeps_its_key_free_for_the_retry(order_in: Any, brand_client: Any) -> None:
    order = order_in("oc_created")
    documents.confirmation_confirm(order_id=order.pk, actor=None, notify=False)
    brand_client.post(url(order, "delivery-notes"))

    refused = brand_client.post(url(order, "confirmation/reopen"), HTTP_IDEMPOTENCY_KEY="r-1")
    assert_problem(refused, 409, "has_delivery_note")
    assert not IdempotencyKey.objects.exists()
    brand_client.delete(url(order, "delivery-notes/DN-000001"))

    retried = brand_client.post(url(order, "confirmation/reopen"), HTTP_IDEMPOTENCY_KEY="r-1")

    assert retried.status_code == 200, retried.json()
    assert status_of(order) == "oc_created"


def test_a_retried_delete_replays_204_instead_of_404(order_in: Any, brand_client: Any) -> None:
    order = order_in("oc_confirmed")
    brand_client.post(url(order, "delivery-notes"))
    path = url(order, "delivery-notes/DN-000001")

    first = brand_client.delete(path, HTTP_IDEMPOTENCY_KEY="del-1")
    again = brand_client.delete(path, HTTP_IDEMPOTENCY_KEY="del-1")

    assert first.status_code == again.status_code == 204
    assert again["Idempotent-Replayed"] == "true"
    assert OrderEvent.objects.filter(order=order, type="delivery_note_deleted").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_staff_deleting_one_delivery_note_at_once_get_204_and_404() -> None:
    """Both requests find the note, then wait on the row lock the service takes first; the
    second finds the note gone under the lock and answers 404, not an error."""
    brand = factories.make_brand(slug="atelier")
    owner = factories.make_member(brand=brand)
    buyer = factories.make_connected_buyer(brand=brand)
    catalog = factories.make_catalog(brand=brand, skus=2)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    documents.confirmation_save(
        order_id=order.pk,
        quantities=dict.fromkeys(factories.sku_numbers(catalog), 1),
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    documents.delivery_note_create(order_id=order.pk, actor=owner)
    client_for(owner)  # the token exists before the threads start
    responses: list[Any] = []

    def delete() -> None:
        try:
            responses.append(client_for(owner).delete(url(order, "delivery-notes/DN-000001")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=delete) for _ in range(2)]
    with transaction.atomic():
        # order_for_action locks the buyer organisation first: hold it so both wait there.
        BuyerOrganization.objects.select_for_update().get(pk=buyer.organization_id)
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        assert responses == []
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [204, 404]
    assert not DeliveryNote.objects.exists()
    assert OrderEvent.objects.filter(order=order, type="delivery_note_deleted").count() == 1


# --- The order detail -------------------------------------------------------------------------


def _order_with_documents(
    *, brand: Any, buyer: Any, owner: Any, skus: int, notes: int, tags: int
) -> Order:
    """An order of `skus` lines with an OC, `notes` partial delivery notes, each invoiced,
    backlog SKUs, `notes` partner slips and `tags` tags."""
    catalog = factories.make_catalog(brand=brand, skus=skus)
    numbers = factories.sku_numbers(catalog)
    order = factories.make_order(
        buyer=buyer, catalog=catalog, quantities={n: notes + 1 for n in numbers}
    )
    documents.confirmation_save(
        order_id=order.pk,
        quantities={n: notes + 1 for n in numbers},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    for _ in range(notes):
        note = documents.delivery_note_create(
            order_id=order.pk, actor=owner, quantities={n: 1 for n in numbers}
        )
        documents.invoice_create(order_id=order.pk, actor=owner, delivery_note_ids=[note.pk])
        documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="Depot")
    documents.backlog_skus_create(order_id=order.pk, actor=owner)
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=[f"t{i}" for i in range(tags)])
    return order


def test_the_order_detail_costs_the_same_for_one_line_and_document_as_for_many(
    brand: Any, buyer: Any, owner: Any, brand_client: Any, shop: Any
) -> None:
    small = _order_with_documents(brand=brand, buyer=buyer, owner=owner, skus=1, notes=1, tags=1)
    large = _order_with_documents(brand=brand, buyer=buyer, owner=owner, skus=12, notes=4, tags=5)

    def cost(client: Any, path: str) -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            assert response.status_code == 200, response.json()
        return len(queries), response.json()

    small_cost, _ = cost(brand_client, url(small))
    large_cost, detail = cost(brand_client, url(large))
    assert large_cost == small_cost
    assert len(detail["confirmation"]["lines"]) == 12
    assert len(detail["documents"]["delivery_notes"]) == 4
    assert len(detail["documents"]["invoices"]) == 4
    assert len(detail["documents"]["backlog_skus"][0]["lines"]) == 12
    assert len(detail["tags"]) == 5

    small_buyer_cost, _ = cost(shop, buyer_url(small))
    large_buyer_cost, _ = cost(shop, buyer_url(large))
    assert large_buyer_cost == small_buyer_cost


# --- The OpenAPI document ---------------------------------------------------------------------

OPERATIONS = {
    "/api/v1/brands/{brand}/orders/{code}/confirmation": ("post", {"200", "201"}),
    "/api/v1/brands/{brand}/orders/{code}/confirmation/confirm": ("post", {"200"}),
    "/api/v1/brands/{brand}/orders/{code}/confirmation/reopen": ("post", {"200"}),
    "/api/v1/brands/{brand}/orders/{code}/reject": ("post", {"200"}),
    "/api/v1/brands/{brand}/orders/{code}/archive": ("post", {"200"}),
    "/api/v1/brands/{brand}/orders/{code}/tags": ("put", {"200"}),
    "/api/v1/brands/{brand}/orders/{code}/backlog-skus": ("post", {"201"}),
    "/api/v1/brands/{brand}/orders/{code}/delivery-notes": ("post", {"201"}),
    "/api/v1/brands/{brand}/orders/{code}/delivery-notes/{number}": ("delete", {"204"}),
    "/api/v1/brands/{brand}/orders/{code}/invoices": ("post", {"201"}),
    "/api/v1/brands/{brand}/orders/{code}/partner-inventory-slips": ("post", {"201"}),
    "/api/v1/buyer-orgs/{org}/orders/{order_id}/confirmation/approve": ("post", {"200"}),
    "/api/v1/buyer-orgs/{org}/orders/{order_id}/confirmation/reject": ("post", {"200"}),
}


def test_every_operation_documents_its_answers_refusals_and_idempotency_key() -> None:
    response = APIClient().get("/api/schema/?format=json")
    schema = json.loads(response.content)
    validate_schema(schema)

    for path, (method, successes) in OPERATIONS.items():
        operation = schema["paths"][path][method]
        answers = set(operation["responses"])
        assert answers >= successes | {"400", "403", "404", "409", "422"}, path
        assert operation["responses"]["409"]["content"]["application/problem+json"]
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}, path
    detail = schema["components"]["schemas"]["OrderDetail"]["properties"]
    assert {"confirmation", "documents", "tags"} <= set(detail)
    buyer_detail = schema["components"]["schemas"]["BuyerOrderDetail"]["properties"]
    assert "tags" not in buyer_detail
    assert (
        "backlog_skus" not in schema["components"]["schemas"]["BuyerOrderDocuments"]["properties"]
    )
