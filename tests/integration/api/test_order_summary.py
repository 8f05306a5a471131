"""An order's summary as the API sends it: in the brand's and the buyer's lists, and in the
return's answer. Each is read from the view and compared with what the order is."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from linesheet.ordering.models import Cart, Order
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer: Any, catalog: Any) -> Order:
    placed = factories.make_order(buyer=buyer, catalog=catalog)
    # Placed at a moment whose date differs between the time zones compared below.
    Order.objects.filter(pk=placed.pk).update(
        placed_at=datetime.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
        desired_delivery_date=datetime.date(2031, 2, 28),
    )
    return Order.objects.select_related("buyer", "catalog").get(pk=placed.pk)


def _expected(order: Order, *, status_label: str, placed_at: str) -> dict[str, Any]:
    return {
        "id": order.pk,
        "code": order.code,
        "status": "awaiting_oc",
        "status_label": status_label,
        "route": "buyer_app",
        "buyer": {"id": order.buyer_id, "name": order.buyer.name},
        "catalog": {"id": order.catalog_id, "name": "SS27", "code": "SS27"},
        "placed_at": placed_at,
        "desired_delivery_date": "2031-02-28",
        # Three SKUs, two of each, at 100.00 retail and the buyer's rate of 0.5.
        "total_quantity": 6,
        "total_amount": {"amount": "300.00", "currency": "EUR"},
        "line_count": 3,
        "archived": False,
    }


@pytest.mark.parametrize(
    ("zone", "placed_at"),
    [
        ("UTC", "2030-01-02T03:04:05.678901Z"),
        ("America/New_York", "2030-01-01T22:04:05.678901-05:00"),
    ],
)
def test_the_brands_list_shows_the_summary_in_the_current_time_zone(
    order: Order, owner: Any, zone: str, placed_at: str
) -> None:
    with timezone.override(zone):
        listed = client_for(owner).get(f"/api/v1/brands/{order.brand.slug}/orders").json()
    assert listed["results"] == [
        _expected(order, status_label="Please create an OC", placed_at=placed_at)
    ]


def test_the_buyers_list_shows_the_buyers_label(order: Order, shop_user: Any) -> None:
    with timezone.override("UTC"):
        listed = client_for(shop_user).get(f"/api/v1/buyer-orgs/{order.organization_id}/orders")
    assert listed.json()["results"] == [
        _expected(
            order, status_label="Awaiting OC creation", placed_at="2030-01-02T03:04:05.678901Z"
        )
    ]


def test_the_returns_answer_is_the_returned_orders_summary_with_its_cart(
    order: Order, owner: Any
) -> None:
    with timezone.override("UTC"):
        answer = client_for(owner).post(
            f"/api/v1/brands/{order.brand.slug}/orders/{order.code}/return-to-cart",
            {"notify_buyer": False},
            format="json",
        )
    assert answer.status_code == 200, answer.json()
    cart = Cart.objects.get(source_order=order)
    assert answer.json() == {
        "order": {
            **_expected(order, status_label="", placed_at="2030-01-02T03:04:05.678901Z"),
            "status": "returned_to_cart",
            "status_label": "Returned to cart",
            "allowed_actions": ["archive", "export_excel", "export_pdf", "set_tags"],
            "returned_cart": cart.pk,
        },
        "cart": {
            "id": cart.pk,
            "organization": order.organization_id,
            "catalog": order.catalog_id,
            "returned_by_brand": True,
        },
    }
