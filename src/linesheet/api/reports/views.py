"""Reporting endpoints: an order's PDF documents, the orders as xlsx, order analytics.

All of them read only, so a viewer may call every one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.api.documents.views import (
    DocumentSerializer,
    brand_document_answer,
    organization_document_answer,
)
from linesheet.api.orders.serializers import OrderFiltersSerializer, order_filters
from linesheet.api.renderers import PdfRenderer, XlsxRenderer
from linesheet.api.schema import problems, responses
from linesheet.api.serializers import MoneySerializer, StrictSerializer
from linesheet.api.tenancy import BrandScopedMixin, OrganizationScopedMixin
from linesheet.core import clock
from linesheet.core.money import Money, quantize_amount
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.documents.selectors import confirmation_header_of_order
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import order_header, orders_of_brand
from linesheet.reporting.analytics import (
    DEFAULT_PERIOD_DAYS,
    Dimension,
    Period,
    default_period,
    order_analytics,
)
from linesheet.reporting.downloads import pdf_download, xlsx_download
from linesheet.reporting.generation import document_request
from linesheet.reporting.models import GeneratedDocument
from linesheet.reporting.order_documents import (
    confirmation_line_count,
    export_line_count,
    in_background,
    order_document_for,
    orders_export_for,
)
from linesheet.reporting.order_export import orders_xlsx, xlsx_file_name
from linesheet.reporting.order_pdf import (
    PDF_CONTENT_TYPE,
    Side,
    confirmation_lines_for_document,
    confirmation_pdf,
    document_file_name,
    order_lines_for_document,
    purchase_order_pdf,
)

MAX_PERIOD_DAYS = 3660


def _document_responses(media_type: str, description: str) -> dict[Any, Any]:
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description),
        (202, "application/json"): OpenApiResponse(
            DocumentSerializer, description="Made in the background: the document's status."
        ),
        **problems(401, 404),
    }


def _pdf_of(
    order: Order,
    *,
    confirmation: bool,
    side: Side,
    request: Request,
    background: Callable[[GeneratedDocument], HttpResponse],
) -> HttpResponse:
    """Answer the PDF; one of more than DOCUMENT_BACKGROUND_LINES lines is asked of the worker
    instead, and the answer is `background(document)` (202 with its status)."""
    user: Any = request.user
    if not confirmation:
        if in_background(order.line_count):
            return background(
                document_request(request=order_document_for(order=order, side=side), user=user)
            )
        content = purchase_order_pdf(
            order=order, lines=order_lines_for_document(order=order), side=side
        )
        return pdf_download(content, filename=document_file_name(order, "order"))
    oc = confirmation_header_of_order(order_id=order.pk)
    if oc is None:
        raise NotFound("The order has no order confirmation.")
    if in_background(confirmation_line_count(oc)):
        asked = order_document_for(order=order, side=side, confirmation=oc)
        return background(document_request(request=asked, user=user))
    content = confirmation_pdf(
        order=order,
        confirmation=oc,
        lines=confirmation_lines_for_document(confirmation=oc),
        side=side,
    )
    return pdf_download(content, filename=document_file_name(order, "order-confirmation"))


BACKGROUND_NOTE = (
    " An order of more than `DOCUMENT_BACKGROUND_LINES` lines (500 by default) is made in the "
    "background instead: `202` with the document's status, its `Location` to poll, and its "
    "`download_url` once ready."
)


# --- Brand side ---------------------------------------------------------------------------------


class _BrandOrderPdfView(BrandScopedMixin, APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    confirmation = False

    def get(self, request: Request, brand: str, code: str) -> HttpResponse:
        order = order_header(orders=Order.objects.filter(brand=self.brand), code=code)
        if order is None:
            raise NotFound()
        return _pdf_of(
            order,
            confirmation=self.confirmation,
            side="brand",
            request=request,
            background=lambda document: brand_document_answer(document, brand=brand),
        )


@extend_schema_view(
    get=extend_schema(
        tags=["brand: reports"],
        summary="The purchase order (the Original Order) as PDF",
        description="Available in every status, returned and rejected orders included."
        + BACKGROUND_NOTE,
        responses=_document_responses(PDF_CONTENT_TYPE, "The purchase order."),
    )
)
class BrandOrderPdfView(_BrandOrderPdfView):
    """The brand's Original Order as PDF."""


@extend_schema_view(
    get=extend_schema(
        tags=["brand: reports"],
        summary="The order confirmation as PDF",
        description="`404` while the order has no OC." + BACKGROUND_NOTE,
        responses=_document_responses(PDF_CONTENT_TYPE, "The order confirmation."),
    )
)
class BrandConfirmationPdfView(_BrandOrderPdfView):
    confirmation = True


class OrderExportFiltersSerializer(OrderFiltersSerializer):
    """The Order Management search, without paging: the export holds every match."""

    # Setting a declared field to None removes it from the subclass.
    cursor = None  # type: ignore[assignment]
    limit = None  # type: ignore[assignment]


class BrandOrdersXlsxView(BrandScopedMixin, APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["brand: reports"],
        summary="The order search as an xlsx file, one row per order line",
        operation_id="v1_brands_orders_xlsx_retrieve",
        description=(
            "Takes the filters of `GET orders` (without `cursor` and `limit`); a bad filter is "
            "`400 invalid`. One row per Original Order line with the OC's quantity beside it "
            "(blank without an OC, 0 where the OC removed the line); a SKU the OC added is a "
            "row with no ordered quantity. Streamed while it is written. A search of more "
            "than `DOCUMENT_BACKGROUND_LINES` lines (500 by default) is exported in the "
            "background instead: `202` with the document's status and its `Location` to poll."
        ),
        parameters=[OrderExportFiltersSerializer],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The workbook."
            ),
            (202, "application/json"): OpenApiResponse(
                DocumentSerializer, description="Exported in the background: its status."
            ),
            **problems(400, 401, 404),
        },
    )
    def get(self, request: Request, brand: str) -> HttpResponse | StreamingHttpResponse:
        params = OrderExportFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = order_filters(params.validated_data)
        if in_background(export_line_count(brand=self.brand, filters=filters)):
            user: Any = request.user
            document = document_request(
                request=orders_export_for(brand=self.brand, filters=filters), user=user
            )
            return brand_document_answer(document, brand=brand)
        orders = orders_of_brand(brand=self.brand, filters=filters)
        return xlsx_download(
            orders_xlsx(orders=orders, time_zone=self.brand.time_zone),
            filename=xlsx_file_name(f"orders-{self.brand.slug}"),
        )


class AnalyticsQuerySerializer(StrictSerializer):
    by = serializers.ChoiceField(
        choices=Dimension.choices, required=False, default=Dimension.PRODUCT
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # "from" is a Python keyword, so the period's fields are added here.
        fields["from"] = serializers.DateField(
            required=False,
            help_text=f"First day (included). Default: {DEFAULT_PERIOD_DAYS - 1} days before `to`.",
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Last day (included). Default: today."
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: datetime.date | None = attrs.get("from")
        end: datetime.date | None = attrs.get("to")
        default = default_period(today=clock.today())
        end = end or max(default.end, start or default.end)
        start = start or end - (default.end - default.start)
        if end < start:
            raise serializers.ValidationError(
                {"to": [serializers.ErrorDetail("The end is before the start.", code="invalid")]}
            )
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise serializers.ValidationError(
                {"to": [serializers.ErrorDetail("At most ten years at once.", code="invalid")]}
            )
        return {**attrs, "period": Period(start=start, end=end)}


class AnalyticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="SKU number, model number, buyer id or catalog id (always a string)."
    )
    # DRF takes declared fields off the class, so this does not hide Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    orders = serializers.IntegerField(help_text="How many orders the row's lines come from.")
    quantity = serializers.IntegerField()
    amount = MoneySerializer()


class AnalyticsTotalSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    quantity = serializers.IntegerField()
    amount = MoneySerializer()


class AnalyticsSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=Dimension.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    results = AnalyticsRowSerializer(many=True)
    totals = AnalyticsTotalSerializer(many=True, help_text="One per currency.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Named as the query names them: "from" and "to".
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields


class BrandOrderAnalyticsView(BrandScopedMixin, APIView):
    @extend_schema(
        tags=["brand: reports"],
        summary="Live orders by product, buyer, catalog or SKU over a period",
        description=(
            "Orders placed from `from` to `to` (whole days, both included; default the last "
            f"{DEFAULT_PERIOD_DAYS} days). Only live orders count: rejected orders and orders "
            "returned to the cart are left out; the order placed again from a returned cart "
            "counts. An order with an OC counts with its OC lines, otherwise with its lines as "
            "placed. One row per key and currency: amounts are never added across currencies. "
            "Rows come by currency, the largest amount first."
        ),
        parameters=[AnalyticsQuerySerializer],
        responses=responses({200: AnalyticsSerializer}, 400, 401, 404),
    )
    def get(self, request: Request, brand: str) -> Response:
        params = AnalyticsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        period: Period = params.validated_data["period"]
        report = order_analytics(
            brand=self.brand, dimension=Dimension(params.validated_data["by"]), period=period
        )
        # Money.as_dict's form, without a Money per row: a year by SKU is tens of thousands.
        results = [
            {
                "key": row.key,
                "label": row.label,
                "orders": row.orders,
                "quantity": row.quantity,
                "amount": {"amount": str(quantize_amount(row.amount)), "currency": row.currency},
            }
            for row in report.rows
        ]
        return Response(
            {
                "by": report.dimension.value,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "results": results,
                "totals": [
                    {
                        "orders": total.orders,
                        "quantity": total.quantity,
                        "amount": Money(total.amount, total.currency).as_dict(),
                    }
                    for total in report.totals
                ],
            }
        )


# --- Buyer side ---------------------------------------------------------------------------------


class _BuyerOrderPdfView(OrganizationScopedMixin, APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    confirmation = False

    def get(self, request: Request, org: int, order_id: int) -> HttpResponse:
        order = order_header(
            orders=Order.objects.filter(organization=self.organization), order_id=order_id
        )
        if order is None:
            raise NotFound()
        return _pdf_of(
            order,
            confirmation=self.confirmation,
            side="buyer",
            request=request,
            background=lambda document: organization_document_answer(document, org=org),
        )


@extend_schema_view(
    get=extend_schema(
        tags=["buyer: orders"],
        summary="One of the organisation's orders, as placed, as PDF",
        description="Available in every status, returned and declined orders included."
        + BACKGROUND_NOTE,
        responses=_document_responses(PDF_CONTENT_TYPE, "The order as placed."),
    )
)
class BuyerOrderPdfView(_BuyerOrderPdfView):
    """The organisation's order, as placed, as PDF."""


@extend_schema_view(
    get=extend_schema(
        tags=["buyer: orders"],
        summary="The brand's order confirmation of one of the organisation's orders, as PDF",
        description="`404` while the order has no OC." + BACKGROUND_NOTE,
        responses=_document_responses(PDF_CONTENT_TYPE, "The order confirmation."),
    )
)
class BuyerConfirmationPdfView(_BuyerOrderPdfView):
    confirmation = True
