"""What both web UIs answer about a generated document: its page, its status, its file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404, JsonResponse

from linesheet.reporting.downloads import NO_STORE
from linesheet.reporting.generation import document_status
from linesheet.reporting.models import DocumentStatus, GeneratedDocument

# How often the page asks for news, in ms, while the document is being made.
POLL_MS = 1_000


def document_context(
    document: GeneratedDocument,
    *,
    status_url: str,
    download_url: str,
    retry_url: str,
    back_url: str,
    back_label: str,
) -> dict[str, Any]:
    """Return the document page's context (templates/includes/generated_document.html)."""
    return {
        "document": document,
        "status": document_status(document, download_url=lambda _d: download_url),
        "status_url": status_url,
        "download_url": download_url,
        "retry_url": retry_url,
        "back_url": back_url,
        "back_label": back_label,
        "poll_ms": POLL_MS,
    }


def document_status_response(
    document: GeneratedDocument, *, download_url: Callable[[GeneratedDocument], str]
) -> JsonResponse:
    """Answer the page's poll: the document's status and progress, never cached."""
    return JsonResponse(
        document_status(document, download_url=download_url), headers={"Cache-Control": NO_STORE}
    )


def document_file_response(document: GeneratedDocument) -> FileResponse:
    """Hand the ready document's file over as a download; not found until it is ready."""
    if document.status != DocumentStatus.READY or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name
    )
    response["Cache-Control"] = NO_STORE
    return response
