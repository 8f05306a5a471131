"""Brand App reporting: the order's PDF documents, the Excel export and the analytics page.

All of it reads only, so a viewer may use every page here. An order PDF or an export of more
than DOCUMENT_BACKGROUND_LINES lines is made by the task worker: the link opens its progress
page (reporting.order_documents).
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import OrderFilterForm, order_search_query
from linesheet.brand_app.report_forms import AnalyticsForm
from linesheet.core import clock
from linesheet.documents.selectors import confirmation_header_of_order
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import order_header, orders_of_brand
from linesheet.reporting.analytics import AnalyticsRow, CurrencySection, Dimension, order_analytics
from linesheet.reporting.charts import BarChart, ChartItem, bar_chart
from linesheet.reporting.downloads import pdf_download, xlsx_download
from linesheet.reporting.generation import DocumentRequest, document_request
from linesheet.reporting.order_documents import (
    confirmation_line_count,
    export_line_count,
    in_background,
    order_document_for,
    orders_export_for,
)
from linesheet.reporting.order_export import orders_xlsx, xlsx_file_name
from linesheet.reporting.order_pdf import (
    confirmation_lines_for_document,
    confirmation_pdf,
    document_file_name,
    order_lines_for_document,
    purchase_order_pdf,
)
from linesheet.reporting.returns import returned_orders, returns_summary

BY = {
    Dimension.PRODUCT: _lazy("by product"),
    Dimension.BUYER: _lazy("by buyer"),
    Dimension.CATALOG: _lazy("by catalog"),
    Dimension.SKU: _lazy("by SKU"),
}
# Bars in a chart, and rows in a table before it says how many more there are.
CHART_BARS = 12
TABLE_ROWS = 1_000


def _order_or_404(scope: BrandScope, code: str) -> Order:
    order = order_header(orders=Order.objects.filter(brand=scope.brand), code=code)
    if order is None:
        raise Http404
    return order


def _made_in_background(scope: BrandScope, request: DocumentRequest) -> HttpResponse:
    """Ask the worker for the document (one being made is given again); open its page."""
    document = document_request(request=request, user=scope.user)
    return redirect("brand-document", brand=scope.brand.slug, pk=document.pk)


@brand_view()
def order_pdf(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    """The purchase order (the Original Order) as a PDF, whatever the order's status."""
    order = _order_or_404(scope, code)
    if in_background(order.line_count):
        return _made_in_background(scope, order_document_for(order=order, side="brand"))
    content = purchase_order_pdf(
        order=order, lines=order_lines_for_document(order=order), side="brand"
    )
    return pdf_download(content, filename=document_file_name(order, "order"))


@brand_view()
def order_confirmation_pdf(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    """The order confirmation as a PDF; not found while the order has no OC."""
    order = _order_or_404(scope, code)
    confirmation = confirmation_header_of_order(order_id=order.pk)
    if confirmation is None:
        raise Http404
    if in_background(confirmation_line_count(confirmation)):
        return _made_in_background(
            scope, order_document_for(order=order, side="brand", confirmation=confirmation)
        )
    content = confirmation_pdf(
        order=order,
        confirmation=confirmation,
        lines=confirmation_lines_for_document(confirmation=confirmation),
        side="brand",
    )
    return pdf_download(content, filename=document_file_name(order, "order-confirmation"))


@brand_view()
def orders_xlsx_export(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """Order Management's search as an xlsx file of order lines, streamed while it is written.

    A search the list page would refuse goes back there, where its errors are shown.
    """
    form = OrderFilterForm(request.GET, brand=scope.brand)
    if not form.is_valid():
        query = urlencode([(k, v) for k, v in request.GET.items() if k != "cursor"])
        url = reverse("brand-orders", args=[scope.brand.slug])
        return redirect(f"{url}?{query}" if query else url)
    filters = form.filters()
    if in_background(export_line_count(brand=scope.brand, filters=filters)):
        return _made_in_background(scope, orders_export_for(brand=scope.brand, filters=filters))
    orders = orders_of_brand(brand=scope.brand, filters=filters)
    response = xlsx_download(
        orders_xlsx(orders=orders, time_zone=scope.brand.time_zone),
        filename=xlsx_file_name(f"orders-{scope.brand.slug}"),
    )
    # brand_view's views answer HttpResponse; Django serves a streamed answer just the same.
    return cast(HttpResponse, response)


def _money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _table_row(row: AnalyticsRow) -> dict[str, object]:
    """Return a table row with its figures formatted once here, not by a filter per cell."""
    return {
        "key": row.key,
        "label": row.label,
        "orders": row.orders,
        "quantity": number_format(row.quantity, use_l10n=True, force_grouping=True),
        "amount": _money(row.amount),
    }


def _chart(section: CurrencySection, dimension: Dimension) -> BarChart:
    currency = section.total.currency
    top = section.rows[:CHART_BARS]
    return bar_chart(
        title=_("Amount in %(currency)s %(by)s") % {"currency": currency, "by": BY[dimension]},
        description=_(
            "Horizontal bars, the largest first: the %(count)d largest amounts in %(currency)s. "
            "The table below lists every row with its quantity."
        )
        % {"count": len(top), "currency": currency},
        items=[
            ChartItem(label=row.label or row.key, value=row.amount, value_text=_money(row.amount))
            for row in top
        ],
    )


@brand_view()
def analytics(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """Live orders by product, buyer, catalog or SKU over a period, and the period's returns."""
    form = AnalyticsForm(request.GET or None, today=clock.today())
    context: dict[str, object] = {"report": None}
    if not form.is_bound or form.is_valid():
        dimension, period = form.dimension(), form.period()
        # Show the period the figures are for, blanks filled in with their defaults.
        form = AnalyticsForm(
            initial={"by": dimension, "from": period.start, "to": period.end}, today=form.today
        )
        report = order_analytics(brand=scope.brand, dimension=dimension, period=period)
        context.update(
            report=report,
            dimension=dimension,
            period=period,
            sections=[
                {
                    "total": section.total,
                    "rows": [_table_row(row) for row in section.rows[:TABLE_ROWS]],
                    "more": max(len(section.rows) - TABLE_ROWS, 0),
                    "chart": _chart(section, dimension),
                }
                for section in report.by_currency()
            ],
            returns=returns_summary(brand=scope.brand, period=period),
            returned_orders_url=reverse("brand-orders", args=[scope.brand.slug])
            + "?"
            + order_search_query(returned_orders(period=period)),
        )
    context["form"] = form
    return render_brand(request, scope, "brand_app/analytics.html", context, section="analytics")
