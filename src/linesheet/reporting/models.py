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

from django.db import models
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand


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
