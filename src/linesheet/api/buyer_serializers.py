"""Input and output shapes of the buyer-side endpoints: accepting invitations, browsing catalogs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.serializers import (
    BrandRefSerializer,
    MoneySerializer,
    OrganizationRefSerializer,
    StrictSerializer,
)
from linesheet.catalog.models import SKU, CatalogStatus
from linesheet.catalog.pricing import wholesale_price
from linesheet.core.money import Money


class InvitationAcceptInputSerializer(StrictSerializer):
    """Exactly one of `organization` (one of yours) or `new_organization` (a name)."""

    organization = serializers.IntegerField(
        min_value=1, required=False, help_text="The id of a buyer organisation you belong to."
    )
    new_organization = serializers.CharField(
        max_length=200, required=False, help_text="The name of a buyer organisation to create."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("organization" in attrs) == ("new_organization" in attrs):
            raise serializers.ValidationError(
                serializers.ErrorDetail(
                    "Give either organization (the id of one of yours) or new_organization "
                    "(a name), not both and not neither.",
                    code="exactly_one_required",
                )
            )
        return attrs


class ConnectedBuyerSerializer(serializers.Serializer):
    """The brand's buyer record of the organisation: the trading terms it orders on."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    currency = serializers.CharField()
    language = serializers.CharField()


class ConnectionSerializer(serializers.Serializer):
    """An organisation connected to a brand, seen from the buyer's side."""

    brand = BrandRefSerializer()
    organization = OrganizationRefSerializer()
    buyer = ConnectedBuyerSerializer(source="*")


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
