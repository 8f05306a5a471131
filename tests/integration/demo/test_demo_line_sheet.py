"""The demo leaves Maison Margaux's line sheet of Atelier's SS27 ready to download."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import User
from linesheet.catalog.models import Catalog
from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


def test_the_seed_leaves_a_line_sheet_ready_that_the_buyer_is_given_at_once(
    client: Client,
) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    [document] = GeneratedDocument.objects.all()
    assert document.status == DocumentStatus.READY
    assert document.organization is not None and document.organization.name == "Maison Margaux"
    catalog = Catalog.objects.get(brand__slug="atelier", code="SS27")
    client.force_login(User.objects.get(email="buyer@maison.test"))

    response = client.post(reverse("buyer-line-sheet", args=[catalog.pk]))

    assert response["Location"] == reverse("buyer-document", args=[document.pk])
    download = client.get(reverse("buyer-document-file", args=[document.pk]))
    text = text_of(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert "Spring/Summer 2027" in text and "Linen Camp Shirt" in text
    assert "No picture" not in text
    # Seeding again makes no other.
    call_command("seed_demo", stdout=io.StringIO())
    assert GeneratedDocument.objects.count() == 1
