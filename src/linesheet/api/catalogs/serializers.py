"""Input and output shapes of catalogs, products and SKUs, on both sides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.serializers import (
    BrandRefSerializer,
    MoneySerializer,
    StrictSerializer,
    currency_field,
)
from linesheet.catalog.models import SKU, CatalogStatus
from linesheet.catalog.pricing import wholesale_price
from linesheet.core.money import Money


class SkuSerializer(serializers.Serializer):
    """A SKU; `retail_price` is in the catalog's currency (serializer context `currency`)."""

    id = serializers.IntegerField()
    sku_number = serializers.CharField()
    color = serializers.CharField()
    size = serializers.CharField()
    retail_price = serializers.SerializerMethodField()
    orderable = serializers.BooleanField(source="is_active")

    @extend_schema_field(MoneySerializer)
    def get_retail_price(self, sku: SKU) -> dict[str, str]:
        return Money(sku.retail_price, self.context["currency"]).as_dict()


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    model_number = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(help_text='Blank ("") when the product has none.')
    skus = SkuSerializer(many=True)


class CatalogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=CatalogStatus.choices)
    order_deadline = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    consignment = serializers.BooleanField()
    shipping_group_id = serializers.IntegerField(
        allow_null=True, help_text="The shipping group its carts and orders are charged by."
    )
    product_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class CatalogDetailSerializer(CatalogSerializer):
    products = serializers.SerializerMethodField()

    @extend_schema_field(ProductSerializer(many=True))
    def get_products(self, catalog: Any) -> list[dict[str, Any]]:
        # The SKUs' prices are in the catalog's currency.
        context = {**self.context, "currency": catalog.currency}
        return ProductSerializer(catalog.products.all(), many=True, context=context).data  # type: ignore[return-value]


class CatalogInputSerializer(StrictSerializer):
    """A new catalog; PATCH takes any subset of the same fields."""

    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40)
    status = serializers.ChoiceField(choices=CatalogStatus.choices, default=CatalogStatus.OPEN)
    order_deadline = serializers.DateField(allow_null=True, default=None)
    currency = currency_field(required=False, help_text="Defaults to the brand's currency.")
    consignment = serializers.BooleanField(default=False)
    shipping_group_id = serializers.IntegerField(
        allow_null=True,
        default=None,
        help_text="One of the brand's `shipping-groups` in the catalog's currency (400 "
        "`invalid_shipping_group` otherwise); null: no shipping fee.",
    )


class SkuInputSerializer(StrictSerializer):
    sku_number = serializers.CharField(max_length=60)
    color = serializers.CharField(max_length=60)
    size = serializers.CharField(max_length=20)
    retail_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text='In the catalog\'s currency, as a decimal string: "129.00".',
    )


class ProductInputSerializer(StrictSerializer):
    model_number = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=200)
    category = serializers.CharField(
        max_length=60,
        allow_blank=True,
        default="",
        help_text='What buyers filter the catalog by, e.g. "Knitwear"; blank for none.',
    )
    skus = SkuInputSerializer(many=True)


class BuyerSkuSerializer(serializers.Serializer):
    """A SKU priced for the buyer: context carries `currency` and `wholesale_rate`."""

    id = serializers.IntegerField()
    sku_number = serializers.CharField()
    color = serializers.CharField()
    size = serializers.CharField()
    retail_price = serializers.SerializerMethodField()
    wholesale_price = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_retail_price(self, sku: SKU) -> dict[str, str]:
        return Money(sku.retail_price, self.context["currency"]).as_dict()

    @extend_schema_field(MoneySerializer)
    def get_wholesale_price(self, sku: SKU) -> dict[str, str]:
        amount = wholesale_price(
            retail_price=sku.retail_price, wholesale_rate=self.context["wholesale_rate"]
        )
        return Money(amount, self.context["currency"]).as_dict()


class BuyerProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    model_number = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(help_text='Blank ("") when the product has none.')
    skus = BuyerSkuSerializer(many=True)


class BuyerCatalogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = BrandRefSerializer()
    name = serializers.CharField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=CatalogStatus.choices)
    order_deadline = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    consignment = serializers.BooleanField()


class BuyerCatalogDetailSerializer(BuyerCatalogSerializer):
    """A catalog with its orderable SKUs at the organisation's wholesale prices.

    Context: `wholesale_rate` of the organisation's buyer record at the catalog's brand.
    """

    products = serializers.SerializerMethodField()

    @extend_schema_field(BuyerProductSerializer(many=True))
    def get_products(self, catalog: Any) -> list[dict[str, Any]]:
        # Wholesale is retail x rate, so it is in the catalog's currency, as retail is.
        context = {**self.context, "currency": catalog.currency}
        return BuyerProductSerializer(catalog.products.all(), many=True, context=context).data  # type: ignore[return-value]
