"""A brand's team: invite by email with a role, resend or withdraw, re-role, remove, hand over.

Every operation locks the brand's row first, then reads the memberships and invitations it
decides on, so two members at work at once are served one after the other: a brand always keeps
exactly one owner (the `brand_one_owner` constraint is the backstop, `last_owner` the refusal).
The actor's own role is read again under that lock: a member removed or re-roled a moment ago
cannot act on what they saw before. Every change writes a `BrandEvent` in its transaction.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.events import member_invitation_created
from linesheet.accounts.models import (
    MEMBER_INVITATION_VALIDITY_DAYS,
    Brand,
    BrandEvent,
    BrandEventKind,
    BrandMemberInvitation,
    BrandMembership,
    BrandRole,
    User,
)
from linesheet.accounts.permissions import Permission, permission_check
from linesheet.accounts.tokens import token_digest
from linesheet.core.errors import InvalidInput

INVITATION_TOKEN_BYTES = 32


def member_email_normalized(email: str) -> str:
    """Return the email as accounts store it (lower-case, trimmed), or refuse it (field `email`)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput.field("email", "invalid", _("Enter a valid email address.")) from exc
    return email


def invited_email_check(*, invited: str, user: User) -> None:
    """Refuse a user other than the invited email: the link alone is no proof of who accepts."""
    if user.email.strip().lower() != invited.strip().lower():
        raise AccountsError(
            AccountsErrorCode.INVITATION_EMAIL_MISMATCH,
            status=403,
            invited=invited,
            email=user.email,
        )


def invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=MEMBER_INVITATION_VALIDITY_DAYS)


def invitation_token_new() -> tuple[str, str]:
    token = secrets.token_urlsafe(INVITATION_TOKEN_BYTES)
    return token, token_digest(token)


def _brand_locked(brand: Brand) -> Brand:
    return Brand.objects.select_for_update().get(pk=brand.pk)


def _actor_checked(*, brand: Brand, actor: User, permission: Permission) -> BrandMembership:
    """Return the actor's membership, read under the brand's lock, or refuse them (403)."""
    membership = BrandMembership.objects.filter(brand=brand, user=actor).first()
    if membership is None:
        raise AccountsError(AccountsErrorCode.MEMBER_NOT_FOUND, status=403)
    membership.brand = brand
    permission_check(membership=membership, permission=permission)
    return membership


def _member_of(*, brand: Brand, member_id: int) -> BrandMembership:
    membership = (
        BrandMembership.objects.select_related("user").filter(brand=brand, pk=member_id).first()
    )
    if membership is None:
        raise AccountsError(AccountsErrorCode.MEMBER_NOT_FOUND, status=404)
    return membership


def _open_invitation_of(*, brand: Brand, invitation_id: int) -> BrandMemberInvitation:
    invitation = BrandMemberInvitation.objects.filter(brand=brand, pk=invitation_id).first()
    if invitation is None:
        raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
    if not invitation.is_open:
        raise AccountsError(AccountsErrorCode.INVITATION_CLOSED)
    return invitation


def _event(
    *, brand: Brand, actor: User | None, kind: str, subject: str = "", **details: object
) -> BrandEvent:
    return BrandEvent.objects.create(
        brand=brand, actor=actor, kind=kind, subject=subject, details=details
    )


def _role_checked(role: str) -> str:
    if role not in BrandRole.values:
        raise InvalidInput.field(
            "role", "invalid_choice", _("Choose owner, admin, staff or viewer.")
        )
    return role


def _send(invitation: BrandMemberInvitation, token: str) -> None:
    member_invitation_created.send(sender=BrandMemberInvitation, invitation=invitation, token=token)


def brand_member_invite(
    *, brand: Brand, actor: User, email: str, role: str
) -> tuple[BrandMemberInvitation, str]:
    """Invite `email` to the brand's team as `role`; email the link; return it with its token.

    Inviting someone as owner is the owner's alone: accepting hands them the ownership (the
    owner of the moment becomes an admin). An expired invitation to the same email is
    withdrawn and replaced; a waiting one is refused (`invitation_pending`: resend it instead).
    """
    email = member_email_normalized(email)
    role = _role_checked(role)
    with transaction.atomic():
        brand = _brand_locked(brand)
        _actor_checked(brand=brand, actor=actor, permission=Permission.MEMBERS_MANAGE)
        if role == BrandRole.OWNER:
            _actor_checked(brand=brand, actor=actor, permission=Permission.OWNERSHIP_TRANSFER)
        if BrandMembership.objects.filter(brand=brand, user__email=email).exists():
            raise AccountsError(AccountsErrorCode.ALREADY_MEMBER, email=email, team=brand.name)
        waiting = BrandMemberInvitation.objects.filter(
            brand=brand, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if waiting is not None:
            if not waiting.is_expired:
                raise AccountsError(AccountsErrorCode.INVITATION_PENDING, email=email)
            waiting.revoked_at = timezone.now()
            waiting.save(update_fields=["revoked_at"])
        token, digest = invitation_token_new()
        invitation = BrandMemberInvitation.objects.create(
            brand=brand,
            email=email,
            role=role,
            digest=digest,
            created_by=actor,
            expires_at=invitation_expiry(),
        )
        _event(
            brand=brand, actor=actor, kind=BrandEventKind.MEMBER_INVITED, subject=email, role=role
        )
        _send(invitation, token)
    return invitation, token


def brand_member_invitation_resend(
    *, brand: Brand, actor: User, invitation_id: int
) -> tuple[BrandMemberInvitation, str]:
    """Send a waiting invitation again with a new link (the old one stops working), renewed."""
    with transaction.atomic():
        brand = _brand_locked(brand)
        _actor_checked(brand=brand, actor=actor, permission=Permission.MEMBERS_MANAGE)
        invitation = _open_invitation_of(brand=brand, invitation_id=invitation_id)
        if invitation.role == BrandRole.OWNER:
            _actor_checked(brand=brand, actor=actor, permission=Permission.OWNERSHIP_TRANSFER)
        token, invitation.digest = invitation_token_new()
        invitation.sent_at = timezone.now()
        invitation.sent_count += 1
        invitation.expires_at = invitation_expiry()
        invitation.save(update_fields=["digest", "sent_at", "sent_count", "expires_at"])
        _event(
            brand=brand,
            actor=actor,
            kind=BrandEventKind.INVITATION_RESENT,
            subject=invitation.email,
            role=invitation.role,
        )
        _send(invitation, token)
    return invitation, token


def brand_member_invitation_revoke(
    *, brand: Brand, actor: User, invitation_id: int
) -> BrandMemberInvitation:
    """Withdraw a waiting invitation: its link stops working."""
    with transaction.atomic():
        brand = _brand_locked(brand)
        _actor_checked(brand=brand, actor=actor, permission=Permission.MEMBERS_MANAGE)
        invitation = _open_invitation_of(brand=brand, invitation_id=invitation_id)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _event(
            brand=brand,
            actor=actor,
            kind=BrandEventKind.INVITATION_REVOKED,
            subject=invitation.email,
            role=invitation.role,
        )
    return invitation


def brand_member_invitation_get(*, token: str) -> BrandMemberInvitation:
    """Return the invitation behind a link, or raise why it cannot be accepted (a hint: the
    accept checks again under the lock)."""
    invitation = (
        BrandMemberInvitation.objects.select_related("brand", "created_by")
        .filter(digest=token_digest(token))
        .first()
    )
    if invitation is None:
        raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
    _invitation_usable(invitation)
    return invitation


def _invitation_usable(invitation: BrandMemberInvitation) -> None:
    if invitation.accepted_at is not None:
        raise AccountsError(AccountsErrorCode.INVITATION_USED)
    if invitation.revoked_at is not None:
        inviter = invitation.created_by.email if invitation.created_by else invitation.brand.name
        raise AccountsError(AccountsErrorCode.INVITATION_REVOKED, inviter=inviter)
    if invitation.is_expired:
        raise AccountsError(
            AccountsErrorCode.INVITATION_EXPIRED,
            brand=invitation.brand.name,
            expired_at=invitation.expires_at.date().isoformat(),
        )


def brand_member_invitation_accept(*, token: str, user: User) -> BrandMembership:
    """Join the brand's team with the invitation's role; only the invited email may.

    An owner's invitation hands the ownership over: the owner of the moment becomes an admin.
    """
    found = brand_member_invitation_get(token=token)
    with transaction.atomic():
        brand = _brand_locked(found.brand)
        invitation = (
            BrandMemberInvitation.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=found.pk)
        )
        invitation.brand = brand
        if invitation.digest != token_digest(token):  # resent meanwhile: a new link
            raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
        _invitation_usable(invitation)
        invited_email_check(invited=invitation.email, user=user)
        if BrandMembership.objects.filter(brand=brand, user=user).exists():
            raise AccountsError(AccountsErrorCode.ALREADY_MEMBER, email=user.email, team=brand.name)
        if invitation.role == BrandRole.OWNER:
            previous = BrandMembership.objects.filter(brand=brand, role=BrandRole.OWNER).first()
            if previous is not None:
                previous.role = BrandRole.ADMIN
                previous.save(update_fields=["role"])
        membership = BrandMembership.objects.create(brand=brand, user=user, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _event(
            brand=brand,
            actor=user,
            kind=BrandEventKind.MEMBER_JOINED,
            subject=user.email,
            role=invitation.role,
            invited_by=invitation.created_by.email if invitation.created_by else "",
        )
        if invitation.role == BrandRole.OWNER and previous is not None:
            _event(
                brand=brand,
                actor=user,
                kind=BrandEventKind.OWNERSHIP_TRANSFERRED,
                subject=user.email,
                previous_owner=previous.user.email,
            )
    return membership


def brand_member_role_change(
    *, brand: Brand, actor: User, member_id: int, role: str
) -> BrandMembership:
    """Give a member another role. The owner's role changes only by handing the ownership over."""
    role = _role_checked(role)
    with transaction.atomic():
        brand = _brand_locked(brand)
        _actor_checked(brand=brand, actor=actor, permission=Permission.MEMBERS_MANAGE)
        membership = _member_of(brand=brand, member_id=member_id)
        if role == BrandRole.OWNER:
            raise AccountsError(AccountsErrorCode.OWNER_BY_TRANSFER)
        if membership.role == BrandRole.OWNER:
            raise AccountsError(
                AccountsErrorCode.LAST_OWNER, member=membership.user.email, brand=brand.name
            )
        if membership.role == role:
            return membership
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _event(
            brand=brand,
            actor=actor,
            kind=BrandEventKind.ROLE_CHANGED,
            subject=membership.user.email,
            role=role,
            previous_role=previous,
        )
    return membership


def brand_member_remove(*, brand: Brand, actor: User, member_id: int) -> BrandMembership:
    """Take a member off the team (any member may leave; the owner hands over first)."""
    with transaction.atomic():
        brand = _brand_locked(brand)
        membership = _member_of(brand=brand, member_id=member_id)
        leaving = membership.user_id == actor.pk
        if not leaving:
            _actor_checked(brand=brand, actor=actor, permission=Permission.MEMBERS_MANAGE)
        if membership.role == BrandRole.OWNER:
            raise AccountsError(
                AccountsErrorCode.LAST_OWNER, member=membership.user.email, brand=brand.name
            )
        membership.delete()
        _event(
            brand=brand,
            actor=actor,
            kind=BrandEventKind.MEMBER_LEFT if leaving else BrandEventKind.MEMBER_REMOVED,
            subject=membership.user.email,
            role=membership.role,
        )
    return membership


def brand_ownership_transfer(*, brand: Brand, actor: User, member_id: int) -> BrandMembership:
    """Make another member the owner; the owner handing over stays on as an admin."""
    with transaction.atomic():
        brand = _brand_locked(brand)
        owner = _actor_checked(brand=brand, actor=actor, permission=Permission.OWNERSHIP_TRANSFER)
        membership = _member_of(brand=brand, member_id=member_id)
        if membership.pk == owner.pk:
            return membership
        owner.role = BrandRole.ADMIN
        owner.save(update_fields=["role"])  # first: the brand never has two owners
        previous = membership.role
        membership.role = BrandRole.OWNER
        membership.save(update_fields=["role"])
        _event(
            brand=brand,
            actor=actor,
            kind=BrandEventKind.OWNERSHIP_TRANSFERRED,
            subject=membership.user.email,
            previous_owner=actor.email,
            previous_role=previous,
        )
    return membership
