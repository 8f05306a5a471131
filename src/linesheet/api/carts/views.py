"""The buyer organisation's carts: open, change, fill, delete, take the OC's quantities, place."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.attempts import client_address
from linesheet.accounts.models import BuyerOrganization, User
from linesheet.api.base import parsed
from linesheet.api.carts.serializers import (
    CartCreateSerializer,
    CartDetailSerializer,
    CartLinesSerializer,
    CartSummarySerializer,
    CartUpdateSerializer,
    TakeOcQuantitiesSerializer,
)
from linesheet.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from linesheet.api.orders.serializers import BuyerOrderDetailSerializer
from linesheet.api.orders.views import order_detail_response
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import page_of, responses
from linesheet.api.tenancy import OrganizationScopedMixin
from linesheet.catalog.selectors import catalogs_visible_to
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import OrderErrorCode
from linesheet.ordering.models import Cart, Order, OrderLink
from linesheet.ordering.selectors import (
    cart_get,
    cart_oc_proposals,
    cart_priced,
    carts_of_organization,
    order_detail,
)
from linesheet.ordering.services import (
    cart_create,
    cart_delete,
    cart_gone,
    cart_set_lines,
    cart_update,
    order_link_check,
    order_link_land,
    order_place,
)

READ_PROBLEMS = (400, 401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 422)


def cart_of(organization: BuyerOrganization, cart_id: int) -> Cart:
    """Return the organisation's cart; refuse a cart that is gone with what became of it.

    A cart ordered or deleted answers 410 `cart_ordered` (with the order's id and code) or
    `cart_deleted`; a cart the organisation never had answers 404.
    """
    cart = cart_get(organization=organization, cart_id=cart_id)
    if cart is None:
        gone = cart_gone(organization=organization, cart_id=cart_id)
        if gone.code == OrderErrorCode.CART_NOT_FOUND:
            raise NotFound()
        raise gone
    return cart


def cart_response(organization: BuyerOrganization, cart_id: int) -> dict[str, Any]:
    """Serialize the organisation's cart with its priced lines and, when the brand returned it
    from an order with an OC, the brand's OC quantities beside the cart's."""
    cart = cart_of(organization, cart_id)
    data = dict(CartDetailSerializer(cart_priced(cart=cart)).data)
    data["oc_proposals"] = [
        {
            "sku_number": proposal.sku_number,
            "cart_quantity": proposal.cart_quantity,
            "oc_quantity": proposal.oc_quantity,
        }
        for proposal in cart_oc_proposals(cart=cart)
    ]
    return data


class CartListView(OrganizationScopedMixin, APIView):
    """The organisation's Draft Order List; POST opens a cart for a catalog."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["buyer: carts"],
        summary="List the organisation's carts",
        operation_id="v1_buyer_orgs_carts_list",
        responses=responses({200: page_of(CartSummarySerializer)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int) -> Response:
        carts = carts_of_organization(organization=self.organization)
        return Response(
            {
                "results": CartSummarySerializer(carts, many=True).data,
                "next": None,
                "previous": None,
            }
        )

    @extend_schema(
        tags=["buyer: carts"],
        summary="Open a cart for a catalog, or through a brand's order link",
        description=(
            "With `catalog`: a second cart for the same catalog is refused with 409 "
            "`cart_exists`; its first `lines` may come with it, written in the same "
            "transaction (a bad line refuses the request and opens no cart). With "
            "`order_link` (and its `passcode`, when it has one): the organisation is connected "
            "to the link's brand if it is not yet, and lands in its one cart for the link's "
            "catalog — `201` with a new cart, or `200` with the cart it already had (opening a "
            "link twice is not an error). Refusals: `404 link_not_found`, `410 link_expired` / "
            "`link_revoked`, `409 catalog_closed`, `403 passcode_required` / `passcode_wrong`; "
            "after too many wrong passcodes for the link or from the client's address, "
            "`429 too_many_attempts` with `Retry-After`."
        ),
        request=CartCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses=responses(
            {200: CartDetailSerializer, 201: CartDetailSerializer}, *WRITE_PROBLEMS, 410, 429
        ),
    )
    def post(self, request: Request, org: int) -> Response:
        serializer = CartCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = None
        if "order_link" in serializer.validated_data:
            # The passcode is checked before the Idempotency-Key's transaction: a wrong one
            # must stay counted although that transaction rolls back.
            link = order_link_check(
                token=serializer.validated_data["order_link"],
                passcode=serializer.validated_data.get("passcode", ""),
                address=client_address(request),
            )
        return self.create(request, org, serializer=serializer, link=link)

    @idempotent
    def create(
        self,
        request: Request,
        org: int,
        *,
        serializer: CartCreateSerializer,
        link: OrderLink | None,
    ) -> Response:
        if link is not None:
            cart, created = order_link_land(link=link, organization=self.organization)
            return Response(
                cart_response(self.organization, cart.pk),
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )
        catalog = (
            catalogs_visible_to(organization=self.organization)
            .filter(pk=serializer.validated_data["catalog"])
            .first()
        )
        if catalog is None:
            raise NotFound("No catalog with that id is open to your organisation.")
        cart = cart_create(
            organization=self.organization,
            catalog=catalog,
            quantities={
                line["sku_number"]: line["quantity"]
                for line in serializer.validated_data.get("lines", [])
            },
        )
        return Response(cart_response(self.organization, cart.pk), status=status.HTTP_201_CREATED)


class CartDetailView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    def cart(self, cart_id: int) -> Cart:
        return cart_of(self.organization, cart_id)

    @extend_schema(
        tags=["buyer: carts"],
        summary="One cart with its priced lines",
        responses=responses({200: CartDetailSerializer}, *READ_PROBLEMS, 410),
    )
    def get(self, request: Request, org: int, cart_id: int) -> Response:
        return Response(cart_response(self.organization, self.cart(cart_id).pk))

    @extend_schema(
        tags=["buyer: carts"],
        summary="Change the desired delivery date, comment or addresses",
        request=CartUpdateSerializer,
        responses=responses({200: CartDetailSerializer}, *WRITE_PROBLEMS, 410),
    )
    @idempotent
    def patch(self, request: Request, org: int, cart_id: int) -> Response:
        cart = self.cart(cart_id)
        serializer = CartUpdateSerializer(
            data=request.data, context={"organization_id": self.organization.pk}
        )
        serializer.is_valid(raise_exception=True)
        updated = cart_update(cart=cart, **serializer.validated_data)
        return Response(cart_response(self.organization, updated.pk))

    @extend_schema(
        tags=["buyer: carts"],
        summary="Delete the cart",
        responses=responses({204: None}, *WRITE_PROBLEMS, 410),
    )
    def delete(self, request: Request, org: int, cart_id: int) -> Response:
        cart_delete(cart=self.cart(cart_id), deleted_by=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartLinesView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["buyer: carts"],
        summary="Replace the cart's lines",
        description=(
            "Every line needs a SKU of the cart's catalog and a quantity from 1 to 100000. "
            "Any bad line refuses the whole request (`invalid`, errors keyed `lines.N.field`)."
        ),
        request=CartLinesSerializer,
        responses=responses({200: CartDetailSerializer}, *WRITE_PROBLEMS, 410),
    )
    @idempotent
    def put(self, request: Request, org: int, cart_id: int) -> Response:
        cart = cart_of(self.organization, cart_id)
        serializer = CartLinesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cart_set_lines(
            cart=cart,
            quantities={
                line["sku_number"]: line["quantity"] for line in serializer.validated_data["lines"]
            },
        )
        return Response(cart_response(self.organization, cart.pk))


class CartOrderView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["buyer: carts"],
        summary="Place the order",
        description=(
            "Turns the cart into an order with a new code and deletes the cart. Refusals: "
            "409 `empty_cart`, `catalog_closed`, `sku_not_orderable` (with `blockers`); 410 "
            "`cart_ordered` (with the `order_id` and `order_code` it became: a second request "
            "for one cart) or `cart_deleted`."
        ),
        request=None,
        responses=responses({201: BuyerOrderDetailSerializer}, *WRITE_PROBLEMS, 410),
    )
    @idempotent
    def post(self, request: Request, org: int, cart_id: int) -> Response:
        order = order_place(
            cart_id=cart_id, organization=self.organization, placed_by=cast(User, request.user)
        )
        detail = order_detail(orders=Order.objects.all(), order_id=order.pk)
        assert detail is not None
        return Response(order_detail_response(detail, side="buyer"), status=status.HTTP_201_CREATED)


class CartTakeOcQuantitiesView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=["buyer: carts"],
        summary="Use the brand's OC quantities in a returned cart",
        request=TakeOcQuantitiesSerializer,
        responses=responses({200: CartDetailSerializer}, 400, 401, 404, 410, 422),
    )
    @idempotent
    def post(self, request: Request, org: int, cart_id: int) -> Response:
        # The body first: a malformed request is refused as such, whatever became of the cart.
        data = parsed(TakeOcQuantitiesSerializer, request)
        cart = cart_of(self.organization, cart_id)
        ordering.cart_take_oc_quantities(cart=cart, sku_numbers=data.get("sku_numbers"))
        return Response(cart_response(self.organization, cart.pk))
