"""Who sees the brand's limited catalogs: buyer groups under /api/v1/brands/{brand}/buyer-groups
and a catalog's access list under /api/v1/brands/{brand}/catalogs/{id}/access."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.permissions import Permission
from linesheet.api.access.serializers import (
    BuyerGroupInputSerializer,
    BuyerGroupSerializer,
    CatalogAccessInputSerializer,
    CatalogAccessSerializer,
)
from linesheet.api.idempotency import idempotent
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.catalog.models import BuyerGroup, Catalog
from linesheet.catalog.selectors import (
    buyer_group_get_for_brand,
    buyer_groups_of_brand,
    catalog_access_history,
    catalog_access_summary,
    catalog_get_for_brand,
)
from linesheet.ordering.services import (
    WithdrawnCart,
    buyer_group_create,
    buyer_group_delete,
    buyer_group_update,
    catalog_access_set,
)

READ_PROBLEMS = (401, 404)
LIST_PROBLEMS = (400, 401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 415, 422)
TAG = "brand: catalog access"
CARTS_ENDED = (
    "Buyers who lose a limited catalog this way lose their open cart for it: the cart is "
    "closed (its links answer `410 cart_withdrawn`), their placed orders stay, and the "
    "organisation is told by email."
)


class BuyerGroupMixin(BrandScopedMixin):
    write_permission = Permission.BUYER_WRITE

    def group(self, group_id: int) -> BuyerGroup:
        group = buyer_group_get_for_brand(brand=self.brand, group_id=group_id)
        if group is None:
            raise NotFound()
        return group

    def group_data(self, group_id: int) -> dict[str, Any]:
        return dict(BuyerGroupSerializer(self.group(group_id)).data)


class BuyerGroupListView(BuyerGroupMixin, CursorListView, APIView):
    """The brand's buyer groups; POST creates one."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="List the brand's buyer groups",
        responses=responses({200: BuyerGroupSerializer(many=True)}, *LIST_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request,
            queryset=buyer_groups_of_brand(brand=self.brand).prefetch_related("buyers"),
            serializer_class=BuyerGroupSerializer,
        )

    @extend_schema(
        tags=[TAG],
        summary="Create a buyer group",
        description="A named set of the brand's buyers, to put on catalogs' access lists.",
        request=BuyerGroupInputSerializer,
        responses=responses({201: BuyerGroupSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        serializer = BuyerGroupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = buyer_group_create(
            brand=self.brand,
            name=serializer.validated_data["name"],
            actor=self.membership.user,
            buyer_ids=serializer.validated_data.get("buyers", []),
        )
        return Response(self.group_data(group.pk), status=status.HTTP_201_CREATED)


class BuyerGroupDetailView(BuyerGroupMixin, APIView):
    """One buyer group: rename it, set its buyers, delete it."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Get a buyer group",
        responses=responses({200: BuyerGroupSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, group_id: int) -> Response:
        return Response(self.group_data(group_id))

    @extend_schema(
        tags=[TAG],
        summary="Rename a buyer group or set its buyers",
        description=CARTS_ENDED,
        request=BuyerGroupInputSerializer(partial=True),
        responses=responses({200: BuyerGroupSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, group_id: int) -> Response:
        group = self.group(group_id)
        serializer = BuyerGroupInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        buyer_group_update(
            group=group,
            actor=self.membership.user,
            name=data.get("name"),
            buyer_ids=data.get("buyers"),
        )
        return Response(self.group_data(group.pk))

    @extend_schema(
        tags=[TAG],
        summary="Delete a buyer group",
        description="Catalogs lose it from their access lists. " + CARTS_ENDED,
        request=None,
        responses=responses({204: None}, 400, 401, 403, 404, 422),
    )
    @idempotent
    def delete(self, request: Request, brand: str, group_id: int) -> Response:
        buyer_group_delete(group=self.group(group_id), actor=self.membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def catalog_access_data(catalog: Catalog, *, ended: Sequence[WithdrawnCart] = ()) -> dict[str, Any]:
    """Return the catalog's access as CatalogAccessSerializer shapes it."""
    summary = catalog_access_summary(catalog=catalog)
    return dict(
        CatalogAccessSerializer(
            {
                "catalog": catalog.pk,
                "status": catalog.status,
                "summary": summary.text,
                "viewer_count": summary.viewer_count,
                "buyers": list(catalog.access_buyers.order_by("name", "pk")),
                "groups": list(catalog.access_groups.order_by("name", "pk")),
                "history": catalog_access_history(catalog=catalog)[:50],
                "withdrawn_carts": list(ended),
            }
        ).data
    )


class CatalogAccessView(BrandScopedMixin, APIView):
    """Who sees one of the brand's catalogs when it is limited."""

    write_permission = Permission.CATALOG_WRITE

    parser_classes = [JSONParser]

    def catalog(self, catalog_id: int) -> Catalog:
        catalog = catalog_get_for_brand(brand=self.brand, catalog_id=catalog_id)
        if catalog is None:
            raise NotFound()
        return catalog

    @extend_schema(
        tags=[TAG],
        summary="Who sees a catalog",
        description=(
            "Open: every connected buyer. Limited: only the buyers on its access list, named "
            "or through a group. Closed: nobody orders."
        ),
        responses=responses({200: CatalogAccessSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, catalog_id: int) -> Response:
        return Response(catalog_access_data(self.catalog(catalog_id)))

    @extend_schema(
        tags=[TAG],
        summary="Set a catalog's access list",
        description=(
            "Replaces the list with these buyers and groups (the brand's own). The list counts "
            "while the catalog is `limited`; set the status with PATCH catalogs/{id}. "
            + CARTS_ENDED
        ),
        request=CatalogAccessInputSerializer,
        responses=responses({200: CatalogAccessSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def put(self, request: Request, brand: str, catalog_id: int) -> Response:
        catalog = self.catalog(catalog_id)
        serializer = CatalogAccessInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended = catalog_access_set(
            catalog=catalog,
            buyer_ids=serializer.validated_data["buyers"],
            group_ids=serializer.validated_data["groups"],
            actor=self.membership.user,
        )
        catalog.refresh_from_db()
        return Response(catalog_access_data(catalog, ended=ended))
