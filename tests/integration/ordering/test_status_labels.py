"""One label per status per side, on every surface that names an order's status.

The Brand App's label on every brand surface (pages, the refusal of an operation, the order's
PDF, the Excel export, the brand's API); the Buyer App's on every buyer surface (pages,
refusals, the PDF, the buyer's API, the email). Each surface is read as its reader reads it,
and neither the other side's label nor any third name for the status may appear there.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Order
from linesheet.ordering.services import order_reject
from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.reporting.pdf_text import text_of

# The labels the product spec gives each status (API value: Brand App label, Buyer App label),
# and the names the status went by besides them.
LABELS = {
    "awaiting_oc": ("Please create an OC", "Awaiting OC creation"),
    "rejected": ("Order rejected", "Order declined"),
}
OTHER_NAMES = {"awaiting_oc": ["Awaiting OC"], "rejected": ["Rejected"]}


def visible_text(page: bytes) -> str:
    """The text a reader of the HTML page sees (markup, scripts and styles left out)."""
    text = page.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_only_label(surfaces: dict[str, str], *, status: str, side: str) -> None:
    """Every surface names the status with its side's label, and by no other name."""
    brand_label, buyer_label = LABELS[status]
    own, other = (brand_label, buyer_label) if side == "brand" else (buyer_label, brand_label)
    wrong = {}
    for surface, text in surfaces.items():
        rest = text.replace(own, "")
        names = [name for name in [other, *OTHER_NAMES[status]] if name in rest]
        if own not in text or names:
            wrong[surface] = f"“{own}” shown: {own in text}; other names: {names}"
    assert wrong == {}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(brand=brand, skus=2)
    buyer_user = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(
        brand=brand, members=[buyer_user], recipients=["orders@maison.test"]
    )
    order = factories.make_order(buyer=buyer, catalog=catalog, user=buyer_user)
    return {"brand": brand, "owner": owner, "buyer_user": buyer_user, "order": order}


def put_in(status: str, order: Order, owner: Any) -> Order:
    if status == "rejected":
        order_reject(order_id=order.pk, actor=owner, notify=True, message="Sold out.")
    order.refresh_from_db()
    assert order.status == status
    return order


@pytest.mark.parametrize("status", sorted(LABELS))
def test_the_brand_reads_one_label_for_a_status_on_every_brand_surface(
    world: dict[str, Any], status: str
) -> None:
    order = put_in(status, world["order"], world["owner"])
    web = Client()
    web.force_login(world["owner"])
    api = client_for(world["owner"])
    slug, code = "atelier", order.code
    api_order = f"/api/v1/brands/{slug}/orders/{code}"

    refused = web.post(reverse("brand-order-confirm", args=[slug, code]), {"notify": ""})
    api_refused = api.post(f"{api_order}/confirmation/confirm", {}, format="json")
    assert api_refused.status_code == 409
    assert api_refused.json()["code"] == "action_not_allowed"
    listed = api.get(f"/api/v1/brands/{slug}/orders").json()["results"]
    surfaces = {
        "Order Management": visible_text(web.get(reverse("brand-orders", args=[slug])).content),
        "order page": visible_text(
            web.get(reverse("brand-order-detail", args=[slug, code])).content
        ),
        "refused operation": visible_text(refused.content),
        "order PDF": text_of(streamed(web.get(reverse("brand-order-pdf", args=[slug, code])))),
        "Excel export": workbook_text(streamed(web.get(reverse("brand-orders-xlsx", args=[slug])))),
        "API list": listed[0]["status_label"],
        "API order": api.get(api_order).json()["status_label"],
        "API refusal": api_refused.json()["detail"],
        "API PDF": text_of(streamed(api.get(f"{api_order}/pdf"))),
    }
    assert_only_label(surfaces, status=status, side="brand")


@pytest.mark.parametrize("status", sorted(LABELS))
def test_the_buyer_reads_one_label_for_a_status_on_every_buyer_surface(
    world: dict[str, Any], status: str, smtp_server: Any, run_worker: Any
) -> None:
    order = put_in(status, world["order"], world["owner"])
    web = Client()
    web.force_login(world["buyer_user"])
    api = client_for(world["buyer_user"])
    api_order = f"/api/v1/buyer-orgs/{order.organization_id}/orders/{order.pk}"

    # Refused, the POST redirects to the order page, which says why (and the status).
    refused = web.post(reverse("buyer-oc-approve", args=[order.pk]), follow=True)
    assert refused.redirect_chain == [(reverse("buyer-order", args=[order.pk]), 302)]
    api_refused = api.post(f"{api_order}/confirmation/approve", {}, format="json")
    assert api_refused.status_code == 409
    assert api_refused.json()["code"] == "action_not_allowed"
    listed = api.get(f"/api/v1/buyer-orgs/{order.organization_id}/orders").json()["results"]
    surfaces = {
        "Orders": visible_text(web.get(reverse("buyer-orders")).content),
        "order page": visible_text(web.get(reverse("buyer-order", args=[order.pk])).content),
        "refused approval": visible_text(refused.content),
        "order PDF": text_of(streamed(web.get(reverse("buyer-order-pdf", args=[order.pk])))),
        "API list": listed[0]["status_label"],
        "API order": api.get(api_order).json()["status_label"],
        "API refusal": api_refused.json()["detail"],
    }
    if status == "rejected":
        run_worker()  # the task that sends the email writes it
        email = OutboundEmail.objects.get(order=order, kind="order_rejected")
        surfaces["email text"] = email.body_text
        surfaces["email HTML"] = visible_text(email.body_html.encode())
    assert_only_label(surfaces, status=status, side="buyer")
