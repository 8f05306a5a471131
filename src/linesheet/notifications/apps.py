from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linesheet.notifications"
    label = "notifications"

    def ready(self) -> None:
        from linesheet.accounts.events import (
            invitation_created,
            member_invitation_created,
            organization_invitation_created,
        )
        from linesheet.notifications.receivers import (
            on_carts_withdrawn,
            on_invitation_created,
            on_member_invitation_created,
            on_order_event_recorded,
            on_organization_invitation_created,
        )
        from linesheet.ordering.events import order_event_recorded
        from linesheet.ordering.services import carts_withdrawn

        order_event_recorded.connect(on_order_event_recorded, dispatch_uid="order-event-email")
        carts_withdrawn.connect(on_carts_withdrawn, dispatch_uid="carts-withdrawn-email")
        invitation_created.connect(on_invitation_created, dispatch_uid="invitation-email")
        member_invitation_created.connect(
            on_member_invitation_created, dispatch_uid="member-invitation-email"
        )
        organization_invitation_created.connect(
            on_organization_invitation_created, dispatch_uid="organization-invitation-email"
        )
