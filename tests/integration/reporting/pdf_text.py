"""Read a PDF back as text, page by page, the way a person would read it."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pages_of(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))
