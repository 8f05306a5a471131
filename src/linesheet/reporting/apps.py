from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "linesheet.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from linesheet.ordering.events import order_event_recorded
        from linesheet.reporting.receivers import on_order_event_recorded

        order_event_recorded.connect(on_order_event_recorded, dispatch_uid="order-event-analytics")
