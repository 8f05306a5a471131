"""Django's static files app as linesheet installs it (INSTALLED_APPS names this config)."""

from __future__ import annotations

from django.contrib.staticfiles import apps


class StaticFilesConfig(apps.StaticFilesConfig):
    """Django's static files, less the Redoc bundle that comes with the Swagger UI's (unused)."""

    ignore_patterns = [*apps.StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
