"""Buyer App downloads: an order of the organisation as PDF documents, whatever its status.

An order of more than DOCUMENT_BACKGROUND_LINES lines is made by the task worker: the link
opens its progress page (reporting.order_documents).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from linesheet.buyer_app.access import BuyerScope, buyer_view
from linesheet.documents.selectors import confirmation_header_of_order
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import order_header, orders_of_organization
from linesheet.reporting.downloads import pdf_download
from linesheet.reporting.generation import DocumentRequest, document_request
from linesheet.reporting.order_documents import (
    confirmation_line_count,
    in_background,
    order_document_for,
)
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


def _made_in_background(scope: BuyerScope, request: DocumentRequest) -> HttpResponse:
    """Ask the worker for the document (one being made is given again); open its page."""
    document = document_request(request=request, user=scope.user)
    return redirect("buyer-document", pk=document.pk)


@buyer_view
def order_pdf(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The order as placed (the Original Order) as a PDF, in the Buyer App's words."""
    order = _order_or_404(scope, pk)
    if in_background(order.line_count):
        return _made_in_background(scope, order_document_for(order=order, side="buyer"))
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
    if in_background(confirmation_line_count(confirmation)):
        return _made_in_background(
            scope, order_document_for(order=order, side="buyer", confirmation=confirmation)
        )
    content = confirmation_pdf(
        order=order,
        confirmation=confirmation,
        lines=confirmation_lines_for_document(confirmation=confirmation),
        side="buyer",
    )
    return pdf_download(content, filename=document_file_name(order, "order-confirmation"))
