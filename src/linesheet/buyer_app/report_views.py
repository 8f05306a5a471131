"""Buyer App downloads: an order of the organisation as PDF documents, whatever its status."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from linesheet.buyer_app.access import BuyerScope, buyer_view
from linesheet.documents.selectors import confirmation_header_of_order
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import order_header, orders_of_organization
from linesheet.reporting.downloads import pdf_download
from linesheet.reporting.order_pdf import (
    confirmation_lines_for_document,
    confirmation_pdf,
    document_file_name,
    order_lines_for_document,
    purchase_order_pdf,
)


def _order_or_404(scope: BuyerScope, pk: int) -> Order:
    """Return the organisation's own order; any other order is not found."""
    order = order_header(
        orders=orders_of_organization(organization=scope.organization), order_id=pk
    )
    if order is None:
        raise Http404
    return order


@buyer_view
def order_pdf(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The order as placed (the Original Order) as a PDF, in the Buyer App's words."""
    order = _order_or_404(scope, pk)
    content = purchase_order_pdf(
        order=order, lines=order_lines_for_document(order=order), side="buyer"
    )
    return pdf_download(content, filename=document_file_name(order, "order"))


@buyer_view
def order_confirmation_pdf(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The brand's order confirmation as a PDF; not found while the order has no OC."""
    order = _order_or_404(scope, pk)
    confirmation = confirmation_header_of_order(order_id=order.pk)
    if confirmation is None:
        raise Http404
    content = confirmation_pdf(
        order=order,
        confirmation=confirmation,
        lines=confirmation_lines_for_document(confirmation=confirmation),
        side="buyer",
    )
    return pdf_download(content, filename=document_file_name(order, "order-confirmation"))
