"""Input shapes of the brand's own order routes: proxy orders and imported order sheets.

They check types and shapes only; the rules (quantities, SKUs of the catalog, dates, the sheet
itself) are the services', which answer 400 `invalid` with per-field errors.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from linesheet.api.carts.serializers import LineInputSerializer, lines_once_each
from linesheet.api.serializers import StrictSerializer
from linesheet.ordering.models import MAX_CART_LINES
from linesheet.ordering.order_sheets import MAX_FILE_BYTES


class _OrderHeaderInputSerializer(StrictSerializer):
    """The buyer an order is for, and what it carries besides its lines."""

    buyer = serializers.IntegerField(
        min_value=1, help_text="The id of one of the brand's buyers, connected or offline."
    )
    desired_delivery_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today or later."
    )
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class ProxyOrderInputSerializer(_OrderHeaderInputSerializer):
    """A proxy order: the buyer, the catalog, the lines and the order's header."""

    catalog = serializers.IntegerField(
        min_value=1, help_text="The id of one of the brand's catalogs."
    )
    lines = serializers.ListField(
        child=LineInputSerializer(),
        allow_empty=False,
        max_length=MAX_CART_LINES,
        help_text="Each SKU of the catalog once, with a quantity from 1 to 100000.",
    )
    delivery_address = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=1000,
        help_text="Left empty: the buyer organisation's delivery address (connected buyers).",
    )
    billing_address = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=1000,
        help_text="Left empty: the buyer organisation's billing address (connected buyers).",
    )

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return lines_once_each(lines)


class SheetImportInputSerializer(_OrderHeaderInputSerializer):
    """A filled order sheet for a buyer, with what the sheet does not carry."""

    file = serializers.FileField(
        help_text=(
            f"The catalog's order sheet (`GET catalogs/{{id}}/order-sheet`) as .xlsx with the "
            f"quantities filled in; at most {MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    )
    catalog = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Optional check: the sheet must be this catalog's, else `wrong_catalog`.",
    )
