"""Buyer App documents made in the background: a catalog's line sheet at the organisation's own
prices; its progress, file and retry.

An organisation sees only the documents made for it, and a line sheet only while its catalog
is one it sees (catalog.selectors.catalogs_visible_to): any other is not found.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.accounts.selectors import buyer_for_organization
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.catalog.selectors import catalogs_visible_to
from linesheet.core.errors import DomainError
from linesheet.reporting.downloads import document_file_response
from linesheet.reporting.generation import (
    document_of_organization,
    document_request,
    document_retry,
)
from linesheet.reporting.line_sheet import line_sheet_for_buyer
from linesheet.reporting.models import DocumentKind, GeneratedDocument
from linesheet.web.documents import document_context, document_status_response


def _document_or_404(scope: BuyerScope, pk: int) -> GeneratedDocument:
    document = document_of_organization(
        organization=scope.organization,
        document_id=pk,
        catalogs_visible=catalogs_visible_to(organization=scope.organization),
    )
    if document is None:
        raise Http404
    return document


def _url(name: str, document: GeneratedDocument) -> str:
    return reverse(name, args=[document.pk])


@buyer_view
def line_sheet_request(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Ask for the catalog's line sheet at the organisation's prices; open its page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    catalog = catalogs_visible_to(organization=scope.organization).filter(pk=pk).first()
    if catalog is None:
        raise Http404
    buyer = buyer_for_organization(brand=catalog.brand, organization=scope.organization)
    if buyer is None:
        raise Http404
    document = document_request(
        request=line_sheet_for_buyer(catalog=catalog, buyer=buyer), user=scope.user
    )
    return redirect("buyer-document", pk=document.pk)


@buyer_view
def document_detail(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The document's progress while it is made, then its download link (or why it failed)."""
    document = _document_or_404(scope, pk)
    if document.kind == DocumentKind.LINE_SHEET and document.catalog_id:
        back_url = reverse("buyer-catalog", args=[document.catalog_id])
        back_label = _("Back to the catalog")
    else:
        back_url = reverse("buyer-orders")
        back_label = _("Back to the orders")
    return render_buyer(
        request,
        scope,
        "buyer_app/document_detail.html",
        document_context(
            document,
            status_url=_url("buyer-document-status", document),
            download_url=_url("buyer-document-file", document),
            retry_url=_url("buyer-document-retry", document),
            back_url=back_url,
            back_label=back_label,
        ),
        section="brands" if document.kind == DocumentKind.LINE_SHEET else "orders",
    )


@buyer_view
def document_status(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    document = _document_or_404(scope, pk)
    return document_status_response(document, download_url=lambda d: _url("buyer-document-file", d))


@buyer_view
def document_file(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    # The views here answer HttpResponse; Django serves a streamed file just the same.
    return cast(HttpResponse, document_file_response(_document_or_404(scope, pk)))


@buyer_view
def document_retry_view(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    document = _document_or_404(scope, pk)
    if request.method == "POST":
        try:
            document_retry(document=document)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("buyer-document", pk=document.pk)
