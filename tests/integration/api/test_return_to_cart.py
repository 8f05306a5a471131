"""The return-to-cart endpoints, with the buyer's side of the returned cart."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.documents import services as documents
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, Order
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer: Any, catalog: Any) -> Order:
    return factories.make_order(buyer=buyer, catalog=catalog)


def url(order: Order) -> str:
    return f"/api/v1/brands/atelier/orders/{order.code}/return-to-cart"


def test_eligibility_lists_every_blocker_with_a_message(
    order: Order, owner: Any, buyer: Any, catalog: Any
) -> None:
    client = client_for(owner)
    assert client.get(url(order)).json() == {"returnable": True, "blockers": [], "warnings": []}

    factories.make_cart(buyer=buyer, catalog=catalog, quantities={})
    documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="Oslo")
    body = client.get(url(order)).json()
    assert body["returnable"] is False
    assert [b["code"] for b in body["blockers"]] == ["cart_exists", "partner_inventory"]
    assert "order or delete that cart" in body["blockers"][0]["message"]
    assert "PIS-000001" in body["blockers"][1]["message"]


def test_a_brand_returns_an_order_and_the_buyer_finds_the_cart_with_the_message(
    order: Order, owner: Any, buyer: Any, shop_user: Any, catalog: Any
) -> None:
    a, b, c = factories.sku_numbers(catalog)
    documents.confirmation_save(
        order_id=order.pk,
        quantities={a: 5, b: 2},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    response = client_for(owner).post(
        url(order), {"notify_buyer": True, "message": "Please <b>fix</b> sizes"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["order"]["status"] == "returned_to_cart"
    assert body["order"]["allowed_actions"] == ["archive", "export_excel", "export_pdf", "set_tags"]
    assert body["order"]["returned_cart"] == body["cart"]["id"]
    assert (body["order"]["code"], body["order"]["line_count"]) == (order.code, order.line_count)
    assert "lines" not in body["order"]  # the answer is the summary; GET gives the whole order
    detail = client_for(owner).get(f"/api/v1/brands/{order.brand.slug}/orders/{order.code}")
    assert detail.json()["returned_cart"] == body["cart"]["id"]
    assert detail.json()["confirmation"] is not None  # the OC stays readable
    assert OutboundEmail.objects.count() == 1

    cart = (
        client_for(shop_user)
        .get(f"/api/v1/buyer-orgs/{buyer.organization_id}/carts/{body['cart']['id']}")
        .json()
    )
    assert cart["returned_by_brand"] is True
    assert cart["source_order"] == order.code
    assert cart["return_message"] == "Please <b>fix</b> sizes"
    assert {(line["sku_number"], line["quantity"]) for line in cart["lines"]} == {
        (a, 2),
        (b, 2),
        (c, 2),
    }
    assert cart["oc_proposals"] == [
        {"sku_number": a, "cart_quantity": 2, "oc_quantity": 5},
        {"sku_number": b, "cart_quantity": 2, "oc_quantity": 2},
        {"sku_number": c, "cart_quantity": 2, "oc_quantity": 0},
    ]

    taken = (
        client_for(shop_user)
        .post(
            f"/api/v1/buyer-orgs/{buyer.organization_id}/carts/{body['cart']['id']}/take-oc-quantities",
            {"sku_numbers": [a]},
            format="json",
        )
        .json()
    )
    assert {(line["sku_number"], line["quantity"]) for line in taken["lines"]} == {
        (a, 5),
        (b, 2),
        (c, 2),
    }

    placed = (
        client_for(shop_user)
        .post(f"/api/v1/buyer-orgs/{buyer.organization_id}/carts/{body['cart']['id']}/order")
        .json()
    )
    assert placed["replaces"] == order.code
    assert placed["code"] != order.code
    brand_view = client_for(owner).get(f"/api/v1/brands/atelier/orders/{order.code}").json()
    assert brand_view["replaced_by"] == placed["code"]
    assert brand_view["returned_cart"] is None  # ordered: the cart is gone


def test_a_second_return_is_409_not_returnable_listing_already_returned(
    order: Order, owner: Any
) -> None:
    client = client_for(owner)
    assert client.post(url(order), {"notify_buyer": False}, format="json").status_code == 200
    second = client.post(url(order), {"notify_buyer": False}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "not_returnable"
    assert [b["code"] for b in body["blockers"]] == ["already_returned"]


def test_a_retried_return_with_the_same_key_replays_the_same_cart(order: Order, owner: Any) -> None:
    client = client_for(owner)
    first = client.post(url(order), {}, format="json", HTTP_IDEMPOTENCY_KEY="ret-1")
    again = client.post(url(order), {}, format="json", HTTP_IDEMPOTENCY_KEY="ret-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["cart"]["id"] == first.json()["cart"]["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Cart.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_a_viewer_cannot_return_and_nothing_changes(order: Order, viewer: Any) -> None:
    client = client_for(viewer)
    assert client.get(url(order)).status_code == 200
    response = client.post(url(order), {}, format="json")
    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert not Cart.objects.exists()


def test_another_brand_gets_404(order: Order) -> None:
    rival = factories.make_member(brand=factories.make_brand(slug="rival"))
    assert client_for(rival).post(url(order), {}, format="json").status_code == 404
    assert not Cart.objects.exists()


@pytest.mark.parametrize(
    "payload", [{"notify_buyer": "perhaps"}, {"message": "x" * 2001}, {"cart": 1}]
)
def test_bad_input_is_400_invalid_and_nothing_changes(
    order: Order, owner: Any, payload: dict[str, Any]
) -> None:
    response = client_for(owner).post(url(order), payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert Order.objects.get(pk=order.pk).status == "awaiting_oc"
    assert not Cart.objects.exists()


# --- What the order placed again changed -------------------------------------------------------


def test_the_order_placed_again_carries_its_changes_beside_replaces_on_both_sides(
    order: Order, owner: Any, buyer: Any, catalog: Any, shop_user: Any
) -> None:
    a, b, c = factories.sku_numbers(catalog)  # ordered 2 each at 50.00
    new = factories.order_again(
        order=order,
        oc={a: 5, b: 2, c: 2},
        quantities={a: 5, b: 1},
        actor=owner,
        comment="Ship <b>soon</b>",
    )

    brand_side = client_for(owner).get(f"/api/v1/brands/atelier/orders/{new.code}").json()
    buyer_side = (
        client_for(shop_user)
        .get(f"/api/v1/buyer-orgs/{buyer.organization_id}/orders/{new.pk}")
        .json()
    )

    assert brand_side["replaces"] == order.code
    changes = brand_side["changes"]
    assert buyer_side["changes"] == changes
    assert changes["replaces"] == order.code
    assert changes["counts"] == {"added": 0, "removed": 1, "changed": 2, "unchanged": 0}
    assert [(line["sku_number"], line["change"]) for line in changes["lines"]] == [
        (a, "changed"),
        (b, "changed"),
        (c, "removed"),
    ]
    first = changes["lines"][0]
    assert (first["old_quantity"], first["new_quantity"], first["oc_quantity"]) == (2, 5, 5)
    assert first["old_amount"] == {"amount": "100.00", "currency": "EUR"}
    assert first["new_amount"] == {"amount": "250.00", "currency": "EUR"}
    assert first["new_unit_price"] == {"amount": "50.00", "currency": "EUR"}
    removed = changes["lines"][2]
    assert (removed["new_quantity"], removed["new_unit_price"]) == (0, None)
    assert removed["new_amount"] == {"amount": "0.00", "currency": "EUR"}
    assert changes["header"] == [{"field": "comment", "old": "", "new": "Ship <b>soon</b>"}]
    assert (changes["old_quantity"], changes["new_quantity"]) == (6, 6)
    assert changes["old_amount"] == changes["new_amount"] == {"amount": "300.00", "currency": "EUR"}
    assert changes["oc"] == {
        "proposed": 1,
        "taken": 1,
        "matches_oc": False,
        "proposals": [
            {
                "sku_number": a,
                "model_number": first["model_number"],
                "product_name": first["product_name"],
                "color": "Black",
                "size": "36",
                "original_quantity": 2,
                "oc_quantity": 5,
                "new_quantity": 5,
                "taken": True,
            }
        ],
    }


def test_an_order_replacing_none_has_null_changes_and_a_date_change_reads_as_iso(
    order: Order, owner: Any, shop_user: Any, buyer: Any
) -> None:
    import datetime

    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=60)
    new = factories.order_again(order=order, desired_delivery_date=later)
    client = client_for(owner)

    original = client.get(f"/api/v1/brands/atelier/orders/{order.code}").json()
    again = client.get(f"/api/v1/brands/atelier/orders/{new.code}").json()

    assert (original["replaces"], original["changes"]) == (None, None)
    assert again["changes"]["header"] == [
        {"field": "desired_delivery_date", "old": None, "new": later.isoformat()}
    ]
    assert again["changes"]["lines"] == []
    assert again["changes"]["counts"]["unchanged"] == 3
    assert again["changes"]["oc"] is None


def test_the_order_resource_costs_the_same_queries_for_one_and_for_forty_changed_lines(
    owner: Any, buyer: Any, shop_user: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = (
        factories.make_order_placed_again(buyer=buyer, skus=skus, actor=owner) for skus in (1, 40)
    )
    brand_client, buyer_client = client_for(owner), client_for(shop_user)

    def queries(order: Any) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as brand_queries:
            brand_client.get(f"/api/v1/brands/atelier/orders/{order.code}")
        with CaptureQueriesContext(connection) as buyer_queries:
            buyer_client.get(f"/api/v1/buyer-orgs/{buyer.organization_id}/orders/{order.pk}")
        return len(brand_queries), len(buyer_queries)

    queries(small)  # a token's first use records it
    assert queries(small) == queries(big)
