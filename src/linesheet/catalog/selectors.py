"""Catalog queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.models import Brand, Buyer, BuyerOrganization
from linesheet.catalog.models import (
    SKU,
    AccessEvent,
    BuyerGroup,
    Catalog,
    CatalogStatus,
    Product,
    ProductImage,
)


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


# --- A catalog's products as a gallery ----------------------------------------------------------


def catalog_gallery_products(
    *,
    catalog_id: int,
    text: str = "",
    color: str = "",
    category: str = "",
    orderable_skus_only: bool = False,
) -> QuerySet[Product]:
    """Return the catalog's products by model number, narrowed by the filters given.

    `text` is looked for in the name and the model number; `color` keeps the products with a
    SKU in that colour (an orderable one with `orderable_skus_only`); `category` is matched
    exactly. Each product comes with its SKUs (prefetched: one query for a whole page).
    """
    skus = SKU.objects.order_by("position", "id")
    if orderable_skus_only:
        skus = skus.filter(is_active=True)
    products = Product.objects.filter(catalog_id=catalog_id)
    if text:
        products = products.filter(Q(name__icontains=text) | Q(model_number__icontains=text))
    if color:
        products = products.filter(Exists(skus.filter(product=OuterRef("pk"), color=color)))
    if category:
        products = products.filter(category=category)
    return products.order_by("model_number", "id").prefetch_related(Prefetch("skus", queryset=skus))


def catalog_colors(*, catalog_id: int, orderable_skus_only: bool = False) -> list[str]:
    """Return the colours the catalog's SKUs come in, alphabetically."""
    skus = SKU.objects.filter(product__catalog_id=catalog_id)
    if orderable_skus_only:
        skus = skus.filter(is_active=True)
    return list(skus.order_by("color").values_list("color", flat=True).distinct())


def catalog_categories(*, catalog_id: int) -> list[str]:
    """Return the categories the catalog's products are filed under, alphabetically."""
    return list(
        Product.objects.filter(catalog_id=catalog_id)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


# --- Who sees a catalog: the one rule ---------------------------------------------------------
#
# A buyer organisation sees a catalog, browses it, holds a cart for it and orders from it when
# it is connected to the catalog's brand and the catalog is
#   - open: every connected buyer;
#   - limited: only buyers on its access list, named or through one of the listed groups;
#   - closed: nobody (its page only says that it takes no orders, to those who saw it).
# Both queries below are this rule, from the two sides: the catalogs of an organisation and
# the buyers of a catalog. Proxy orders and sheet imports by the brand ignore it.


def _on_access_list(catalog: Catalog | Combinable) -> Q:
    """Return the condition on Buyer that it is on the catalog's access list."""
    return Q(catalog_access=catalog) | Q(buyer_groups__catalogs=catalog)


def _buyer_of(organization: BuyerOrganization | int) -> QuerySet[Buyer]:
    """The organisation's buyer record at the outer catalog's brand (at most one)."""
    return Buyer.objects.filter(brand_id=OuterRef("brand_id"), organization=organization)


def catalogs_visible_to(*, organization: BuyerOrganization | int) -> QuerySet[Catalog]:
    """Return the catalogs the organisation may browse and order from: the access rule."""
    buyer = _buyer_of(organization)
    return (
        Catalog.objects.alias(
            connected=Exists(buyer),
            listed=Exists(buyer.filter(_on_access_list(OuterRef("pk")))),
        )
        .filter(
            Q(status=CatalogStatus.OPEN, connected=True)
            | Q(status=CatalogStatus.LIMITED, listed=True)
        )
        .select_related("brand")
        .order_by("brand__name", "name")
    )


def catalog_visible_to(*, organization: BuyerOrganization | int, catalog_id: int) -> bool:
    """Return whether the organisation may browse and order from the catalog now."""
    return catalogs_visible_to(organization=organization).filter(pk=catalog_id).exists()


def catalog_reachable_by(*, organization: BuyerOrganization | int, catalog_id: int) -> bool:
    """Return whether the organisation sees the catalog, or saw it before it was closed."""
    return catalogs_reachable_by(organization=organization).filter(pk=catalog_id).exists()


def catalog_viewers(*, catalog: Catalog) -> QuerySet[Buyer]:
    """Return the connected buyers who see the catalog (see the rule above)."""
    buyers = Buyer.objects.filter(brand_id=catalog.brand_id, organization__isnull=False)
    if catalog.status == CatalogStatus.OPEN:
        return buyers
    if catalog.status == CatalogStatus.LIMITED:
        return buyers.filter(pk__in=Buyer.objects.filter(_on_access_list(catalog)).values("pk"))
    return buyers.none()


def catalogs_reachable_by(*, organization: BuyerOrganization | int) -> QuerySet[Catalog]:
    """Return the catalogs whose page the organisation may open: those it sees, and closed ones.

    A closed catalog's page only says why it takes no orders (a cart or an order still links to
    it): to every connected buyer when the catalog has no access list, else to those on it.
    """
    buyer = _buyer_of(organization)
    has_list = Exists(
        Catalog.access_buyers.through.objects.filter(catalog_id=OuterRef("pk"))
    ) | Exists(Catalog.access_groups.through.objects.filter(catalog_id=OuterRef("pk")))
    return (
        Catalog.objects.alias(
            connected=Exists(buyer),
            listed=Exists(buyer.filter(_on_access_list(OuterRef("pk")))),
            has_list=has_list,
        )
        .filter(
            Q(status=CatalogStatus.OPEN, connected=True)
            | Q(status=CatalogStatus.LIMITED, listed=True)
            | Q(status=CatalogStatus.CLOSED, connected=True, has_list=False)
            | Q(status=CatalogStatus.CLOSED, listed=True)
        )
        .select_related("brand")
    )


# --- Access lists, as the brand manages them ---------------------------------------------------


def buyer_groups_of_brand(*, brand: Brand) -> QuerySet[BuyerGroup]:
    """Return the brand's buyer groups by name, each with `buyer_count` and `catalog_count`."""
    return (
        BuyerGroup.objects.filter(brand=brand)
        .annotate(
            buyer_count=Count("buyers", distinct=True),
            catalog_count=Count("catalogs", distinct=True),
        )
        .order_by("name", "id")
    )


def buyer_group_get_for_brand(*, brand: Brand, group_id: int) -> BuyerGroup | None:
    return buyer_groups_of_brand(brand=brand).filter(pk=group_id).first()


@dataclass(frozen=True)
class AccessSummary:
    """Who sees a catalog, in a line: "Visible to 12 buyers: Key accounts, Japan, + 2 buyers"."""

    status: str
    viewer_count: int
    group_names: list[str]
    # Buyers named on the list who are in none of its groups.
    other_buyer_count: int

    @property
    def text(self) -> str:
        if self.status == CatalogStatus.CLOSED:
            return str(_("Closed: no buyer sees it or orders from it."))
        if self.status == CatalogStatus.OPEN:
            return ngettext(
                "Open to every connected buyer (%(count)s).",
                "Open to every connected buyer (%(count)s).",
                self.viewer_count,
            ) % {"count": self.viewer_count}
        if not self.viewer_count:
            return str(_("Visible to nobody yet: add buyers or groups to its access list."))
        if not self.group_names:
            return ngettext(
                "Visible to %(count)s buyer named on its list.",
                "Visible to %(count)s buyers named on its list.",
                self.viewer_count,
            ) % {"count": self.viewer_count}
        listed = ", ".join(self.group_names)
        if self.other_buyer_count:
            listed += ", + " + ngettext(
                "%(count)s buyer", "%(count)s buyers", self.other_buyer_count
            ) % {"count": self.other_buyer_count}
        return ngettext(
            "Visible to %(count)s buyer: %(listed)s",
            "Visible to %(count)s buyers: %(listed)s",
            self.viewer_count,
        ) % {"count": self.viewer_count, "listed": listed}


def catalog_access_summary(*, catalog: Catalog) -> AccessSummary:
    """Say who sees the catalog now: one query for an open catalog, three for a limited one."""
    if catalog.status != CatalogStatus.LIMITED:
        return AccessSummary(
            status=catalog.status,
            viewer_count=catalog_viewers(catalog=catalog).count()
            if catalog.status == CatalogStatus.OPEN
            else 0,
            group_names=[],
            other_buyer_count=0,
        )
    groups = list(catalog.access_groups.order_by("name").values_list("pk", "name"))
    other = (
        catalog.access_buyers.filter(organization__isnull=False)
        .exclude(buyer_groups__in=[pk for pk, _name in groups])
        .count()
    )
    return AccessSummary(
        status=catalog.status,
        viewer_count=catalog_viewers(catalog=catalog).count(),
        group_names=[name for _pk, name in groups],
        other_buyer_count=other,
    )


def catalog_access_history(*, catalog: Catalog) -> QuerySet[AccessEvent]:
    """Return the changes to who sees the catalog, newest first: its own, and its groups'."""
    groups = list(catalog.access_groups.values_list("pk", flat=True))
    return (
        AccessEvent.objects.filter(Q(catalog=catalog) | Q(group_id__in=groups))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def access_history_of_brand(*, brand: Brand) -> QuerySet[AccessEvent]:
    """Return every change to who sees the brand's catalogs, newest first."""
    return (
        AccessEvent.objects.filter(brand=brand)
        .select_related("actor", "catalog")
        .order_by("-created_at", "-id")
    )


# --- Product images -----------------------------------------------------------------------------


def product_main_images(*, product_ids: Iterable[int]) -> dict[int, ProductImage]:
    """Return each product's main image (its lowest position), by product id, in one query.

    Products without images are absent.
    """
    ids = list(product_ids)
    if not ids:
        return {}
    first = (
        ProductImage.objects.filter(product_id=OuterRef("product_id"))
        .order_by("position", "id")
        .values("pk")[:1]
    )
    images = ProductImage.objects.filter(product_id__in=ids, pk=Subquery(first))
    return {image.product_id: image for image in images}


def product_images_of(*, product_ids: Iterable[int]) -> dict[int, list[ProductImage]]:
    """Return each product's images in their order, by product id, in one query.

    Products without images are absent.
    """
    ids = list(product_ids)
    if not ids:
        return {}
    result: dict[int, list[ProductImage]] = {}
    for image in ProductImage.objects.filter(product_id__in=ids).order_by(
        "product_id", "position", "id"
    ):
        result.setdefault(image.product_id, []).append(image)
    return result


def product_get_for_brand(*, brand: Brand, catalog_id: int, product_id: int) -> Product | None:
    """Return the brand's product in that catalog, its catalog with it, or None."""
    return (
        Product.objects.filter(brand=brand, catalog_id=catalog_id, pk=product_id)
        .select_related("catalog")
        .first()
    )


def product_colors(*, product: Product) -> list[str]:
    """Return the product's colours in the order of its SKUs, each once."""
    colors = SKU.objects.filter(product=product).order_by("position", "id")
    return list(dict.fromkeys(colors.values_list("color", flat=True)))


def sku_line_images(*, sku_ids: Iterable[int]) -> dict[int, ProductImage]:
    """Return the picture each SKU's line shows (one query, whatever the number of lines).

    The first image of the SKU's colour; else the first for all colours; else the product's
    main image. A SKU whose product has no image is left out.
    """
    ids = set(sku_ids)
    if not ids:
        return {}
    images = (
        ProductImage.objects.filter(product__skus__id__in=ids)
        .annotate(line_sku_id=F("product__skus__id"), line_color=F("product__skus__color"))
        .order_by("position", "id")
    )
    chosen: dict[int, tuple[int, ProductImage]] = {}
    for image in images:
        # 0: the line's own colour, 1: for all colours, 2: another colour's.
        rank = 0 if image.color == image.line_color else 1 if not image.color else 2
        best = chosen.get(image.line_sku_id)
        if best is None or rank < best[0]:
            chosen[image.line_sku_id] = (rank, image)
    return {sku_id: image for sku_id, (_rank, image) in chosen.items()}
