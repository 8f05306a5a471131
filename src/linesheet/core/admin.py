"""Admin building blocks: support reads domain data here and changes it only through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest


class ViewOnlyAdmin(admin.ModelAdmin[Any]):
    """List, search, filter and read; no add, edit or delete, which would skip the services."""

    list_per_page = 50
    show_full_result_count = False  # a count(*) over a large table on every page is slow

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ViewOnlyTabularInline(admin.TabularInline[Any, Any]):
    """Related rows shown on the parent's page, read-only, each linking to its own page."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
