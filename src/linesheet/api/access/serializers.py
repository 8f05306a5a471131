"""Input and output shapes of buyer groups and catalog access lists."""

from __future__ import annotations

from rest_framework import serializers

from linesheet.api.serializers import BIGINT_RANGE, StrictSerializer
from linesheet.catalog.models import AccessEventType, CatalogStatus

MAX_IDS = 5_000
BIGINT_MAX = BIGINT_RANGE[1]


class AccessBuyerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    connected = serializers.BooleanField(
        source="is_connected", help_text="Offline buyers never see catalogs."
    )


class BuyerGroupSerializer(serializers.Serializer):
    """A group with its buyers. Expects `buyer_count` and `catalog_count` annotated."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    buyer_count = serializers.IntegerField()
    catalog_count = serializers.IntegerField(help_text="Catalogs whose access list holds it.")
    buyers = AccessBuyerSerializer(many=True, source="buyers.all")
    created_at = serializers.DateTimeField()


class BuyerGroupInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, help_text="Unique within the brand.")
    buyers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        required=False,
        max_length=MAX_IDS,
        help_text=(
            "The ids of the brand's buyers in the group: the whole set (PATCH replaces it). "
            "Buyers taken out lose the limited catalogs they saw only through the group, and "
            "their open carts for them."
        ),
    )


class WithdrawnCartSerializer(serializers.Serializer):
    cart = serializers.IntegerField(source="cart_id")
    organization = serializers.CharField(source="organization_name")
    catalog = serializers.IntegerField(source="catalog.pk")
    lines = serializers.IntegerField(source="line_count")


class GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AccessEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=AccessEventType.choices)
    type_label = serializers.CharField(source="get_type_display")
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    details = serializers.DictField()


class CatalogAccessSerializer(serializers.Serializer):
    """Who sees a catalog: its status, its access list, the summary line and the history."""

    catalog = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CatalogStatus.choices)
    summary = serializers.CharField(
        help_text='In a line: "Visible to 12 buyers: Key accounts, Japan, + 2 buyers".'
    )
    viewer_count = serializers.IntegerField(
        help_text="Connected buyers who see the catalog now (all of them when it is open)."
    )
    buyers = AccessBuyerSerializer(many=True, help_text="Buyers named on the list.")
    groups = GroupRefSerializer(many=True, help_text="Groups on the list.")
    history = AccessEventSerializer(many=True, help_text="The latest 50 changes, newest first.")
    withdrawn_carts = WithdrawnCartSerializer(
        many=True, required=False, help_text="Carts this change ended (PUT only)."
    )


class CatalogAccessInputSerializer(StrictSerializer):
    buyers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        max_length=MAX_IDS,
        help_text="The ids of the buyers named on the list: the whole set.",
    )
    groups = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        max_length=MAX_IDS,
        help_text="The ids of the groups on the list: the whole set.",
    )
