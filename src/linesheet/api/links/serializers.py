"""Input and output shapes of order links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.accounts.attempts import passcode_limits_text
from linesheet.api.serializers import StrictSerializer
from linesheet.catalog.models import Catalog
from linesheet.ordering.link_selectors import OrderLinkState, order_link_state
from linesheet.ordering.models import OrderLink

STATE_CHOICES = [
    (OrderLinkState.ACTIVE, "active"),
    (OrderLinkState.EXPIRED, "expired"),
    (OrderLinkState.REVOKED, "revoked"),
]


def order_link_url(link: OrderLink) -> str:
    """Return the link as buyers must receive it, from BASE_URL."""
    return f"{settings.BASE_URL}{reverse('order-link', args=[link.token])}"


class OrderLinkInputSerializer(StrictSerializer):
    catalog = serializers.PrimaryKeyRelatedField(
        queryset=Catalog.objects.none(), help_text="One of the brand's catalogs."
    )
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the link stops working (ISO 8601, in the future); null or left out: never.",
    )
    grants_access = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "For a limited catalog: whoever opens the link is put on the catalog's access list "
            "(recorded in its access history). False: the link serves only buyers already on "
            "the list; others are refused with `catalog_not_available`."
        ),
    )
    shipping_group_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the brand's `shipping-groups` in the catalog's currency, charged "
        "instead of the catalog's (400 `invalid_shipping_group` otherwise); null: the "
        "catalog's.",
    )
    passcode = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        write_only=True,
        trim_whitespace=True,
        help_text=lazy(
            lambda: (
                "4 to 64 characters that buyers must type to order. Stored hashed: no answer "
                "ever shows it again. Left out or blank: no passcode. " + passcode_limits_text()
            ),
            str,
        )(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brand = self.context.get("brand")
        if brand is not None:
            # Only this brand's catalogs exist as far as this request is concerned.
            self.fields["catalog"].queryset = Catalog.objects.filter(brand=brand)  # type: ignore[attr-defined]


class OrderLinkSerializer(serializers.Serializer):
    """A link with its state and what came of it. Expects `orders_placed` annotated."""

    id = serializers.IntegerField()
    token = serializers.CharField()
    url = serializers.SerializerMethodField()
    catalog = serializers.IntegerField(source="catalog_id", help_text="The catalog's id.")
    expires_at = serializers.DateTimeField(allow_null=True)
    has_passcode = serializers.BooleanField()
    grants_access = serializers.BooleanField(
        help_text="Whether opening it puts the buyer on the limited catalog's access list."
    )
    shipping_group_id = serializers.IntegerField(
        allow_null=True, help_text="The shipping group charged instead of the catalog's."
    )
    state = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    carts_opened = serializers.IntegerField(
        help_text="Carts opened through the link (an organisation's one cart counts once)."
    )
    orders_placed = serializers.IntegerField(help_text="Orders placed from those carts.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link: OrderLink) -> str:
        return order_link_url(link)

    @extend_schema_field(serializers.ChoiceField(choices=STATE_CHOICES))
    def get_state(self, link: OrderLink) -> str:
        return order_link_state(link)
