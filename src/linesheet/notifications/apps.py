from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linesheet.notifications"
    label = "notifications"

    def ready(self) -> None:
        from linesheet.notifications.receivers import on_order_event_recorded
        from linesheet.ordering.events import order_event_recorded

        order_event_recorded.connect(on_order_event_recorded, dispatch_uid="order-event-email")
