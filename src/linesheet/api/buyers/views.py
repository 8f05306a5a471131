"""A brand's buyers and invitations (brand side), and accepting an invitation (buyer side)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import User
from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyer_get_for_brand, buyers_of_brand
from linesheet.accounts.services import buyer_create_offline, invitation_accept, invitation_create
from linesheet.accounts.taxes import buyer_set_tax_details
from linesheet.api.base import parsed
from linesheet.api.buyers.serializers import (
    BuyerSerializer,
    BuyerTaxDetailsSerializer,
    ConnectionSerializer,
    InvitationAcceptInputSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    OfflineBuyerInputSerializer,
)
from linesheet.api.idempotency import idempotent
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin

READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)


# --- Brand side -----------------------------------------------------------------------------------


class BuyerListView(BrandScopedMixin, CursorListView, APIView):
    """The brand's buyers, connected and offline; POST creates an offline buyer."""

    write_permission = Permission.BUYER_WRITE

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
    """One buyer: its terms, whether it is connected, and to which organisation; PATCH sets
    where it is taxed and its tax ID."""

    write_permission = Permission.BUYER_WRITE
    parser_classes = [JSONParser]

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

    @extend_schema(
        tags=["brand: buyers"],
        summary="Set where a buyer is taxed and its tax ID",
        description=(
            "Its next carts and orders are taxed at the brand's rates for the country; placed "
            "orders keep their tax. 400 `invalid` with `invalid_country`."
        ),
        request=BuyerTaxDetailsSerializer,
        responses=responses({200: BuyerSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, buyer_id: int) -> Response:
        buyer = buyer_get_for_brand(brand=self.brand, buyer_id=buyer_id)
        if buyer is None:
            raise NotFound()
        data = parsed(BuyerTaxDetailsSerializer, request)
        buyer_set_tax_details(buyer=buyer, country=data["country"], tax_id=data["tax_id"])
        return Response(
            BuyerSerializer(buyer_get_for_brand(brand=self.brand, buyer_id=buyer.pk)).data
        )


class InvitationCreateView(BrandScopedMixin, APIView):
    """Invite an email address to connect a buyer organisation to the brand."""

    write_permission = Permission.BUYER_WRITE

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


# --- Buyer side -----------------------------------------------------------------------------------


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
