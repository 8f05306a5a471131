"""Order link queries: a brand's links with what came of them."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from linesheet.accounts.models import Brand
from linesheet.ordering.models import OrderLink


class OrderLinkState:
    """What a link says to a visitor now; the catalog's own state is shown beside it."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def order_link_state(link: OrderLink) -> str:
    if link.revoked_at is not None:
        return OrderLinkState.REVOKED
    if link.expires_at is not None and link.expires_at <= timezone.now():
        return OrderLinkState.EXPIRED
    return OrderLinkState.ACTIVE


def order_links_of_brand(*, brand: Brand, catalog_id: int | None = None) -> QuerySet[OrderLink]:
    """Return the brand's links, newest first, each with `orders_placed` (one query).

    `carts_opened` is a column of the link: carts are deleted when they are ordered.
    """
    links = OrderLink.objects.filter(brand=brand)
    if catalog_id is not None:
        links = links.filter(catalog_id=catalog_id)
    return (
        links.select_related("catalog", "created_by")
        .annotate(orders_placed=Count("orders"))
        .order_by("-created_at", "-id")
    )


def order_link_get_for_brand(*, brand: Brand, link_id: int) -> OrderLink | None:
    return order_links_of_brand(brand=brand).filter(pk=link_id).first()
