"""Renderers for endpoints that answer a file: the file's bytes, or a problem as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer

from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.reporting.order_pdf import PDF_CONTENT_TYPE


class DocumentRenderer(BaseRenderer):
    """Lets a client ask for the document's type; a refusal is still problem-details JSON."""

    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, accepted_media_type, renderer_context)


class PdfRenderer(DocumentRenderer):
    media_type = PDF_CONTENT_TYPE
    format = "pdf"


class XlsxRenderer(DocumentRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
