"""Output shapes of an order's OC and documents: number, lines with money, totals.

Document lines carry no currency of their own: it is the order's, passed as `currency` in the
serializer context.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.serializers import MoneySerializer, TaxTotalsFields
from linesheet.core.money import Money
from linesheet.core.tax import TaxTotals
from linesheet.documents.selectors import confirmation_tax_totals


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    return Money(amount, currency).as_dict()


class DocumentLineSerializer(serializers.Serializer):
    sku_number = serializers.CharField()
    model_number = serializers.CharField()
    product_name = serializers.CharField()
    color = serializers.CharField()
    size = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, line: Any) -> dict[str, str]:
        return _money(line.unit_price, self.context["currency"])

    @extend_schema_field(MoneySerializer)
    def get_amount(self, line: Any) -> dict[str, str]:
        return _money(line.amount, self.context["currency"])


class LinedDocumentSerializer(serializers.Serializer):
    """A document with lines; the totals are summed from the (prefetched) lines."""

    lines = serializers.SerializerMethodField()
    total_quantity = serializers.SerializerMethodField()
    total_amount = serializers.SerializerMethodField()

    @extend_schema_field(DocumentLineSerializer(many=True))
    def get_lines(self, document: Any) -> Any:
        return DocumentLineSerializer(document.lines.all(), many=True, context=self.context).data

    def get_total_quantity(self, document: Any) -> int:
        return sum(line.quantity for line in document.lines.all())

    @extend_schema_field(MoneySerializer)
    def get_total_amount(self, document: Any) -> dict[str, str]:
        total = sum((line.amount for line in document.lines.all()), Decimal("0"))
        return _money(total, self.context["currency"])


class ConfirmationSerializer(TaxTotalsFields, LinedDocumentSerializer):
    """The order confirmation (OC): the brand's amended version of the order, with its net,
    tax per rate and gross as last saved."""

    allow_buyer_approval = serializers.BooleanField(
        help_text="Whether the buyer is asked to approve or reject the OC before it is confirmed."
    )
    buyer_note = serializers.CharField(help_text="Why the buyer rejected the OC, when they did.")
    version = serializers.IntegerField(
        help_text="Counts the OC's saves; send it back with an update (see `stale_confirmation`)."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def tax_totals_of(self, instance: Any) -> TaxTotals:
        return confirmation_tax_totals(instance, currency=self.context["currency"])


class BacklogSkusSerializer(LinedDocumentSerializer):
    """The SKUs still undelivered when the list was made, for split delivery."""

    number = serializers.CharField()
    created_at = serializers.DateTimeField()


class DeliveryNoteSerializer(LinedDocumentSerializer):
    number = serializers.CharField()
    created_at = serializers.DateTimeField()
    invoices = serializers.SerializerMethodField(help_text="Numbers of the invoices that bill it.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_invoices(self, note: Any) -> list[str]:
        return [invoice.number for invoice in note.invoices.all()]


class InvoiceSerializer(LinedDocumentSerializer):
    number = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivery_notes = serializers.SerializerMethodField(
        help_text="Numbers of the delivery notes it bills; empty when it bills the OC."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_delivery_notes(self, invoice: Any) -> list[str]:
        return [note.number for note in invoice.delivery_notes.all()]

    @extend_schema_field(MoneySerializer)
    def get_total_amount(self, invoice: Any) -> dict[str, str]:
        return _money(invoice.total_amount, invoice.currency)


class PartnerInventorySlipSerializer(serializers.Serializer):
    number = serializers.CharField()
    partner = serializers.CharField()
    created_at = serializers.DateTimeField()


class BuyerOrderDocumentsSerializer(serializers.Serializer):
    """The documents the buyer receives."""

    delivery_notes = DeliveryNoteSerializer(many=True)
    invoices = InvoiceSerializer(many=True)


class OrderDocumentsSerializer(BuyerOrderDocumentsSerializer):
    """Every document made from the order."""

    backlog_skus = BacklogSkusSerializer(many=True)
    partner_inventory_slips = PartnerInventorySlipSerializer(many=True)
