"""Template filters for orders as the Buyer App shows them."""

from __future__ import annotations

from django import template

from linesheet.ordering.statuses import status_label

register = template.Library()


@register.filter
def buyer_status(status: str) -> str:
    """Show an order status as the buyer reads it ("Awaiting OC creation")."""
    return status_label(status, side="buyer")
