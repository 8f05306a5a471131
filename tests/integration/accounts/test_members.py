"""A brand's team: invitations bound to the email, roles, one owner always, the history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.members import (
    brand_member_invitation_accept,
    brand_member_invitation_resend,
    brand_member_invitation_revoke,
    brand_member_invite,
    brand_member_remove,
    brand_member_role_change,
    brand_ownership_transfer,
)
from linesheet.accounts.models import BrandEvent, BrandMemberInvitation, BrandMembership
from linesheet.core.errors import InvalidInput
from linesheet.notifications.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db


def membership(brand: Any, user: Any) -> BrandMembership:
    return BrandMembership.objects.get(brand=brand, user=user)


def history(brand: Any) -> list[tuple[str, str, str]]:
    return [
        (event.kind, event.actor.email if event.actor else "", event.subject)
        for event in BrandEvent.objects.filter(brand=brand).order_by("id")
    ]


def refusal(call: Any) -> AccountsError:
    with pytest.raises(AccountsError) as raised:
        call()
    return raised.value


def test_an_invitation_is_emailed_with_a_link_that_only_the_invited_email_accepts(
    brand: Any, owner: Any
) -> None:
    invitation, token = brand_member_invite(
        brand=brand, actor=owner, email=" Colleague@Example.TEST ", role="viewer"
    )

    assert invitation.email == "colleague@example.test"
    assert token not in invitation.digest  # only the digest is kept
    email = OutboundEmail.objects.get(kind="member_invitation")
    assert email.to == ["colleague@example.test"]
    link = reverse("member-invitation-accept", args=[token])
    assert link in email.body_text and link in email.body_html
    assert "Viewer" in email.body_text and brand.name in email.subject

    stranger = factories.make_user(email="stranger@example.test")
    mismatch = refusal(lambda: brand_member_invitation_accept(token=token, user=stranger))
    assert (mismatch.code, mismatch.status) == (AccountsErrorCode.INVITATION_EMAIL_MISMATCH, 403)
    assert not BrandMembership.objects.filter(brand=brand, user=stranger).exists()

    colleague = factories.make_user(email="colleague@example.test")
    joined = brand_member_invitation_accept(token=token, user=colleague)

    assert (joined.user, joined.role) == (colleague, "viewer")
    used = refusal(lambda: brand_member_invitation_accept(token=token, user=colleague))
    assert used.code == AccountsErrorCode.INVITATION_USED
    assert history(brand) == [
        ("member_invited", owner.email, "colleague@example.test"),
        ("member_joined", "colleague@example.test", "colleague@example.test"),
    ]


def test_a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(
    brand: Any, owner: Any
) -> None:
    invitation, old = brand_member_invite(
        brand=brand, actor=owner, email="late@example.test", role="staff"
    )
    resent, new = brand_member_invitation_resend(
        brand=brand, actor=owner, invitation_id=invitation.pk
    )
    late = factories.make_user(email="late@example.test")

    assert new != old and resent.sent_count == 2
    assert OutboundEmail.objects.filter(kind="member_invitation").count() == 2
    gone = refusal(lambda: brand_member_invitation_accept(token=old, user=late))
    assert (gone.code, gone.status) == (AccountsErrorCode.INVITATION_NOT_FOUND, 404)
    assert brand_member_invitation_accept(token=new, user=late).role == "staff"


def test_a_withdrawn_invitation_cannot_be_accepted_or_withdrawn_again(
    brand: Any, owner: Any
) -> None:
    invitation, token = brand_member_invite(
        brand=brand, actor=owner, email="gone@example.test", role="staff"
    )
    brand_member_invitation_revoke(brand=brand, actor=owner, invitation_id=invitation.pk)
    user = factories.make_user(email="gone@example.test")

    revoked = refusal(lambda: brand_member_invitation_accept(token=token, user=user))
    assert revoked.code == AccountsErrorCode.INVITATION_REVOKED
    again = refusal(
        lambda: brand_member_invitation_revoke(
            brand=brand, actor=owner, invitation_id=invitation.pk
        )
    )
    assert again.code == AccountsErrorCode.INVITATION_CLOSED
    # A new invitation to the same email is fine once the old one is withdrawn.
    brand_member_invite(brand=brand, actor=owner, email="gone@example.test", role="viewer")


def test_inviting_a_member_or_an_email_already_invited_is_refused(brand: Any, owner: Any) -> None:
    brand_member_invite(brand=brand, actor=owner, email="twice@example.test", role="staff")

    pending = refusal(
        lambda: brand_member_invite(
            brand=brand, actor=owner, email="TWICE@example.test", role="staff"
        )
    )
    member = refusal(
        lambda: brand_member_invite(brand=brand, actor=owner, email=owner.email, role="staff")
    )

    assert pending.code == AccountsErrorCode.INVITATION_PENDING
    assert member.code == AccountsErrorCode.ALREADY_MEMBER
    with pytest.raises(InvalidInput) as bad:
        brand_member_invite(brand=brand, actor=owner, email="not an email", role="staff")
    assert "email" in bad.value.params["errors"]
    with pytest.raises(InvalidInput) as bad_role:
        brand_member_invite(brand=brand, actor=owner, email="x@example.test", role="boss")
    assert "role" in bad_role.value.params["errors"]


@pytest.mark.parametrize(
    ("role", "code"),
    [("staff", AccountsErrorCode.NOT_PERMITTED), ("viewer", AccountsErrorCode.READ_ONLY_ROLE)],
)
def test_only_owners_and_admins_manage_the_team(
    brand: Any, owner: Any, role: str, code: str
) -> None:
    actor = factories.make_member(brand=brand, role=role)
    target = membership(brand, factories.make_member(brand=brand, role="staff"))

    attempts = [
        lambda: brand_member_invite(brand=brand, actor=actor, email="x@example.test", role="staff"),
        lambda: brand_member_role_change(
            brand=brand, actor=actor, member_id=target.pk, role="viewer"
        ),
        lambda: brand_member_remove(brand=brand, actor=actor, member_id=target.pk),
        lambda: brand_ownership_transfer(brand=brand, actor=actor, member_id=target.pk),
    ]
    for attempt in attempts:
        refused = refusal(attempt)
        assert (refused.code, refused.status) == (code, 403)
    assert membership(brand, target.user).role == "staff"
    assert not BrandMemberInvitation.objects.exists()
    assert not BrandEvent.objects.exists()


def test_an_admin_manages_members_but_neither_makes_an_owner_nor_touches_the_owner(
    brand: Any, owner: Any
) -> None:
    admin = factories.make_member(brand=brand, role="admin")
    staff = membership(brand, factories.make_member(brand=brand, role="staff"))
    owner_row = membership(brand, owner)

    brand_member_role_change(brand=brand, actor=admin, member_id=staff.pk, role="viewer")
    assert membership(brand, staff.user).role == "viewer"

    as_owner = refusal(
        lambda: brand_member_invite(brand=brand, actor=admin, email="o@example.test", role="owner")
    )
    promote = refusal(
        lambda: brand_member_role_change(brand=brand, actor=admin, member_id=staff.pk, role="owner")
    )
    demote = refusal(
        lambda: brand_member_role_change(
            brand=brand, actor=admin, member_id=owner_row.pk, role="admin"
        )
    )
    remove = refusal(lambda: brand_member_remove(brand=brand, actor=admin, member_id=owner_row.pk))

    assert as_owner.code == AccountsErrorCode.NOT_PERMITTED
    assert promote.code == AccountsErrorCode.OWNER_BY_TRANSFER
    assert demote.code == remove.code == AccountsErrorCode.LAST_OWNER
    assert membership(brand, owner).role == "owner"


def test_the_owner_cannot_leave_or_step_down_without_handing_over(brand: Any, owner: Any) -> None:
    own = membership(brand, owner)

    leave = refusal(lambda: brand_member_remove(brand=brand, actor=owner, member_id=own.pk))
    step_down = refusal(
        lambda: brand_member_role_change(brand=brand, actor=owner, member_id=own.pk, role="staff")
    )

    assert leave.code == step_down.code == AccountsErrorCode.LAST_OWNER
    assert BrandMembership.objects.filter(brand=brand, role="owner").count() == 1


def test_transferring_the_ownership_keeps_exactly_one_owner_and_the_old_owner_as_admin(
    brand: Any, owner: Any
) -> None:
    heir = factories.make_member(brand=brand, role="viewer")

    brand_ownership_transfer(brand=brand, actor=owner, member_id=membership(brand, heir).pk)

    assert membership(brand, heir).role == "owner"
    assert membership(brand, owner).role == "admin"
    assert BrandMembership.objects.filter(brand=brand, role="owner").count() == 1
    event = BrandEvent.objects.get(kind="ownership_transferred")
    assert (event.subject, event.details["previous_owner"]) == (heir.email, owner.email)
    # The old owner is no longer the one who hands over.
    refused = refusal(
        lambda: brand_ownership_transfer(
            brand=brand, actor=owner, member_id=membership(brand, owner).pk
        )
    )
    assert refused.code == AccountsErrorCode.NOT_PERMITTED


def test_accepting_an_owners_invitation_hands_the_ownership_over(brand: Any, owner: Any) -> None:
    _invitation, token = brand_member_invite(
        brand=brand, actor=owner, email="buyer-of-the-brand@example.test", role="owner"
    )
    heir = factories.make_user(email="buyer-of-the-brand@example.test")

    brand_member_invitation_accept(token=token, user=heir)

    assert membership(brand, heir).role == "owner"
    assert membership(brand, owner).role == "admin"
    assert [kind for kind, _actor, _subject in history(brand)][-1] == "ownership_transferred"


def test_a_member_removed_cannot_act_on_what_they_saw_before(brand: Any, owner: Any) -> None:
    admin = factories.make_member(brand=brand, role="admin")
    staff = membership(brand, factories.make_member(brand=brand, role="staff"))
    brand_member_remove(brand=brand, actor=owner, member_id=membership(brand, admin).pk)

    refused = refusal(lambda: brand_member_remove(brand=brand, actor=admin, member_id=staff.pk))

    assert (refused.code, refused.status) == (AccountsErrorCode.MEMBER_NOT_FOUND, 403)
    assert BrandMembership.objects.filter(pk=staff.pk).exists()
    assert history(brand) == [("member_removed", owner.email, admin.email)]


def test_a_member_of_another_brand_is_not_found(brand: Any, owner: Any) -> None:
    other = factories.make_brand()
    stranger = membership(other, factories.make_member(brand=other))

    refused = refusal(
        lambda: brand_member_role_change(
            brand=brand, actor=owner, member_id=stranger.pk, role="viewer"
        )
    )

    assert (refused.code, refused.status) == (AccountsErrorCode.MEMBER_NOT_FOUND, 404)
    assert stranger.role == membership(other, stranger.user).role == "owner"


def test_the_database_refuses_a_second_owner(brand: Any, owner: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_member(brand=brand, role="owner")


def test_the_invitation_email_goes_out_through_the_worker_and_its_link_lets_the_colleague_join(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any, client: Client
) -> None:
    brand_member_invite(brand=brand, actor=owner, email="colleague@example.test", role="viewer")

    run_worker()

    [message] = smtp_server.messages
    assert message["To"] == "colleague@example.test"
    body = message.get_payload(0).get_payload(decode=True).decode()
    link = re.search(r"http://\S+/join/brand/[\w-]+/", body)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and "Create an account" in page.text

    colleague = factories.make_user(email="colleague@example.test")
    client.force_login(colleague)
    joined = client.post(f"/{path}")

    assert joined.status_code == 302
    assert joined["Location"] == reverse("brand-home", args=[brand.slug])
    assert membership(brand, colleague).role == "viewer"
