"""Return an order to the buyer's cart: its eligibility and the return itself.

Taking over the brand's OC quantities in the returned cart is a cart's endpoint (`api.carts`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from linesheet.api.base import actor, missing_is_not_found, parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.orders.operation_serializers import IssueSerializer
from linesheet.api.orders.operation_views import BrandOrderOperationView
from linesheet.api.orders.serializers import OrderSummarySerializer, allowed_actions
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.serializers import StrictSerializer
from linesheet.core.clock import today
from linesheet.ordering import services as ordering
from linesheet.ordering.errors import ReturnBlocker, ReturnWarning
from linesheet.ordering.messages import MAX_MESSAGE_LENGTH
from linesheet.ordering.models import Order
from linesheet.ordering.rules import Blocker
from linesheet.ordering.selectors import order_return_check

TAGS = ["brand: return to cart"]


class ReturnCheckSerializer(serializers.Serializer):
    returnable = serializers.BooleanField()
    blockers = IssueSerializer(many=True)
    warnings = IssueSerializer(many=True)


class ReturnInputSerializer(StrictSerializer):
    notify_buyer = serializers.BooleanField(
        required=False, default=True, help_text="Email the buyer organisation. On by default."
    )
    message = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=MAX_MESSAGE_LENGTH,
        trim_whitespace=False,
        help_text="Plain text for the email and the returned cart; ignored without notify_buyer.",
    )


class ReturnedOrderSerializer(OrderSummarySerializer):
    """The returned order: its summary, the actions its new status allows and its cart.

    Serialized from the order the return itself locked and wrote, so answering costs no query.
    `GET orders/{code}` gives the whole order with lines, documents and events.
    """

    allowed_actions = serializers.SerializerMethodField()
    returned_cart = serializers.IntegerField(source="returned_cart.pk")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, order: Order) -> list[str]:
        return allowed_actions(order)


class ReturnResultSerializer(serializers.Serializer):
    order = ReturnedOrderSerializer()
    cart = serializers.DictField(
        help_text="The returned cart: `id`, `organization`, `catalog`, `returned_by_brand`."
    )


def issues(
    items: list[Blocker], kind: type[ReturnBlocker] | type[ReturnWarning]
) -> list[dict[str, Any]]:
    return [kind(item.code, **item.params).as_dict() for item in items]


class ReturnToCartView(BrandOrderOperationView):
    """Whether the order can go back to the buyer's cart, and sending it there."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Can this order be returned to the buyer's cart?",
        description=(
            "Every blocker at once, each with its code and what to do about it, and warnings "
            "(SKUs no longer orderable, a closed catalog) that do not block. A hint: the return "
            "checks again when it runs."
        ),
        responses=responses({200: ReturnCheckSerializer}, 401, 404),
    )
    def get(self, request: Request, brand: str, code: str) -> Response:
        order = (
            Order.objects.filter(brand=self.brand, code=code)
            .select_related("buyer__organization", "catalog")
            .first()
        )
        if order is None:
            raise NotFound()
        check = order_return_check(order=order, today=today())
        return Response(
            {
                "returnable": check.returnable,
                "blockers": issues(check.blockers, ReturnBlocker),
                "warnings": issues(check.warnings, ReturnWarning),
            }
        )

    @extend_schema(
        tags=TAGS,
        summary="Return the order to the buyer's cart",
        description=(
            "Creates the buyer organisation's cart for the catalog from the Original Order "
            "(never the OC), marks it returned by the brand, and moves the order to "
            "`returned_to_cart`. Irreversible. Refused with 409 `not_returnable` listing every "
            "`blockers` entry (`already_returned`, `order_rejected`, `offline_buyer`, "
            "`cart_exists`, `has_delivery_note`, `has_invoice`, `has_backlog_skus`, "
            "`partner_inventory`). Send an Idempotency-Key to retry safely."
        ),
        request=ReturnInputSerializer,
        responses=responses({200: ReturnResultSerializer}, 400, 401, 403, 404, 409, 422),
    )
    @idempotent
    def post(self, request: Request, brand: str, code: str) -> Response:
        data = parsed(ReturnInputSerializer, request)
        with missing_is_not_found():
            # By code: the service's lock finds the order, so no query of its own looks it up.
            order, cart = ordering.order_return_to_cart(
                order_id=ordering.OrderCode(brand_id=self.brand.pk, code=code),
                actor=actor(request),
                notify=data["notify_buyer"],
                message=data["message"],
            )
        order.returned_cart = cart
        return Response(
            {
                "order": ReturnedOrderSerializer(order, context={"side": "brand"}).data,
                "cart": {
                    "id": cart.pk,
                    "organization": cart.organization_id,
                    "catalog": cart.catalog_id,
                    "returned_by_brand": cart.returned_by_brand,
                },
            }
        )
