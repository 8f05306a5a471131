from __future__ import annotations

from django.apps import AppConfig


class OrderingConfig(AppConfig):
    name = "linesheet.ordering"
    label = "ordering"
