"""Who may open a Brand App page: members of that brand; what each may change, by its role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, NoReturn, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from linesheet.accounts.logos import brand_logo_url
from linesheet.accounts.models import Brand, BrandMembership, User
from linesheet.accounts.permissions import Permission, permission_refusal
from linesheet.accounts.selectors import brand_memberships_of, organizations_of
from linesheet.accounts.time_zones import activate_workspace_time_zone
from linesheet.web.workspaces import Workspaces

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

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

    def permits(self, permission: Permission) -> bool:
        """Say whether the user's role may do `permission` (the table in accounts.permissions)."""
        return self.membership.permits(permission)

    @property
    def can(self) -> dict[str, bool]:
        """Every permission by name with whether the user has it, for the templates."""
        return {str(permission): self.permits(permission) for permission in Permission}

    @property
    def why_not(self) -> dict[str, str]:
        """Every permission the user lacks by name, with the reason the pages show."""
        return {
            str(permission): permission_refusal(
                brand=self.brand.name, role=self.membership.role, permission=permission
            ).message
            for permission in Permission
            if not self.permits(permission)
        }

    @property
    def can_write(self) -> bool:
        """Say whether the user may change anything at all (a viewer may not)."""
        return self.membership.can_write

    @property
    def can_manage(self) -> bool:
        """Say whether the user may change the brand's settings."""
        return self.permits(Permission.SETTINGS_MANAGE)


BrandView = Callable[Concatenate[HttpRequest, BrandScope, P], HttpResponse]


def brand_view(
    changes: Permission | None = None, *, form_only: bool = False
) -> Callable[[BrandView[P]], Callable[Concatenate[HttpRequest, str, P], HttpResponse]]:
    """Resolve the brand from the URL for its members; 404 for anyone else.

    `changes` is the permission (accounts.permissions) a POST to the page needs; a member whose
    role lacks it is refused with 403 and the reason. A page that exists only to change data
    (`form_only`) needs it to open too. A page without `changes` takes no POST: a viewer is told
    they only read (403), anyone else gets 405. The wrapped view carries `brand_permission`,
    so a test can read every route's guard from the URL configuration.
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
            writing = request.method not in SAFE_METHODS
            if writing and changes is None:
                if not membership.can_write:
                    _refuse(membership, Permission.ORDER_WRITE)
                return HttpResponseNotAllowed(sorted(SAFE_METHODS))
            if changes is not None and (writing or form_only) and not membership.permits(changes):
                _refuse(membership, changes)
            workspaces = Workspaces(
                memberships=memberships,
                organizations=list(organizations_of(user=user)),
                current_brand=membership.brand,
            )
            scope = BrandScope(membership=membership, workspaces=workspaces)
            activate_workspace_time_zone(user, membership.brand)
            return view(request, scope, *args, **kwargs)

        wrapper.brand_permission = changes  # type: ignore[attr-defined]
        wrapper.brand_form_only = form_only  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _refuse(membership: BrandMembership, permission: Permission) -> NoReturn:
    """Refuse the request (403) with the reason the permission table gives."""
    refusal = permission_refusal(
        brand=membership.brand.name, role=membership.role, permission=permission
    )
    raise PermissionDenied(refusal.message)


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
            "can": scope.can,
            "why_not": scope.why_not,
            "workspaces": scope.workspaces,
            "brand_logo_url": brand_logo_url(scope.brand),
            "section": section,
            **(context or {}),
        },
        status=status,
    )
