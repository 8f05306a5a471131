"""Order links: a brand's link to one catalog that lands the visitor in that catalog's cart."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.accounts.services import buyer_connect
from linesheet.catalog.models import Catalog
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import Cart, OrderLink
from linesheet.ordering.services.carts import cart_create
from linesheet.ordering.services.guard import today


def order_link_create(
    *,
    catalog: Catalog,
    created_by: User | None,
    expires_at: datetime.datetime | None = None,
    passcode: str = "",
) -> OrderLink:
    """Issue a link to the catalog, optionally expiring and guarded by a passcode."""
    errors: dict[str, list[dict[str, str]]] = {}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [
            {"code": "in_past", "message": _("Choose an expiry in the future.")}
        ]
    if passcode and not 4 <= len(passcode) <= 64:
        errors["passcode"] = [
            {"code": "invalid", "message": _("A passcode has 4 to 64 characters.")}
        ]
    if errors:
        raise InvalidInput(errors)
    return OrderLink.objects.create(
        brand_id=catalog.brand_id,
        catalog=catalog,
        expires_at=expires_at,
        passcode_hash=make_password(passcode) if passcode else "",
        created_by=created_by,
    )


def order_link_check(*, token: str, passcode: str | None = None) -> OrderLink:
    """Return the usable link for `token`, or refuse: unknown, expired, passcode, closed catalog.

    Without `passcode` the passcode is not checked yet (the visitor has not been asked).
    """
    link = (
        OrderLink.objects.select_related("catalog", "brand")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise OrderError(OrderErrorCode.LINK_NOT_FOUND, status=404)
    if link.expires_at is not None and link.expires_at <= timezone.now():
        raise OrderError(
            OrderErrorCode.LINK_EXPIRED,
            status=410,
            brand=link.brand.name,
            expired_at=link.expires_at.date().isoformat(),
        )
    reason = rules.catalog_closed_reason(
        status=link.catalog.status, order_deadline=link.catalog.order_deadline, today=today()
    )
    if reason is not None:
        raise OrderError(
            OrderErrorCode.CATALOG_CLOSED,
            catalog=link.catalog.name,
            reason=str(rules.CLOSED_REASONS[reason]),
        )
    if passcode is not None and link.has_passcode:
        if not passcode:
            raise OrderError(OrderErrorCode.PASSCODE_REQUIRED, status=403)
        if not check_password(passcode, link.passcode_hash):
            raise OrderError(OrderErrorCode.PASSCODE_WRONG, status=403)
    return link


def cart_open_from_link(*, token: str, passcode: str, organization: BuyerOrganization) -> Cart:
    """Land the organisation in the link's catalog cart, connecting it to the brand if needed.

    An existing cart for the catalog is reused (one cart per catalog); a new one remembers the
    link so its order is routed as an order link.
    """
    link = order_link_check(token=token, passcode=passcode)
    with transaction.atomic():
        buyer_connect(brand=link.brand, organization=organization)
        existing = Cart.objects.filter(organization=organization, catalog=link.catalog).first()
        if existing is not None:
            if existing.order_link_id is None and not existing.returned_by_brand:
                Cart.objects.filter(pk=existing.pk).update(order_link=link)
            return existing
        cart = cart_create(organization=organization, catalog=link.catalog)
        Cart.objects.filter(pk=cart.pk).update(order_link=link)
        cart.order_link = link
    return cart
