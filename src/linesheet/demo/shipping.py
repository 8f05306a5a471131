"""The demo's shipping fees: Atelier ships its Spring/Summer catalog in Europe for a fee,
free from a net amount, and farther for a flat fee (orders seeded before keep theirs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from linesheet.accounts.models import Brand, ShippingGroup
from linesheet.accounts.shipping import shipping_group_create
from linesheet.catalog.models import Catalog

# brand slug -> (group name, currency, the catalog codes naming it, rates)
GROUPS: Mapping[str, tuple[str, str, tuple[str, ...], list[dict[str, Any]]]] = {
    "atelier": (
        "Europe and beyond",
        "EUR",
        ("SS27",),
        [
            {
                "country": "FR",
                "bands": [{"from": "0", "fee": "12.00"}, {"from": "500", "fee": "0"}],
            },
            {
                "country": "DE",
                "bands": [{"from": "0", "fee": "18.00"}, {"from": "800", "fee": "0"}],
            },
            {
                "country": "IT",
                "bands": [{"from": "0", "fee": "18.00"}, {"from": "800", "fee": "0"}],
            },
            {
                "country": "",
                "bands": [{"from": "0", "fee": "45.00"}, {"from": "2000", "fee": "20.00"}],
            },
        ],
    ),
}


def demo_shipping_seed(*, brands: Mapping[str, Brand], log: Callable[[str], None]) -> int:
    """Give the brands without a shipping group theirs, named by their catalogs."""
    created = 0
    for slug, (name, currency, codes, rates) in GROUPS.items():
        brand = brands.get(slug)
        if brand is None or ShippingGroup.objects.filter(brand=brand).exists():
            continue
        group = shipping_group_create(brand=brand, name=name, currency=currency, rates=rates)
        Catalog.objects.filter(brand=brand, code__in=codes, currency=currency).update(
            shipping_group=group
        )
        created += 1
        log(f"Shipping of {brand.name}: {name}, free above a net amount, on {', '.join(codes)}")
    return created
