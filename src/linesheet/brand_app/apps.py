from __future__ import annotations

from django.apps import AppConfig


class BrandAppConfig(AppConfig):
    name = "linesheet.brand_app"
    label = "brand_app"
