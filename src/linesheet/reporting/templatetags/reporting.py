"""Template helpers for the download links on the order pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order

register = template.Library()


@register.filter
def has_confirmation(order: Order) -> bool:
    """Say whether the order has an OC, from what the page already loaded where it can.

    The order pages load the order's events with it: an OC exists once `oc_created` was
    recorded (an OC is never deleted), so the answer costs no query there.
    """
    if "confirmation" in order._state.fields_cache:
        return order._state.fields_cache["confirmation"] is not None
    events = getattr(order, "_prefetched_objects_cache", {}).get("events")
    if events is not None:
        return any(event.type == OrderEventType.OC_CREATED for event in events)
    return type(order).objects.filter(pk=order.pk, confirmation__isnull=False).exists()


@register.filter
def duration(value: datetime.timedelta) -> str:
    """Say how long `value` is in its two largest units: "2 days 5 hours", "40 minutes"."""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes and not days:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts[:2]) or _("less than a minute")
