"""Tenant scoping: 404 outside the caller's brands and organisations, 403 for a viewer's write."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from linesheet.accounts.models import Brand, BrandMembership, BuyerOrganization
from linesheet.accounts.permissions import Permission, permission_refusal
from linesheet.accounts.selectors import brand_membership_get, organization_get_for_member


class BrandScopedMixin:
    """For views under /api/v1/brands/{brand}/: resolves `self.membership` and `self.brand`.

    A write (any method but GET, HEAD, OPTIONS) needs the view's `write_permission`, looked up
    for the member's role in accounts.permissions: without it, 403 with the code
    `read_only_role` (a viewer) or `not_permitted`. A view that declares none takes no write.
    """

    kwargs: dict[str, Any]
    membership: BrandMembership
    brand: Brand
    write_permission: Permission | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        membership = brand_membership_get(user=request.user, brand_slug=kwargs["brand"])
        if membership is None:
            raise NotFound()
        self.membership = membership
        self.brand = membership.brand
        if request.method not in permissions.SAFE_METHODS:
            needed = self.write_permission
            if needed is None or not membership.permits(needed):
                raise permission_refusal(
                    brand=membership.brand.name,
                    role=membership.role,
                    permission=needed or Permission.ORDER_WRITE,
                )


class OrganizationScopedMixin:
    """For views under /api/v1/buyer-orgs/{org}/: resolves `self.organization`."""

    kwargs: dict[str, Any]
    organization: BuyerOrganization

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        try:
            organization_id = int(kwargs["org"])
        except (TypeError, ValueError):
            raise NotFound() from None
        organization = organization_get_for_member(
            user=request.user, organization_id=organization_id
        )
        if organization is None:
            raise NotFound()
        self.organization = organization
