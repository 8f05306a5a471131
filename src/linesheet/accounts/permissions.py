"""What each role of a brand may do: the one table the guards, the pages and the API read.

Every door that changes a brand's data names the permission it needs (the Brand App's
`brand_view(changes=...)`, the API views' `write_permission`, the member services); whether a
role has it is answered here and nowhere else. The Members page shows this table as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode

if TYPE_CHECKING:
    from linesheet.accounts.models import BrandMembership


class Permission(models.TextChoices):
    """Something a brand member may be allowed to do; the label says it in a line."""

    VIEW = "view", _("See everything of the brand: orders, buyers, catalogs, analytics; export")
    ORDER_WRITE = (
        "order_write",
        _("Work orders: OCs, rejections, returns, documents, tags; proxy orders and sheet imports"),
    )
    CATALOG_WRITE = "catalog_write", _("Create and change catalogs, products and order links")
    BUYER_WRITE = "buyer_write", _("Add buyers and invite shops to connect")
    SETTINGS_MANAGE = "settings_manage", _("Change the brand's settings (numbering, time zone)")
    MEMBERS_MANAGE = "members_manage", _("Invite members, change their roles, remove them")
    OWNERSHIP_TRANSFER = "ownership_transfer", _("Hand the brand's ownership to another member")


# Role (BrandRole's values) -> what it may do. The owner is the one member who may hand the
# brand over; an admin does everything else; staff work the brand's data; a viewer reads.
_WORK = frozenset(
    {Permission.VIEW, Permission.ORDER_WRITE, Permission.CATALOG_WRITE, Permission.BUYER_WRITE}
)
_ADMIN = _WORK | {Permission.SETTINGS_MANAGE, Permission.MEMBERS_MANAGE}
ROLE_PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    "owner": _ADMIN | {Permission.OWNERSHIP_TRANSFER},
    "admin": _ADMIN,
    "staff": _WORK,
    "viewer": frozenset({Permission.VIEW}),
}
# Roles in the order the pages list them, most rights first.
ROLES_BY_RANK = ("owner", "admin", "staff", "viewer")


def role_permits(role: str, permission: Permission | str) -> bool:
    """Say whether `role` may do `permission` (an unknown role may do nothing)."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def writes_anything(role: str) -> bool:
    """Say whether the role may change anything at all (a viewer may not)."""
    return bool(ROLE_PERMISSIONS.get(role, frozenset()) - {Permission.VIEW})


def permission_refusal(*, brand: str, role: str, permission: Permission | str) -> AccountsError:
    """Return the refusal of `permission` to a member of `brand` with `role` (403, coded)."""
    permission = Permission(permission)
    if not writes_anything(role):
        return AccountsError(
            AccountsErrorCode.READ_ONLY_ROLE,
            status=403,
            brand=brand,
            role=role,
            permission=str(permission),
        )
    allowed = [label for label in ROLES_BY_RANK if role_permits(label, permission)]
    return AccountsError(
        AccountsErrorCode.NOT_PERMITTED,
        status=403,
        brand=brand,
        role=role,
        permission=str(permission),
        what=str(permission.label),
        roles=", ".join(allowed),
    )


def permission_check(*, membership: BrandMembership, permission: Permission | str) -> None:
    """Refuse (403, coded) a member whose role lacks `permission`."""
    if not role_permits(membership.role, permission):
        raise permission_refusal(
            brand=membership.brand.name, role=membership.role, permission=permission
        )


def permission_table() -> list[dict[str, Any]]:
    """Return the table as rows: each permission with its label and, per role (in
    ROLES_BY_RANK's order), whether it may."""
    return [
        {
            "permission": str(permission),
            "label": str(permission.label),
            "roles": [
                {"role": role, "allowed": role_permits(role, permission)} for role in ROLES_BY_RANK
            ],
        }
        for permission in Permission
    ]
