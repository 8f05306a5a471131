"""Operations on a placed order that live in ordering: reject, archive, tags."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import User
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules, selectors
from linesheet.ordering.errors import OrderError, OrderErrorCode, RejectBlocker
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.messages import notification_details
from linesheet.ordering.models import (
    Order,
    OrderTag,
    Tag,
)
from linesheet.ordering.services.guard import order_for_action, order_set_status
from linesheet.ordering.statuses import (
    OrderAction,
    OrderStatus,
)


def order_reject(*, order_id: int, actor: User | None, notify: bool, message: str = "") -> Order:
    """Reject the order (terminal), optionally telling the buyer why.

    Refused with `not_rejectable` and every blocker while documents made from the order exist
    (backlog SKUs, delivery notes, invoices): checked under the order's lock, which the
    operations that create them take too.
    """
    details = notification_details(notify=notify, message=message)
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.REJECT)
        blockers = rules.reject_blockers(selectors.reject_facts(order=order))
        if blockers:
            refusals = [RejectBlocker(b.code, **b.params).as_dict() for b in blockers]
            raise OrderError(
                OrderErrorCode.NOT_REJECTABLE,
                reasons=" ".join(refusal["message"] for refusal in refusals),
                blockers=refusals,
            )
        order_set_status(
            order=order,
            status=OrderStatus.REJECTED,
            actor=actor,
            event_type=OrderEventType.REJECTED,
            **details,
        )
    return order


def order_archive(*, order_id: int, actor: User | None) -> Order:
    """Hide a rejected or returned order from the default list. Irreversible."""
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.ARCHIVE)
        if not order.archived:
            order.archived = True
            order.updated_at = timezone.now()
            order.save(update_fields=["archived", "updated_at"])
            # The tag rows' copy, which the tag filter of Order Management reads (OrderTag).
            OrderTag.objects.filter(order=order).update(archived=True)
            record_event(order=order, type=OrderEventType.ARCHIVED, actor=actor)
    return order


def order_set_tags(*, order_id: int, actor: User | None, names: list[str]) -> list[Tag]:
    """Replace the order's tags with `names`, creating the brand's tags that do not exist yet."""
    cleaned = sorted({" ".join(name.split()) for name in names if name.strip()})
    too_long = [name for name in cleaned if len(name) > 40]
    if too_long or len(cleaned) > 20:
        raise InvalidInput.field(
            "tags", "invalid", _("Use at most 20 tags of at most 40 characters each.")
        )
    with transaction.atomic():
        order = order_for_action(order_id=order_id, action=OrderAction.SET_TAGS)
        existing = {
            tag.name: tag for tag in Tag.objects.filter(brand=order.brand, name__in=cleaned)
        }
        missing = [Tag(brand=order.brand, name=name) for name in cleaned if name not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {
                tag.name: tag for tag in Tag.objects.filter(brand=order.brand, name__in=cleaned)
            }
        before = sorted(OrderTag.objects.filter(order=order).values_list("tag__name", flat=True))
        if before != cleaned:
            OrderTag.objects.filter(order=order).delete()
            OrderTag.objects.bulk_create(
                OrderTag(
                    order=order,
                    tag=existing[n],
                    placed_at=order.placed_at,
                    archived=order.archived,
                )
                for n in cleaned
            )
            record_event(
                order=order,
                type=OrderEventType.TAGS_CHANGED,
                actor=actor,
                before=before,
                after=cleaned,
            )
    return [existing[name] for name in cleaned]
