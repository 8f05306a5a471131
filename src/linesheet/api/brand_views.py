"""Brand-side endpoints under /api/v1/brands/{brand}/: catalogs, products, buyers, invitations."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import User
from linesheet.accounts.selectors import buyer_get_for_brand, buyers_of_brand
from linesheet.accounts.services import buyer_create_offline, invitation_create
from linesheet.api.brand_serializers import (
    BuyerSerializer,
    CatalogDetailSerializer,
    CatalogInputSerializer,
    CatalogSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    OfflineBuyerInputSerializer,
    ProductInputSerializer,
    ProductSerializer,
)
from linesheet.api.idempotency import idempotent
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import (
    catalog_get_for_brand,
    catalog_with_products,
    catalogs_of_brand,
)
from linesheet.catalog.services import SkuInput, catalog_create, catalog_update, product_create

READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)


class BrandCatalogMixin(BrandScopedMixin):
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
        catalog_update(catalog=catalog, **serializer.validated_data)
        return Response(CatalogDetailSerializer(self.catalog_detail(catalog_id)).data)


class CatalogProductsView(BrandScopedMixin, APIView):
    """Add a product with its SKUs to a catalog."""

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
            skus=[SkuInput(**sku) for sku in data["skus"]],
        )
        return Response(
            ProductSerializer(product, context={"currency": catalog.currency}).data,
            status=status.HTTP_201_CREATED,
        )


class BuyerListView(BrandScopedMixin, CursorListView, APIView):
    """The brand's buyers, connected and offline; POST creates an offline buyer."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: buyers"],
        summary="List the brand's buyers",
        responses=responses({200: BuyerSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request, queryset=buyers_of_brand(brand=self.brand), serializer_class=BuyerSerializer
        )

    @extend_schema(
        tags=["brand: buyers"],
        summary="Create an offline buyer",
        description=(
            "An offline buyer exists only in the brand's books (orders by phone, mail or "
            "Excel) and cannot log in; invite it to connect it to a buyer organisation."
        ),
        request=OfflineBuyerInputSerializer,
        responses=responses({201: BuyerSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        serializer = OfflineBuyerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer = buyer_create_offline(brand=self.brand, **serializer.validated_data)
        return Response(
            BuyerSerializer(buyer_get_for_brand(brand=self.brand, buyer_id=buyer.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class BuyerDetailView(BrandScopedMixin, APIView):
    """One buyer: its terms, whether it is connected, and to which organisation."""

    @extend_schema(
        tags=["brand: buyers"],
        summary="Get a buyer",
        responses=responses({200: BuyerSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, buyer_id: int) -> Response:
        buyer = buyer_get_for_brand(brand=self.brand, buyer_id=buyer_id)
        if buyer is None:
            raise NotFound()
        return Response(BuyerSerializer(buyer).data)


class InvitationCreateView(BrandScopedMixin, APIView):
    """Invite an email address to connect a buyer organisation to the brand."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: buyers"],
        summary="Invite a buyer organisation",
        description=(
            "With `buyer`, the invitation connects that offline buyer; without, a new buyer "
            "record is made with the given terms (offline until the invitation is accepted). "
            "The invitation email is sent; `accept_url` is the link it carries. A connected "
            "buyer is refused with 409 `buyer_connected`."
        ),
        request=InvitationInputSerializer,
        responses=responses({201: InvitationSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        serializer = InvitationInputSerializer(data=request.data, context={"brand": self.brand})
        serializer.is_valid(raise_exception=True)
        invitation = invitation_create(
            brand=self.brand, created_by=cast(User, request.user), **serializer.validated_data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)
