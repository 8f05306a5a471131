"""A brand's shipping groups: a currency, and fee bands per destination country."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import ShippingGroup
from linesheet.accounts.permissions import Permission
from linesheet.accounts.shipping import (
    shipping_group_create,
    shipping_group_delete,
    shipping_group_update,
)
from linesheet.api.base import parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.shipping.serializers import (
    ShippingGroupInputSerializer,
    ShippingGroupSerializer,
    shipping_group_data,
)
from linesheet.api.tenancy import BrandScopedMixin

TAGS = ["brand: shipping"]
READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 415, 422)
REFUSALS = (
    "400 `invalid` with `invalid_name`, `invalid_currency`, `invalid_country`, "
    "`duplicate_country`, `no_bands`, `invalid_band`, `invalid_amount`, `duplicate_band` or "
    "`too_many`."
)


class ShippingGroupListView(BrandScopedMixin, APIView):
    """The brand's shipping groups with their rates; POST adds one."""

    write_permission = Permission.SETTINGS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="List the brand's shipping groups",
        description=(
            "A catalog naming a group charges its carts and orders the fee of the rate for "
            'the buyer\'s country (else the everywhere-else rate, `country` ""): the band with '
            "the highest `from` at or below the goods' net. No rate or no band: no fee."
        ),
        responses=responses({200: ShippingGroupSerializer(many=True)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        groups = ShippingGroup.objects.filter(brand=self.brand).prefetch_related("rates")
        return Response([shipping_group_data(group) for group in groups])

    @extend_schema(
        tags=TAGS,
        summary="Add a shipping group",
        description=REFUSALS,
        request=ShippingGroupInputSerializer,
        responses=responses({201: ShippingGroupSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(ShippingGroupInputSerializer, request)
        created = shipping_group_create(brand=self.brand, **data)
        return Response(shipping_group_data(created), status=status.HTTP_201_CREATED)


class ShippingGroupDetailView(BrandScopedMixin, APIView):
    write_permission = Permission.SETTINGS_MANAGE
    parser_classes = [JSONParser]

    def group(self, group_id: int) -> ShippingGroup:
        found = ShippingGroup.objects.filter(brand=self.brand, pk=group_id).first()
        if found is None:
            raise NotFound()
        return found

    @extend_schema(
        tags=TAGS,
        summary="Get a shipping group",
        responses=responses({200: ShippingGroupSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, shipping_group_id: int) -> Response:
        return Response(shipping_group_data(self.group(shipping_group_id)))

    @extend_schema(
        tags=TAGS,
        summary="Replace a shipping group's name, currency and rates",
        description=(
            "Placed orders and saved OCs keep the fee they were written with. " + REFUSALS
        ),
        request=ShippingGroupInputSerializer,
        responses=responses({200: ShippingGroupSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def put(self, request: Request, brand: str, shipping_group_id: int) -> Response:
        data = parsed(ShippingGroupInputSerializer, request)
        changed = shipping_group_update(group=self.group(shipping_group_id), **data)
        return Response(shipping_group_data(changed))

    @extend_schema(
        tags=TAGS,
        summary="Remove a shipping group",
        description="Its catalogs charge no shipping fee from now on; orders keep theirs.",
        responses=responses({204: None}, 400, 401, 403, 404, 422),
    )
    @idempotent
    def delete(self, request: Request, brand: str, shipping_group_id: int) -> Response:
        shipping_group_delete(group=self.group(shipping_group_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
