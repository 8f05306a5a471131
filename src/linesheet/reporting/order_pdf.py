"""The purchase order (the Original Order) and the order confirmation as PDF documents.

Rendered by WeasyPrint from Django templates, so every piece of user text (names, addresses,
comments) is escaped by the template engine and shows as the text it is. Nothing is fetched
while rendering: the documents carry their own styles and no external resources.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.core.replica import replica_alias
from linesheet.documents.models import DocumentLine, OrderConfirmation, OrderConfirmationLine
from linesheet.documents.selectors import confirmation_tax_totals
from linesheet.ordering.models import Order, OrderLine
from linesheet.ordering.selectors import order_changes_of
from linesheet.ordering.statuses import Side
from linesheet.ordering.statuses import status_label as label_of_status
from linesheet.ordering.taxes import order_tax_totals
from linesheet.reporting.pdf_parts import pdf_join, stamp_pdf, template_pdf

PDF_CONTENT_TYPE = "application/pdf"
# Lines per rendered part: what WeasyPrint lays out at once (docs/performance.md, documents).
LINES_PER_PART = 250


def order_lines_for_document(*, order: Order) -> list[OrderLine]:
    """Read the Original Order's lines for its PDF: from the replica when it has them.

    The lines are written with their order and never change, so the replica's are the
    primary's once it has any; an order placed a moment ago may not be there yet (the
    replica's lag), and is read from the primary.
    """
    lines = list(OrderLine.objects.using(replica_alias()).filter(order_id=order.pk))
    return lines or list(order.lines.all())


def confirmation_lines_on_replica(
    *, confirmation: OrderConfirmation
) -> QuerySet[OrderConfirmationLine]:
    """Return the OC's lines on the replica, none unless it holds this very version.

    Every save of an OC's lines counts up its `version`; lines read on the replica together
    with the version they belong to (one statement, one snapshot) are the primary's when the
    version is the one the header read from the primary says.
    """
    return OrderConfirmationLine.objects.using(replica_alias()).filter(
        confirmation_id=confirmation.pk, confirmation__version=confirmation.version
    )


def confirmation_lines_for_document(
    *, confirmation: OrderConfirmation
) -> list[OrderConfirmationLine]:
    """Read the OC's lines for its PDF: from the replica when it holds this very version."""
    lines = list(confirmation_lines_on_replica(confirmation=confirmation))
    return lines or list(confirmation.lines.all())


def status_label(order: Order, *, side: Side) -> str:
    """Return the status as the reader's app names it."""
    return label_of_status(order.status, side=side)


def document_file_name(order: Order, kind: str) -> str:
    """Return e.g. "order-AT-000123.pdf": the code made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", order.code).strip("-.") or str(order.pk)
    return f"{kind}-{safe}.pdf"


def _render_pdf(
    template: str,
    context: dict[str, Any],
    lines: Sequence[Any],
    *,
    target: IO[bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render the document LINES_PER_PART lines at a time and join the parts (pdf_parts).

    The first part carries the header, the last the totals. Written into `target` when given
    (then the bytes returned are empty), else returned.
    """
    # A document says the same whoever downloads it: its times are in the brand's zone.
    time_zone = context["brand"].time_zone
    total = len(lines)
    starts = list(range(0, total, LINES_PER_PART)) or [0]

    def parts() -> Iterator[bytes]:
        for number, start in enumerate(starts):
            chunk = lines[start : start + LINES_PER_PART]
            yield template_pdf(
                template,
                {
                    **context,
                    "lines": chunk,
                    "line_count": total,
                    "first_part": number == 0,
                    "last_part": number == len(starts) - 1,
                },
                time_zone=time_zone,
            )
            if progress is not None:
                progress(start + len(chunk), total)

    def stamp(pages: int) -> bytes:
        return stamp_pdf(
            pages=pages,
            context={**context, "running_title": f"{context['title']} {context['order'].code}"},
            time_zone=time_zone,
        )

    if target is not None:
        pdf_join(parts(), stamp=stamp, target=target)
        return b""
    out = io.BytesIO()
    pdf_join(parts(), stamp=stamp, target=out)
    return out.getvalue()


def _header(order: Order, *, side: Side) -> dict[str, Any]:
    return {
        "order": order,
        "brand": order.brand,
        "buyer": order.buyer,
        "catalog": order.catalog,
        "status_label": status_label(order, side=side),
        "currency": order.currency,
        "printed_at": timezone.now(),
    }


def purchase_order_pdf(
    *,
    order: Order,
    lines: Sequence[OrderLine],
    side: Side,
    target: IO[bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render the Original Order as placed: the brand's legal identity, the parties, every line
    and the totals (net, tax per rate and gross as placed).

    An order placed again from a returned cart ends with what it changed against the returned
    order (for the buyer, only against one of the buyer's own orders).
    """
    changes = order_changes_of(
        order=order, organization_id=order.organization_id if side == "buyer" else None
    )
    return _render_pdf(
        "reporting/pdf/purchase_order.html",
        {
            **_header(order, side=side),
            "title": _("Purchase order"),
            "total_quantity": order.total_quantity,
            "total_amount": order.total_amount,
            "taxes": order_tax_totals(order),
            "changes": changes,
        },
        lines,
        target=target,
        progress=progress,
    )


def confirmation_pdf(
    *,
    order: Order,
    confirmation: OrderConfirmation,
    lines: Sequence[DocumentLine],
    side: Side,
    target: IO[bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render the brand's order confirmation: its lines and totals beside the order's header."""
    return _render_pdf(
        "reporting/pdf/order_confirmation.html",
        {
            **_header(order, side=side),
            "title": _("Order confirmation"),
            "confirmation": confirmation,
            "total_quantity": confirmation.total_quantity,
            "total_amount": confirmation.total_amount,
            "taxes": confirmation_tax_totals(confirmation, currency=order.currency),
            "ordered_quantity": order.total_quantity,
            "ordered_amount": order.total_amount or Decimal("0"),
            "ordered_gross": order_tax_totals(order).gross,
        },
        lines,
        target=target,
        progress=progress,
    )
