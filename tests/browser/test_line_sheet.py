"""A buyer asks for a catalog's line sheet, watches it being made, and downloads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from linesheet.reporting.models import GeneratedDocument
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.browser


def log_in(page: Page, user: Any) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_buyer_asks_for_the_line_sheet_sees_it_made_and_downloads_it(
    page: Page, run_worker: Any, stored_files: Path, tmp_path: Path
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", code="SS26", skus=3)
    user = factories.make_user(email="claire@maison.test")
    factories.make_connected_buyer(brand=brand, members=[user])
    log_in(page, user)
    page.goto(f"/catalogs/{catalog.pk}/")

    page.get_by_role("button", name="Line sheet (PDF)").click()

    status = page.get_by_test_id("document-status")
    expect(status).to_contain_text("Waiting to start")
    expect(page.locator("progress[data-document-progress]")).to_be_visible()
    expect(page.get_by_test_id("document-refresh")).to_be_visible()
    document = GeneratedDocument.objects.get()
    assert page.url.endswith(f"/documents/{document.pk}/")

    run_worker()

    # The page asks for news by itself and shows the link once the line sheet is ready.
    link = page.get_by_test_id("document-download")
    expect(link).to_be_visible(timeout=10_000)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "line-sheet-SS26.pdf"
    saved = tmp_path / "line-sheet.pdf"
    download.save_as(saved)
    text = text_of(saved.read_bytes())
    assert "Spring Summer 2026" in text and "50.00 EUR" in text and "100.00" not in text
