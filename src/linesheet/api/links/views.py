"""Brand-side order links under /api/v1/brands/{brand}/order-links."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import User
from linesheet.accounts.permissions import Permission
from linesheet.api.idempotency import idempotent
from linesheet.api.links.serializers import OrderLinkInputSerializer, OrderLinkSerializer
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.serializers import QueryParamsSerializer
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.ordering.link_selectors import order_link_get_for_brand, order_links_of_brand
from linesheet.ordering.models import OrderLink
from linesheet.ordering.services import order_link_create, order_link_revoke

READ_PROBLEMS = (400, 401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 415, 422)


class OrderLinkFiltersSerializer(QueryParamsSerializer):
    catalog = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the links of this catalog."
    )


class BrandLinkMixin(BrandScopedMixin):
    write_permission = Permission.CATALOG_WRITE

    def link_detail(self, link_id: int) -> OrderLink:
        """Return the brand's link with its counts; 404 for any other id."""
        link = order_link_get_for_brand(brand=self.brand, link_id=link_id)
        if link is None:
            raise NotFound()
        return link


class OrderLinkListView(BrandLinkMixin, CursorListView, APIView):
    """The brand's order links, newest first; POST issues one for a catalog."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["brand: order links"],
        summary="List the brand's order links",
        parameters=[OrderLinkFiltersSerializer],
        responses=responses({200: OrderLinkSerializer(many=True)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        params = OrderLinkFiltersSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return self.paginated_response(
            request,
            queryset=order_links_of_brand(
                brand=self.brand, catalog_id=params.validated_data.get("catalog")
            ),
            serializer_class=OrderLinkSerializer,
        )

    @extend_schema(
        tags=["brand: order links"],
        summary="Issue an order link for a catalog",
        description=(
            "Whoever opens `url` logs in or registers a buyer organisation and orders from the "
            "catalog; an organisation new to the brand is connected with the brand's default "
            "terms. With a `passcode`, buyers must type it; the answer only says `has_passcode`. "
            "To a limited catalog the link serves only buyers on its access list, unless "
            "`grants_access` puts whoever opens it on the list."
        ),
        request=OrderLinkInputSerializer,
        responses=responses({201: OrderLinkSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        serializer = OrderLinkInputSerializer(data=request.data, context={"brand": self.brand})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        link = order_link_create(
            catalog=data["catalog"],
            created_by=cast(User, request.user),
            expires_at=data.get("expires_at"),
            passcode=data.get("passcode", ""),
            grants_access=data.get("grants_access", False),
            shipping_group_id=data.get("shipping_group_id"),
        )
        return Response(
            OrderLinkSerializer(self.link_detail(link.pk)).data, status=status.HTTP_201_CREATED
        )


class OrderLinkDetailView(BrandLinkMixin, APIView):
    """One order link; DELETE revokes it."""

    @extend_schema(
        tags=["brand: order links"],
        summary="Get an order link",
        responses=responses({200: OrderLinkSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, link_id: int) -> Response:
        return Response(OrderLinkSerializer(self.link_detail(link_id)).data)

    @extend_schema(
        tags=["brand: order links"],
        summary="Revoke an order link",
        description=(
            "The link refuses visitors from now on (`410 link_revoked`). Carts already opened "
            "through it stay and can still be ordered. Revoking a revoked link changes nothing "
            "and answers 204 again. The link stays listed, with its `revoked_at`."
        ),
        request=None,
        responses=responses({204: None}, 400, 401, 403, 404, 422),
    )
    @idempotent
    def delete(self, request: Request, brand: str, link_id: int) -> Response:
        order_link_revoke(link=self.link_detail(link_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
