"""Input and output shapes of carts and their lines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.accounts.models import OrganizationAddress
from linesheet.api.orders.serializers import CatalogRefSerializer, money
from linesheet.api.serializers import (
    MoneySerializer,
    StrictSerializer,
    TaxTotalsFields,
    tax_totals_data,
)
from linesheet.ordering.models import MAX_CART_LINES
from linesheet.ordering.selectors import PricedCart, PricedCartLine


class CartLineSerializer(serializers.Serializer):
    sku_number = serializers.CharField(source="line.sku.sku_number")
    model_number = serializers.CharField(source="line.sku.product.model_number")
    product_name = serializers.CharField(source="line.sku.product.name")
    color = serializers.CharField(source="line.sku.color")
    size = serializers.CharField(source="line.sku.size")
    quantity = serializers.IntegerField(source="line.quantity")
    unit_price = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    orderable = serializers.BooleanField()

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, priced: PricedCartLine) -> dict[str, str]:
        return money(priced.unit_price, self.context["currency"])

    @extend_schema_field(MoneySerializer)
    def get_amount(self, priced: PricedCartLine) -> dict[str, str]:
        return money(priced.amount, self.context["currency"])


class CartSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    catalog = CatalogRefSerializer()
    brand = serializers.SerializerMethodField()
    returned_by_brand = serializers.BooleanField()
    source_order = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_brand(self, cart: Any) -> dict[str, str]:
        return {"slug": cart.brand.slug, "name": cart.brand.name}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_source_order(self, cart: Any) -> str | None:
        return cart.source_order.code if cart.source_order else None


class CartDetailSerializer(TaxTotalsFields):
    """A cart with its lines priced for the organisation (wholesale prices), and its net, tax
    per rate and gross at the brand's tax rules today (`tax_differs_from_returned_order`: a
    returned cart's lines are taxed otherwise today than the order they came from)."""

    tax_differs_from_returned_order = serializers.BooleanField(
        help_text="A returned cart: some of its lines are taxed at another rate today than "
        "the returned order's were when it was placed, the brand rounds tax otherwise now, or "
        "the shipping fee (or its rate) differs from the order's."
    )

    def to_representation(self, priced: PricedCart) -> dict[str, Any]:
        cart = priced.cart
        data: dict[str, Any] = dict(CartSummarySerializer(cart).data)
        data.update(
            {
                "desired_delivery_date": (
                    cart.desired_delivery_date.isoformat() if cart.desired_delivery_date else None
                ),
                "comment": cart.comment,
                "return_message": cart.return_message,
                "delivery_address": cart.delivery_address,
                "billing_address": cart.billing_address,
                "lines": CartLineSerializer(
                    priced.lines, many=True, context={"currency": priced.currency}
                ).data,
                "total_quantity": priced.total_quantity,
                "total_amount": money(priced.total_amount, priced.currency),
                **tax_totals_data(priced.tax),
                "tax_differs_from_returned_order": priced.tax_differs,
            }
        )
        return data


class LineInputSerializer(StrictSerializer):
    sku_number = serializers.CharField(max_length=60)
    quantity = serializers.IntegerField()


def lines_once_each(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Refuse lines that name a SKU more than once."""
    counts = Counter(line["sku_number"] for line in lines)
    repeated = sorted(number for number, count in counts.items() if count > 1)
    if repeated:
        raise serializers.ValidationError(
            f"Each SKU may appear once; repeated: {', '.join(repeated)}.", code="duplicate"
        )
    return lines


class CartCreateSerializer(StrictSerializer):
    """A catalog of a connected brand, or an order link (exactly one of the two)."""

    catalog = serializers.IntegerField(min_value=1, required=False)
    lines = serializers.ListField(
        child=LineInputSerializer(),
        max_length=MAX_CART_LINES,
        required=False,
        help_text=(
            "With `catalog`: the cart's first lines, written with the cart in one transaction "
            "(a refused line opens no cart)."
        ),
    )
    order_link = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The token of a brand's order link: opens the cart for the link's catalog.",
    )
    passcode = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The order link's passcode, when it has one.",
    )

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return lines_once_each(lines)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("catalog" in attrs) == ("order_link" in attrs):
            message = "Send either `catalog` or `order_link`, not both."
            if "catalog" not in attrs:
                message = "Send `catalog` (a catalog id) or `order_link` (a link's token)."
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        serializers.ErrorDetail(message, code="catalog_or_order_link")
                    ]
                }
            )
        if "lines" in attrs and "catalog" not in attrs:
            raise serializers.ValidationError(
                {
                    "lines": [
                        serializers.ErrorDetail("Only with `catalog`.", code="only_with_catalog")
                    ]
                }
            )
        if "passcode" in attrs and "order_link" not in attrs:
            raise serializers.ValidationError(
                {
                    "passcode": [
                        serializers.ErrorDetail(
                            "Only with `order_link`.", code="not_allowed_without_order_link"
                        )
                    ]
                }
            )
        return attrs


class CartUpdateSerializer(StrictSerializer):
    desired_delivery_date = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    delivery_address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    billing_address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    delivery_address_id = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A delivery address of the organisation's (`addresses`): the cart takes a "
        "copy of its text, instead of `delivery_address`.",
    )
    billing_address_id = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A billing address of the organisation's, likewise.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Replace a saved address's id by a copy of its text; another's id is invalid."""
        organization_id = self.context["organization_id"]
        for kind in ("delivery", "billing"):
            address_id = attrs.pop(f"{kind}_address_id", None)
            if address_id is None:
                continue
            address = OrganizationAddress.objects.filter(
                pk=address_id, organization_id=organization_id, kind=kind
            ).first()
            if address is None:
                raise serializers.ValidationError(
                    {
                        f"{kind}_address_id": [
                            serializers.ErrorDetail(
                                f"No {kind} address of your organisation has this id.",
                                code="address_not_found",
                            )
                        ]
                    }
                )
            attrs[f"{kind}_address"] = address.text
        return attrs


class CartLinesSerializer(StrictSerializer):
    lines = serializers.ListField(child=LineInputSerializer(), max_length=MAX_CART_LINES)

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return lines_once_each(lines)


class TakeOcQuantitiesSerializer(StrictSerializer):
    sku_numbers = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        allow_empty=False,
        max_length=5000,
        help_text="The SKUs to take the brand's OC quantity for; all proposals when absent.",
    )
