"""Template filters of the Brand App's order pages."""

from __future__ import annotations

from django import template

from linesheet.ordering.statuses import brand_label

register = template.Library()


@register.filter
def brand_status(status: str) -> str:
    """Show an order status as the Brand App names it."""
    return brand_label(status)
