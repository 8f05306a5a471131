"""Which time zone a request shows times in: the user's own, else the workspace's.

The middleware activates the user's chosen zone for the whole request. A user who chose none
sees the zone of the brand (Brand App) or buyer organisation (Buyer App) the page works for,
activated by the page's access check, which reads that brand or organisation anyway; pages of
neither show TIME_ZONE. Rules count days in TIME_ZONE whatever is shown (core.time_zones).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from linesheet.accounts.models import Brand, BuyerOrganization, User


class TimeZoneMiddleware:
    """Show the request's times in the user's own zone, when the user chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            timezone.activate(user.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def activate_workspace_time_zone(user: User, workspace: Brand | BuyerOrganization) -> None:
    """Show the page in the brand's or organisation's zone, unless the user chose their own."""
    if not user.time_zone:
        timezone.activate(workspace.time_zone)
