"""Excel order sheets in the Brand App: download a catalog's sheet, import a filled one."""

from __future__ import annotations

from typing import IO, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import ngettext

from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.route_forms import SheetImportForm
from linesheet.catalog.selectors import catalog_get_for_brand, catalogs_of_brand
from linesheet.core.errors import DomainError
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.core.url_converters import id_of
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.order_sheets import (
    MAX_FILE_BYTES,
    OrderSheetError,
    OrderSheetRowsInvalid,
    RowProblem,
    order_sheet_filename,
)
from linesheet.ordering.selectors import order_of_brand
from linesheet.ordering.services import order_import_sheet, order_sheet_export


@brand_view()
def order_sheet_download(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """The catalog's blank order sheet (xlsx); viewers may download it too."""
    catalog = catalog_get_for_brand(brand=scope.brand, catalog_id=pk)
    if catalog is None:
        raise Http404
    catalog.brand = scope.brand  # the sheet's header names it; spare the query
    response = HttpResponse(order_sheet_export(catalog=catalog), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=order_sheet_filename(code=catalog.code)
    )
    return response


@brand_view(Permission.ORDER_WRITE, form_only=True)
def sheet_import(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """Import a filled order sheet as an order for the chosen buyer.

    Runs in the request: what a sheet may hold is bounded (`ordering/order_sheets/`). A
    refused sheet lists every bad row with its Excel row number, and nothing is imported.
    """
    initial = {}
    buyer_id = id_of(request.GET.get("buyer", "")) if request.method == "GET" else None
    if buyer_id is not None:
        initial["buyer"] = buyer_id
    posted = request.method == "POST"
    form = SheetImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        brand=scope.brand,
        initial=initial,
    )
    problems: list[RowProblem] = []
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = order_import_sheet(
                    buyer=form.cleaned_data["buyer"],
                    source=cast(IO[bytes], upload),
                    file_name=upload.name or "",
                    placed_by=scope.user,
                    header=form.header(),
                )
            except OrderSheetRowsInvalid as error:
                problems = error.problems
                form.add_error("file", error.message)
            except OrderSheetError as error:
                form.add_error("file", error.message)
            except DomainError as error:
                form.add_domain_error(error)
                status = error.status
            else:
                order = result.order
                messages.success(
                    request,
                    ngettext(
                        "Order %(code)s was imported for %(buyer)s: %(count)d line.",
                        "Order %(code)s was imported for %(buyer)s: %(count)d lines.",
                        result.lines,
                    )
                    % {"code": order.code, "buyer": order.buyer.name, "count": result.lines},
                )
                return redirect(
                    "brand-sheet-import-result", brand=scope.brand.slug, code=order.code
                )
    return render_brand(
        request,
        scope,
        "brand_app/sheet_import.html",
        {
            "form": form,
            "problems": problems,
            "catalogs": list(catalogs_of_brand(brand=scope.brand)),
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        },
        section="orders",
        status=status,
    )


# The result page lists this many lines; the order page lists them all.
RESULT_LINES = 200


@brand_view()
def sheet_import_result(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    """What an imported sheet became: the order, the file, and every line imported."""
    order = order_of_brand(brand=scope.brand, code=code)
    if order is None:
        raise Http404
    imported = next(
        (event for event in order.events.all() if event.type == OrderEventType.SHEET_IMPORTED),
        None,
    )
    if imported is None:
        return redirect("brand-order-detail", brand=scope.brand.slug, code=order.code)
    return render_brand(
        request,
        scope,
        "brand_app/sheet_import_result.html",
        {
            "order": order,
            "lines": list(order.lines.all()[:RESULT_LINES]),
            "imported": imported,
            "details": imported.details or {},
        },
        section="orders",
    )
