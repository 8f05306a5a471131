"""Catalog queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from linesheet.accounts.models import Brand, BuyerOrganization
from linesheet.catalog.models import SKU, Catalog, CatalogStatus, Product


def catalogs_of_brand(*, brand: Brand) -> QuerySet[Catalog]:
    return (
        Catalog.objects.filter(brand=brand)
        .annotate(product_count=Count("products"))
        .order_by("-created_at", "-id")
    )


def catalog_with_products(*, catalogs: QuerySet[Catalog]) -> QuerySet[Catalog]:
    """Prefetch products and their SKUs in two queries whatever the size of the catalog."""
    return catalogs.prefetch_related(
        Prefetch(
            "products",
            queryset=Product.objects.order_by("model_number").prefetch_related(
                Prefetch("skus", queryset=SKU.objects.order_by("position", "id"))
            ),
        )
    )


def catalogs_visible_to(*, organization: BuyerOrganization) -> QuerySet[Catalog]:
    """Return the catalogs a buyer organisation may browse: not closed, of connected brands."""
    return (
        Catalog.objects.filter(brand__buyers__organization=organization)
        .exclude(status=CatalogStatus.CLOSED)
        .select_related("brand")
        .order_by("brand__name", "name")
    )
