"""Account operations: offline buyers, invitations and connecting an organisation to a brand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.models import (
    Brand,
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationMembership,
    OrganizationRecipient,
    User,
)

INVITATION_VALIDITY = timedelta(days=30)


def buyer_create_offline(
    *,
    brand: Brand,
    name: str,
    email: str = "",
    currency: str | None = None,
    wholesale_rate: Decimal | None = None,
    language: str = "en",
) -> Buyer:
    """Create a buyer that exists only in the brand's books (orders by phone, mail, Excel)."""
    return Buyer.objects.create(
        brand=brand,
        name=name,
        email=email,
        currency=currency or brand.default_currency,
        wholesale_rate=wholesale_rate
        if wholesale_rate is not None
        else brand.default_wholesale_rate,
        language=language,
    )


def organization_create(
    *,
    user: User,
    name: str,
    delivery_address: str = "",
    billing_address: str = "",
) -> BuyerOrganization:
    """Create a buyer organisation with the user as member and email recipient."""
    with transaction.atomic():
        organization = BuyerOrganization.objects.create(
            name=name, delivery_address=delivery_address, billing_address=billing_address
        )
        OrganizationMembership.objects.create(organization=organization, user=user)
        OrganizationRecipient.objects.create(organization=organization, email=user.email)
    return organization


def invitation_create(
    *,
    brand: Brand,
    email: str,
    created_by: User | None,
    buyer: Buyer | None = None,
    name: str = "",
    currency: str | None = None,
    wholesale_rate: Decimal | None = None,
    language: str = "en",
) -> Invitation:
    """Invite an email address to connect as a buyer, and enqueue the invitation email.

    With `buyer`, an existing offline buyer is to be connected; without, a new buyer record
    (offline until the invitation is accepted) is made with the given terms.
    """
    from linesheet.notifications.services import email_enqueue_invitation

    with transaction.atomic():
        if buyer is None:
            buyer = buyer_create_offline(
                brand=brand,
                name=name or email,
                email=email,
                currency=currency,
                wholesale_rate=wholesale_rate,
                language=language,
            )
        elif buyer.is_connected:
            raise AccountsError(AccountsErrorCode.BUYER_CONNECTED, buyer=buyer.name)
        invitation = Invitation.objects.create(
            brand=brand,
            buyer=buyer,
            email=email,
            created_by=created_by,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
        email_enqueue_invitation(invitation=invitation)
    return invitation


def invitation_accept(
    *,
    token: str,
    user: User,
    organization: BuyerOrganization | None = None,
    new_organization_name: str = "",
) -> Buyer:
    """Accept an invitation for one of the user's organisations (or a new one); connect the buyer.

    The invitation row is locked first, so two accepts of one link end in one connection.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("brand")
            .filter(token=token)
            .first()
        )
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
        if organization is None:
            organization = organization_create(user=user, name=new_organization_name)
        elif not OrganizationMembership.objects.filter(
            organization=organization, user=user
        ).exists():
            raise AccountsError(AccountsErrorCode.NOT_ORGANIZATION_MEMBER, status=403)
        if Buyer.objects.filter(brand=invitation.brand, organization=organization).exists():
            raise AccountsError(
                AccountsErrorCode.ALREADY_CONNECTED,
                organization=organization.name,
                brand=invitation.brand.name,
            )
        buyer = Buyer.objects.select_for_update().get(pk=invitation.buyer_id)
        if buyer.is_connected:
            raise AccountsError(AccountsErrorCode.INVITATION_USED)
        buyer.organization = organization
        buyer.save(update_fields=["organization"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return buyer
