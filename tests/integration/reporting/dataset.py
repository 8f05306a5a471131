"""A fixed set of orders in every state that matters to reporting, made through the services.

Catalog SS27 (EUR) has model M-SS with SKUs SS-0, SS-1, SS-2 and catalog FW27 (NOK) has model
M-FW with FW-0, FW-1; every retail price is 100.00. Maison Claire buys at 0.5 (unit 50.00),
Nordic Shop at 0.4 (unit 40.00).

| order | buyer | catalog | lines as placed | what happened | counts with |
|---|---|---|---|---|---|
| open | Maison | SS27 | SS-0 x2, SS-1 x3 (250.00) | - | its lines |
| confirmed | Nordic | SS27 | SS-0 x1, SS-2 x4 (200.00) | OC confirmed (*) | its OC |
| rejected | Maison | SS27 | SS-2 x10 (500.00) | rejected | - |
| returned | Maison | SS27 | SS-1 x7 (350.00) | returned to the cart | - |
| replacement | Maison | SS27 | SS-1 x6 (300.00) | placed from that cart | its lines |
| nordic_nok | Nordic | FW27 | FW-0 x3 (120.00 NOK) | - | its lines |
| old | Maison | SS27 | SS-0 x100 | placed 200 days ago | - (not in 90 days) |
| foreign | another brand | - | - | - | - |

(*) The OC: SS-0 x5, SS-2 removed, SS-1 x1 added, 240.00 in all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.documents import services as documents
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order
from linesheet.ordering.numbering import order_numbering_update
from tests import factories


@dataclass
class Dataset:
    maison: Any
    nordic: Any
    maison_user: Any
    nordic_user: Any
    ss27: Catalog
    fw27: Catalog
    open: Order
    confirmed: Order
    rejected: Order
    returned: Order
    replacement: Order
    nordic_nok: Order
    old: Order
    foreign: Order


def make_catalog(
    *, brand: Any, code: str, currency: str, model: str, prefix: str, skus: int
) -> Catalog:
    catalog = Catalog.objects.create(
        brand=brand, name=f"Catalog {code}", code=code, currency=currency
    )
    product = Product.objects.create(
        brand=brand, catalog=catalog, model_number=model, name=f"Model {model}"
    )
    SKU.objects.bulk_create(
        SKU(
            brand=brand,
            product=product,
            sku_number=f"{prefix}-{i}",
            color="Black" if i % 2 == 0 else "Sand",
            size=str(36 + i),
            retail_price=Decimal("100.00"),
            position=i,
        )
        for i in range(skus)
    )
    return catalog


def place(*, buyer: Any, catalog: Catalog, quantities: dict[str, int], user: Any) -> Order:
    return factories.make_order(buyer=buyer, catalog=catalog, quantities=quantities, user=user)


def build(*, brand: Any, owner: Any) -> Dataset:
    maison_user = factories.make_user(email="claire@maison.test")
    nordic_user = factories.make_user(email="ola@nordic.test")
    maison = factories.make_buyer(
        brand=brand,
        organization=factories.make_organization(name="Maison Claire", members=[maison_user]),
        wholesale_rate=Decimal("0.5000"),
    )
    nordic = factories.make_buyer(
        brand=brand,
        organization=factories.make_organization(name="Nordic Shop", members=[nordic_user]),
        wholesale_rate=Decimal("0.4000"),
    )
    ss27 = make_catalog(brand=brand, code="SS27", currency="EUR", model="M-SS", prefix="SS", skus=3)
    fw27 = make_catalog(brand=brand, code="FW27", currency="NOK", model="M-FW", prefix="FW", skus=2)

    old = place(buyer=maison, catalog=ss27, quantities={"SS-0": 100}, user=maison_user)
    Order.objects.filter(pk=old.pk).update(placed_at=timezone.now() - datetime.timedelta(days=200))
    open_ = place(buyer=maison, catalog=ss27, quantities={"SS-0": 2, "SS-1": 3}, user=maison_user)
    confirmed = place(
        buyer=nordic, catalog=ss27, quantities={"SS-0": 1, "SS-2": 4}, user=nordic_user
    )
    documents.confirmation_save(
        order_id=confirmed.pk,
        quantities={"SS-0": 5, "SS-1": 1},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    documents.confirmation_confirm(order_id=confirmed.pk, actor=owner, notify=False)
    rejected = place(buyer=maison, catalog=ss27, quantities={"SS-2": 10}, user=maison_user)
    ordering.order_reject(order_id=rejected.pk, actor=owner, notify=False)
    returned = place(buyer=maison, catalog=ss27, quantities={"SS-1": 7}, user=maison_user)
    _order, cart = ordering.order_return_to_cart(order_id=returned.pk, actor=owner, notify=False)
    ordering.cart_set_lines(cart=cart, quantities={"SS-1": 6})
    replacement = ordering.order_place(
        cart_id=cart.pk, organization=maison.organization, placed_by=maison_user
    )
    nordic_nok = place(buyer=nordic, catalog=fw27, quantities={"FW-0": 3}, user=nordic_user)

    other = factories.make_brand(slug="elsewhere", name="Elsewhere")
    order_numbering_update(brand=other, date_format="", prefix="EL-", width=4, suffix="")
    other_catalog = make_catalog(
        brand=other, code="SS27", currency="EUR", model="M-SS", prefix="SS", skus=1
    )
    foreign = place(
        buyer=factories.make_connected_buyer(brand=other),
        catalog=other_catalog,
        quantities={"SS-0": 50},
        user=None,
    )
    for order in (open_, confirmed, rejected, returned, replacement, nordic_nok, old, foreign):
        order.refresh_from_db()
    return Dataset(
        maison=maison,
        nordic=nordic,
        maison_user=maison_user,
        nordic_user=nordic_user,
        ss27=ss27,
        fw27=fw27,
        open=open_,
        confirmed=confirmed,
        rejected=rejected,
        returned=returned,
        replacement=replacement,
        nordic_nok=nordic_nok,
        old=old,
        foreign=foreign,
    )
