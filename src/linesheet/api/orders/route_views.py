"""The brand's own order routes: a proxy order for a buyer, an imported Excel order sheet.

`POST orders` shares its path with the Order Management search, so its view is the search's
view with a POST added.
"""

from __future__ import annotations

from typing import IO, cast

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import Buyer
from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyer_get_for_brand
from linesheet.api.base import actor, parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.orders.route_serializers import (
    ProxyOrderInputSerializer,
    SheetImportInputSerializer,
)
from linesheet.api.orders.serializers import OrderDetailSerializer
from linesheet.api.orders.views import BrandOrderListView, order_detail_response
from linesheet.api.parsers import JSONParser
from linesheet.api.renderers import XlsxRenderer
from linesheet.api.schema import problems, responses
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import catalog_get_for_brand
from linesheet.core.errors import InvalidInput
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering.models import Order, OrderRoute
from linesheet.ordering.order_sheets import order_sheet_filename
from linesheet.ordering.selectors import order_detail
from linesheet.ordering.services import (
    OrderHeader,
    order_import_sheet,
    order_place_for_buyer,
    order_sheet_export,
)

WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)
TAGS = ["brand: orders"]


class BrandRouteMixin(BrandScopedMixin):
    """Find the buyer and catalog a request names among the brand's own: else 400 `invalid`."""

    write_permission = Permission.ORDER_WRITE

    def buyer_of_brand(self, buyer_id: int) -> Buyer:
        buyer = buyer_get_for_brand(brand=self.brand, buyer_id=buyer_id)
        if buyer is None:
            raise InvalidInput.field(
                "buyer", "not_found", _("The brand has no buyer with this id.")
            )
        return buyer

    def catalog_of_brand(self, catalog_id: int) -> Catalog:
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise InvalidInput.field(
                "catalog", "not_found", _("The brand has no catalog with this id.")
            )
        catalog.brand = self.brand
        return catalog

    def created(self, order: Order) -> Response:
        detail = order_detail(orders=Order.objects.filter(brand=self.brand), order_id=order.pk)
        assert detail is not None  # just placed, in this request
        return Response(order_detail_response(detail, side="brand"), status=status.HTTP_201_CREATED)


class BrandOrdersView(BrandRouteMixin, BrandOrderListView):
    """Order Management's search (GET) and a proxy order for one of the brand's buyers (POST)."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Place a proxy order for a buyer",
        description=(
            "Brand staff order on a buyer's behalf (route `proxy`), for a connected buyer (the "
            "order shows in its organisation's orders, and can be returned to its cart) or an "
            "offline one. A buyer or catalog that is not the brand's: 400 `invalid`. Bad lines "
            "(SKU not of the catalog, quantity out of range, SKU no longer orderable) are all "
            "reported at once: 400 `invalid`, errors keyed `lines.N.field`. Refusals (409): "
            "`catalog_closed`. Nothing is written on any refusal."
        ),
        request=ProxyOrderInputSerializer,
        responses=responses({201: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(ProxyOrderInputSerializer, request)
        buyer = self.buyer_of_brand(data["buyer"])
        catalog = self.catalog_of_brand(data["catalog"])
        order = order_place_for_buyer(
            buyer=buyer,
            catalog=catalog,
            quantities={line["sku_number"]: line["quantity"] for line in data["lines"]},
            header=OrderHeader(
                desired_delivery_date=data["desired_delivery_date"],
                comment=data["comment"],
                delivery_address=data["delivery_address"],
                billing_address=data["billing_address"],
            ),
            placed_by=actor(request),
            route=OrderRoute.PROXY,
        )
        return self.created(order)


class OrderSheetImportView(BrandRouteMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=TAGS,
        summary="Import a filled Excel order sheet as a buyer's order",
        description=(
            "Multipart: `file` (the catalog's order sheet with quantities filled in) and "
            "`buyer`; the sheet names its catalog, and `catalog`, if given, must be that one. "
            "Creates an order with route `excel_sheet`. The file as a whole is refused with "
            "400 and its code: `not_a_workbook`, `wrong_columns`, `wrong_catalog`, "
            "`empty_sheet` (no quantity filled in), `file_too_large` (the file, or a part of "
            "it unpacked), `too_many_rows`, `too_many_columns` (a row of more than 32 cells), "
            "`too_many_cells` (more XML elements or shared texts than an order sheet holds), "
            "`too_slow_to_read`, "
            "`too_many_lines` (more than 5000 rows filled in). Bad "
            "rows are all reported at once: 400 `invalid` with `rows` "
            "[{row, sku_number, field, code, message}] (the Excel row numbers; codes "
            "`unknown_sku`, `other_catalog`, `not_orderable`, `not_a_whole_number`, "
            "`negative`, `too_large`, `missing_sku`, `duplicate_sku`) and `errors` keyed "
            "`rows.<row>.<field>`. Refusals (409): `catalog_closed`. Nothing is written on any "
            "refusal."
        ),
        request={"multipart/form-data": SheetImportInputSerializer},
        responses=responses({201: OrderDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(SheetImportInputSerializer, request)
        buyer = self.buyer_of_brand(data["buyer"])
        catalog = self.catalog_of_brand(data["catalog"]) if "catalog" in data else None
        upload = data["file"]
        result = order_import_sheet(
            buyer=buyer,
            source=cast(IO[bytes], upload),
            file_name=upload.name or "",
            placed_by=actor(request),
            header=OrderHeader(
                desired_delivery_date=data["desired_delivery_date"], comment=data["comment"]
            ),
            catalog=catalog,
        )
        return self.created(result.order)


class OrderSheetView(BrandScopedMixin, APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=TAGS,
        summary="The catalog's blank Excel order sheet",
        description=(
            "An .xlsx with the brand and catalog in its header and one row per orderable SKU "
            "(model number, product, SKU number, colour, size, retail price, quantity). Only "
            "the quantity column is editable; fill it in and `POST orders/import`. Viewers "
            "may download it."
        ),
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The order sheet."
            ),
            **problems(401, 404),
        },
    )
    def get(self, request: Request, brand: str, catalog_id: int) -> HttpResponse:
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise NotFound()
        catalog.brand = self.brand
        response = HttpResponse(order_sheet_export(catalog=catalog), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=order_sheet_filename(code=catalog.code)
        )
        return response
