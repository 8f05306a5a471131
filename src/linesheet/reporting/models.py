"""Analytics kept per past month, so that a long period is mostly read from sums, not lines.

A month's sums are written the first time a period covering the whole month is asked for,
and hold while the month's orders are the same orders with the same `Order.sums_revision`:
their number and the sum of their revisions, taken before the sums, are the month's stamp.
Orders are never deleted, an order placed later is placed after the month's end, and every
change of what an order adds to analytics counts its revision up, so a stamp that still
matches proves that nothing the sums read has changed since (see reporting.analytics).

The current month is kept the same way for its days before today (its row's bounds end at
the start of today): an order placed from now on falls after them too. The next day's bounds
differ, so the row is written afresh once a day, and once more when the month is over.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, BuyerOrganization


class Dimension(models.TextChoices):
    PRODUCT = "product", _("Product")
    BUYER = "buyer", _("Buyer")
    CATALOG = "catalog", _("Catalog")
    SKU = "sku", _("SKU")


class _BrandMonth(models.Model):
    """One brand's month by one dimension: what the stamp and its sums are keyed by.

    The brand leads each model's unique constraint, which serves as its index.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    # The first day of the month.
    month = models.DateField()

    class Meta:
        abstract = True


class AnalyticsMonth(_BrandMonth):
    """The stamp of one brand's cached sums of one month by one dimension."""

    # The month's bounds as computed, in the time zone then current: sums of other bounds are
    # not these.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    orders = models.PositiveIntegerField(help_text="Orders placed in the month, any status.")
    revisions = models.PositiveBigIntegerField(help_text="Their sums_revision added up.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "dimension", "month"], name="analytics_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.month:%Y-%m} of brand {self.brand_id}"


class AnalyticsMonthSum(_BrandMonth):
    """One key's (SKU, product, buyer or catalog id) live orders, quantity and amount in a month.

    The key is the id of the dimension's row, not a foreign key: the sums are named when
    read, as the catalog and the buyer list name them then.
    """

    key = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    orders = models.PositiveIntegerField()
    quantity = models.BigIntegerField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "dimension", "month", "key", "currency"],
                name="analytics_month_sum_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key} in {self.month:%Y-%m}: {self.amount} {self.currency}"


# --- Documents made by the task worker -----------------------------------------------------------


class DocumentKind(models.TextChoices):
    LINE_SHEET = "line_sheet", _("Line sheet")
    PURCHASE_ORDER = "purchase_order", _("Purchase order")
    ORDER_CONFIRMATION = "order_confirmation", _("Order confirmation")
    ORDERS_XLSX = "orders_xlsx", _("Order lines (Excel)")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(models.Model):
    """A file made by the task worker for a brand or one of its buyers: a line sheet, a large
    order's PDF, a large export.

    `organization` is whom it was made for: blank for the brand's own members, else the buyer
    organisation, whose members alone may fetch it. `fingerprint` sums up everything the file
    says (see reporting.generation): a request with the same fingerprint is given this one.
    """

    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    # Indexed first in generated_document_reuse.
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+", db_index=False)
    organization = models.ForeignKey(
        BuyerOrganization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    catalog = models.ForeignKey(
        "catalog.Catalog", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        "ordering.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    # Progress in the kind's own units (products, lines); total is 0 until the task knows it.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # In STORAGES["default"], private: served only by views that check who asks.
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=200, help_text="The name the download carries.")
    error_code = models.CharField(max_length=60, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["brand", "kind", "fingerprint"], name="generated_document_reuse")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
