"""Listeners that turn domain events into notifications, inside the event's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linesheet.accounts.models import (
    BrandMemberInvitation,
    Invitation,
    OrganizationMemberInvitation,
)
from linesheet.notifications.access_emails import email_enqueue_for_withdrawn_carts
from linesheet.notifications.order_emails import (
    email_enqueue_for_order_event,
    email_enqueue_for_reorder,
)
from linesheet.notifications.services import (
    email_enqueue_invitation,
    email_enqueue_member_invitation,
    email_enqueue_organization_invitation,
)
from linesheet.ordering.models import OrderEvent
from linesheet.ordering.services import WithdrawnCart


def on_order_event_recorded(sender: Any, *, event: OrderEvent, **kwargs: Any) -> None:
    email_enqueue_for_order_event(event=event)
    email_enqueue_for_reorder(event=event)


def on_carts_withdrawn(sender: Any, *, carts: Sequence[WithdrawnCart], **kwargs: Any) -> None:
    email_enqueue_for_withdrawn_carts(carts=carts)


def on_invitation_created(sender: Any, *, invitation: Invitation, **kwargs: Any) -> None:
    email_enqueue_invitation(invitation=invitation)


def on_member_invitation_created(
    sender: Any, *, invitation: BrandMemberInvitation, token: str, **kwargs: Any
) -> None:
    email_enqueue_member_invitation(invitation=invitation, token=token)


def on_organization_invitation_created(
    sender: Any, *, invitation: OrganizationMemberInvitation, token: str, **kwargs: Any
) -> None:
    email_enqueue_organization_invitation(invitation=invitation, token=token)
