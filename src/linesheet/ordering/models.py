"""Carts, orders with their immutable Original Order lines, order numbering and order events."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, Buyer, BuyerOrganization, ShippingGroup
from linesheet.catalog.models import SKU, Catalog
from linesheet.core.tax import AppliedRate
from linesheet.ordering.statuses import OrderStatus

MAX_LINE_QUANTITY = 100_000
MAX_CART_LINES = 5_000


def new_link_token() -> str:
    return secrets.token_urlsafe(18)


class OrderLink(models.Model):
    """A brand-issued link to one catalog: whoever opens it logs in or registers, and orders."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="order_links")
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="order_links")
    token = models.CharField(max_length=64, unique=True, default=new_link_token)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    passcode_hash = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # For a limited catalog: whoever opens the link is put on the catalog's access list. Without
    # it, the link serves only buyers already on the list.
    grants_access = models.BooleanField(
        _("grants access"),
        default=False,
        help_text=_("Whoever opens the link is added to the limited catalog's access list."),
    )
    # The shipping fees its carts and orders are charged instead of the catalog's (None: the
    # catalog's).
    shipping_group = models.ForeignKey(
        ShippingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_links",
        verbose_name=_("shipping fees"),
    )
    # Carts are deleted when ordered, so how many were opened through the link is counted here.
    carts_opened = models.PositiveIntegerField(_("carts opened"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link to {self.catalog_id}"

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)


class Cart(models.Model):
    """The buyer organisation's Draft Order List for one catalog: at most one per catalog."""

    # Indexed first in cart_one_per_organization_and_catalog; no index of its own.
    organization = models.ForeignKey(
        BuyerOrganization, on_delete=models.CASCADE, related_name="carts", db_index=False
    )
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="carts")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="carts")
    desired_delivery_date = models.DateField(_("desired delivery date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    delivery_address = models.TextField(_("delivery address"), blank=True, max_length=1000)
    billing_address = models.TextField(_("billing address"), blank=True, max_length=1000)
    returned_by_brand = models.BooleanField(_("returned by brand"), default=False)
    source_order = models.OneToOneField(
        "Order", on_delete=models.PROTECT, null=True, blank=True, related_name="returned_cart"
    )
    order_link = models.ForeignKey(
        OrderLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carts",
        help_text=_("The link the cart was opened from: its order is routed as an order link."),
    )
    return_message = models.TextField(
        _("brand's message"), blank=True, help_text=_("What the brand wrote when returning it.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "catalog"], name="cart_one_per_organization_and_catalog"
            )
        ]

    def __str__(self) -> str:
        return f"cart {self.pk} of {self.organization_id} for catalog {self.catalog_id}"


class CartLine(models.Model):
    # Indexed first in cart_line_one_per_sku.
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", db_index=False)
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)]
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="cart_line_one_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_LINE_QUANTITY),
                name="cart_line_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku_id} x {self.quantity}"


class ClosedCart(models.Model):
    """What became of a cart that is gone: the order placed from it, or its deletion.

    Written when a cart is ordered or deleted. A link the app sent to a cart (the return email,
    "View the cart") keeps working after that: it leads to the order, or says what happened.
    """

    class Outcome(models.TextChoices):
        ORDERED = "ordered", _("Ordered")
        DELETED = "deleted", _("Deleted")
        # The brand took the organisation off the limited catalog's access list.
        WITHDRAWN = "withdrawn", _("Withdrawn: access to the catalog ended")

    # The id the cart had: links name carts by it. Cart ids are never reused.
    cart_id = models.PositiveBigIntegerField(primary_key=True)
    organization = models.ForeignKey(BuyerOrganization, on_delete=models.CASCADE, related_name="+")
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    order = models.OneToOneField(
        "Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placed_from_cart",
        help_text=_("The order placed from the cart."),
    )
    returned_order = models.ForeignKey(
        "Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The order the brand had returned into the cart, for a returned cart."),
    )
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"cart {self.cart_id} {self.outcome}"


class OrderRoute(models.TextChoices):
    BUYER_APP = "buyer_app", _("Buyer App")
    ORDER_LINK = "order_link", _("Order link")
    PROXY = "proxy", _("Proxy order")
    EXCEL_SHEET = "excel_sheet", _("Excel order sheet")


class OrderNumbering(models.Model):
    """The brand's rule for order codes: [date][prefix]<zero-padded sequence>[suffix]."""

    class DateFormat(models.TextChoices):
        NONE = "", _("No date")
        YEAR = "%Y", _("Year")
        YEAR_MONTH = "%Y%m", _("Year and month")
        DATE = "%Y%m%d", _("Date")

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="order_numbering")
    date_format = models.CharField(
        _("date prefix"), max_length=10, choices=DateFormat.choices, default="", blank=True
    )
    prefix = models.CharField(_("prefix"), max_length=12, blank=True, default="")
    width = models.PositiveSmallIntegerField(
        _("digits"), default=6, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    suffix = models.CharField(_("suffix"), max_length=12, blank=True, default="")
    next_value = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"numbering of {self.brand_id}"


class Order(models.Model):
    """A placed order. Its header as placed and its lines are the Original Order: immutable."""

    # The only fields that change after placing; everything else is the Original Order.
    MUTABLE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"status", "archived", "sums_revision", "updated_at"}
    )

    # The brand, buyer, organisation and catalog each lead one of the indexes in Meta, which
    # serve their lookups; an index of their own would only be one more to write on every
    # insert and status change (a status change rewrites every index entry of the order).
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    code = models.CharField(_("code"), max_length=60)
    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    organization = models.ForeignKey(
        BuyerOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        db_index=False,
    )
    catalog = models.ForeignKey(
        Catalog, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    route = models.CharField(_("route"), max_length=12, choices=OrderRoute.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_OC
    )
    currency = models.CharField(_("currency"), max_length=3)
    total_quantity = models.PositiveIntegerField(default=0)
    # The net amount: the lines' amounts before tax (what analytics sum).
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Net, tax per rate and gross as placed (core.tax.TaxTotals.as_dict); null for an order
    # placed before tax was kept, which reads as its net with no tax (order_tax_totals).
    tax_totals = models.JSONField(null=True, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    desired_delivery_date = models.DateField(_("desired delivery date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    delivery_address = models.TextField(_("delivery address"), blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The returned order this order was placed again from."),
    )
    order_link = models.ForeignKey(
        OrderLink,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        help_text=_("The order link whose cart this order was placed from."),
    )
    archived = models.BooleanField(_("archived"), default=False)
    # Counts up whenever what the order adds to analytics changes: its status starts or stops
    # counting, or moves from the Original Order's lines to the OC's, or its OC's lines are
    # saved. Cached monthly analytics hold while their orders' count and revisions are as
    # they were (reporting.AnalyticsMonth). The database default lets bulk loads leave it out.
    sums_revision = models.PositiveIntegerField(default=0, db_default=0)
    tags: models.ManyToManyField[Tag, OrderTag] = models.ManyToManyField(
        "Tag", through="OrderTag", related_name="orders", blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            # One index for both uniqueness and the code prefix search (LIKE 'B00123%'): the
            # plain operator class cannot serve LIKE under a non-C collation; the pattern one
            # can, and its equality is the same.
            models.UniqueConstraint(
                fields=["brand", "code"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="order_code_unique_per_brand",
            )
        ]
        indexes = [
            # Order Management: newest first within a brand, optionally by status (keyset pages).
            models.Index(
                "brand",
                "archived",
                "status",
                models.F("placed_at").desc(),
                models.F("id").desc(),
                name="order_brand_status_placed",
            ),
            models.Index(
                "brand",
                "archived",
                models.F("placed_at").desc(),
                models.F("id").desc(),
                name="order_brand_placed",
            ),
            models.Index(
                "organization",
                models.F("placed_at").desc(),
                models.F("id").desc(),
                name="order_org_placed",
            ),
            # Order Management filtered by buyer or by catalog: the page is read in index order
            # instead of sorting all the buyer's or catalog's orders (or walking the brand's).
            models.Index(
                "buyer",
                "archived",
                models.F("placed_at").desc(),
                models.F("id").desc(),
                name="order_buyer_placed",
            ),
            models.Index(
                "catalog",
                "archived",
                models.F("placed_at").desc(),
                models.F("id").desc(),
                name="order_catalog_placed",
            ),
            # Analytics: a period's orders with what their sums group and filter by, and the
            # revisions that tell whether a cached month still holds, read from this index
            # alone (key columns, not INCLUDE, which SQLite lacks).
            models.Index(
                fields=["brand", "placed_at", "status", "currency", "id", "sums_revision"],
                name="order_brand_placed_sums",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to rewrite the Original Order: after insert only MUTABLE_FIELDS may change."""
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ImmutableOrderError(
                    "an order's Original Order never changes; save with update_fields among "
                    f"{sorted(self.MUTABLE_FIELDS)}"
                )
        super().save(*args, **kwargs)


class Tag(models.Model):
    """A brand-internal label on orders, with a colour."""

    # Indexed first in tag_name_unique.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="order_tags", db_index=False
    )
    name = models.CharField(_("name"), max_length=40)
    color = models.CharField(_("colour"), max_length=7, default="#52606d")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="tag_name_unique")]

    def __str__(self) -> str:
        return self.name


class OrderTag(models.Model):
    # Indexed first in order_tag_unique.
    order = models.ForeignKey(
        "Order", on_delete=models.CASCADE, related_name="order_tags", db_index=False
    )
    # Indexed first in order_tag_listed.
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="order_tags", db_index=False
    )
    # Copies of the order's placed_at and archived, so that Order Management filtered by a tag
    # reads the tag's orders newest first from order_tag_listed and stops after a page. Without
    # them PostgreSQL walks the brand's newest orders and probes each for the tag: tens of
    # thousands of orders for a page of a tag on one order in twenty. placed_at never changes
    # after placing (the Original Order); order_set_tags copies both, order_archive updates
    # archived in the same transaction.
    placed_at = models.DateTimeField()
    archived = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "tag"], name="order_tag_unique")]
        indexes = [
            # Archived last: the tag's orders come newest first whether archived, not archived
            # or both are asked for (archived orders are few, so skipping them costs little).
            models.Index(
                "tag",
                models.F("placed_at").desc(),
                models.F("order").desc(),
                "archived",
                name="order_tag_listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.order_id}"


def applied_tax_of(line: OrderLine | Any) -> AppliedRate | None:
    """Return the tax rate a line (of an order or a document) was written with, or None."""
    if line.tax_rate is None:
        return None
    return AppliedRate(name=line.tax_name, rate=line.tax_rate, reduced=line.tax_reduced)


class ImmutableOrderError(RuntimeError):
    """A programming error: code tried to change the Original Order."""


class OrderLineQuerySet(models.QuerySet["OrderLine"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableOrderError("Original Order lines never change")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableOrderError("Original Order lines are never deleted")


class OrderLine(models.Model):
    """One line of the Original Order, as placed: SKU facts, quantity, unit price, amount."""

    # Indexed first in order_line_sums.
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines", db_index=False)
    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    sku_number = models.CharField(max_length=60)
    model_number = models.CharField(max_length=60)
    product_name = models.CharField(max_length=200)
    color = models.CharField(max_length=60)
    size = models.CharField(max_length=20)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The tax rate applied when placed (null: none); database defaults let bulk loads leave
    # them out.
    tax_name = models.CharField(max_length=60, blank=True, default="", db_default="")
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    tax_reduced = models.BooleanField(default=False, db_default=False)
    position = models.PositiveIntegerField(default=0)

    objects = OrderLineQuerySet.as_manager()

    class Meta:
        ordering = ["order_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            )
        ]
        indexes = [
            # Analytics sum a period's lines per SKU: the orders' lines with their quantity and
            # amount are read from this index alone (key columns, not INCLUDE, which SQLite
            # lacks), never from the wide rows.
            models.Index(fields=["order", "sku", "quantity", "amount"], name="order_line_sums"),
        ]

    def __str__(self) -> str:
        return f"{self.sku_number} x {self.quantity}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableOrderError("Original Order lines never change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableOrderError("Original Order lines are never deleted")

    @property
    def applied_tax(self) -> AppliedRate | None:
        return applied_tax_of(self)


class OrderEvent(models.Model):
    """What happened to an order, by whom and when; written in the transaction of the change."""

    # Indexed first in the (order, created_at) index of Meta.
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["order", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} on {self.order_id}"
