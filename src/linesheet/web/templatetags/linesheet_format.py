"""Template filters for how linesheet shows numbers."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate: Decimal | None) -> str:
    """Show a rate such as 0.4750 as "47.5 %" (no float on the way)."""
    if rate is None:
        return ""
    value = (Decimal(rate) * 100).normalize()
    # normalize() turns 50 into 5E+1; quantize back to a plain integer when there is no fraction.
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"{value} %"
