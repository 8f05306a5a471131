"""The tax of carts and orders: lines priced and taxed by one computation (core.tax)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from linesheet.core.tax import AppliedRate, Rounding, TaxLine, TaxTotals, tax_totals
from linesheet.ordering.models import Order, OrderLink


def taxed_lines_totals(
    *,
    lines: Iterable[tuple[Decimal, AppliedRate | None]],
    currency: str,
    rounding: Rounding,
    shipping: TaxLine | None = None,
) -> TaxTotals:
    """Return the net, tax per rate and gross of (net amount, rate) pairs and a shipping fee."""
    return tax_totals(
        lines=[TaxLine(net=amount, rate=rate) for amount, rate in lines],
        currency=currency,
        rounding=rounding,
        shipping=shipping,
    )


def link_shipping_group_id(order_link_id: int | None) -> int | None:
    """Return the shipping group an order link names over its catalog's (one query, if any)."""
    if order_link_id is None:
        return None
    return (
        OrderLink.objects.filter(pk=order_link_id)
        .values_list("shipping_group_id", flat=True)
        .first()
    )


def stored_tax_totals(data: dict[str, Any] | None, *, net: Decimal, currency: str) -> TaxTotals:
    """Read the totals kept on an order or OC; one kept before tax was reads as net, no tax."""
    if data:
        return TaxTotals.from_dict(data)
    return TaxTotals(currency=currency, net=net, taxes=(), rounding=Rounding())


def order_tax_totals(order: Order) -> TaxTotals:
    """Return the Original Order's net, tax per rate and gross, as placed."""
    return stored_tax_totals(order.tax_totals, net=order.total_amount, currency=order.currency)
