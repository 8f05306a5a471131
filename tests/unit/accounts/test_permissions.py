"""The permission table: what each role may do, and the refusals it gives."""

from __future__ import annotations

import itertools

from linesheet.accounts.errors import AccountsErrorCode
from linesheet.accounts.models import BrandRole
from linesheet.accounts.permissions import (
    ROLE_PERMISSIONS,
    ROLES_BY_RANK,
    Permission,
    permission_refusal,
    permission_table,
    role_permits,
    writes_anything,
)


def test_every_role_has_a_row_and_every_role_may_view() -> None:
    assert set(ROLE_PERMISSIONS) == set(BrandRole.values) == set(ROLES_BY_RANK)
    assert all(role_permits(role, Permission.VIEW) for role in ROLES_BY_RANK)


def test_a_viewer_may_only_view_and_so_writes_nothing() -> None:
    assert ROLE_PERMISSIONS["viewer"] == {Permission.VIEW}
    assert not writes_anything("viewer")
    assert all(writes_anything(role) for role in ("owner", "admin", "staff"))


def test_each_role_has_everything_the_role_below_it_has() -> None:
    for higher, lower in itertools.pairwise(ROLES_BY_RANK):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher], (higher, lower)


def test_only_the_owner_hands_the_brand_over_and_staff_manage_neither_members_nor_settings() -> (
    None
):
    assert [r for r in ROLES_BY_RANK if role_permits(r, Permission.OWNERSHIP_TRANSFER)] == ["owner"]
    assert not role_permits("staff", Permission.MEMBERS_MANAGE)
    assert not role_permits("staff", Permission.SETTINGS_MANAGE)
    assert role_permits("admin", Permission.MEMBERS_MANAGE)
    assert role_permits("staff", Permission.ORDER_WRITE)


def test_an_unknown_role_may_do_nothing() -> None:
    assert not role_permits("", Permission.VIEW)
    assert not role_permits("superuser", Permission.ORDER_WRITE)


def test_a_viewer_is_refused_as_read_only_and_staff_with_the_roles_that_may() -> None:
    viewer = permission_refusal(brand="Atelier", role="viewer", permission="order_write")
    staff = permission_refusal(brand="Atelier", role="staff", permission="members_manage")

    assert (viewer.code, viewer.status) == (AccountsErrorCode.READ_ONLY_ROLE, 403)
    assert "viewer" in viewer.message
    assert (staff.code, staff.status) == (AccountsErrorCode.NOT_PERMITTED, 403)
    assert staff.params["roles"] == "owner, admin"
    assert "owner, admin" in staff.message


def test_the_table_shown_on_the_page_is_the_table_checked() -> None:
    rows = permission_table()

    assert [row["permission"] for row in rows] == list(Permission.values)
    for row in rows:
        assert [cell["role"] for cell in row["roles"]] == list(ROLES_BY_RANK)
        for cell in row["roles"]:
            assert cell["allowed"] == role_permits(cell["role"], row["permission"])
