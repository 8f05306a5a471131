from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linesheet.notifications"
    label = "notifications"
