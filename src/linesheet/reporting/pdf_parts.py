"""Long PDFs rendered a part at a time and joined, so memory is one part's, whatever the length.

WeasyPrint lays out a whole HTML document at once: its memory grows with the document (a
5,000-line order in one piece takes several hundred MB; docs/performance.md). Each part here
is a document of its own, rendered and reduced to PDF bytes before the next one starts; pypdf
joins them. The running header and the page numbers ("Page 3 of 40") need the joined length,
so the parts have none: once they are joined, one more small document made of as many empty
pages carries them, and each of its pages is laid over the page of the same number.

Nothing is fetched while rendering: only `data:` URIs (images embedded by the template) load.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone

# `data:` URIs only: an image is embedded in the HTML; nothing outside it is ever loaded.
ALLOWED_PROTOCOLS = frozenset({"data"})


def html_pdf(html: str) -> bytes:
    """Render one HTML document to PDF bytes, fetching nothing."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF rendering needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)


def template_pdf(template: str, context: dict[str, Any], *, time_zone: str) -> bytes:
    """Render a template to PDF, its times in `time_zone` (a document says the same to all)."""
    with timezone.override(time_zone):
        html = render_to_string(template, context)
    return html_pdf(html)


def stamp_pdf(*, pages: int, context: dict[str, Any], time_zone: str) -> bytes:
    """Render `pages` empty pages carrying the running header and footer (pdf/stamp.html)."""
    return template_pdf(
        "reporting/pdf/stamp.html", {**context, "pages": range(pages)}, time_zone=time_zone
    )


def pdf_join(
    parts: Iterable[bytes], *, stamp: Callable[[int], bytes] | None, target: IO[bytes]
) -> int:
    """Write the parts, in turn, as one PDF into `target`; return its number of pages.

    `stamp(pages)` returns the overlay of that many pages laid over the joined pages.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    pages = len(writer.pages)
    if stamp is not None and pages:
        overlay = PdfReader(io.BytesIO(stamp(pages)))
        for page, over in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(over)
    writer.write(target)
    return pages
