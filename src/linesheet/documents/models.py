"""Documents made from an order: its confirmation (OC), backlog SKUs, delivery notes, invoices
and partner-inventory transfer slips."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand
from linesheet.catalog.models import SKU
from linesheet.core.tax import AppliedRate
from linesheet.ordering.models import Order, applied_tax_of


class DocumentLine(models.Model):
    """A SKU with its quantity and price, as written on a document."""

    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    sku_number = models.CharField(max_length=60)
    model_number = models.CharField(max_length=60)
    product_name = models.CharField(max_length=200)
    color = models.CharField(max_length=60)
    size = models.CharField(max_length=20)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The tax rate the line is taxed at (null: none), as on the order's line; database
    # defaults let bulk loads leave them out.
    tax_name = models.CharField(max_length=60, blank=True, default="", db_default="")
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    tax_reduced = models.BooleanField(default=False, db_default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.sku_number} x {self.quantity}"

    @property
    def applied_tax(self) -> AppliedRate | None:
        return applied_tax_of(self)


class OrderConfirmation(models.Model):
    """The brand's amended version of an order. Its working data; never the Original Order."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="confirmation")
    allow_buyer_approval = models.BooleanField(_("allow buyer approval"), default=False)
    total_quantity = models.PositiveIntegerField(default=0)
    # The net amount; net, tax per rate and gross as last saved are `tax_totals`
    # (core.tax.TaxTotals.as_dict; null for an OC saved before tax was kept).
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    tax_totals = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    buyer_note = models.TextField(
        _("buyer's note"), blank=True, help_text=_("Why the buyer rejected it, when they did.")
    )
    # Counts the OC's saves: a save names the version it edited, and one made from an older
    # version than this (a colleague saved meanwhile) is refused instead of overwriting it.
    # The database default lets bulk loads leave it out.
    version = models.PositiveIntegerField(default=1, db_default=1)

    def __str__(self) -> str:
        return f"OC of {self.order_id}"


class OrderConfirmationLine(DocumentLine):
    # Indexed first in oc_line_sums.
    confirmation = models.ForeignKey(
        OrderConfirmation, on_delete=models.CASCADE, related_name="lines", db_index=False
    )

    class Meta(DocumentLine.Meta):
        constraints = [
            models.UniqueConstraint(fields=["confirmation", "sku"], name="oc_line_one_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="oc_line_quantity_positive"),
        ]
        indexes = [
            # Analytics sum the OC lines of a period's orders per SKU: read with their quantity
            # and amount from this index alone (key columns: SQLite has no INCLUDE).
            models.Index(fields=["confirmation", "sku", "quantity", "amount"], name="oc_line_sums"),
        ]


class DocumentSequence(models.Model):
    """A brand's running number for one kind of document (delivery notes, invoices, slips)."""

    # Indexed first in document_sequence_unique.
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20)
    next_value = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "kind"], name="document_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.brand_id}"


class NumberedDocument(models.Model):
    # Indexed first in each document's unique (brand, number) constraint.
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="+", db_index=False)
    number = models.CharField(max_length=40)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.number


class BacklogSkuList(NumberedDocument):
    """The undelivered SKUs of a confirmed order, for split delivery. It locks the order's lines."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="backlog_skus")

    class Meta(NumberedDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="backlog_number_unique")
        ]


class BacklogSkuLine(DocumentLine):
    backlog = models.ForeignKey(BacklogSkuList, on_delete=models.CASCADE, related_name="lines")


class DeliveryNote(NumberedDocument):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="delivery_notes")

    class Meta(NumberedDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="delivery_note_number_unique")
        ]


class DeliveryNoteLine(DocumentLine):
    delivery_note = models.ForeignKey(DeliveryNote, on_delete=models.CASCADE, related_name="lines")


class Invoice(NumberedDocument):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    delivery_notes = models.ManyToManyField(DeliveryNote, related_name="invoices", blank=True)
    currency = models.CharField(max_length=3)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta(NumberedDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="invoice_number_unique")
        ]


class InvoiceLine(DocumentLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")


class PartnerInventorySlip(NumberedDocument):
    """A transfer slip that ties an order to partner (consignment) inventory."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="partner_inventory_slips"
    )
    partner = models.CharField(_("partner"), max_length=200)

    class Meta(NumberedDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="partner_slip_number_unique")
        ]
