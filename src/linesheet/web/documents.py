"""What both web UIs answer about a generated document: its page and its status (its file:
reporting.downloads.document_file_response)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import JsonResponse

from linesheet.reporting.downloads import NO_STORE
from linesheet.reporting.generation import document_status
from linesheet.reporting.models import GeneratedDocument

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
