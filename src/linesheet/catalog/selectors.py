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


def catalog_get_for_brand(*, brand: Brand, catalog_id: int) -> Catalog | None:
    """Return the brand's catalog with that id, or None when the brand has no such catalog."""
    return Catalog.objects.filter(brand=brand, pk=catalog_id).first()


def catalog_with_products(
    *, catalogs: QuerySet[Catalog], orderable_skus_only: bool = False
) -> QuerySet[Catalog]:
    """Prefetch products and their SKUs in two queries whatever the size of the catalog.

    With `orderable_skus_only`, discontinued SKUs (kept for old orders) are left out.
    """
    skus = SKU.objects.order_by("position", "id")
    if orderable_skus_only:
        skus = skus.filter(is_active=True)
    return catalogs.prefetch_related(
        Prefetch(
            "products",
            queryset=Product.objects.order_by("model_number").prefetch_related(
                Prefetch("skus", queryset=skus)
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


def catalogs_of_connected_brands(*, organization: BuyerOrganization) -> QuerySet[Catalog]:
    """Return every catalog of the brands the organisation is connected to, closed ones too.

    A catalog's own page says why a closed catalog takes no orders (a cart or an order still
    links to it); listings use `catalogs_visible_to`, which leaves closed catalogs out.
    """
    return Catalog.objects.filter(brand__buyers__organization=organization).select_related("brand")
