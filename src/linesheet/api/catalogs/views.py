"""Catalogs: the brand's own (list, create, change, add products) and those open to a buyer
organisation."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyer_for_organization
from linesheet.api.catalogs.serializers import (
    BuyerCatalogDetailSerializer,
    BuyerCatalogSerializer,
    CatalogDetailSerializer,
    CatalogInputSerializer,
    CatalogSerializer,
    ProductInputSerializer,
    ProductSerializer,
)
from linesheet.api.idempotency import idempotent
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.renderers import XlsxRenderer
from linesheet.api.schema import problems, responses
from linesheet.api.tenancy import BrandScopedMixin, OrganizationScopedMixin
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import (
    catalog_get_for_brand,
    catalog_with_products,
    catalogs_of_brand,
    catalogs_visible_to,
)
from linesheet.catalog.services import SkuInput, catalog_create, product_create
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering.order_sheets import order_sheet_filename
from linesheet.ordering.services import catalog_change, order_sheet_export

READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)


# --- Brand side -----------------------------------------------------------------------------------


class BrandCatalogMixin(BrandScopedMixin):
    write_permission = Permission.CATALOG_WRITE

    def catalog_detail(self, catalog_id: int) -> Catalog:
        """Return the brand's catalog with its products and SKUs in a fixed number of queries."""
        catalogs = catalogs_of_brand(brand=self.brand).filter(pk=catalog_id)
        catalog = catalog_with_products(catalogs=catalogs).first()
        if catalog is None:
            raise NotFound()
        return catalog


class CatalogListView(BrandCatalogMixin, CursorListView, APIView):
    """The brand's catalogs, newest first; POST creates one."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: catalogs"],
        summary="List the brand's catalogs",
        responses=responses({200: CatalogSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request,
            queryset=catalogs_of_brand(brand=self.brand),
            serializer_class=CatalogSerializer,
        )

    @extend_schema(
        tags=["brand: catalogs"],
        summary="Create a catalog",
        request=CatalogInputSerializer,
        responses=responses({201: CatalogDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        serializer = CatalogInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        catalog = catalog_create(brand=self.brand, **serializer.validated_data)
        return Response(
            CatalogDetailSerializer(self.catalog_detail(catalog.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CatalogDetailView(BrandCatalogMixin, APIView):
    """One catalog with its products and their SKUs; PATCH changes its fields."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: catalogs"],
        summary="Get a catalog with its products and SKUs",
        responses=responses({200: CatalogDetailSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, catalog_id: int) -> Response:
        return Response(CatalogDetailSerializer(self.catalog_detail(catalog_id)).data)

    @extend_schema(
        tags=["brand: catalogs"],
        summary="Change a catalog",
        request=CatalogInputSerializer(partial=True),
        responses=responses({200: CatalogDetailSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, catalog_id: int) -> Response:
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise NotFound()
        serializer = CatalogInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        catalog_change(catalog=catalog, actor=self.membership.user, **serializer.validated_data)
        return Response(CatalogDetailSerializer(self.catalog_detail(catalog_id)).data)


class CatalogProductsView(BrandScopedMixin, APIView):
    """Add a product with its SKUs to a catalog."""

    write_permission = Permission.CATALOG_WRITE

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: catalogs"],
        summary="Add a product with its SKUs",
        request=ProductInputSerializer,
        responses=responses({201: ProductSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, catalog_id: int) -> Response:
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise NotFound()
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = product_create(
            catalog=catalog,
            model_number=data["model_number"],
            name=data["name"],
            category=data["category"],
            skus=[SkuInput(**sku) for sku in data["skus"]],
        )
        return Response(
            ProductSerializer(product, context={"currency": catalog.currency}).data,
            status=status.HTTP_201_CREATED,
        )


# --- Buyer side -----------------------------------------------------------------------------------


class OrganizationCatalogListView(OrganizationScopedMixin, CursorListView, APIView):
    """The catalogs the organisation may order from: open ones of connected brands, and the
    limited ones whose access list holds it."""

    @extend_schema(
        tags=["buyer: catalogs"],
        summary="List the catalogs the organisation may order from",
        responses=responses({200: BuyerCatalogSerializer(many=True)}, 400, 401, 404),
    )
    def get(self, request: Request, org: int) -> Response:
        return self.paginated_response(
            request,
            queryset=catalogs_visible_to(organization=self.organization),
            serializer_class=BuyerCatalogSerializer,
        )


class OrganizationCatalogDetailView(OrganizationScopedMixin, APIView):
    """One catalog with its orderable SKUs at the organisation's wholesale prices."""

    @extend_schema(
        tags=["buyer: catalogs"],
        summary="Get a catalog with the organisation's prices",
        responses=responses({200: BuyerCatalogDetailSerializer}, 401, 404),
    )
    def get(self, request: Request, org: int, catalog_id: int) -> Response:
        catalogs = catalogs_visible_to(organization=self.organization).filter(pk=catalog_id)
        catalog = catalog_with_products(catalogs=catalogs, orderable_skus_only=True).first()
        if catalog is None:
            raise NotFound()
        buyer = buyer_for_organization(brand=catalog.brand, organization=self.organization)
        if buyer is None:  # disconnected since the catalog was looked up
            raise NotFound()
        context = {"wholesale_rate": buyer.wholesale_rate}
        return Response(BuyerCatalogDetailSerializer(catalog, context=context).data)


class OrganizationCatalogOrderSheetView(OrganizationScopedMixin, APIView):
    """A catalog's blank Excel order sheet, for a buyer who may see the catalog."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        tags=["buyer: catalogs"],
        summary="The catalog's blank Excel order sheet",
        description=(
            "The same sheet the brand imports: one row per orderable SKU, the quantity column "
            "to fill in. Only for a catalog the organisation sees (`404` otherwise)."
        ),
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The order sheet."
            ),
            **problems(401, 404),
        },
    )
    def get(self, request: Request, org: int, catalog_id: int) -> HttpResponse:
        catalog = catalogs_visible_to(organization=self.organization).filter(pk=catalog_id).first()
        if catalog is None:
            raise NotFound()
        response = HttpResponse(order_sheet_export(catalog=catalog), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=order_sheet_filename(code=catalog.code)
        )
        return response
