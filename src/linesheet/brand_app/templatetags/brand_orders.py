"""Template filters and tags of the Brand App's order pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.template.defaultfilters import floatformat
from django.utils.translation import ngettext

from linesheet.brand_app.order_actions import OrderPage
from linesheet.documents.models import DeliveryNote
from linesheet.ordering.statuses import status_label

register = template.Library()


@register.filter
def brand_status(status: str) -> str:
    """Show an order status as the Brand App names it."""
    return status_label(status, side="brand")


@register.simple_tag
def lines_summary(document: Any, currency: str) -> str:
    """Say how many lines and pieces a document holds, and what they come to.

    Reads the document's prefetched lines.
    """
    lines = list(document.lines.all())
    pieces = sum(line.quantity for line in lines)
    amount = sum((line.amount for line in lines), Decimal("0"))
    counted = ngettext("%(count)s line", "%(count)s lines", len(lines)) % {"count": len(lines)}
    quantity = ngettext("%(count)s piece", "%(count)s pieces", pieces) % {"count": pieces}
    return f"{counted}, {quantity}, {floatformat(amount, '2g')} {currency}"


@register.inclusion_tag("brand_app/includes/document_lines.html")
def document_lines(document: Any, currency: str) -> dict[str, Any]:
    """Show a document's prefetched lines, folded."""
    return {"lines": list(document.lines.all()), "currency": currency}


@register.simple_tag
def document_delete_form(page: OrderPage, note: DeliveryNote) -> forms.Form | None:
    """Return the form that deletes this delivery note (None for a viewer)."""
    return page.delete_form(note)
