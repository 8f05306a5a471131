"""Queries about users, brands, organisations and buyers."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.models import (
    Brand,
    BrandEvent,
    BrandMemberInvitation,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationAddress,
    OrganizationEvent,
    OrganizationMemberInvitation,
    OrganizationMembership,
    User,
)
from linesheet.accounts.permissions import ROLES_BY_RANK


def brand_membership_get(*, user: User | AnonymousUser, brand_slug: str) -> BrandMembership | None:
    """Return the user's membership of the brand (with the brand), or None when not a member."""
    if not user.is_authenticated:
        return None
    return (
        BrandMembership.objects.select_related("brand")
        .filter(user=user, brand__slug=brand_slug)
        .first()
    )


def brand_memberships_of(*, user: User) -> QuerySet[BrandMembership]:
    return BrandMembership.objects.select_related("brand").filter(user=user).order_by("brand__name")


def organizations_of(*, user: User) -> QuerySet[BuyerOrganization]:
    return BuyerOrganization.objects.filter(memberships__user=user).order_by("name", "id")


def organization_get_for_member(
    *, user: User | AnonymousUser, organization_id: int
) -> BuyerOrganization | None:
    """Return the organisation when the user is a member of it, else None."""
    if not user.is_authenticated:
        return None
    return organizations_of(user=user).filter(pk=organization_id).first()


def buyers_of_brand(*, brand: Brand) -> QuerySet[Buyer]:
    """List the brand's buyers, with whether an invitation is pending."""
    pending = Invitation.objects.filter(buyer=OuterRef("pk"), accepted_at__isnull=True)
    return (
        Buyer.objects.filter(brand=brand)
        .select_related("organization")
        .annotate(invitation_pending=Exists(pending))
        .order_by("name", "id")
    )


def buyer_get_for_brand(*, brand: Brand, buyer_id: int) -> Buyer | None:
    """Return the brand's buyer with that id (as `buyers_of_brand` lists it), or None."""
    return buyers_of_brand(brand=brand).filter(pk=buyer_id).first()


def connected_brands_of(*, organization: BuyerOrganization) -> QuerySet[Brand]:
    return Brand.objects.filter(buyers__organization=organization).order_by("name")


def buyer_for_organization(*, brand: Brand, organization: BuyerOrganization) -> Buyer | None:
    return Buyer.objects.filter(brand=brand, organization=organization).first()


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("brand", "buyer").filter(token=token).first()


def invitations_of_brand(*, brand: Brand) -> QuerySet[Invitation]:
    return Invitation.objects.filter(brand=brand).select_related("buyer").order_by("-created_at")


def invitations_of_buyer(*, buyer: Buyer) -> QuerySet[Invitation]:
    return Invitation.objects.filter(buyer=buyer).order_by("-created_at", "-id")


def invitation_get_acceptable(*, token: str) -> Invitation:
    """Return the invitation behind a link, or raise why it cannot be accepted.

    A hint for the accept page; `invitation_accept` checks again under the row lock.
    """
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        raise AccountsError(AccountsErrorCode.INVITATION_NOT_FOUND, status=404)
    if invitation.accepted_at is not None:
        raise AccountsError(AccountsErrorCode.INVITATION_USED)
    if invitation.expires_at <= timezone.now():
        raise AccountsError(
            AccountsErrorCode.INVITATION_EXPIRED,
            brand=invitation.brand.name,
            expired_at=invitation.expires_at.date().isoformat(),
        )
    return invitation


def brand_members(*, brand: Brand) -> QuerySet[BrandMembership]:
    """List the brand's team: the owner first, then by role, then by email."""
    rank = Case(
        *[When(role=role, then=Value(index)) for index, role in enumerate(ROLES_BY_RANK)],
        default=Value(len(ROLES_BY_RANK)),
    )
    return (
        BrandMembership.objects.filter(brand=brand)
        .select_related("user")
        .order_by(rank, "user__email", "id")
    )


def brand_member_invitations_open(*, brand: Brand) -> QuerySet[BrandMemberInvitation]:
    """List the invitations still waiting for an answer (expired ones too), newest first."""
    return BrandMemberInvitation.objects.filter(
        brand=brand, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("created_by")


def brand_events(*, brand: Brand) -> QuerySet[BrandEvent]:
    """The brand's history, newest first."""
    return BrandEvent.objects.filter(brand=brand).select_related("actor")


def organization_addresses(*, organization_id: int) -> QuerySet[OrganizationAddress]:
    """The organisation's address book: delivery then billing, each default first."""
    return OrganizationAddress.objects.filter(organization_id=organization_id).order_by(
        "kind", "-is_default", "label", "id"
    )


def organization_members(*, organization: BuyerOrganization) -> QuerySet[OrganizationMembership]:
    return (
        OrganizationMembership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__email", "id")
    )


def organization_member_invitations_open(
    *, organization: BuyerOrganization
) -> QuerySet[OrganizationMemberInvitation]:
    return OrganizationMemberInvitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("created_by")


def organization_events(*, organization: BuyerOrganization) -> QuerySet[OrganizationEvent]:
    return OrganizationEvent.objects.filter(organization=organization).select_related("actor")
