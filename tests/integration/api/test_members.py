"""A brand's team through the API: invitations, roles, the ownership, the table, the history."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.accounts.models import BrandMembership
from linesheet.accounts.permissions import ROLE_PERMISSIONS
from linesheet.notifications.models import OutboundEmail
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/brands/atelier"


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def test_an_owner_invites_by_api_and_the_invited_user_joins_by_api(brand: Any, owner: Any) -> None:
    api = client_for(owner)

    created = api.post(
        f"{BASE}/member-invitations",
        {"email": "colleague@example.test", "role": "viewer"},
        format="json",
    )

    assert created.status_code == 201, created.content
    sent = created.json()
    assert (sent["email"], sent["role"], sent["invited_by"]) == (
        "colleague@example.test",
        "viewer",
        owner.email,
    )
    token = sent["accept_url"].rstrip("/").rsplit("/", 1)[1]
    assert sent["accept_url"] in OutboundEmail.objects.get(kind="member_invitation").body_text
    listed = api.get(f"{BASE}/member-invitations").json()["results"]
    assert [row["email"] for row in listed] == ["colleague@example.test"]
    assert "accept_url" not in listed[0]

    stranger = client_for(factories.make_user(email="stranger@example.test"))
    problem(
        stranger.post(f"/api/v1/member-invitations/{token}/accept"),
        403,
        "invitation_email_mismatch",
    )
    colleague = factories.make_user(email="colleague@example.test")
    joined = client_for(colleague).post(f"/api/v1/member-invitations/{token}/accept")

    assert joined.status_code == 201, joined.content
    assert (joined.json()["brand"], joined.json()["role"]) == ("atelier", "viewer")
    me = client_for(colleague).get("/api/v1/me").json()
    assert me["brands"] == [
        {"slug": "atelier", "name": brand.name, "role": "viewer", "permissions": ["view"]}
    ]
    kinds = [event["kind"] for event in api.get(f"{BASE}/history").json()["results"]]
    assert kinds == ["member_joined", "member_invited"]


def test_resend_gives_a_new_link_and_withdraw_ends_it(brand: Any, owner: Any) -> None:
    api = client_for(owner)
    first = api.post(
        f"{BASE}/member-invitations", {"email": "late@example.test", "role": "staff"}, format="json"
    ).json()

    resent = api.post(f"{BASE}/member-invitations/{first['id']}/resend")
    withdrawn = api.delete(f"{BASE}/member-invitations/{first['id']}")

    assert resent.status_code == 200 and resent.json()["sent_count"] == 2
    assert resent.json()["accept_url"] != first["accept_url"]
    assert withdrawn.status_code == 204
    problem(api.delete(f"{BASE}/member-invitations/{first['id']}"), 409, "invitation_closed")
    assert api.get(f"{BASE}/member-invitations").json()["results"] == []


def test_roles_change_the_owner_stays_and_the_ownership_moves_by_transfer(
    brand: Any, owner: Any
) -> None:
    api = client_for(owner)
    staff = BrandMembership.objects.get(user=factories.make_member(brand=brand, role="staff"))
    own = BrandMembership.objects.get(user=owner)

    changed = api.patch(f"{BASE}/members/{staff.pk}", {"role": "admin"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "admin"
    assert "members_manage" in changed.json()["permissions"]
    problem(
        api.patch(f"{BASE}/members/{own.pk}", {"role": "staff"}, format="json"), 409, "last_owner"
    )
    problem(api.delete(f"{BASE}/members/{own.pk}"), 409, "last_owner")
    invalid = api.patch(f"{BASE}/members/{staff.pk}", {"role": "owner"}, format="json")
    assert invalid.status_code == 400 and "role" in invalid.json()["errors"]

    moved = api.post(f"{BASE}/ownership", {"member": staff.pk}, format="json")

    assert moved.status_code == 200 and moved.json()["role"] == "owner"
    assert BrandMembership.objects.get(pk=own.pk).role == "admin"
    problem(api.post(f"{BASE}/ownership", {"member": own.pk}, format="json"), 403, "not_permitted")
    members = api.get(f"{BASE}/members").json()["results"]
    assert sorted((m["email"], m["role"]) for m in members) == sorted(
        [(owner.email, "admin"), (staff.user.email, "owner")]
    )


def test_the_roles_endpoint_answers_the_table_the_guard_reads(brand: Any, viewer: Any) -> None:
    table = client_for(viewer).get(f"{BASE}/roles").json()

    assert table["roles"] == {role: sorted(perms) for role, perms in ROLE_PERMISSIONS.items()}
    rows = {row["permission"]: row["roles"] for row in table["permissions"]}
    assert rows["members_manage"] == ["owner", "admin"]
    assert rows["view"] == ["owner", "admin", "staff", "viewer"]


@pytest.mark.parametrize(
    ("role", "code"), [("viewer", "read_only_role"), ("staff", "not_permitted")]
)
def test_staff_and_viewers_read_the_team_but_change_nothing(
    brand: Any, owner: Any, role: str, code: str
) -> None:
    member = factories.make_member(brand=brand, role=role)
    api = client_for(member)
    own = BrandMembership.objects.get(user=owner)

    assert api.get(f"{BASE}/members").status_code == 200
    body = problem(
        api.post(
            f"{BASE}/member-invitations",
            {"email": "x@example.test", "role": "staff"},
            format="json",
        ),
        403,
        code,
    )
    assert body["role"] == role and body["permission"] == "members_manage"
    problem(api.patch(f"{BASE}/members/{own.pk}", {"role": "viewer"}, format="json"), 403, code)
    problem(api.post(f"{BASE}/ownership", {"member": own.pk}, format="json"), 403, code)
    assert not OutboundEmail.objects.exists()
