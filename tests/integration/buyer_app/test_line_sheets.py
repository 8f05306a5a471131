"""Buyer App: a catalog's line sheet at the organisation's own prices, while it sees the catalog."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import Catalog, CatalogStatus
from linesheet.reporting.models import GeneratedDocument
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, skus=2, name="Spring 27", code="SP27")


def ask(client: Client, catalog: Catalog) -> Any:
    return client.post(reverse("buyer-line-sheet", args=[catalog.pk]))


def test_a_buyer_asks_for_the_line_sheet_and_downloads_its_own_prices(
    buyer_client: Client, connected_buyer: Any, catalog: Catalog, run_worker: Any, stored_files: Any
) -> None:
    page = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk])).content.decode()
    assert reverse("buyer-line-sheet", args=[catalog.pk]) in page

    response = ask(buyer_client, catalog)

    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("buyer-document", args=[document.pk])
    assert document.organization == connected_buyer.organization
    run_worker()
    status = json.loads(
        buyer_client.get(reverse("buyer-document-status", args=[document.pk])).content
    )
    assert status["status"] == "ready"
    download = buyer_client.get(status["download_url"])
    text = text_of(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    # 100.00 retail at the organisation's rate of 0.45.
    assert "45.00 EUR" in text and "100.00" not in text


def test_a_catalog_the_organisation_does_not_see_has_no_line_sheet_for_it(
    buyer_client: Client, connected_buyer: Any, brand: Any
) -> None:
    limited = factories.make_catalog(brand=brand, status=CatalogStatus.LIMITED)
    stranger = factories.make_catalog(brand=factories.make_brand())

    for catalog in (limited, stranger):
        assert ask(buyer_client, catalog).status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_the_line_sheet_goes_when_the_catalog_is_taken_away(
    buyer_client: Client, connected_buyer: Any, catalog: Catalog
) -> None:
    ask(buyer_client, catalog)
    document = GeneratedDocument.objects.get()
    Catalog.objects.filter(pk=catalog.pk).update(status=CatalogStatus.LIMITED)

    for name in ("buyer-document", "buyer-document-status", "buyer-document-file"):
        assert buyer_client.get(reverse(name, args=[document.pk])).status_code == 404


def test_another_organisations_line_sheet_is_not_found(
    client: Client, brand: Any, buyer_client: Client, connected_buyer: Any, catalog: Catalog
) -> None:
    ask(buyer_client, catalog)
    document = GeneratedDocument.objects.get()
    other_user = factories.make_user()
    factories.make_connected_buyer(brand=brand, members=[other_user])
    client.force_login(other_user)

    for name in ("buyer-document", "buyer-document-status", "buyer-document-file"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert client.post(reverse("buyer-document-retry", args=[document.pk])).status_code == 404


def test_the_brands_own_line_sheet_is_not_a_buyers(
    buyer_client: Client, connected_buyer: Any, brand: Any, catalog: Catalog
) -> None:
    document = GeneratedDocument.objects.create(
        kind="line_sheet", brand=brand, catalog=catalog, fingerprint="x", file_name="x.pdf"
    )

    assert buyer_client.get(reverse("buyer-document", args=[document.pk])).status_code == 404
