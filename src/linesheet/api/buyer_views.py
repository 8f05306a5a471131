"""Buyer-side endpoints: accepting a brand's invitation, browsing the organisation's catalogs."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import User
from linesheet.accounts.selectors import buyer_for_organization
from linesheet.accounts.services import invitation_accept
from linesheet.api.buyer_serializers import (
    BuyerCatalogDetailSerializer,
    BuyerCatalogSerializer,
    ConnectionSerializer,
    InvitationAcceptInputSerializer,
)
from linesheet.api.idempotency import idempotent
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import OrganizationScopedMixin
from linesheet.catalog.selectors import catalog_with_products, catalogs_visible_to


class InvitationAcceptView(APIView):
    """Accept a brand's invitation for one of the caller's organisations, or a new one."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["buyer: invitations"],
        summary="Accept a brand's invitation",
        description=(
            "Connects the brand's buyer record to the organisation. Refusals: 404 "
            "`invitation_not_found`; 409 `invitation_used`, `invitation_expired`, "
            "`already_connected` (the organisation is connected to the brand already); 403 "
            "`not_organization_member`."
        ),
        request=InvitationAcceptInputSerializer,
        responses=responses(
            {
                200: OpenApiResponse(
                    ConnectionSerializer, description="Connected one of your organisations."
                ),
                201: OpenApiResponse(
                    ConnectionSerializer, description="Created the organisation and connected it."
                ),
            },
            *(400, 401, 403, 404, 409, 415, 422),
        ),
    )
    @idempotent
    def post(self, request: Request, token: str) -> Response:
        serializer = InvitationAcceptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        buyer = invitation_accept(
            token=token,
            user=cast(User, request.user),
            organization_id=data.get("organization"),
            new_organization_name=data.get("new_organization", ""),
        )
        created = "new_organization" in data
        return Response(
            ConnectionSerializer(buyer).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OrganizationCatalogListView(OrganizationScopedMixin, CursorListView, APIView):
    """The catalogs the organisation may order from: not closed, of connected brands."""

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
