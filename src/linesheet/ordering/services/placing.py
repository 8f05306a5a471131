"""Placing orders: a cart, or a brand's lines for a buyer, becomes an order with a new code."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.catalog.models import SKU, Catalog, sku_catalog_position
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.shipping import catalog_shipping_rates, shipping_line
from linesheet.catalog.taxes import tax_rules_for
from linesheet.core.clock import today
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import Cart, CartLine, ClosedCart, Order, OrderLine, OrderRoute
from linesheet.ordering.numbering import order_code_issue
from linesheet.ordering.selectors import order_returned_by
from linesheet.ordering.services.carts import (
    _buyer_of,
    cart_close,
    cart_gone,
    catalog_access_check,
    lines_resolve,
)
from linesheet.ordering.statuses import OrderStatus
from linesheet.ordering.taxes import link_shipping_group_id, taxed_lines_totals


@dataclass(frozen=True)
class OrderHeader:
    """What an order carries besides its lines, as placed."""

    desired_delivery_date: datetime.date | None = None
    comment: str = ""
    delivery_address: str = ""
    billing_address: str = ""


def _order_write(
    *,
    buyer: Buyer,
    organization: BuyerOrganization | None,
    catalog: Catalog,
    route: str,
    items: Sequence[tuple[SKU, int]],
    header: OrderHeader,
    placed_by: User | None,
    replaces: Order | None = None,
    order_link_id: int | None = None,
) -> Order:
    """Check the placement rules and write the order, its Original Order lines and its event.

    Runs inside the caller's transaction, after the caller took its locks. Prices are the
    SKU's retail price x the buyer's wholesale rate, now. The lines are written in the
    catalog's order, whatever order they were typed or changed in.
    """
    blockers = rules.order_place_blockers(
        rules.PlacementFacts(
            catalog_name=catalog.name,
            catalog_status=catalog.status,
            order_deadline=catalog.order_deadline,
            today=today(),
            line_count=len(items),
            unorderable_skus=[sku.sku_number for sku, _quantity in items if not sku.is_active],
        )
    )
    if blockers:
        first = blockers[0]
        raise OrderError(
            first.code,
            **first.params,
            blockers=[OrderError(b.code, **b.params).as_dict() for b in blockers],
        )
    now = timezone.now()
    # Tax at the brand's rules today for the buyer's country; the order keeps the rates applied.
    tax_rules = tax_rules_for(brand=catalog.brand, country=buyer.country)
    priced = [
        (
            sku,
            quantity,
            wholesale_price(retail_price=sku.retail_price, wholesale_rate=buyer.wholesale_rate),
            tax_rules.rate_for(sku.product.tax_class),
        )
        for sku, quantity in sorted(items, key=lambda item: sku_catalog_position(item[0]))
    ]
    goods = [(price * quantity, rate) for _sku, quantity, price, rate in priced]
    # The catalog's shipping fee for the goods' net, at the brand's standard rate; the order
    # keeps the fee and its rate in its totals.
    totals = taxed_lines_totals(
        lines=goods,
        currency=catalog.currency,
        rounding=tax_rules.rounding,
        shipping=shipping_line(
            catalog_shipping_rates(catalog, group_id=link_shipping_group_id(order_link_id)),
            country=buyer.country,
            net=sum((amount for amount, _rate in goods), Decimal("0.00")),
            rate=tax_rules.standard,
        ),
    )
    order = Order.objects.create(
        brand_id=catalog.brand_id,
        code=order_code_issue(brand=catalog.brand, today=today(now)),
        buyer=buyer,
        organization=organization,
        catalog=catalog,
        route=route,
        status=OrderStatus.AWAITING_OC,
        currency=catalog.currency,
        total_quantity=sum(quantity for _sku, quantity, _price, _rate in priced),
        total_amount=totals.net,
        tax_totals=totals.as_dict(),
        line_count=len(priced),
        desired_delivery_date=header.desired_delivery_date,
        comment=header.comment,
        delivery_address=header.delivery_address,
        billing_address=header.billing_address,
        placed_at=now,
        placed_by=placed_by,
        replaces=replaces,
        order_link_id=order_link_id,
        updated_at=now,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=sku,
            sku_number=sku.sku_number,
            model_number=sku.product.model_number,
            product_name=sku.product.name,
            color=sku.color,
            size=sku.size,
            quantity=quantity,
            unit_price=price,
            amount=price * quantity,
            tax_name=rate.name if rate else "",
            tax_rate=rate.rate if rate else None,
            tax_reduced=rate.reduced if rate else False,
            position=position,
        )
        for position, (sku, quantity, price, rate) in enumerate(priced)
    )
    record_event(
        order=order,
        type=OrderEventType.PLACED,
        actor=placed_by,
        route=route,
        lines=len(priced),
        replaces=replaces.code if replaces is not None else None,
    )
    if replaces is not None:
        # Who returned the order hears that it was ordered again, while still a member of the
        # brand: the event names them, and its listener queues the email in this transaction.
        returner = order_returned_by(order=replaces)
        notify = (
            {"notify_member_id": returner.pk, "notify_member": returner.email} if returner else {}
        )
        record_event(
            order=replaces,
            type=OrderEventType.REPLACED,
            actor=placed_by,
            replaced_by=order.code,
            **notify,
        )
    return order


def order_place(
    *,
    cart_id: int,
    organization: BuyerOrganization,
    placed_by: User | None,
    route: str | None = None,
) -> Order:
    """Turn the cart into an order with the brand's next code, in one transaction, and delete it.

    The lines, date, comment and addresses become the Original Order. A cart returned by the
    brand records the order it replaces; a cart opened from an order link is routed as one.
    """
    with transaction.atomic():
        BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        cart = (
            Cart.objects.select_for_update(of=("self",))
            .select_related("catalog__brand", "source_order")
            .filter(pk=cart_id, organization=organization)
            .first()
        )
        if cart is None:
            raise cart_gone(organization=organization, cart_id=cart_id)
        buyer = _buyer_of(organization=organization, catalog=cart.catalog)
        # Under the organisation's lock, which every change of an access list takes first.
        catalog_access_check(organization=organization, catalog_id=cart.catalog_id)
        route = route or (OrderRoute.ORDER_LINK if cart.order_link_id else OrderRoute.BUYER_APP)
        # The SKUs by primary key in a second query rather than a join: with large carts the
        # planner may expect hundreds of lines per cart and scan the whole SKU table to hash it.
        items = [
            (line.sku, line.quantity)
            for line in CartLine.objects.filter(cart=cart).prefetch_related(
                Prefetch("sku", queryset=SKU.objects.select_related("product"))
            )
        ]
        order = _order_write(
            buyer=buyer,
            organization=organization,
            catalog=cart.catalog,
            route=route,
            items=items,
            header=OrderHeader(
                desired_delivery_date=cart.desired_delivery_date,
                comment=cart.comment,
                delivery_address=cart.delivery_address,
                billing_address=cart.billing_address,
            ),
            placed_by=placed_by,
            replaces=cart.source_order,
            order_link_id=cart.order_link_id if route == OrderRoute.ORDER_LINK else None,
        )
        cart_close(cart=cart, outcome=ClosedCart.Outcome.ORDERED, closed_by=placed_by, order=order)
    return order


BRAND_ROUTES = frozenset({OrderRoute.PROXY, OrderRoute.EXCEL_SHEET})


def order_place_for_buyer(
    *,
    buyer: Buyer,
    catalog: Catalog,
    quantities: Mapping[str, int],
    header: OrderHeader,
    placed_by: User | None,
    route: str = OrderRoute.PROXY,
) -> Order:
    """Place an order on the buyer's behalf (by phone, mail, or an imported order sheet).

    The buyer may be offline: the order then belongs to no organisation until the buyer
    connects. A connected buyer sees the order in the Buyer App. Every bad line is reported
    at once and nothing is written.
    """
    if route not in BRAND_ROUTES:
        raise ValueError(f"a brand places orders by {sorted(BRAND_ROUTES)}, not {route!r}")
    if buyer.brand_id != catalog.brand_id:
        raise InvalidInput.field(
            "catalog", "invalid", _("The catalog belongs to another brand than the buyer.")
        )
    if header.desired_delivery_date is not None and header.desired_delivery_date < today():
        raise InvalidInput.field(
            "desired_delivery_date", "in_past", _("The desired delivery date is in the past.")
        )
    resolved = lines_resolve(catalog=catalog, quantities=quantities, allow_zero=False)
    organization = buyer.organization
    with transaction.atomic():
        if organization is not None:
            # The project's lock order: the organisation first (see order_lock).
            BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        return _order_write(
            buyer=buyer,
            organization=organization,
            catalog=catalog,
            route=route,
            items=list(resolved.values()),
            header=OrderHeader(
                desired_delivery_date=header.desired_delivery_date,
                comment=header.comment,
                delivery_address=header.delivery_address
                or (organization.delivery_address if organization else ""),
                billing_address=header.billing_address
                or (organization.billing_address if organization else ""),
            ),
            placed_by=placed_by,
        )
