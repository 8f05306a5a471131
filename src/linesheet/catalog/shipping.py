"""The shipping fee a catalog's cart or order is charged: its group's band for the net, taxed
at the brand's standard rate for the buyer's country (catalog.taxes)."""

from __future__ import annotations

from decimal import Decimal

from linesheet.accounts.models import ShippingRate
from linesheet.catalog.models import Catalog
from linesheet.core.shipping import ShippingRate as ShippingRateRule
from linesheet.core.shipping import shipping_fee
from linesheet.core.tax import AppliedRate, TaxLine


def catalog_shipping_rates(
    catalog: Catalog, *, group_id: int | None = None
) -> list[ShippingRateRule]:
    """Return the rates of `group_id` (an order link's), else of the catalog's shipping group
    (one query; none without a group).

    A group in another currency than the catalog's charges nothing (the forms refuse it).
    """
    group_id = group_id or catalog.shipping_group_id
    if group_id is None:
        return []
    return [
        rate.rule
        for rate in ShippingRate.objects.filter(group_id=group_id, group__currency=catalog.currency)
    ]


def shipping_line(
    rates: list[ShippingRateRule], *, country: str, net: Decimal, rate: AppliedRate | None
) -> TaxLine | None:
    """Return the fee as one more taxed line, or None when no fee is charged."""
    fee = shipping_fee(rates, country=country, net=net)
    return TaxLine(net=fee, rate=rate) if fee is not None else None
