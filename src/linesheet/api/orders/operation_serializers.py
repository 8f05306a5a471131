"""Input shapes of the operations on a placed order: OC, reject, documents, archive, tags.

They check types and shapes only; the rules (quantities, message length, tag names) are the
services', which answer 400 `invalid` with per-field errors in the same form.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from linesheet.api.carts.serializers import LineInputSerializer, lines_once_each
from linesheet.api.serializers import StrictSerializer
from linesheet.ordering.models import MAX_CART_LINES


class NotificationInputSerializer(StrictSerializer):
    """Whether to email the buyer about the change, and the brand's own words (plain text)."""

    notify_buyer = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Email the buyer organisation's recipients. Off by default.",
    )
    message = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Up to 2000 characters of plain text for the email; ignored without "
        "notify_buyer.",
    )


class ConfirmationInputSerializer(NotificationInputSerializer):
    lines = serializers.ListField(
        child=LineInputSerializer(),
        max_length=MAX_CART_LINES,
        help_text="The OC's lines by SKU number: change an original quantity, add a SKU of the "
        "catalog, or leave a line out (or give 0) to remove it. At least one line stays.",
    )
    allow_buyer_approval = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ask the buyer to approve or reject the OC before the brand confirms it.",
    )
    shipping = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        coerce_to_string=True,
        help_text="The OC's shipping fee before tax (0: free), taxed at the rate the order's "
        "fee was. Without it (or null) the OC keeps its fee, or the order's.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The OC `version` these lines were edited from (0 when there was no OC yet). "
        "When the OC is at another version now (saved by someone else meanwhile), the save is "
        "refused with 409 `stale_confirmation` and the current OC. Without it the save goes "
        "over whatever is there.",
    )

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return lines_once_each(lines)


class DeliveryNoteInputSerializer(StrictSerializer):
    lines = serializers.ListField(
        child=LineInputSerializer(),
        required=False,
        max_length=MAX_CART_LINES,
        help_text="The quantities to deliver by SKU number, each at most what is still "
        "undelivered; leave `lines` out to deliver everything still undelivered.",
    )

    def validate_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return lines_once_each(lines)


class InvoiceInputSerializer(StrictSerializer):
    delivery_notes = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        allow_empty=False,
        max_length=200,
        help_text="Numbers of the order's delivery notes to invoice (not invoiced yet); leave "
        "it out to invoice the OC.",
    )

    def validate_delivery_notes(self, numbers: list[str]) -> list[str]:
        return list(dict.fromkeys(numbers))


class PartnerInventorySlipInputSerializer(StrictSerializer):
    partner = serializers.CharField(
        max_length=200, help_text="The partner whose (consignment) inventory this order is tied to."
    )


class TagsInputSerializer(StrictSerializer):
    tags = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=100),
        max_length=100,
        help_text="The order's whole tag set (at most 20 names of at most 40 characters); "
        "names the brand has not used yet are created. An empty list removes every tag.",
    )


class BuyerRejectInputSerializer(StrictSerializer):
    note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Why the OC is rejected (up to 2000 characters), for the brand.",
    )


class IssueSerializer(serializers.Serializer):
    """A blocker or a warning: its stable code and what it means, in words."""

    code = serializers.CharField()
    message = serializers.CharField()


class RejectCheckSerializer(serializers.Serializer):
    rejectable = serializers.BooleanField()
    blockers = IssueSerializer(many=True)
