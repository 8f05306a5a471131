from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linesheet.core"
    label = "core"

    def ready(self) -> None:
        # Before any URL configuration is read: every route names its converters.
        from linesheet.core.url_converters import register_converters

        register_converters()
