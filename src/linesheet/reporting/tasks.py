"""The task that makes a generated document; run by `linesheet worker`, never by a web process."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from linesheet.reporting.generation import GenerationErrorCode
from linesheet.reporting.line_sheet import line_sheet_render
from linesheet.reporting.models import DocumentKind, DocumentStatus, GeneratedDocument
from linesheet.reporting.order_documents import (
    confirmation_render,
    orders_export_render,
    purchase_order_render,
)

logger = logging.getLogger(__name__)

Renderer = Callable[..., None]
# Each kind's renderer: render(document, *, target, progress) writes the file into `target`
# and calls progress(done, total) as it goes.
RENDERERS: dict[str, Renderer] = {
    DocumentKind.LINE_SHEET: line_sheet_render,
    DocumentKind.PURCHASE_ORDER: purchase_order_render,
    DocumentKind.ORDER_CONFIRMATION: confirmation_render,
    DocumentKind.ORDERS_XLSX: orders_export_render,
}
# Progress is written at most this often (and always at the end): one UPDATE per part at most.
PROGRESS_EVERY_SECONDS = 0.5


class _Progress:
    """Write the document's progress where the pages poll it, at most every half second."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        self.written_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.written_at < PROGRESS_EVERY_SECONDS:
            return
        self.written_at = now
        GeneratedDocument.objects.filter(pk=self.document_id).update(done=done, total=total)


def document_render(*, document: GeneratedDocument) -> GeneratedDocument:
    """Make the document's file, keep it in storage and mark the document ready.

    What the task runs; the demo's seeding calls it too. The file is written to a temporary
    file first, so it is never held in memory whole.
    """
    renderer = RENDERERS[document.kind]
    progress = _Progress(document.pk)
    with tempfile.TemporaryFile() as target:
        renderer(document, target=target, progress=progress)
        target.seek(0)
        document.file.save(document.file_name, File(target), save=False)
    document.status = DocumentStatus.READY
    document.finished_at = timezone.now()
    document.error_code = ""
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=document.status,
        file=document.file.name,
        finished_at=document.finished_at,
        error_code="",
    )
    document.refresh_from_db(fields=["done", "total"])
    return document


@task(takes_context=True)
def document_generate(context: TaskContext, document_id: int) -> str:
    """Make one document; a failure marks it failed with its code, for the pages to offer a retry.

    Only the task the document names (`task_id`) makes it, and a ready document is never made
    again, so a duplicated or superseded task stands down. A task put back in the queue after
    its worker died starts the document over.
    """
    task_id = str(context.task_result.id)
    document, reason = _claim(document_id=document_id, task_id=task_id)
    if document is None:
        return reason
    try:
        document_render(document=document)
    except Exception:
        logger.exception("document %s (%s) failed", document_id, document.kind)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED,
            error_code=GenerationErrorCode.RENDER_FAILED,
            finished_at=timezone.now(),
        )
        return "failed"
    return "ready"


def _claim(*, document_id: int, task_id: str) -> tuple[GeneratedDocument | None, str]:
    """Mark the document as being made by this task, or say why this task leaves it alone."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return None, "no such document"
        if document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
            return None, f"already {document.status}"
        if document.task_id and document.task_id != task_id:
            return None, "superseded by another task"
        document.status = DocumentStatus.RUNNING
        document.task_id = task_id
        document.started_at = timezone.now()
        document.done = 0
        document.save(update_fields=["status", "task_id", "started_at", "done"])
    return document, ""
