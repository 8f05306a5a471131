"""Brand App documents made in the background: the line sheet; their progress, file and retry.

Making a document reads only, so a viewer may ask for one too (the POST needs `view`).
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.catalog.selectors import catalog_get_for_brand
from linesheet.core.errors import DomainError
from linesheet.reporting.downloads import document_file_response
from linesheet.reporting.generation import document_of_brand, document_request, document_retry
from linesheet.reporting.line_sheet import PriceChoice, line_sheet_for_brand
from linesheet.reporting.models import DocumentKind, GeneratedDocument
from linesheet.web.documents import document_context, document_status_response


def _document_or_404(scope: BrandScope, pk: int) -> GeneratedDocument:
    document = document_of_brand(brand=scope.brand, document_id=pk)
    if document is None:
        raise Http404
    return document


def _url(name: str, scope: BrandScope, document: GeneratedDocument) -> str:
    return reverse(name, args=[scope.brand.slug, document.pk])


@brand_view(Permission.VIEW)
def line_sheet_request(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """Ask for the catalog's line sheet with the prices chosen; open its page."""
    catalog = catalog_get_for_brand(brand=scope.brand, catalog_id=pk)
    if catalog is None:
        raise Http404
    if request.method != "POST":
        return redirect("brand-catalog-detail", brand=scope.brand.slug, pk=catalog.pk)
    prices = request.POST.get("prices", PriceChoice.WHOLESALE)
    if prices not in PriceChoice.ALL:
        messages.error(request, _("Choose which prices the line sheet shows."))
        return redirect("brand-catalog-detail", brand=scope.brand.slug, pk=catalog.pk)
    document = document_request(
        request=line_sheet_for_brand(catalog=catalog, prices=prices), user=scope.user
    )
    return redirect("brand-document", brand=scope.brand.slug, pk=document.pk)


@brand_view()
def document_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """The document's progress while it is made, then its download link (or why it failed)."""
    document = _document_or_404(scope, pk)
    if document.kind == DocumentKind.LINE_SHEET and document.catalog_id:
        back_url = reverse("brand-catalog-detail", args=[scope.brand.slug, document.catalog_id])
        back_label = _("Back to the catalog")
    else:
        back_url = reverse("brand-orders", args=[scope.brand.slug])
        back_label = _("Back to the orders")
    return render_brand(
        request,
        scope,
        "brand_app/document_detail.html",
        document_context(
            document,
            status_url=_url("brand-document-status", scope, document),
            download_url=_url("brand-document-file", scope, document),
            retry_url=_url("brand-document-retry", scope, document),
            back_url=back_url,
            back_label=back_label,
        ),
        section="catalogs" if document.kind == DocumentKind.LINE_SHEET else "orders",
    )


@brand_view()
def document_status(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    document = _document_or_404(scope, pk)
    return document_status_response(
        document, download_url=lambda d: _url("brand-document-file", scope, d)
    )


@brand_view()
def document_file(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    # The views here answer HttpResponse; Django serves a streamed file just the same.
    return cast(HttpResponse, document_file_response(_document_or_404(scope, pk)))


@brand_view(Permission.VIEW, form_only=True)
def document_retry_view(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    document = _document_or_404(scope, pk)
    if request.method == "POST":
        try:
            document_retry(document=document)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("brand-document", brand=scope.brand.slug, pk=document.pk)
