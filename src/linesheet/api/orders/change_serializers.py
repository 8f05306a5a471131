"""The output shape of what a re-placed order changed against the returned order it replaces.

Amounts are in the order's currency, passed as `currency` in the serializer context.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.serializers import MoneySerializer
from linesheet.core.money import Money
from linesheet.ordering.changes import HEADER_FIELDS, LineChangeKind, OrderChanges

# The kinds of change a listed line shows (unchanged lines are only counted), and the header
# fields compared: named enums in the OpenAPI schema (settings.SPECTACULAR_SETTINGS).
LINE_CHANGES = [kind.value for kind in LineChangeKind if kind != LineChangeKind.UNCHANGED]
HEADER_FIELD_NAMES = list(HEADER_FIELDS)


@extend_schema_field(MoneySerializer)
class MoneyField(serializers.Field):
    """A Decimal amount written as money in the context's `currency`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Decimal) -> dict[str, str]:
        return Money(value, self.context["currency"]).as_dict()


class ChangedSkuSerializer(serializers.Serializer):
    sku_number = serializers.CharField(source="sku.sku_number")
    model_number = serializers.CharField(source="sku.model_number")
    product_name = serializers.CharField(source="sku.product_name")
    color = serializers.CharField(source="sku.color")
    size = serializers.CharField(source="sku.size")


class LineChangeSerializer(ChangedSkuSerializer):
    change = serializers.ChoiceField(
        source="kind",
        choices=LINE_CHANGES,
        help_text="`added`: only the new order has the SKU; `removed`: only the returned "
        "order had it; `changed`: its quantity or amount differs.",
    )
    old_quantity = serializers.IntegerField(help_text="In the returned order; 0 when added.")
    new_quantity = serializers.IntegerField(help_text="In the new order; 0 when removed.")
    old_unit_price = MoneyField(allow_null=True, help_text="Null when added.")
    new_unit_price = MoneyField(allow_null=True, help_text="Null when removed.")
    old_amount = MoneyField()
    new_amount = MoneyField()
    oc_quantity = serializers.IntegerField(
        allow_null=True,
        help_text="The returned order's OC quantity (0 when its OC left the SKU out); null "
        "when that order had no OC.",
    )


class HeaderChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=HEADER_FIELD_NAMES)
    old = serializers.CharField(
        allow_null=True, help_text="The returned order's value (a date as YYYY-MM-DD)."
    )
    new = serializers.CharField(allow_null=True, help_text="The new order's value.")


class OcProposalSerializer(ChangedSkuSerializer):
    original_quantity = serializers.IntegerField(help_text="In the returned order.")
    oc_quantity = serializers.IntegerField(help_text="The brand's; 0 when the OC removed it.")
    new_quantity = serializers.IntegerField(help_text="In the new order.")
    taken = serializers.BooleanField(help_text="The new order has the OC's quantity.")


class OcComparisonSerializer(serializers.Serializer):
    """How the new order compares with the returned order's OC."""

    proposed = serializers.IntegerField(help_text="Lines whose quantity the OC changed.")
    taken = serializers.IntegerField(
        help_text="Of those, how many the new order has at the OC's quantity."
    )
    matches_oc = serializers.BooleanField(
        help_text="The new order has the OC's quantity on every SKU."
    )
    proposals = OcProposalSerializer(many=True)


class ChangeCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class OrderChangesSerializer(serializers.Serializer):
    """The new order against the returned order it replaces."""

    replaces = serializers.CharField(help_text="The returned order's code.")
    counts = serializers.SerializerMethodField()
    lines = LineChangeSerializer(
        source="differing",
        many=True,
        help_text="The lines added, removed or changed, in the catalog's order; unchanged "
        "lines are only counted.",
    )
    header = HeaderChangeSerializer(
        many=True,
        help_text="The fields among desired_delivery_date, delivery_address, billing_address "
        "and comment whose value changed.",
    )
    old_quantity = serializers.IntegerField()
    new_quantity = serializers.IntegerField()
    old_amount = MoneyField()
    new_amount = MoneyField()
    oc = OcComparisonSerializer(
        allow_null=True, help_text="Null when the returned order had no OC."
    )

    @extend_schema_field(ChangeCountsSerializer)
    def get_counts(self, changes: OrderChanges) -> dict[str, int]:
        return {
            "added": len(changes.added),
            "removed": len(changes.removed),
            "changed": len(changes.changed),
            "unchanged": changes.unchanged_count,
        }
