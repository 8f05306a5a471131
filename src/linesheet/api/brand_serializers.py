"""Input and output shapes of the brand-side endpoints: catalogs, products, buyers, invitations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.accounts.models import LANGUAGE_CHOICES, Buyer, Invitation
from linesheet.api.serializers import MoneySerializer, OrganizationRefSerializer, StrictSerializer
from linesheet.catalog.models import SKU, CatalogStatus
from linesheet.core.money import Money

CURRENCY_PATTERN = r"^[A-Z]{3}$"
MIN_WHOLESALE_RATE = Decimal("0.0001")
MAX_WHOLESALE_RATE = Decimal("1")


def currency_field(**kwargs: Any) -> serializers.RegexField:
    kwargs.setdefault("help_text", "ISO 4217 code, e.g. EUR.")
    return serializers.RegexField(CURRENCY_PATTERN, max_length=3, **kwargs)


def wholesale_rate_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=MIN_WHOLESALE_RATE,
        max_value=MAX_WHOLESALE_RATE,
        **{"help_text": "Share of the retail price the buyer pays, e.g. 0.5000.", **kwargs},
    )


# --- Catalogs -------------------------------------------------------------------------------


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
    skus = SkuSerializer(many=True)


class CatalogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=CatalogStatus.choices)
    order_deadline = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    consignment = serializers.BooleanField()
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
    skus = SkuInputSerializer(many=True)


# --- Buyers ---------------------------------------------------------------------------------


class BuyerSerializer(serializers.Serializer):
    """The brand's buyer record, as `buyers_of_brand` lists it (with `invitation_pending`)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    currency = serializers.CharField()
    wholesale_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    language = serializers.CharField()
    connected = serializers.BooleanField(source="is_connected")
    organization = OrganizationRefSerializer(allow_null=True)
    invitation_pending = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class OfflineBuyerInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, default="en")
    wholesale_rate = wholesale_rate_field(
        required=False, help_text="Defaults to the brand's wholesale rate."
    )
    currency = currency_field(required=False, help_text="Defaults to the brand's currency.")


# --- Invitations ----------------------------------------------------------------------------

NEW_BUYER_FIELDS = ("name", "wholesale_rate", "language", "currency")


class InvitationInputSerializer(StrictSerializer):
    """Invite an email address, for an existing offline `buyer` or a new buyer record."""

    email = serializers.EmailField()
    buyer = serializers.PrimaryKeyRelatedField(
        queryset=Buyer.objects.none(),
        required=False,
        help_text="An offline buyer of the brand to connect; leave out to make a new buyer.",
    )
    name = serializers.CharField(
        max_length=200, required=False, help_text="The new buyer's name (default: the email)."
    )
    wholesale_rate = wholesale_rate_field(required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    currency = currency_field(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brand = self.context.get("brand")
        if brand is not None:
            # Only this brand's buyers exist as far as this request is concerned.
            self.fields["buyer"].queryset = Buyer.objects.filter(brand=brand)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "buyer" in attrs:
            given = [name for name in NEW_BUYER_FIELDS if name in attrs]
            if given:
                raise serializers.ValidationError(
                    {
                        name: [
                            serializers.ErrorDetail(
                                "Only for a new buyer: the existing buyer keeps its own terms.",
                                code="not_allowed_with_buyer",
                            )
                        ]
                        for name in given
                    }
                )
        return attrs


class BuyerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    token = serializers.CharField()
    accept_url = serializers.SerializerMethodField()
    buyer = BuyerRefSerializer()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_accept_url(self, invitation: Invitation) -> str:
        return f"{settings.BASE_URL}{reverse('invitation-accept', args=[invitation.token])}"
