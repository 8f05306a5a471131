"""Who a Buyer App page acts for: the user's active organisation, settled before the view runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.accounts.selectors import brand_memberships_of, organizations_of
from linesheet.accounts.time_zones import activate_workspace_time_zone
from linesheet.ordering.selectors import carts_of_organization
from linesheet.web.workspaces import Workspaces, active_organization

P = ParamSpec("P")


@dataclass(frozen=True)
class BuyerScope:
    organization: BuyerOrganization
    workspaces: Workspaces
    user: User


BuyerView = Callable[Concatenate[HttpRequest, BuyerScope, P], HttpResponse]


def buyer_view(view: BuyerView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Resolve the organisation the user acts for; ask which one when it is not settled."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = cast(User, request.user)
        organizations = list(organizations_of(user=user))
        organization = active_organization(request, organizations)
        if organization is None:
            if not organizations:
                return redirect("home")
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('organization-choose')}?{query}")
        workspaces = Workspaces(
            memberships=list(brand_memberships_of(user=user)),
            organizations=organizations,
            current_organization=organization,
        )
        scope = BuyerScope(organization=organization, workspaces=workspaces, user=user)
        activate_workspace_time_zone(user, organization)
        return view(request, scope, *args, **kwargs)

    return wrapper


def render_buyer(
    request: HttpRequest,
    scope: BuyerScope,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    section: str,
    status: int = 200,
) -> HttpResponse:
    """Render a Buyer App page with the organisation, the header's counts and its section."""
    return render(
        request,
        template,
        {
            "organization": scope.organization,
            "workspaces": scope.workspaces,
            "section": section,
            # One indexed COUNT: the header shows how many carts are waiting.
            "cart_count": carts_of_organization(organization=scope.organization).count(),
            **(context or {}),
        },
        status=status,
    )
