"""Documents made by the task worker: queued with the request, made with progress, retried."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linesheet.accounts.models import Buyer
from linesheet.catalog.models import Catalog
from linesheet.core.errors import DomainError
from linesheet.core.periodic import periodic_jobs
from linesheet.reporting.generation import (
    GenerationErrorCode,
    document_request,
    document_retry,
    failure_message,
)
from linesheet.reporting.line_sheet import line_sheet_for_brand, line_sheet_for_buyer
from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from linesheet.reporting.tasks import document_render
from tests.integration.reporting.pdf_text import pages_of
from tests.integration.reporting.test_line_sheet import make_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(brand: Any) -> Catalog:
    return make_season(brand, products=7)


def test_the_worker_makes_the_document_and_counts_its_progress(
    season: Catalog,
    buyer: Buyer,
    shop_user: Any,
    run_worker: Any,
    stored_files: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("linesheet.reporting.line_sheet.PRODUCTS_PER_PART", 3)
    seen: list[tuple[int, int]] = []
    original = GeneratedDocument.objects.filter

    def watch_progress(*args: Any, **kwargs: Any) -> Any:
        queryset = original(*args, **kwargs)
        update = queryset.update

        def noted(**fields: Any) -> int:
            if set(fields) == {"done", "total"}:
                seen.append((fields["done"], fields["total"]))
            return update(**fields)

        queryset.update = noted  # type: ignore[method-assign]
        return queryset

    # Every progress write is let through; every part writes one (none is skipped as too soon).
    monkeypatch.setattr("linesheet.reporting.tasks.PROGRESS_EVERY_SECONDS", 0)
    monkeypatch.setattr(GeneratedDocument.objects, "filter", watch_progress)

    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=shop_user
    )
    assert document.status == DocumentStatus.QUEUED and not document.file
    [task] = DBTaskResult.objects.filter(pk=document.task_id)
    assert task.status == TaskResultStatus.READY

    run_worker()

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert (document.done, document.total) == (7, 7)
    assert seen == [(0, 7), (3, 7), (6, 7), (7, 7)]
    assert document.requested_by == shop_user and document.finished_at is not None
    assert (stored_files / document.file.name).is_file()
    with document.file.open("rb") as file:
        assert len(pages_of(file.read())) == 4
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == "ready"


def test_a_rolled_back_request_leaves_neither_document_nor_task(
    season: Catalog, buyer: Buyer
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
        raise RuntimeError("the caller's transaction fails")

    assert not GeneratedDocument.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_document_that_cannot_be_stored_fails_with_its_code_and_is_made_on_retry(
    season: Catalog, buyer: Buyer, run_worker: Any, stored_files: Path
) -> None:
    # The storage's folder cannot be made: a plain file stands where it should be.
    stored_files.parent.mkdir(parents=True, exist_ok=True)
    stored_files.write_text("not a folder")
    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None
    )

    run_worker()

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error_code == GenerationErrorCode.RENDER_FAILED
    assert f"document {document.pk}" in failure_message(document)
    assert not document.file
    # Once the storage is back, the failed document is made again on retry.
    stored_files.unlink()

    retried = document_retry(document=document)

    assert retried.status == DocumentStatus.QUEUED and retried.error_code == ""
    assert retried.task_id != document.task_id
    run_worker()
    retried.refresh_from_db()
    assert retried.status == DocumentStatus.READY and retried.file


def test_only_a_failed_document_is_retried(season: Catalog, buyer: Buyer) -> None:
    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None
    )

    with pytest.raises(DomainError) as refused:
        document_retry(document=document)

    assert refused.value.code == GenerationErrorCode.NOT_FAILED
    assert DBTaskResult.objects.count() == 1


def test_a_superseded_task_stands_down(
    season: Catalog, buyer: Buyer, run_worker: Any, stored_files: Path
) -> None:
    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(task_id="another-task")

    run_worker()

    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED
    task = DBTaskResult.objects.get()
    assert task.return_value == "superseded by another task"


def test_documents_past_their_retention_go_with_their_files(
    season: Catalog,
    buyer: Buyer,
    stored_files: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    old = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    document_render(document=old)
    old.refresh_from_db()
    GeneratedDocument.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    young = document_request(
        request=line_sheet_for_brand(catalog=season, prices="retail"), user=None
    )
    settings.DOCUMENT_RETENTION_DAYS = 7

    with django_capture_on_commit_callbacks(execute=True):
        outcome = periodic_jobs()["prune_generated_documents"].run()

    assert outcome == "1 document(s) deleted, 0 stray file(s)"
    assert list(GeneratedDocument.objects.all()) == [young]
    assert not (stored_files / old.file.name).exists()


def test_a_document_file_no_row_names_is_swept_once_it_is_old(stored_files: Path) -> None:
    stray = stored_files / "documents" / "2026" / "01" / "stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-")
    fresh = stray.with_name("fresh.pdf")
    fresh.write_bytes(b"%PDF-")
    os.utime(stray, (time.time() - 7 * 3600,) * 2)

    outcome = periodic_jobs()["prune_generated_documents"].run()

    assert outcome == "0 document(s) deleted, 1 stray file(s)"
    assert not stray.exists() and fresh.exists()
