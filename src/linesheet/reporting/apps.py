from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "linesheet.reporting"
    label = "reporting"
    verbose_name = "Reporting"
