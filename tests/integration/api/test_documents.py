"""The API's line sheets and documents made in the background: ask, follow, download, retry."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linesheet.catalog.models import CatalogStatus
from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from tests import factories
from tests.integration.api.conftest import client_for
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


def test_a_viewer_asks_for_the_brands_line_sheet_follows_it_and_downloads_it(
    viewer: Any, brand: Any, catalog: Any, run_worker: Any
) -> None:
    api = client_for(viewer)

    response = api.post(
        f"/api/v1/brands/{brand.slug}/catalogs/{catalog.pk}/line-sheet",
        {"prices": "retail"},
        format="json",
    )

    assert response.status_code == 202
    body = json.loads(response.content)
    assert (body["kind"], body["status"]) == ("line_sheet", "queued")
    run_worker()
    body = json.loads(api.get(response["Location"]).content)
    assert body["status"] == "ready" and body["done"] == body["total"] == 1
    download = api.get(body["download_url"])
    text = text_of(b"".join(download.streaming_content))
    assert "100.00 EUR" in text and "50.00" not in text
    # Asked again with nothing changed: the same document, ready.
    again = api.post(
        f"/api/v1/brands/{brand.slug}/catalogs/{catalog.pk}/line-sheet",
        {"prices": "retail"},
        format="json",
    )
    assert again.status_code == 200 and json.loads(again.content)["id"] == body["id"]


def test_unknown_prices_are_refused(viewer: Any, brand: Any, catalog: Any) -> None:
    response = client_for(viewer).post(
        f"/api/v1/brands/{brand.slug}/catalogs/{catalog.pk}/line-sheet",
        {"prices": "cost"},
        format="json",
    )

    assert response.status_code == 400
    assert not GeneratedDocument.objects.exists()


def test_a_buyer_gets_its_own_line_sheet_only_for_a_catalog_it_sees(
    shop_user: Any, buyer: Any, brand: Any, catalog: Any, run_worker: Any
) -> None:
    api = client_for(shop_user)
    base = f"/api/v1/buyer-orgs/{buyer.organization_id}"
    hidden = factories.make_catalog(brand=brand, status=CatalogStatus.LIMITED)

    assert api.post(f"{base}/catalogs/{hidden.pk}/line-sheet").status_code == 404
    response = api.post(f"{base}/catalogs/{catalog.pk}/line-sheet")

    assert response.status_code == 202
    run_worker()
    body = json.loads(api.get(response["Location"]).content)
    text = text_of(b"".join(api.get(body["download_url"]).streaming_content))
    assert "50.00 EUR" in text and "100.00" not in text
    # Once the catalog is limited to others, its line sheet is gone for the buyer.
    catalog.status = CatalogStatus.LIMITED
    catalog.save(update_fields=["status"])
    assert api.get(response["Location"]).status_code == 404
    assert api.get(body["download_url"]).status_code == 404


def test_another_organisation_does_not_see_the_document(
    shop_user: Any, buyer: Any, brand: Any, catalog: Any
) -> None:
    response = client_for(shop_user).post(
        f"/api/v1/buyer-orgs/{buyer.organization_id}/catalogs/{catalog.pk}/line-sheet"
    )
    document_id = json.loads(response.content)["id"]
    other = factories.make_user()
    other_buyer = factories.make_connected_buyer(brand=brand, members=[other])

    answer = client_for(other).get(
        f"/api/v1/buyer-orgs/{other_buyer.organization_id}/documents/{document_id}"
    )

    assert answer.status_code == 404


def test_only_a_failed_document_is_retried(viewer: Any, brand: Any, catalog: Any) -> None:
    api = client_for(viewer)
    response = api.post(
        f"/api/v1/brands/{brand.slug}/catalogs/{catalog.pk}/line-sheet", {}, format="json"
    )
    document = GeneratedDocument.objects.get()
    retry = f"{response['Location']}/retry"

    refused = api.post(retry, {}, format="json")
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error_code="render_failed"
    )
    failed = json.loads(api.get(response["Location"]).content)
    retried = api.post(retry, {}, format="json")

    assert refused.status_code == 409
    assert json.loads(refused.content)["code"] == "document_not_failed"
    assert failed["error"]["code"] == "render_failed"
    assert retried.status_code == 202 and json.loads(retried.content)["status"] == "queued"
