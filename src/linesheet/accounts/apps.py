from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "linesheet.accounts"
    label = "accounts"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with the site of `admin_site.py` (INSTALLED_APPS names this one)."""

    default = False
    default_site = "linesheet.accounts.admin_site.AdminSite"
