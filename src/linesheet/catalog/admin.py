"""Support's read-only view of catalogs, products and SKUs; brands edit them in the Brand App."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linesheet.catalog.models import SKU, AccessEvent, BuyerGroup, Catalog, Product, ProductImage
from linesheet.catalog.templatetags.product_images import product_thumb
from linesheet.core.admin import ViewOnlyAdmin, ViewOnlyTabularInline


class ProductInline(ViewOnlyTabularInline):
    model = Product
    fields = ["model_number", "name", "category"]
    ordering = ["model_number"]


class SKUInline(ViewOnlyTabularInline):
    model = SKU
    fields = ["sku_number", "color", "size", "retail_price", "is_active", "position"]
    ordering = ["position", "id"]


class ProductImageInline(ViewOnlyTabularInline):
    model = ProductImage
    fields = ["preview", "position", "color", "width", "height", "created_at"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("image"))
    def preview(self, image: ProductImage) -> str:
        return product_thumb(image, "s", image.color)


@admin.register(Catalog)
class CatalogAdmin(ViewOnlyAdmin):
    list_display = [
        "name",
        "code",
        "brand",
        "status",
        "order_deadline",
        "currency",
        "consignment",
        "product_count",
        "created_at",
    ]
    list_filter = ["status", "consignment", "currency", "brand"]
    search_fields = ["name", "code", "brand__name", "brand__slug"]
    list_select_related = ["brand"]
    inlines = [ProductInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Catalog]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, catalog: Any) -> int:
        return int(catalog.product_count)


@admin.register(Product)
class ProductAdmin(ViewOnlyAdmin):
    list_display = [
        "model_number",
        "name",
        "category",
        "brand",
        "catalog",
        "sku_count",
        "created_at",
    ]
    list_filter = ["catalog__status", "brand"]
    search_fields = ["model_number", "name", "category", "skus__sku_number", "catalog__code"]
    list_select_related = ["brand", "catalog"]
    inlines = [SKUInline, ProductImageInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        return super().get_queryset(request).annotate(sku_count=Count("skus"))

    @admin.display(description=_("SKUs"), ordering="sku_count")
    def sku_count(self, product: Any) -> int:
        return int(product.sku_count)


@admin.register(SKU)
class SKUAdmin(ViewOnlyAdmin):
    list_display = [
        "sku_number",
        "product",
        "color",
        "size",
        "retail_price",
        "currency",
        "is_active",
    ]
    list_filter = ["is_active", "product__catalog__status", "brand"]
    search_fields = ["sku_number", "product__model_number", "product__name", "color"]
    list_select_related = ["product__catalog", "brand"]

    @admin.display(description=_("currency"))
    def currency(self, sku: SKU) -> str:
        return sku.product.catalog.currency


@admin.register(BuyerGroup)
class BuyerGroupAdmin(ViewOnlyAdmin):
    """Brands manage their groups in the Brand App; changing them here would end no cart."""

    list_display = ["name", "brand", "created_at"]
    list_filter = ["brand"]
    search_fields = ["name", "brand__name", "buyers__name"]
    list_select_related = ["brand"]
    filter_horizontal = ["buyers"]


@admin.register(AccessEvent)
class AccessEventAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "brand", "type", "catalog", "actor"]
    list_filter = ["type", "brand"]
    search_fields = ["brand__name", "catalog__name", "catalog__code", "actor__email"]
    list_select_related = ["brand", "catalog", "actor"]
