"""Input and output shapes of buyers and invitations, on both sides."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.accounts.models import LANGUAGE_CHOICES, Buyer, Invitation
from linesheet.api.serializers import (
    BrandRefSerializer,
    OrganizationRefSerializer,
    StrictSerializer,
    currency_field,
    wholesale_rate_field,
)


class BuyerSerializer(serializers.Serializer):
    """The brand's buyer record, as `buyers_of_brand` lists it (with `invitation_pending`)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    currency = serializers.CharField()
    wholesale_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    language = serializers.CharField()
    country = serializers.CharField(
        allow_blank=True,
        help_text="Where the buyer is taxed (ISO 3166-1 alpha-2); blank: the brand's default "
        "rates.",
    )
    tax_id = serializers.CharField(allow_blank=True, help_text="Printed on the documents.")
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
    country = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2, help_text="ISO 3166-1 alpha-2."
    )
    tax_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class BuyerTaxDetailsSerializer(StrictSerializer):
    """Where the buyer is taxed and its tax ID; orders placed before keep their tax."""

    country = serializers.CharField(allow_blank=True, max_length=2, help_text="ISO 3166-1 alpha-2.")
    tax_id = serializers.CharField(allow_blank=True, max_length=40)


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
