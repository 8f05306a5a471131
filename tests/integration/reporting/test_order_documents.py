"""Order PDFs and exports past DOCUMENT_BACKGROUND_LINES lines: made by the worker, not in the
request; below it, answered at once as before."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linesheet.reporting.models import DocumentKind, DocumentStatus, GeneratedDocument
from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.reporting.dataset import make_catalog
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(brand: Any, shop_user: Any, buyer: Any) -> Any:
    """An order of six lines."""
    catalog = make_catalog(
        brand=brand, code="MID", currency="EUR", model="M-MID", prefix="MID", skus=6
    )
    return factories.make_order(buyer=buyer, catalog=catalog, quantities=None, user=shop_user)


@pytest.fixture
def threshold(settings: Any) -> Any:
    """Orders of more than five lines are made in the background."""
    settings.DOCUMENT_BACKGROUND_LINES = 5
    return settings


def _file(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_below_the_threshold_the_brand_gets_the_pdf_at_once(
    client: Client, owner: Any, brand: Any, order: Any
) -> None:
    client.force_login(owner)

    response = client.get(reverse("brand-order-pdf", args=[brand.slug, order.code]))

    assert response["Content-Type"] == "application/pdf"
    assert not GeneratedDocument.objects.exists()


def test_past_it_the_brand_follows_the_pdf_being_made_then_downloads_it(
    client: Client, owner: Any, brand: Any, order: Any, threshold: Any, run_worker: Any
) -> None:
    client.force_login(owner)
    url = reverse("brand-order-pdf", args=[brand.slug, order.code])

    response = client.get(url)

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("brand-document", args=[brand.slug, document.pk])
    assert (document.kind, document.order, document.organization) == (
        DocumentKind.PURCHASE_ORDER,
        order,
        None,
    )
    # Asked again while it is being made: the same document.
    assert client.get(url)["Location"] == response["Location"]
    run_worker()
    document.refresh_from_db()
    assert (document.status, document.done, document.total) == (DocumentStatus.READY, 6, 6)
    text = text_of(_file(client, reverse("brand-document-file", args=[brand.slug, document.pk])))
    assert f"Purchase order {order.code}" in text and "MID-5" in text and "Lines 6" in text


def test_past_it_the_buyer_gets_its_own_document_of_its_order(
    client: Client, shop_user: Any, order: Any, threshold: Any, run_worker: Any
) -> None:
    client.force_login(shop_user)

    response = client.get(reverse("buyer-order-pdf", args=[order.pk]))

    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("buyer-document", args=[document.pk])
    assert document.organization == order.organization
    run_worker()
    text = text_of(_file(client, reverse("buyer-document-file", args=[document.pk])))
    assert "Awaiting OC creation" in text  # the Buyer App's words
    other = factories.make_user()
    factories.make_connected_buyer(brand=order.brand, members=[other])
    client.force_login(other)
    assert client.get(reverse("buyer-document-file", args=[document.pk])).status_code == 404


def test_past_it_the_export_is_made_by_the_worker(
    client: Client, owner: Any, brand: Any, order: Any, threshold: Any, run_worker: Any
) -> None:
    client.force_login(owner)

    response = client.get(reverse("brand-orders-xlsx", args=[brand.slug]), {"q": order.code})

    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("brand-document", args=[brand.slug, document.pk])
    assert document.parameters["filters"]["q"] == order.code
    run_worker()
    workbook = load_workbook(
        io.BytesIO(_file(client, reverse("brand-document-file", args=[brand.slug, document.pk])))
    )
    rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert len(rows) == 7 and rows[1][0] == order.code
    document.refresh_from_db()
    assert (document.done, document.total) == (6, 6)


def test_below_it_the_export_streams_at_once(
    client: Client, owner: Any, brand: Any, order: Any
) -> None:
    client.force_login(owner)

    response = client.get(reverse("brand-orders-xlsx", args=[brand.slug]))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
    assert not GeneratedDocument.objects.exists()


def test_past_it_the_api_answers_202_with_where_to_follow_the_document(
    viewer: Any, brand: Any, order: Any, threshold: Any, run_worker: Any
) -> None:
    api = client_for(viewer)

    response = api.get(f"/api/v1/brands/{brand.slug}/orders/{order.code}/pdf")

    assert response.status_code == 202
    body = json.loads(response.content)
    assert body["status"] == "queued" and body["download_url"] is None
    assert response["Location"] == f"/api/v1/brands/{brand.slug}/documents/{body['id']}"
    run_worker()
    status = api.get(response["Location"])
    body = json.loads(status.content)
    assert status.status_code == 200 and body["status"] == "ready"
    pdf = api.get(body["download_url"])
    assert pdf["Content-Type"] == "application/pdf"
    assert order.code in text_of(b"".join(pdf.streaming_content))


def test_past_it_the_api_export_answers_202_too(
    viewer: Any, brand: Any, order: Any, threshold: Any
) -> None:
    response = client_for(viewer).get(f"/api/v1/brands/{brand.slug}/orders.xlsx")

    assert response.status_code == 202
    assert GeneratedDocument.objects.get().kind == DocumentKind.ORDERS_XLSX


def test_the_buyers_api_follows_its_own_document(
    shop_user: Any, order: Any, threshold: Any, run_worker: Any
) -> None:
    api = client_for(shop_user)

    response = api.get(f"/api/v1/buyer-orgs/{order.organization_id}/orders/{order.pk}/pdf")

    assert response.status_code == 202
    run_worker()
    body = json.loads(api.get(response["Location"]).content)
    assert body["status"] == "ready"
    assert api.get(body["download_url"])["Content-Type"] == "application/pdf"
