"""Catalogs (line sheets), products and their SKUs with retail prices."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, Buyer, ShippingGroup, TaxClass


class CatalogStatus(models.TextChoices):
    OPEN = "open", _("Open")
    LIMITED = "limited", _("Limited")
    CLOSED = "closed", _("Closed")


class BuyerGroup(models.Model):
    """A named set of the brand's buyers ("Key accounts", "Japan") that catalogs are opened to."""

    # Indexed first in buyer_group_name_unique.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="buyer_groups", db_index=False
    )
    name = models.CharField(_("name"), max_length=100)
    buyers = models.ManyToManyField(Buyer, related_name="buyer_groups", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="buyer_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Catalog(models.Model):
    # Indexed first in catalog_code_unique_per_brand.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="catalogs", db_index=False
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=CatalogStatus.choices, default=CatalogStatus.OPEN
    )
    order_deadline = models.DateField(_("order deadline"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    consignment = models.BooleanField(
        _("consignment"),
        default=False,
        help_text=_(
            "Holds partner (consignment) inventory; its orders are partner-inventory orders."
        ),
    )
    # The access list: who sees a limited catalog (catalog.selectors.catalogs_visible_to).
    # Changed only through ordering.services.access, which ends the carts of those it leaves out.
    access_buyers = models.ManyToManyField(
        Buyer, related_name="catalog_access", blank=True, verbose_name=_("buyers with access")
    )
    access_groups = models.ManyToManyField(
        BuyerGroup, related_name="catalogs", blank=True, verbose_name=_("groups with access")
    )
    # The shipping fees its carts and orders are charged (None: no shipping fee).
    shipping_group = models.ForeignKey(
        ShippingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogs",
        verbose_name=_("shipping fees"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "code"], name="catalog_code_unique_per_brand")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Product(models.Model):
    # Indexed first in product_model_number_unique_per_brand.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="products", db_index=False
    )
    # Indexed first in product_catalog_category.
    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="products", db_index=False
    )
    model_number = models.CharField(_("model number"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    # What buyers filter a catalog's gallery by ("Knitwear", "Outerwear"); blank when none.
    category = models.CharField(_("category"), max_length=60, blank=True, default="")
    # Taxed at the brand's standard or reduced rate for the buyer's country (catalog.taxes).
    tax_class = models.CharField(
        _("tax rate"),
        max_length=10,
        choices=TaxClass.choices,
        default=TaxClass.STANDARD,
        db_default=TaxClass.STANDARD,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "model_number"], name="product_model_number_unique_per_brand"
            )
        ]
        indexes = [
            # A catalog's gallery filtered by category, and the catalog's list of categories.
            models.Index(fields=["catalog", "category"], name="product_catalog_category")
        ]

    def __str__(self) -> str:
        return f"{self.model_number} {self.name}"


class SKU(models.Model):
    """One orderable colour x size of a product. Discontinued SKUs stay for old orders."""

    # Indexed first in sku_number_unique_per_brand.
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="skus", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    sku_number = models.CharField(_("SKU number"), max_length=60)
    color = models.CharField(_("colour"), max_length=60)
    size = models.CharField(_("size"), max_length=20)
    retail_price = models.DecimalField(
        _("retail price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("orderable"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product_id", "position", "id"]
        verbose_name = "SKU"
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "sku_number"], name="sku_number_unique_per_brand"
            ),
            models.CheckConstraint(
                condition=Q(retail_price__gte=0), name="sku_retail_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.sku_number


class ProductImage(models.Model):
    """A photo of a product, for all its colours or one (`color` matches `SKU.color`).

    `position` orders a product's images from 0, the main one; the services keep the positions
    0, 1, 2, ... without gaps. `original` is the storage name of the upload as kept (checked and
    re-encoded by core.images); `thumbnails` maps a size of catalog.images.THUMBNAIL_SIZES to
    the storage name of its copy, empty until the background task has made them.
    """

    # Indexed first in product_image_order.
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", db_index=False
    )
    color = models.CharField(_("colour"), max_length=60, blank=True)
    position = models.PositiveIntegerField(default=0)
    original = models.CharField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumbnails = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "position", "id"]
        indexes = [models.Index(fields=["product", "position", "id"], name="product_image_order")]

    def __str__(self) -> str:
        return f"image {self.position} of product {self.product_id}"


# The catalog's order of SKUs: products by model number, then each product's colours and sizes
# as the brand laid them out (`position`). Carts, orders, OCs and their pages and PDFs list
# lines in this order, whatever order the lines were typed or changed in.
SKU_CATALOG_ORDER = ("product__model_number", "product_id", "position", "id")


def sku_catalog_position(sku: SKU) -> tuple[str, int, int, int]:
    """Return the SKU's place in SKU_CATALOG_ORDER (its product loaded with it)."""
    return (sku.product.model_number, sku.product_id, sku.position, sku.pk)


class AccessEventType(models.TextChoices):
    LIST_CHANGED = "list_changed", _("Access list changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    LINK_GRANTED = "link_granted", _("Access granted by an order link")
    GROUP_CREATED = "group_created", _("Group created")
    GROUP_RENAMED = "group_renamed", _("Group renamed")
    GROUP_DELETED = "group_deleted", _("Group deleted")
    GROUP_BUYERS_CHANGED = "group_buyers_changed", _("Group's buyers changed")
    CARTS_ENDED = "carts_ended", _("Carts ended: access withdrawn")


class AccessEvent(models.Model):
    """One change to who may see the brand's catalogs, by whom and when: the access history.

    Names are copied into `details`, so the history still reads after a group or buyer is gone.
    """

    # Indexed first in access_event_brand.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="access_events", db_index=False
    )
    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, null=True, blank=True, related_name="access_events"
    )
    group = models.ForeignKey(
        BuyerGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=30, choices=AccessEventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                "brand",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="access_event_brand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} at {self.brand_id}"
