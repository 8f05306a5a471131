"""HTTP answers that hand a document over as a download, for the apps and the API alike."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from linesheet.reporting.order_pdf import PDF_CONTENT_TYPE

# Orders are business data: no shared cache keeps a copy.
NO_STORE = "private, no-store"


def _headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": content_disposition_header(True, filename) or "attachment",
        "Cache-Control": NO_STORE,
    }


def pdf_download(content: bytes, *, filename: str) -> HttpResponse:
    """Answer with the PDF as an attachment named `filename`."""
    return HttpResponse(content, content_type=PDF_CONTENT_TYPE, headers=_headers(filename))


def xlsx_download(chunks: Iterator[bytes], *, filename: str) -> StreamingHttpResponse:
    """Stream the xlsx to the client while it is being written."""
    return StreamingHttpResponse(chunks, content_type=XLSX_CONTENT_TYPE, headers=_headers(filename))


def document_file_response(document: GeneratedDocument) -> FileResponse:
    """Hand a ready generated document's file over as a download; not found until it is ready.

    Read from storage in pieces, never whole: the files are private and pass through here.
    """
    if document.status != DocumentStatus.READY or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name
    )
    response["Cache-Control"] = NO_STORE
    return response
