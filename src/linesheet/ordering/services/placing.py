"""Placing orders: a cart (or a brand's lines for a buyer) becomes an order with a new code."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.catalog.pricing import wholesale_price
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import (
    Cart,
    CartLine,
    Order,
    OrderLine,
    OrderRoute,
)
from linesheet.ordering.numbering import order_code_issue
from linesheet.ordering.services.carts import _buyer_of
from linesheet.ordering.services.guard import today
from linesheet.ordering.statuses import (
    OrderStatus,
)


def order_place(
    *,
    cart_id: int,
    organization: BuyerOrganization,
    placed_by: User | None,
    route: str = OrderRoute.BUYER_APP,
) -> Order:
    """Turn the cart into an order with the brand's next code, in one transaction, and delete it.

    The lines, prices (retail x the buyer's wholesale rate, now), date, comment and addresses
    become the Original Order. A cart returned by the brand records the order it replaces.
    """
    with transaction.atomic():
        BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        cart = (
            Cart.objects.select_for_update(of=("self",))
            .select_related("catalog", "brand", "source_order")
            .filter(pk=cart_id, organization=organization)
            .first()
        )
        if cart is None:
            raise OrderError(OrderErrorCode.CART_NOT_FOUND, status=404)
        buyer = _buyer_of(organization=organization, catalog=cart.catalog)
        lines = list(
            CartLine.objects.filter(cart=cart).select_related("sku__product").order_by("id")
        )
        blockers = rules.order_place_blockers(
            rules.PlacementFacts(
                catalog_name=cart.catalog.name,
                catalog_status=cart.catalog.status,
                order_deadline=cart.catalog.order_deadline,
                today=today(),
                line_count=len(lines),
                unorderable_skus=[line.sku.sku_number for line in lines if not line.sku.is_active],
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
        priced = [
            (
                line,
                wholesale_price(
                    retail_price=line.sku.retail_price, wholesale_rate=buyer.wholesale_rate
                ),
            )
            for line in lines
        ]
        order = Order.objects.create(
            brand=cart.brand,
            code=order_code_issue(brand=cart.brand, today=timezone.localdate(now)),
            buyer=buyer,
            organization=organization,
            catalog=cart.catalog,
            route=route,
            status=OrderStatus.AWAITING_OC,
            currency=cart.catalog.currency,
            total_quantity=sum(line.quantity for line in lines),
            total_amount=sum((price * line.quantity for line, price in priced), Decimal("0")),
            line_count=len(lines),
            desired_delivery_date=cart.desired_delivery_date,
            comment=cart.comment,
            delivery_address=cart.delivery_address,
            billing_address=cart.billing_address,
            placed_at=now,
            placed_by=placed_by,
            replaces_id=cart.source_order_id,
            updated_at=now,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                sku=line.sku,
                sku_number=line.sku.sku_number,
                model_number=line.sku.product.model_number,
                product_name=line.sku.product.name,
                color=line.sku.color,
                size=line.sku.size,
                quantity=line.quantity,
                unit_price=price,
                amount=price * line.quantity,
                position=position,
            )
            for position, (line, price) in enumerate(priced)
        )
        record_event(
            order=order,
            type=OrderEventType.PLACED,
            actor=placed_by,
            route=route,
            lines=len(lines),
            replaces=cart.source_order.code if cart.source_order is not None else None,
        )
        if cart.source_order is not None:
            record_event(
                order=cart.source_order,
                type=OrderEventType.REPLACED,
                actor=placed_by,
                replaced_by=order.code,
            )
        Cart.objects.filter(pk=cart.pk).delete()
    return order
