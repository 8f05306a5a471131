"""What happened to the demo orders since they were placed: each brand's stories told through
the services.

Every step goes through the service a brand or a shop would use. Nobody is notified
(notify=False): the demo's addresses are made up, and dozens of emails queued at each seed
would only fill the worker's log. The history still records the choice. The one exception
is a return with a message: the service keeps a message only for the email that carries it,
so those returns notify, and their email is cancelled at once, as the invitations' are. So
is the email that tells the brand staff member who returned an order that it was placed again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from linesheet.accounts.models import Brand, User
from linesheet.demo.data import DemoBrand, DemoStory
from linesheet.documents import services as documents
from linesheet.documents.models import (
    BacklogSkuList,
    DeliveryNote,
    Invoice,
    OrderConfirmation,
    PartnerInventorySlip,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import email_cancel
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderTag
from linesheet.ordering.services import (
    cart_delete,
    cart_take_oc_quantities,
    order_archive,
    order_place,
    order_reject,
    order_return_to_cart,
    order_set_tags,
)
from linesheet.ordering.statuses import OrderStatus


@dataclass(frozen=True)
class StoryCast:
    """Who acts in a brand's stories."""

    brand_user: User | None
    owner: User | None


def demo_story_orders(*, brand: Brand, demo: DemoBrand) -> list[tuple[DemoStory, Order]]:
    """Pair each of the brand's stories with its order; the same pairs on every run.

    The pairing reads only what never changes (who placed which order, when, from which
    catalog), so a second seed finds the orders the first one told the stories of. Returns
    take the newest order of their shop whose cart can wait without meeting another waiting
    cart for the same catalog; every other story takes the oldest order left.
    """
    orders = list(
        Order.objects.filter(brand=brand, replaces__isnull=True)
        .select_related("organization")
        .order_by("placed_at", "id")[: demo.order_count]
    )
    taken: set[int] = set()
    waiting: set[tuple[int | None, int]] = set()
    # By the story's place in the list: two stories may be told alike.
    pairs: dict[int, Order] = {}

    def shop(order: Order) -> str:
        return order.organization.name if order.organization else ""

    for index, story in enumerate(demo.stories):
        if not story.returned:
            continue
        for order in reversed(orders):
            key = (order.organization_id, order.catalog_id)
            if order.pk in taken or shop(order) != story.organization:
                continue
            if story.leaves_a_cart and key in waiting:
                continue
            taken.add(order.pk)
            if story.leaves_a_cart:
                waiting.add(key)
            pairs[index] = order
            break
    left = [order for order in orders if order.pk not in taken]
    others = [index for index, story in enumerate(demo.stories) if not story.returned]
    pairs.update(zip(others, left, strict=False))
    # Told in the order the brand lists them: returns whose cart goes away come first.
    return [(story, pairs[i]) for i, story in enumerate(demo.stories) if i in pairs]


def order_untouched(order: Order) -> bool:
    """Say whether nothing happened to the order since it was placed (its story is untold)."""
    return (
        order.status == OrderStatus.AWAITING_OC
        and not order.archived
        and OrderEvent.objects.filter(order=order).count() == 1
    )


def _oc_quantities(order: Order, *, changed: bool) -> dict[str, int]:
    """The original quantities; changed: two more of the first line and the last line dropped."""
    lines = list(order.lines.order_by("position", "id").values_list("sku_number", "quantity"))
    quantities = dict(lines)
    if changed:
        first = lines[0][0]
        quantities[first] += 2
        if len(lines) > 1:
            del quantities[lines[-1][0]]
    return quantities


def story_tell(*, story: DemoStory, order: Order, cast: StoryCast) -> Order | None:
    """Replay the story's steps on the order; return the order placed again, if any."""
    organization = order.organization
    assert organization is not None  # the plan holds connected buyers only
    shop_user = User.objects.filter(organization_memberships__organization=organization).first()
    staff, owner = cast.brand_user, cast.owner
    asks_buyer = bool({"approve", "reject_oc"} & set(story.steps))
    replacement = None
    note = None
    for step in story.steps:
        if step in {"oc", "oc_changed", "oc_update"}:
            documents.confirmation_save(
                order_id=order.pk,
                quantities=_oc_quantities(order, changed=step != "oc"),
                allow_buyer_approval=asks_buyer,
                actor=staff,
                notify=False,
            )
        elif step == "approve":
            documents.confirmation_approve(
                order_id=order.pk, organization=organization, actor=shop_user
            )
        elif step == "reject_oc":
            documents.confirmation_reject(
                order_id=order.pk, organization=organization, actor=shop_user, note=story.note
            )
        elif step == "confirm":
            documents.confirmation_confirm(order_id=order.pk, actor=staff, notify=False)
        elif step == "delivery_note":
            note = documents.delivery_note_create(order_id=order.pk, actor=staff)
        elif step == "partial_delivery":
            first = OrderConfirmation.objects.get(order=order).lines.order_by("position").first()
            assert first is not None
            note = documents.delivery_note_create(
                order_id=order.pk,
                actor=staff,
                quantities={first.sku_number: max(1, first.quantity // 2)},
            )
        elif step == "invoice":
            documents.invoice_create(
                order_id=order.pk,
                actor=staff,
                delivery_note_ids=[note.pk] if note is not None else None,
            )
        elif step == "backlog":
            documents.backlog_skus_create(order_id=order.pk, actor=staff)
        elif step == "partner_slip":
            documents.partner_inventory_slip_create(
                order_id=order.pk, actor=staff, partner=story.partner
            )
        elif step == "reject":
            order_reject(order_id=order.pk, actor=owner, notify=False)
        elif step == "return":
            order_return_to_cart(
                order_id=order.pk, actor=owner, notify=bool(story.message), message=story.message
            )
            if story.message:
                _cancel_order_emails(order)
        elif step == "take_oc":
            cart_take_oc_quantities(cart=Cart.objects.get(source_order=order))
        elif step == "replace":
            cart = Cart.objects.get(source_order=order)
            replacement = order_place(
                cart_id=cart.pk, organization=organization, placed_by=shop_user
            )
            _cancel_order_emails(order)
        elif step == "delete_cart":
            cart_delete(cart=Cart.objects.get(source_order=order))
        elif step == "archive":
            order_archive(order_id=order.pk, actor=owner)
        else:
            raise ValueError(f"unknown demo story step {step!r}")
    if story.tags:
        order_set_tags(order_id=order.pk, actor=staff, names=list(story.tags))
    return replacement


def _cancel_order_emails(order: Order) -> None:
    events = OrderEvent.objects.filter(order=order).values_list("pk", flat=True)
    email_cancel(
        email_ids=OutboundEmail.objects.filter(
            reference__in=[f"order_event:{pk}" for pk in events]
        ).values_list("pk", flat=True),
        reason="Demo data: the addresses are made up; the order pages show the same.",
    )


NUMBERED_DOCUMENTS = (BacklogSkuList, DeliveryNote, Invoice, PartnerInventorySlip)


def order_spread_in_time(*, order: Order, replacement: Order | None) -> None:
    """Move the story's events from this moment back to the days after the order was placed.

    Demo data only, like the placing dates: the services stamp everything "now", which would
    show weeks-old orders confirmed, delivered and invoiced all in the same second. Each event
    moves, with the document, OC, cart or new order it made, to a day after the one before.
    """
    placed_at = Order.objects.values_list("placed_at", flat=True).get(pk=order.pk)
    events = list(OrderEvent.objects.filter(order=order).exclude(type="placed").order_by("id"))
    if not events:
        return
    moments = _story_moments(placed_at=placed_at, count=len(events), now=timezone.now())
    for event, at in zip(events, moments, strict=True):
        OrderEvent.objects.filter(pk=event.pk).update(created_at=at)
        number = event.details.get("number")
        if number:
            for model in NUMBERED_DOCUMENTS:
                model._default_manager.filter(order=order, number=number).update(created_at=at)
        if event.type == "oc_created":
            OrderConfirmation.objects.filter(order=order).update(created_at=at, updated_at=at)
        elif event.type in {"oc_updated", "oc_rejected"}:
            OrderConfirmation.objects.filter(order=order).update(updated_at=at)
        elif event.type == "returned_to_cart":
            Cart.objects.filter(source_order=order).update(created_at=at, updated_at=at)
        elif event.type == "replaced" and replacement is not None:
            Order.objects.filter(pk=replacement.pk).update(placed_at=at, updated_at=at)
            OrderEvent.objects.filter(order=replacement).update(created_at=at)
            OrderTag.objects.filter(order=replacement).update(placed_at=at)
    Order.objects.filter(pk=order.pk).update(updated_at=moments[-1])


def _story_moments(
    *, placed_at: datetime.datetime, count: int, now: datetime.datetime
) -> list[datetime.datetime]:
    """Return `count` moments after `placed_at` and before `now`, in office hours when there
    is room: up to three days apart, each at another time between 09:00 and 17:59."""
    span = now - placed_at
    days = min(3, span.days // (count + 1))
    if days == 0:  # a recent order: share out the time since it was placed
        return [placed_at + span / (count + 1) * step for step in range(1, count + 1)]
    local = timezone.localtime(placed_at)
    minute = local.hour * 60 + local.minute
    return [
        local.replace(hour=9, minute=0, second=0, microsecond=0)
        + datetime.timedelta(days=days * step, minutes=(minute + 97 * step) % (9 * 60))
        for step in range(1, count + 1)
    ]
