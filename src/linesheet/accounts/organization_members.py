"""A buyer organisation's team and address book: invite, remove, leave; addresses by kind.

Every member of an organisation may invite and remove members (an organisation has no roles);
the last member cannot leave (`last_member`). Every operation locks the organisation's row
first, then decides, and writes an `OrganizationEvent` in its transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.events import organization_invitation_created
from linesheet.accounts.members import (
    invitation_expiry,
    invitation_token_new,
    invited_email_check,
    member_email_normalized,
)
from linesheet.accounts.models import (
    AddressKind,
    BuyerOrganization,
    OrganizationAddress,
    OrganizationEvent,
    OrganizationEventKind,
    OrganizationMemberInvitation,
    OrganizationMembership,
    User,
)
from linesheet.accounts.tokens import token_digest
from linesheet.core.errors import InvalidInput

ADDRESS_MAX_LENGTH = 1000


def _locked(organization: BuyerOrganization) -> BuyerOrganization:
    return BuyerOrganization.objects.select_for_update().get(pk=organization.pk)


def _actor_checked(*, organization: BuyerOrganization, actor: User) -> None:
    """Refuse (403) a user who is not (any more) a member, read under the organisation's lock."""
    if not OrganizationMembership.objects.filter(organization=organization, user=actor).exists():
        raise AccountsError(AccountsErrorCode.MEMBER_NOT_FOUND, status=403)


def _event(
    *,
    organization: BuyerOrganization,
    actor: User | None,
    kind: str,
    subject: str = "",
    **details: object,
) -> OrganizationEvent:
    return OrganizationEvent.objects.create(
        organization=organization, actor=actor, kind=kind, subject=subject, details=details
    )


def _send(invitation: OrganizationMemberInvitation, token: str) -> None:
    organization_invitation_created.send(
        sender=OrganizationMemberInvitation, invitation=invitation, token=token
    )


def _open_invitation_of(
    *, organization: BuyerOrganization, invitation_id: int
) -> OrganizationMemberInvitation:
    invitation = OrganizationMemberInvitation.objects.filter(
        organization=organization, pk=invitation_id
    ).first()
    if invitation is None:
        raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
    if not invitation.is_open:
        raise AccountsError(AccountsErrorCode.INVITATION_CLOSED)
    return invitation


def organization_member_invite(
    *, organization: BuyerOrganization, actor: User, email: str
) -> tuple[OrganizationMemberInvitation, str]:
    """Invite `email` to the organisation; email the link; return it with its token."""
    email = member_email_normalized(email)
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        if OrganizationMembership.objects.filter(
            organization=organization, user__email=email
        ).exists():
            raise AccountsError(
                AccountsErrorCode.ALREADY_MEMBER, email=email, team=organization.name
            )
        waiting = OrganizationMemberInvitation.objects.filter(
            organization=organization,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).first()
        if waiting is not None:
            if not waiting.is_expired:
                raise AccountsError(AccountsErrorCode.INVITATION_PENDING, email=email)
            waiting.revoked_at = timezone.now()
            waiting.save(update_fields=["revoked_at"])
        token, digest = invitation_token_new()
        invitation = OrganizationMemberInvitation.objects.create(
            organization=organization,
            email=email,
            digest=digest,
            created_by=actor,
            expires_at=invitation_expiry(),
        )
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.MEMBER_INVITED,
            subject=email,
        )
        _send(invitation, token)
    return invitation, token


def organization_member_invitation_resend(
    *, organization: BuyerOrganization, actor: User, invitation_id: int
) -> tuple[OrganizationMemberInvitation, str]:
    """Send a waiting invitation again with a new link (the old one stops working), renewed."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        invitation = _open_invitation_of(organization=organization, invitation_id=invitation_id)
        token, invitation.digest = invitation_token_new()
        invitation.sent_at = timezone.now()
        invitation.sent_count += 1
        invitation.expires_at = invitation_expiry()
        invitation.save(update_fields=["digest", "sent_at", "sent_count", "expires_at"])
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.INVITATION_RESENT,
            subject=invitation.email,
        )
        _send(invitation, token)
    return invitation, token


def organization_member_invitation_revoke(
    *, organization: BuyerOrganization, actor: User, invitation_id: int
) -> OrganizationMemberInvitation:
    """Withdraw a waiting invitation: its link stops working."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        invitation = _open_invitation_of(organization=organization, invitation_id=invitation_id)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.INVITATION_REVOKED,
            subject=invitation.email,
        )
    return invitation


def _usable(invitation: OrganizationMemberInvitation) -> None:
    if invitation.accepted_at is not None:
        raise AccountsError(AccountsErrorCode.INVITATION_USED)
    if invitation.revoked_at is not None:
        inviter = (
            invitation.created_by.email if invitation.created_by else invitation.organization.name
        )
        raise AccountsError(AccountsErrorCode.INVITATION_REVOKED, inviter=inviter)
    if invitation.is_expired:
        raise AccountsError(
            AccountsErrorCode.INVITATION_EXPIRED,
            brand=invitation.organization.name,
            expired_at=invitation.expires_at.date().isoformat(),
        )


def organization_member_invitation_get(*, token: str) -> OrganizationMemberInvitation:
    """Return the invitation behind a link, or raise why it cannot be accepted (a hint)."""
    invitation = (
        OrganizationMemberInvitation.objects.select_related("organization", "created_by")
        .filter(digest=token_digest(token))
        .first()
    )
    if invitation is None:
        raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
    _usable(invitation)
    return invitation


def organization_member_invitation_accept(*, token: str, user: User) -> OrganizationMembership:
    """Join the organisation; only the invited email may."""
    found = organization_member_invitation_get(token=token)
    with transaction.atomic():
        organization = _locked(found.organization)
        invitation = (
            OrganizationMemberInvitation.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=found.pk)
        )
        invitation.organization = organization
        if invitation.digest != token_digest(token):
            raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
        _usable(invitation)
        invited_email_check(invited=invitation.email, user=user)
        if OrganizationMembership.objects.filter(organization=organization, user=user).exists():
            raise AccountsError(
                AccountsErrorCode.ALREADY_MEMBER, email=user.email, team=organization.name
            )
        membership = OrganizationMembership.objects.create(organization=organization, user=user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _event(
            organization=organization,
            actor=user,
            kind=OrganizationEventKind.MEMBER_JOINED,
            subject=user.email,
            invited_by=invitation.created_by.email if invitation.created_by else "",
        )
    return membership


def organization_member_remove(
    *, organization: BuyerOrganization, actor: User, member_id: int
) -> OrganizationMembership:
    """Take a member off the organisation (themselves: leave); the last member stays."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        membership = (
            OrganizationMembership.objects.select_related("user")
            .filter(organization=organization, pk=member_id)
            .first()
        )
        if membership is None:
            raise AccountsError(AccountsErrorCode.MEMBER_NOT_FOUND, status=404)
        if OrganizationMembership.objects.filter(organization=organization).count() == 1:
            raise AccountsError(AccountsErrorCode.LAST_MEMBER, team=organization.name)
        leaving = membership.user_id == actor.pk
        membership.delete()
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.MEMBER_LEFT
            if leaving
            else OrganizationEventKind.MEMBER_REMOVED,
            subject=membership.user.email,
        )
    return membership


# --- Addresses ----------------------------------------------------------------------------------


def _address_checked(*, kind: str, text: str, label: str) -> tuple[str, str, str]:
    errors: dict[str, list[dict[str, str]]] = {}
    if kind not in AddressKind.values:
        errors["kind"] = [{"code": "invalid_choice", "message": _("Choose delivery or billing.")}]
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if not text:
        errors["text"] = [{"code": "required", "message": _("Enter the address.")}]
    elif len(text) > ADDRESS_MAX_LENGTH:
        errors["text"] = [
            {
                "code": "max_length",
                "message": _("Keep the address to %(n)s characters.") % {"n": ADDRESS_MAX_LENGTH},
            }
        ]
    label = (label or "").strip()
    if len(label) > 100:
        errors["label"] = [{"code": "max_length", "message": _("Keep the name to 100 characters.")}]
    if errors:
        raise InvalidInput(errors)
    return kind, text, label


def _address_of(*, organization: BuyerOrganization, address_id: int) -> OrganizationAddress:
    address = OrganizationAddress.objects.filter(organization=organization, pk=address_id).first()
    if address is None:
        raise AccountsError(AccountsErrorCode.ADDRESS_NOT_FOUND, status=404)
    return address


def _make_default(organization: BuyerOrganization, address: OrganizationAddress) -> None:
    """Make `address` its kind's default, and the organisation's text of that kind its text."""
    OrganizationAddress.objects.filter(
        organization=organization, kind=address.kind, is_default=True
    ).exclude(pk=address.pk).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])
    field = f"{address.kind}_address"
    setattr(organization, field, address.text)
    organization.save(update_fields=[field])


def organization_address_add(
    *,
    organization: BuyerOrganization,
    actor: User,
    kind: str,
    text: str,
    label: str = "",
    is_default: bool = False,
) -> OrganizationAddress:
    """Add an address; the first of its kind, or one marked so, becomes the default."""
    kind, text, label = _address_checked(kind=kind, text=text, label=label)
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        first = not OrganizationAddress.objects.filter(
            organization=organization, kind=kind
        ).exists()
        address = OrganizationAddress.objects.create(
            organization=organization, kind=kind, text=text, label=label
        )
        if first or is_default:
            _make_default(organization, address)
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.ADDRESS_ADDED,
            subject=str(address),
            address_kind=kind,
            default=address.is_default,
        )
    return address


def organization_address_update(
    *, organization: BuyerOrganization, actor: User, address_id: int, text: str, label: str = ""
) -> OrganizationAddress:
    """Change an address's text and name (carts and orders keep the text they were given)."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        address = _address_of(organization=organization, address_id=address_id)
        _kind, address.text, address.label = _address_checked(
            kind=address.kind, text=text, label=label
        )
        address.save(update_fields=["text", "label"])
        if address.is_default:
            _make_default(organization, address)
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.ADDRESS_CHANGED,
            subject=str(address),
            address_kind=address.kind,
        )
    return address


def organization_address_make_default(
    *, organization: BuyerOrganization, actor: User, address_id: int
) -> OrganizationAddress:
    """Make the address the default of its kind: new carts start with it."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        address = _address_of(organization=organization, address_id=address_id)
        _make_default(organization, address)
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.ADDRESS_DEFAULT,
            subject=str(address),
            address_kind=address.kind,
        )
    return address


def organization_address_remove(
    *, organization: BuyerOrganization, actor: User, address_id: int
) -> OrganizationAddress:
    """Remove an address; a default hands over to the oldest other of its kind, if any."""
    with transaction.atomic():
        organization = _locked(organization)
        _actor_checked(organization=organization, actor=actor)
        address = _address_of(organization=organization, address_id=address_id)
        address.delete()
        if address.is_default:
            heir = (
                OrganizationAddress.objects.filter(organization=organization, kind=address.kind)
                .order_by("id")
                .first()
            )
            if heir is not None:
                _make_default(organization, heir)
            else:
                field = f"{address.kind}_address"
                setattr(organization, field, "")
                organization.save(update_fields=[field])
        _event(
            organization=organization,
            actor=actor,
            kind=OrganizationEventKind.ADDRESS_REMOVED,
            subject=str(address),
            address_kind=address.kind,
        )
    return address
