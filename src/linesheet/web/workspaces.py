"""Where a user can work: their brands and buyer organisations, and the one acted for now."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from linesheet.accounts.models import Brand, BrandMembership, BuyerOrganization

# Carts and orders belong to an organisation, so the Buyer App always acts for exactly one;
# which one is a per-login preference, kept in the session rather than on the user.
ACTIVE_ORGANIZATION_KEY = "linesheet.active_organization"


@dataclass(frozen=True)
class Workspaces:
    """The header's switcher and the home chooser read this."""

    memberships: list[BrandMembership]
    organizations: list[BuyerOrganization]
    current_brand: Brand | None = None
    current_organization: BuyerOrganization | None = None

    @property
    def choices(self) -> int:
        """Return how many places the user can work in (a switcher is shown for two or more)."""
        return len(self.memberships) + len(self.organizations)


def active_organization(
    request: HttpRequest, organizations: list[BuyerOrganization]
) -> BuyerOrganization | None:
    """Return the organisation chosen in this session; the only one when there is just one."""
    chosen = request.session.get(ACTIVE_ORGANIZATION_KEY)
    for organization in organizations:
        if organization.pk == chosen:
            return organization
    if len(organizations) == 1:
        organization_activate(request, organization_id=organizations[0].pk)
        return organizations[0]
    return None


def organization_activate(request: HttpRequest, *, organization_id: int) -> None:
    """Act for this organisation from now on (the caller has checked membership)."""
    request.session[ACTIVE_ORGANIZATION_KEY] = organization_id
