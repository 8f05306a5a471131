"""Brand App: the catalog's line sheet asked for, followed while it is made, downloaded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from tests import factories
from tests.integration.reporting.pdf_text import pages_of

pytestmark = pytest.mark.django_db


def ask(client: Client, brand: Any, catalog: Any, prices: str = "both") -> Any:
    return client.post(
        reverse("brand-line-sheet", args=[brand.slug, catalog.pk]), {"prices": prices}
    )


def test_the_owner_asks_for_a_line_sheet_follows_it_and_downloads_it(
    owner_client: Client, brand: Any, catalog: Any, run_worker: Any, stored_files: Any
) -> None:
    page = owner_client.get(reverse("brand-catalog-detail", args=[brand.slug, catalog.pk]))
    assert reverse("brand-line-sheet", args=[brand.slug, catalog.pk]) in page.content.decode()

    response = ask(owner_client, brand, catalog)

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("brand-document", args=[brand.slug, document.pk])
    waiting = owner_client.get(response["Location"]).content.decode()
    status_url = reverse("brand-document-status", args=[brand.slug, document.pk])
    assert f'data-status-url="{status_url}"' in waiting
    assert 'data-testid="document-refresh"' in waiting and "documents.js" in waiting
    status = json.loads(owner_client.get(status_url).content)
    assert status["status"] == "queued" and status["download_url"] is None

    run_worker()

    status = json.loads(owner_client.get(status_url).content)
    file_url = reverse("brand-document-file", args=[brand.slug, document.pk])
    assert (status["status"], status["download_url"]) == ("ready", file_url)
    assert status["done"] == status["total"] == 1 and status["percent"] == 100
    assert file_url in owner_client.get(response["Location"]).content.decode()
    download = owner_client.get(file_url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="line-sheet-SS27.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    text = " ".join(pages_of(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert "100.00 EUR" in text and "50.00 EUR" in text


def test_a_viewer_may_ask_for_a_line_sheet_too(
    viewer_client: Client, brand: Any, catalog: Any
) -> None:
    response = ask(viewer_client, brand, catalog, prices="retail")

    assert response.status_code == 302
    assert GeneratedDocument.objects.get().parameters["prices"] == "retail"


def test_unknown_prices_are_refused_and_nothing_is_queued(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    response = ask(owner_client, brand, catalog, prices="cost")

    assert response.status_code == 302
    assert not GeneratedDocument.objects.exists()


def test_the_file_is_not_found_until_it_is_ready(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    ask(owner_client, brand, catalog)
    document = GeneratedDocument.objects.get()

    response = owner_client.get(reverse("brand-document-file", args=[brand.slug, document.pk]))

    assert response.status_code == 404


def test_another_brands_document_is_not_found(
    client: Client, brand: Any, catalog: Any, owner_client: Client
) -> None:
    ask(owner_client, brand, catalog)
    document = GeneratedDocument.objects.get()
    rival = factories.make_brand(slug="rival")
    client.force_login(factories.make_member(brand=rival, role="owner"))

    for name in ("brand-document", "brand-document-status", "brand-document-file"):
        assert client.get(reverse(name, args=[rival.slug, document.pk])).status_code == 404


def test_a_buyers_document_is_not_the_brands(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    document = GeneratedDocument.objects.create(
        kind="line_sheet",
        brand=brand,
        organization=buyer.organization,
        catalog=catalog,
        fingerprint="x",
        file_name="line-sheet-SS27.pdf",
    )

    response = owner_client.get(reverse("brand-document", args=[brand.slug, document.pk]))

    assert response.status_code == 404


def test_a_failed_document_says_why_and_offers_a_retry(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    ask(owner_client, brand, catalog)
    document = GeneratedDocument.objects.get()
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error_code="render_failed"
    )
    page = owner_client.get(reverse("brand-document", args=[brand.slug, document.pk]))
    content = page.content.decode()
    assert "could not be made" in content
    retry_url = reverse("brand-document-retry", args=[brand.slug, document.pk])
    assert f'action="{retry_url}"' in content

    response = owner_client.post(retry_url)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and document.error_code == ""
