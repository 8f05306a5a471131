"""An order's events told in plain words for the Brand App's order page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.ordering.events import OrderEventType, event_label
from linesheet.ordering.models import OrderEvent, OrderRoute
from linesheet.ordering.statuses import status_label


@dataclass(frozen=True)
class TimelineDetail:
    """One sentence about an event; `order_code` names an order to link to after the text."""

    text: str
    order_code: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    at: datetime.datetime
    actor: str | None
    details: list[TimelineDetail] = field(default_factory=list)


def order_timeline(events: Iterable[OrderEvent]) -> list[TimelineEntry]:
    """Return the events, oldest first as given, each with its label, actor and details."""
    return [
        TimelineEntry(
            label=event_label(event.type),
            at=event.created_at,
            actor=(event.actor.full_name or event.actor.email) if event.actor else None,
            details=event_details(event.type, dict(event.details or {})),
        )
        for event in events
    ]


def _status(value: Any) -> str:
    try:
        return status_label(str(value), side="brand")
    except ValueError:
        return str(value)


def _route(value: Any) -> str:
    try:
        return str(OrderRoute(str(value)).label)
    except ValueError:
        return str(value)


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _listed(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or _("none")
    return str(value)


def event_details(type: str, details: dict[str, Any]) -> list[TimelineDetail]:
    """Say what an event's details mean; keys no sentence knows are listed as they are."""
    out: list[TimelineDetail] = []
    route, lines = details.pop("route", None), details.pop("lines", None)
    if route is not None and lines is not None:
        out.append(
            TimelineDetail(
                ngettext(
                    "Route: %(route)s. %(count)d line.",
                    "Route: %(route)s. %(count)d lines.",
                    int(lines),
                )
                % {"route": _route(route), "count": int(lines)}
            )
        )
    elif route is not None:
        out.append(TimelineDetail(_("Route: %(route)s.") % {"route": _route(route)}))
    previous, status = details.pop("previous", None), details.pop("status", None)
    if previous and status:
        out.append(
            TimelineDetail(
                _("Status: from “%(previous)s” to “%(status)s”.")
                % {"previous": _status(previous), "status": _status(status)}
            )
        )
    elif status:
        out.append(TimelineDetail(_("Status: “%(status)s”.") % {"status": _status(status)}))
    replaces = details.pop("replaces", None)
    if replaces:
        out.append(TimelineDetail(_("It replaces the returned order"), order_code=str(replaces)))
    replaced_by = details.pop("replaced_by", None)
    if replaced_by:
        out.append(TimelineDetail(_("The buyer ordered it again as"), order_code=str(replaced_by)))
    member = details.pop("notify_member", None)
    if member:
        out.append(
            TimelineDetail(
                _("%(member)s, who returned it, gets an email about it.") % {"member": member}
            )
        )
    if "notify" in details:
        notify = details.pop("notify")
        out.append(
            TimelineDetail(
                _("The buyer gets an email about it.") if notify else _("No email to the buyer.")
            )
        )
    message = details.pop("message", None)
    if message:
        out.append(TimelineDetail(_("Message: “%(message)s”") % {"message": message}))
    if type == OrderEventType.TAGS_CHANGED and ("before" in details or "after" in details):
        out.append(
            TimelineDetail(
                _("Tags: %(before)s → %(after)s")
                % {
                    "before": _listed(details.pop("before", [])),
                    "after": _listed(details.pop("after", [])),
                }
            )
        )
    for key, value in details.items():
        # Row ids say nothing to a reader; what they point at is shown elsewhere on the page.
        if key.endswith("_id") or value is None or value == "" or value == [] or value == {}:
            continue
        name = key.replace("_", " ").capitalize()
        shown = _yes_no(value) if isinstance(value, bool) else _listed(value)
        out.append(TimelineDetail(f"{name}: {shown}"))
    return out
