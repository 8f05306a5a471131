"""Wholesale prices: retail price x the buyer's wholesale rate, in Decimal, rounded to cents."""

from __future__ import annotations

from decimal import Decimal

from linesheet.core.money import quantize_amount


def wholesale_price(*, retail_price: Decimal, wholesale_rate: Decimal) -> Decimal:
    """Return the unit price a buyer pays for a SKU."""
    return quantize_amount(retail_price * wholesale_rate)
