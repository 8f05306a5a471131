"""Output shapes of orders on both sides, and the query parameters of the order searches."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.orders.change_serializers import OrderChangesSerializer
from linesheet.api.orders.document_serializers import (
    BuyerOrderDocumentsSerializer,
    ConfirmationSerializer,
    OrderDocumentsSerializer,
)
from linesheet.api.serializers import MoneySerializer, QueryParamsSerializer, TaxTotalsFields
from linesheet.core.money import Money
from linesheet.core.tax import TaxTotals
from linesheet.ordering.events import event_label
from linesheet.ordering.models import Order, OrderRoute
from linesheet.ordering.selectors import OrderFilters
from linesheet.ordering.statuses import ALLOWED_ACTIONS, OrderStatus, status_label
from linesheet.ordering.taxes import order_tax_totals


def money(amount: Any, currency: str) -> dict[str, str]:
    return Money(amount, currency).as_dict()


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CatalogRefSerializer(RefSerializer):
    code = serializers.CharField()


# --- Orders -----------------------------------------------------------------------------------


class OrderLineSerializer(serializers.Serializer):
    sku_number = serializers.CharField()
    model_number = serializers.CharField()
    product_name = serializers.CharField()
    color = serializers.CharField()
    size = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, line: Any) -> dict[str, str]:
        return money(line.unit_price, line.order.currency)

    @extend_schema_field(MoneySerializer)
    def get_amount(self, line: Any) -> dict[str, str]:
        return money(line.amount, line.order.currency)


class OrderEventSerializer(serializers.Serializer):
    type = serializers.CharField()
    summary = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    details = serializers.JSONField()

    def get_summary(self, event: Any) -> str:
        return event_label(event.type)

    def get_actor(self, event: Any) -> str | None:
        return event.actor.email if event.actor else None


def allowed_actions(order: Order) -> list[str]:
    """The actions the order's status allows, sorted."""
    return sorted(str(action) for action in ALLOWED_ACTIONS[OrderStatus(order.status)])


class OrderSummarySerializer(serializers.Serializer):
    """An order in a list. The status label is the Brand App's or the Buyer App's by `side`."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    status_label = serializers.SerializerMethodField()
    route = serializers.ChoiceField(choices=OrderRoute.choices)
    buyer = RefSerializer()
    catalog = CatalogRefSerializer()
    placed_at = serializers.DateTimeField()
    desired_delivery_date = serializers.DateField(allow_null=True)
    total_quantity = serializers.IntegerField()
    total_amount = serializers.SerializerMethodField()
    line_count = serializers.IntegerField()
    archived = serializers.BooleanField()

    def get_status_label(self, order: Order) -> str:
        return status_label(order.status, side=self.context.get("side", "brand"))

    @extend_schema_field(MoneySerializer)
    def get_total_amount(self, order: Order) -> dict[str, str]:
        return money(order.total_amount, order.currency)


class BuyerOrderDetailSerializer(TaxTotalsFields, OrderSummarySerializer):
    """An order as its buyer sees it: the Original Order, the OC, the delivery notes and
    invoices, and the lineage; no brand-internal data.

    Context: `confirmation` (the OC with its lines, or None), `documents` (OrderDocuments),
    `replaced_by` (the order that replaced it, or None), `changes` (OrderChanges against the
    order it replaces, or None); none of them is queried here.
    """

    original_lines = serializers.SerializerMethodField()
    comment = serializers.CharField()
    delivery_address = serializers.CharField()
    billing_address = serializers.CharField()
    confirmation = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    replaces = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(
        help_text="What this order changed against the returned order it replaces: lines "
        "added, removed and changed, header fields, and how it compares with that order's OC. "
        "Null when it replaces none."
    )
    replaced_by = serializers.SerializerMethodField()

    documents_serializer: type[serializers.Serializer] = BuyerOrderDocumentsSerializer

    def tax_totals_of(self, instance: Any) -> TaxTotals:
        return order_tax_totals(instance)

    @extend_schema_field(OrderLineSerializer(many=True))
    def get_original_lines(self, order: Order) -> Any:
        lines = list(order.lines.all())
        for line in lines:
            line.order = order  # the currency is the order's; spare a query per line
        return OrderLineSerializer(lines, many=True).data

    @extend_schema_field(ConfirmationSerializer(allow_null=True))
    def get_confirmation(self, order: Order) -> Any:
        confirmation = self.context.get("confirmation")
        if confirmation is None:
            return None
        return ConfirmationSerializer(confirmation, context={"currency": order.currency}).data

    @extend_schema_field(BuyerOrderDocumentsSerializer)
    def get_documents(self, order: Order) -> Any:
        documents = self.context.get("documents")
        if documents is None:
            return None
        return self.documents_serializer(documents, context={"currency": order.currency}).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_replaces(self, order: Order) -> str | None:
        return order.replaces.code if order.replaces else None

    @extend_schema_field(OrderChangesSerializer(allow_null=True))
    def get_changes(self, order: Order) -> Any:
        changes = self.context.get("changes")
        if changes is None:
            return None
        return OrderChangesSerializer(changes, context={"currency": order.currency}).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_replaced_by(self, order: Order) -> str | None:
        replaced_by = self.context.get("replaced_by")
        return replaced_by.code if replaced_by else None


class OrderDetailSerializer(BuyerOrderDetailSerializer):
    """An order as the brand sees it: also its tags, every document, the actions its status
    allows and its events.

    Context, beyond the buyer side's: `tags` (the order's Tag rows).
    """

    tags = serializers.SerializerMethodField(
        help_text="The order's tag names, sorted; `PUT .../tags` takes the same list."
    )
    documents = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    returned_cart = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_returned_cart(self, order: Order) -> int | None:
        """The id of the cart the order was returned to, while the buyer has not ordered it."""
        cart = getattr(order, "returned_cart", None)
        return cart.pk if cart is not None else None

    documents_serializer = OrderDocumentsSerializer

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, order: Order) -> list[str]:
        return [tag.name for tag in self.context.get("tags", [])]

    @extend_schema_field(OrderDocumentsSerializer)
    def get_documents(self, order: Order) -> Any:
        return super().get_documents(order)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, order: Order) -> list[str]:
        return allowed_actions(order)

    @extend_schema_field(OrderEventSerializer(many=True))
    def get_events(self, order: Order) -> Any:
        return OrderEventSerializer(order.events.all(), many=True).data


@extend_schema_field({"type": "string", "enum": ["false", "true", "all"], "default": "false"})
class ArchivedFilterField(serializers.Field):
    """`false`: orders not archived; `true`: archived ones; `all` (None): both.

    The spellings of true and false DRF's BooleanField takes are taken too.
    """

    default_error_messages = {"invalid": "Give true, false or all."}

    def to_internal_value(self, data: Any) -> bool | None:
        if isinstance(data, str) and data.lower() == "all":
            return None
        if data in serializers.BooleanField.TRUE_VALUES:
            return True
        if data in serializers.BooleanField.FALSE_VALUES:
            return False
        self.fail("invalid")

    def to_representation(self, value: bool | None) -> str:
        return "all" if value is None else str(value).lower()


class OrderFiltersSerializer(QueryParamsSerializer):
    """Query parameters of Order Management; unknown ones are refused, not ignored."""

    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    buyer = serializers.IntegerField(required=False, min_value=1)
    catalog = serializers.IntegerField(required=False, min_value=1)
    route = serializers.ChoiceField(choices=OrderRoute.choices, required=False)
    code = serializers.CharField(required=False, max_length=60, help_text="Code prefix.")
    placed_from = serializers.DateField(required=False)
    placed_to = serializers.DateField(required=False)
    archived = ArchivedFilterField(
        required=False,
        default=False,
        help_text="`false` (the default): orders not archived; `true`: archived; `all`: both.",
    )
    q = serializers.CharField(required=False, max_length=100)
    tag = serializers.CharField(required=False, max_length=40, help_text="Tag name (exact).")
    cursor = serializers.CharField(required=False, max_length=200)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


def order_filters(data: dict[str, Any]) -> OrderFilters:
    """Return the validated search as the selector takes it."""
    return OrderFilters(
        status=data.get("status"),
        buyer_id=data.get("buyer"),
        catalog_id=data.get("catalog"),
        route=data.get("route"),
        code_prefix=data.get("code"),
        placed_from=data.get("placed_from"),
        placed_to=data.get("placed_to"),
        archived=data["archived"],
        q=data.get("q"),
        tag=data.get("tag"),
    )


class BuyerOrderFiltersSerializer(QueryParamsSerializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    cursor = serializers.CharField(required=False, max_length=200)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
