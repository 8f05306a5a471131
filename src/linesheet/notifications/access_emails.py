"""Emails about access to a brand's catalogs: a buyer taken off a limited catalog's list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from linesheet.accounts.models import Buyer, OrganizationRecipient
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import absolute_url, email_enqueue
from linesheet.ordering.services import WithdrawnCart


def email_enqueue_for_withdrawn_carts(*, carts: Sequence[WithdrawnCart]) -> list[OutboundEmail]:
    """Tell each organisation that its cart for a catalog ended with its access to it.

    The link leads to the cart's own address, which now says what happened; never to the
    catalog, which the organisation can no longer see. In the caller's transaction.
    """
    if not carts:
        return []
    brand_ids = {cart.catalog.brand_id for cart in carts}
    organization_ids = {cart.organization_id for cart in carts}
    recipients: dict[int, list[str]] = defaultdict(list)
    for organization_id, email in OrganizationRecipient.objects.filter(
        organization_id__in=organization_ids
    ).values_list("organization_id", "email"):
        recipients[organization_id].append(email)
    buyers = {
        (buyer.brand_id, buyer.organization_id): buyer
        for buyer in Buyer.objects.filter(
            brand_id__in=brand_ids, organization_id__in=organization_ids
        ).select_related("organization")
    }
    sent: list[OutboundEmail] = []
    for cart in carts:
        buyer = buyers.get((cart.catalog.brand_id, cart.organization_id))
        if buyer is None or buyer.organization is None:
            continue
        brand = cart.catalog.brand
        context: dict[str, Any] = {
            "brand": brand,
            "catalog": cart.catalog,
            "organization": cart.organization_name,
            "line_count": cart.line_count,
            "button_url": absolute_url(reverse("buyer-cart", args=[cart.cart_id])),
        }
        queued = email_enqueue(
            kind="cart_withdrawn",
            reference=f"cart_withdrawn:{cart.cart_id}",
            to=recipients[cart.organization_id],
            language=buyer.language,
            template="notifications/email/cart_withdrawn",
            context=context,
            time_zone=buyer.organization.time_zone,
        )
        if queued is not None:
            sent.append(queued)
    return sent
