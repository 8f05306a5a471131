from __future__ import annotations

from django.apps import AppConfig


class BuyerAppConfig(AppConfig):
    name = "linesheet.buyer_app"
    label = "buyer_app"
