"""Order links: a brand's link to one catalog that lands the visitor in that catalog's cart."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.attempts import PASSCODE, attempt_start, attempt_succeeded
from linesheet.accounts.models import BuyerOrganization, User
from linesheet.accounts.services import buyer_connect
from linesheet.catalog.models import Catalog, CatalogStatus
from linesheet.catalog.selectors import catalog_visible_to
from linesheet.catalog.services import shipping_group_check
from linesheet.core.clock import today
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import Cart, OrderLink
from linesheet.ordering.services.access import catalog_access_grant_by_link
from linesheet.ordering.services.carts import cart_create


def order_link_create(
    *,
    catalog: Catalog,
    created_by: User | None,
    expires_at: datetime.datetime | None = None,
    passcode: str = "",
    grants_access: bool = False,
    shipping_group_id: int | None = None,
) -> OrderLink:
    """Issue a link to the catalog, optionally expiring and guarded by a passcode.

    To a limited catalog, the link serves only buyers on its access list, unless it
    `grants_access`: then whoever opens it is put on the list. `shipping_group_id` names the
    shipping fees its orders are charged instead of the catalog's.
    """
    shipping_group_check(
        brand_id=catalog.brand_id, group_id=shipping_group_id, currency=catalog.currency
    )
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
        grants_access=grants_access,
        shipping_group_id=shipping_group_id,
        created_by=created_by,
    )


def order_link_check(
    *, token: str, passcode: str | None = None, address: str | None = None
) -> OrderLink:
    """Return the usable link for `token`, or refuse: unknown, revoked, expired, closed catalog,
    passcode.

    Without `passcode` the passcode is not checked yet (the visitor has not been asked). A
    passcode is checked at the passcode door: wrong tries are limited per link and per client
    `address` (`TooManyAttempts`), so call this outside any transaction (see `attempts`).
    """
    link = OrderLink.objects.select_related("catalog", "brand").filter(token=token).first()
    if link is None:
        raise OrderError(OrderErrorCode.LINK_NOT_FOUND, status=404)
    if link.revoked_at is not None:
        raise OrderError(OrderErrorCode.LINK_REVOKED, status=410, brand=link.brand.name)
    if link.expires_at is not None and link.expires_at <= timezone.now():
        raise OrderError(
            OrderErrorCode.LINK_EXPIRED,
            status=410,
            brand=link.brand.name,
            expired_at=timezone.localdate(link.expires_at).isoformat(),
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
        attempt = attempt_start(door=PASSCODE, subject=str(link.pk), address=address)
        if not check_password(passcode, link.passcode_hash):
            raise OrderError(OrderErrorCode.PASSCODE_WRONG, status=403)
        attempt_succeeded(attempt)
    return link


def order_link_open(
    *, token: str, passcode: str, organization: BuyerOrganization, address: str | None = None
) -> tuple[Cart, bool]:
    """Check the link and its passcode, then land the organisation in its catalog's cart.

    See `order_link_check` (call it outside any transaction) and `order_link_land`.
    """
    link = order_link_check(token=token, passcode=passcode, address=address)
    return order_link_land(link=link, organization=organization)


def order_link_land(*, link: OrderLink, organization: BuyerOrganization) -> tuple[Cart, bool]:
    """Land the organisation in the link's catalog cart; return the cart and whether it is new.

    `link` is one `order_link_check` accepted with its passcode. Connects the organisation to
    the brand (with the brand's terms) if it is not yet. An existing cart for the catalog is
    reused (one cart per catalog) and, unless it came back from an order or another link, from
    now on remembers this link, so that its order is routed as an order link.

    To a limited catalog: an organisation off its access list is refused with
    `catalog_not_available` (and not connected), unless the link grants access, which puts
    its buyer on the list (recorded in the access history).
    """
    with transaction.atomic():
        # The project's lock order: the organisation first. Two opens of one link by one
        # organisation then meet here, and the second finds the first one's cart.
        BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        catalog = link.catalog
        catalog.refresh_from_db(fields=["status"])
        if (
            catalog.status == CatalogStatus.LIMITED
            and not link.grants_access
            and not catalog_visible_to(organization=organization, catalog_id=catalog.pk)
        ):
            raise OrderError(OrderErrorCode.CATALOG_NOT_AVAILABLE, status=404)
        buyer = buyer_connect(brand=link.brand, organization=organization)
        if catalog.status == CatalogStatus.LIMITED and link.grants_access:
            catalog_access_grant_by_link(
                catalog=catalog, buyer=buyer, actor=link.created_by, link_id=link.pk
            )
        cart = Cart.objects.filter(organization=organization, catalog=link.catalog).first()
        created = cart is None
        if cart is None:
            cart = cart_create(organization=organization, catalog=link.catalog)
        elif cart.order_link_id is not None or cart.returned_by_brand:
            return cart, False
        Cart.objects.filter(pk=cart.pk).update(order_link=link)
        cart.order_link = link
        OrderLink.objects.filter(pk=link.pk).update(carts_opened=F("carts_opened") + 1)
    return cart, created


def cart_open_from_link(
    *, token: str, passcode: str, organization: BuyerOrganization, address: str | None = None
) -> Cart:
    """Land the organisation in the link's catalog cart (see `order_link_open`)."""
    cart, _created = order_link_open(
        token=token, passcode=passcode, organization=organization, address=address
    )
    return cart


def order_link_revoke(*, link: OrderLink) -> OrderLink:
    """Withdraw the link: it refuses visitors from now on. Revoking twice changes nothing.

    Carts already opened through it stay, and their orders are still routed as order links.
    """
    OrderLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    link.refresh_from_db(fields=["revoked_at"])
    return link
