"""Orders: the brand's Order Management search and order detail; the buyer organisation's orders."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.api.orders.serializers import (
    BuyerOrderDetailSerializer,
    BuyerOrderFiltersSerializer,
    OrderDetailSerializer,
    OrderFiltersSerializer,
    OrderSummarySerializer,
    order_filters,
)
from linesheet.api.schema import page_of, responses
from linesheet.api.tenancy import BrandScopedMixin, OrganizationScopedMixin
from linesheet.core.keyset import KeysetPage
from linesheet.documents.selectors import (
    confirmation_of_order,
    documents_of_order_for_brand,
    documents_of_order_for_buyer,
)
from linesheet.ordering.models import Order
from linesheet.ordering.selectors import (
    order_changes_of,
    order_detail,
    order_replaced_by,
    orders_of_brand,
    orders_of_organization,
    orders_page,
    tags_of_order,
)
from linesheet.ordering.statuses import Side

READ_PROBLEMS = (400, 401, 404)


def keyset_response(request: Request, page: KeysetPage[Any], data: Any) -> Response:
    """Answer {"results", "next", "previous"}: this URL with the next or previous cursor."""

    def url(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        params = request.query_params.copy()
        params["cursor"] = cursor
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return Response(
        {"results": data, "next": url(page.next_cursor), "previous": url(page.previous_cursor)}
    )


def order_detail_response(order: Order, *, side: Side) -> dict[str, Any]:
    """Serialize the order for the brand or, without brand-internal data, for the buyer.

    Each part comes from one selector of a fixed number of queries, so the cost does not grow
    with the lines or the documents.
    """
    context: dict[str, Any] = {
        "side": side,
        "replaced_by": order_replaced_by(order=order),
        "confirmation": confirmation_of_order(order_id=order.pk),
        "changes": order_changes_of(
            order=order, organization_id=order.organization_id if side == "buyer" else None
        ),
    }
    serializer: type[BuyerOrderDetailSerializer]
    if side == "brand":
        serializer = OrderDetailSerializer
        context["documents"] = documents_of_order_for_brand(order_id=order.pk)
        context["tags"] = tags_of_order(order_id=order.pk)
    else:
        serializer = BuyerOrderDetailSerializer
        context["documents"] = documents_of_order_for_buyer(order_id=order.pk)
    return dict(serializer(order, context=context).data)


# --- Brand side ---------------------------------------------------------------------------------


class BrandOrderListView(BrandScopedMixin, APIView):
    """Order Management: the brand's orders, newest first, filtered, in keyset pages."""

    @extend_schema(
        tags=["brand: orders"],
        summary="Search the brand's orders",
        operation_id="v1_brands_orders_list",
        parameters=[OrderFiltersSerializer],
        responses=responses({200: page_of(OrderSummarySerializer)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        params = OrderFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        page = orders_page(
            orders_of_brand(brand=self.brand, filters=order_filters(data)),
            cursor=data.get("cursor"),
            limit=data["limit"],
        )
        summaries = OrderSummarySerializer(page.items, many=True, context={"side": "brand"})
        return keyset_response(request, page, summaries.data)


class BrandOrderDetailView(BrandScopedMixin, APIView):
    @extend_schema(
        tags=["brand: orders"],
        summary="One order: the Original Order, status, allowed actions, events",
        responses=responses({200: OrderDetailSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, code: str) -> Response:
        order = order_detail(orders=Order.objects.filter(brand=self.brand), code=code)
        if order is None:
            raise NotFound()
        return Response(order_detail_response(order, side="brand"))


# --- Buyer side ---------------------------------------------------------------------------------


class BuyerOrderListView(OrganizationScopedMixin, APIView):
    @extend_schema(
        tags=["buyer: orders"],
        summary="The organisation's orders, newest first",
        operation_id="v1_buyer_orgs_orders_list",
        parameters=[BuyerOrderFiltersSerializer],
        responses=responses({200: page_of(OrderSummarySerializer)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int) -> Response:
        params = BuyerOrderFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        page = orders_page(
            orders_of_organization(organization=self.organization, status=data.get("status")),
            cursor=data.get("cursor"),
            limit=data["limit"],
        )
        summaries = OrderSummarySerializer(page.items, many=True, context={"side": "buyer"})
        return keyset_response(request, page, summaries.data)


class BuyerOrderDetailView(OrganizationScopedMixin, APIView):
    @extend_schema(
        tags=["buyer: orders"],
        summary="One of the organisation's orders",
        parameters=[OpenApiParameter("order_id", int, OpenApiParameter.PATH)],
        responses=responses({200: BuyerOrderDetailSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int, order_id: int) -> Response:
        order = order_detail(
            orders=Order.objects.filter(organization=self.organization), order_id=order_id
        )
        if order is None:
            raise NotFound()
        return Response(order_detail_response(order, side="buyer"))
