"""Large order documents made by the task worker: an order's PDFs and the order-lines export.

Above DOCUMENT_BACKGROUND_LINES lines (a setting) the purchase order, the order confirmation
and the Order Management export are not made while the request waits: the request asks for a
generated document (reporting.generation) and the reader follows its progress; below it they
are answered at once, as before. A request while the same document is being made is given
that one; each request after it is ready makes a fresh one, printed at that moment.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.db.models import Sum

from linesheet.accounts.models import Brand, BuyerOrganization
from linesheet.core.replica import replica_alias
from linesheet.documents.models import OrderConfirmation
from linesheet.documents.selectors import confirmation_header_of_order
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import OrderFilters, order_header, orders_of_brand
from linesheet.ordering.statuses import Side
from linesheet.reporting.generation import DocumentRequest, fingerprint_of
from linesheet.reporting.models import DocumentKind, GeneratedDocument
from linesheet.reporting.order_export import orders_xlsx, xlsx_file_name
from linesheet.reporting.order_pdf import (
    confirmation_lines_for_document,
    confirmation_lines_on_replica,
    confirmation_pdf,
    document_file_name,
    order_lines_for_document,
    purchase_order_pdf,
)


def in_background(lines: int) -> bool:
    """Say whether a document of `lines` lines is made by the worker, not in the request."""
    return lines > settings.DOCUMENT_BACKGROUND_LINES


def confirmation_line_count(confirmation: OrderConfirmation) -> int:
    """Return how many lines the OC has, read where its PDF reads them.

    On the replica when it holds this very version of the OC; else on the primary.
    """
    on_replica = confirmation_lines_on_replica(confirmation=confirmation).count()
    return on_replica or confirmation.lines.count()


def _organization(order: Order, side: Side) -> BuyerOrganization | None:
    return order.organization if side == "buyer" else None


def order_document_for(
    *, order: Order, side: Side, confirmation: OrderConfirmation | None = None
) -> DocumentRequest:
    """The purchase order (or, given its OC, the order confirmation) as `side` reads it."""
    kind = DocumentKind.ORDER_CONFIRMATION if confirmation else DocumentKind.PURCHASE_ORDER
    version = confirmation.version if confirmation else None
    return DocumentRequest(
        kind=kind,
        brand=order.brand,
        organization=_organization(order, side),
        order=order,
        parameters={"side": side},
        file_name=document_file_name(
            order, "order-confirmation" if confirmation is not None else "order"
        ),
        fingerprint=fingerprint_of(kind, order.pk, side, order.status, version),
    )


def orders_export_for(*, brand: Brand, filters: OrderFilters) -> DocumentRequest:
    """The Order Management search as an xlsx file of order lines, in the brand's time zone."""
    values = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in dataclasses.asdict(filters).items()
    }
    return DocumentRequest(
        kind=DocumentKind.ORDERS_XLSX,
        brand=brand,
        parameters={"filters": values, "time_zone": brand.time_zone},
        file_name=xlsx_file_name(f"orders-{brand.slug}"),
        fingerprint=fingerprint_of(DocumentKind.ORDERS_XLSX, values, brand.time_zone),
    )


def export_line_count(*, brand: Brand, filters: OrderFilters) -> int:
    """Return how many order lines the search's export holds (one query, on the replica).

    Read where the export itself reads: a replica a moment behind only moves an export across
    the threshold, between made now and made by the worker.
    """
    orders = orders_of_brand(brand=brand, filters=filters).using(replica_alias())
    return int(orders.aggregate(lines=Sum("line_count"))["lines"] or 0)


def _filters(values: dict[str, Any]) -> OrderFilters:
    dates = {"placed_from", "placed_to"}
    parsed: dict[str, Any] = {
        name: datetime.date.fromisoformat(value) if name in dates and value else value
        for name, value in values.items()
    }
    return OrderFilters(**parsed)


def _order(document: GeneratedDocument) -> Order:
    order = order_header(
        orders=Order.objects.filter(brand_id=document.brand_id), order_id=document.order_id
    )
    assert order is not None  # the order's documents go with it
    return order


def purchase_order_render(
    document: GeneratedDocument, *, target: IO[bytes], progress: Callable[[int, int], None]
) -> None:
    order = _order(document)
    lines = order_lines_for_document(order=order)
    progress(0, len(lines))
    purchase_order_pdf(
        order=order,
        lines=lines,
        side=document.parameters["side"],
        target=target,
        progress=progress,
    )


def confirmation_render(
    document: GeneratedDocument, *, target: IO[bytes], progress: Callable[[int, int], None]
) -> None:
    order = _order(document)
    confirmation = confirmation_header_of_order(order_id=order.pk)
    if confirmation is None:
        raise LookupError(f"order {order.pk} has no order confirmation any more")
    lines = confirmation_lines_for_document(confirmation=confirmation)
    progress(0, len(lines))
    confirmation_pdf(
        order=order,
        confirmation=confirmation,
        lines=lines,
        side=document.parameters["side"],
        target=target,
        progress=progress,
    )


def orders_export_render(
    document: GeneratedDocument, *, target: IO[bytes], progress: Callable[[int, int], None]
) -> None:
    brand = Brand.objects.get(pk=document.brand_id)
    filters = _filters(document.parameters["filters"])
    total = export_line_count(brand=brand, filters=filters)
    progress(0, total)
    for piece in orders_xlsx(
        orders=orders_of_brand(brand=brand, filters=filters),
        time_zone=document.parameters["time_zone"],
        # An OC may add rows beyond the lines counted: the total grows to what was written.
        progress=lambda rows: progress(rows, max(total, rows)),
    ):
        target.write(piece)
