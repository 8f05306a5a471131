"""Emails about orders, queued from the orders' own events: to the buyer about their order, and
to the brand staff member who returned an order when the buyer orders it again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import OrganizationRecipient
from linesheet.documents.selectors import confirmation_of_order, confirmation_tax_totals
from linesheet.notifications.inline_images import InlineImage, line_images
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import absolute_url, email_enqueue, email_render
from linesheet.notifications.summaries import (
    SUMMARY_LINE_LIMIT,
    OrderSummary,
    SummarisedLine,
    order_summary,
)
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent
from linesheet.ordering.selectors import order_lines_of
from linesheet.ordering.statuses import LABELS, OrderStatus
from linesheet.ordering.taxes import order_tax_totals

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

T = OrderEventType

# An order event's email names its event so: "order_event:<id>".
REFERENCE_PREFIX = "order_event:"

# What the email says for each event that may notify the buyer: subject, then first line.
MESSAGES = {
    T.OC_CREATED: (
        _("%(brand)s: please check the order confirmation for %(code)s"),
        _("%(brand)s has created the order confirmation (OC) for your order %(code)s."),
    ),
    T.OC_UPDATED: (
        _("%(brand)s: please check the updated order confirmation for %(code)s"),
        _("%(brand)s has updated the order confirmation (OC) for your order %(code)s."),
    ),
    T.OC_CONFIRMED: (
        _("%(brand)s confirmed your order %(code)s"),
        _("%(brand)s has confirmed your order %(code)s."),
    ),
    T.OC_REOPENED: (
        _("%(brand)s is revising the confirmation of your order %(code)s"),
        _("%(brand)s has made the confirmation of your order %(code)s editable again."),
    ),
    T.REJECTED: (
        _("%(brand)s declined your order %(code)s"),
        _("%(brand)s has declined your order %(code)s."),
    ),
    T.RETURNED_TO_CART: (
        _("%(brand)s returned your order %(code)s to your cart"),
        _(
            "%(brand)s has returned your order %(code)s to your cart so you can correct it "
            "and order again."
        ),
    ),
}


# The events about the OC: their email shows the OC's lines, the others the Original Order's.
OC_EVENTS = frozenset({T.OC_CREATED, T.OC_UPDATED, T.OC_CONFIRMED, T.OC_REOPENED})


def _shown_images(lines: Sequence[SummarisedLine]) -> dict[int, InlineImage]:
    """Return the pictures of the lines the summary shows (one query)."""
    return line_images(sku_ids={line.sku_id for line in lines[:SUMMARY_LINE_LIMIT]})


def order_lines_summary(*, order: Order, title: StrOrPromise) -> OrderSummary:
    """Summarise the Original Order's lines, read as the order pages read them.

    Only the lines shown are read: a 500-line order costs its email what a 20-line one does.
    """
    lines = order_lines_of(order_id=order.pk, limit=SUMMARY_LINE_LIMIT)
    return order_summary(
        title=title,
        lines=lines,
        line_count=order.line_count,
        images=_shown_images(lines),
        total_quantity=order.total_quantity,
        total_amount=order.total_amount,
        currency=order.currency,
        taxes=order_tax_totals(order),
    )


def oc_lines_summary(*, order: Order) -> OrderSummary | None:
    """Summarise the OC's lines, read as the order pages read them; None without an OC."""
    confirmation = confirmation_of_order(order_id=order.pk)
    if confirmation is None:
        return None
    lines = list(confirmation.lines.all())
    return order_summary(
        title=_("Order confirmation"),
        lines=lines,
        images=_shown_images(lines),
        total_quantity=confirmation.total_quantity,
        total_amount=confirmation.total_amount,
        currency=order.currency,
        taxes=confirmation_tax_totals(confirmation, currency=order.currency),
    )


def _summary(event: OrderEvent) -> OrderSummary | None:
    if event.type in OC_EVENTS:
        return oc_lines_summary(order=event.order)
    return order_lines_summary(order=event.order, title=_("Your order"))


def _link(event: OrderEvent) -> str | None:
    """Return the Buyer App page the email points at: the returned cart, or the order."""
    try:
        cart_id = event.details.get("cart_id")
        if cart_id:
            return absolute_url(reverse("buyer-cart", args=[cart_id]))
        return absolute_url(reverse("buyer-order", args=[event.order_id]))
    except NoReverseMatch:
        return None


def _recipients(order: Order) -> list[str]:
    if order.organization_id is not None:
        return list(
            OrganizationRecipient.objects.filter(organization_id=order.organization_id).values_list(
                "email", flat=True
            )
        )
    return [order.buyer.email] if order.buyer.email else []


def email_enqueue_for_order_event(*, event: OrderEvent) -> OutboundEmail | None:
    """Queue the buyer's email for an event whose details say notify; None when not wanted.

    Only the recipients, their language and time zone are settled here, in the event's
    transaction; the task that sends the email writes it (`order_event_email_render`).
    """
    if not event.details.get("notify") or event.type not in MESSAGES:
        return None
    order = event.order
    return email_enqueue(
        kind=f"order_{event.type}",
        reference=f"{REFERENCE_PREFIX}{event.pk}",
        to=_recipients(order),
        language=order.buyer.language,
        template=None,
        order=order,
        time_zone=order.organization.time_zone if order.organization else order.brand.time_zone,
    )


def _order_event_context(event: OrderEvent) -> dict[str, Any]:
    order = event.order
    subject, intro = MESSAGES[OrderEventType(event.type)]
    params = {"brand": order.brand.name, "code": order.code}
    return {
        "subject": subject % params,
        "intro": intro % params,
        # The status the event left the order in, as the Buyer App names it (lazily: the
        # email is rendered in the buyer's language).
        "status": LABELS["buyer"][OrderStatus(event.details.get("status") or order.status)],
        "message": event.details.get("message", ""),
        "brand": order.brand,
        "order": order,
        "summary": _summary(event),
        # Offline buyers have no Buyer App to open: their email has no button.
        "button_url": _link(event) if order.organization_id else None,
        "link_is_cart": bool(event.details.get("cart_id")),
    }


def email_enqueue_for_reorder(*, event: OrderEvent) -> OutboundEmail | None:
    """Tell the brand staff member who returned an order that the buyer ordered it again.

    Called for the `replaced` event that placing records on the returned order, in the same
    transaction; the event names the member to tell (`notify_member`: placing checked they
    are still an active member of the brand). The email, about the new order, has both codes
    and the link to the new order's page, which shows what changed; the task that sends it
    writes it (`order_event_email_render`). None when nobody is to be told.
    """
    address = event.details.get("notify_member")
    if event.type != T.REPLACED or not address:
        return None
    # Placing created the new order with `replaces=returned`, which set this reverse side too.
    new = event.order.replaced_by
    return email_enqueue(
        kind="order_reordered",
        reference=f"{REFERENCE_PREFIX}{event.pk}",
        to=[address],
        language=settings.LANGUAGE_CODE,
        template=None,
        order=new,
        time_zone=new.catalog.brand.time_zone,
    )


def _reorder_context(event: OrderEvent) -> dict[str, Any]:
    returned = event.order
    new = returned.replaced_by
    brand = new.catalog.brand
    return {
        "brand": brand,
        "buyer": new.buyer.name,
        "returned": returned,
        "order": new,
        "summary": order_lines_summary(order=new, title=_("The new order")),
        "button_url": absolute_url(
            reverse("brand-order-detail", args=[brand.slug, new.code]) + "#changes"
        ),
    }


def order_event_email_render(email: OutboundEmail) -> dict[str, Any]:
    """Write the email about the order event its `reference` names: its subject, body_text,
    body_html and inline_images, in its language and time zone.

    Reads the order as it is now (normally seconds after the event): its lines, the OC and the
    totals; the status shown is the one the event recorded, when it did.
    """
    if not email.reference.startswith(REFERENCE_PREFIX):
        raise ValueError(f"email {email.pk} names no order event: {email.reference!r}")
    event = OrderEvent.objects.select_related(
        "order__buyer", "order__brand", "order__organization"
    ).get(pk=int(email.reference.removeprefix(REFERENCE_PREFIX)))
    if event.type == T.REPLACED:
        template, context = "notifications/email/order_reordered", _reorder_context(event)
    elif event.type in MESSAGES:
        template, context = "notifications/email/order_event", _order_event_context(event)
    else:
        raise ValueError(f"no email is written for a {event.type!r} event")
    return email_render(
        template=template, context=context, language=email.language, time_zone=email.time_zone
    )
