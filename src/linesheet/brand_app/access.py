"""Who may open a Brand App page: members of that brand; only writers may change anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, BrandMembership, BrandRole, User
from linesheet.accounts.selectors import brand_memberships_of, organizations_of
from linesheet.accounts.time_zones import activate_workspace_time_zone
from linesheet.web.workspaces import Workspaces

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Who may change the brand's settings (order numbering, ...); staff work with orders only.
MANAGER_ROLES = frozenset({BrandRole.OWNER, BrandRole.ADMIN})

P = ParamSpec("P")


@dataclass(frozen=True)
class BrandScope:
    """The brand a page is about, the user's membership of it and the header's workspaces."""

    membership: BrandMembership
    workspaces: Workspaces

    @property
    def brand(self) -> Brand:
        return self.membership.brand

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def can_write(self) -> bool:
        return self.membership.can_write

    @property
    def can_manage(self) -> bool:
        """Say whether the user may change the brand's settings."""
        return self.membership.role in MANAGER_ROLES


BrandView = Callable[Concatenate[HttpRequest, BrandScope, P], HttpResponse]


def brand_view(
    *, writes: bool = False, manages: bool = False
) -> Callable[[BrandView[P]], Callable[Concatenate[HttpRequest, str, P], HttpResponse]]:
    """Resolve the brand from the URL for its members; 404 for anyone else.

    A viewer reads: any POST, and any page that exists only to change data (`writes`), is
    refused with 403. On a settings page (`manages`) every member reads, but only owners and
    admins may POST.
    """

    def decorate(view: BrandView[P]) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, brand: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            user = cast(User, request.user)
            # All memberships in one query: it answers the access question and fills the
            # header's brand switcher.
            memberships = list(brand_memberships_of(user=user))
            membership = next((m for m in memberships if m.brand.slug == brand), None)
            if membership is None:
                raise Http404
            if (writes or request.method not in SAFE_METHODS) and not membership.can_write:
                raise PermissionDenied(
                    _("Your role at %(brand)s is viewer: you can read, but not change anything.")
                    % {"brand": membership.brand.name}
                )
            if (
                manages
                and request.method not in SAFE_METHODS
                and membership.role not in MANAGER_ROLES
            ):
                raise PermissionDenied(
                    _("Only an owner or an admin of %(brand)s can change its settings.")
                    % {"brand": membership.brand.name}
                )
            workspaces = Workspaces(
                memberships=memberships,
                organizations=list(organizations_of(user=user)),
                current_brand=membership.brand,
            )
            scope = BrandScope(membership=membership, workspaces=workspaces)
            activate_workspace_time_zone(user, membership.brand)
            return view(request, scope, *args, **kwargs)

        return wrapper

    return decorate


def render_brand(
    request: HttpRequest,
    scope: BrandScope,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    section: str,
    status: int = 200,
) -> HttpResponse:
    """Render a Brand App page with the brand, the user's rights and the active section."""
    return render(
        request,
        template,
        {
            "brand": scope.brand,
            "membership": scope.membership,
            "can_write": scope.can_write,
            "can_manage": scope.can_manage,
            "workspaces": scope.workspaces,
            "section": section,
            **(context or {}),
        },
        status=status,
    )
