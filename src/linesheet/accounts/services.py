"""Account operations: offline buyers, invitations and connecting an organisation to a brand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.events import invitation_created
from linesheet.accounts.members import invited_email_check
from linesheet.accounts.models import (
    ApiToken,
    Brand,
    Buyer,
    BuyerOrganization,
    Invitation,
    OrganizationMembership,
    OrganizationRecipient,
    User,
)
from linesheet.core.errors import InvalidInput
from linesheet.core.time_zones import default_time_zone, validate_time_zone

INVITATION_VALIDITY = timedelta(days=30)


def buyer_create_offline(
    *,
    brand: Brand,
    name: str,
    email: str = "",
    currency: str | None = None,
    wholesale_rate: Decimal | None = None,
    language: str = "en",
    country: str = "",
    tax_id: str = "",
) -> Buyer:
    """Create a buyer that exists only in the brand's books (orders by phone, mail, Excel)."""
    country = country.strip().upper()
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise InvalidInput.field(
            "country",
            "invalid_country",
            _("%(country)s is not a two-letter country code (ISO 3166-1), e.g. DE or JP.")
            % {"country": country},
        )
    return Buyer.objects.create(
        brand=brand,
        name=name,
        email=email,
        currency=currency or brand.default_currency,
        wholesale_rate=wholesale_rate
        if wholesale_rate is not None
        else brand.default_wholesale_rate,
        language=language,
        country=country,
        tax_id=tax_id.strip()[:40],
    )


def organization_create(
    *,
    user: User,
    name: str,
    delivery_address: str = "",
    billing_address: str = "",
    time_zone: str | None = None,
) -> BuyerOrganization:
    """Create a buyer organisation with the user as member and email recipient."""
    with transaction.atomic():
        organization = BuyerOrganization.objects.create(
            name=name,
            delivery_address=delivery_address,
            billing_address=billing_address,
            time_zone=time_zone or default_time_zone(),
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
        invitation_created.send(sender=Invitation, invitation=invitation)
    return invitation


def invitation_check_email(*, invitation: Invitation, user: User) -> None:
    """Refuse a user other than the invited email: the link alone is no proof of who accepts.

    An invitation may be forwarded, shown on a screen or leaked; the person accepting must sign
    up or log in with the email it was sent to.
    """
    invited_email_check(invited=invitation.email, user=user)


def invitation_accept(
    *,
    token: str,
    user: User,
    organization: BuyerOrganization | None = None,
    organization_id: int | None = None,
    new_organization_name: str = "",
) -> Buyer:
    """Accept an invitation for one of the user's organisations (or a new one); connect the buyer.

    Only the invited email accepts (`invitation_check_email`).

    The organisation is given as `organization` or by `organization_id`; an id the user is not
    a member of is refused like a non-member, whether or not it exists. The invitation row is
    locked first, so two accepts of one link end in one connection.
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
        invitation_check_email(invitation=invitation, user=user)
        if organization is None and organization_id is not None:
            organization = BuyerOrganization.objects.filter(
                pk=organization_id, memberships__user=user
            ).first()
            if organization is None:
                raise AccountsError(AccountsErrorCode.NOT_ORGANIZATION_MEMBER, status=403)
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


def _email_taken() -> InvalidInput:
    return InvalidInput.field(
        "email", "duplicate", _("An account with this email already exists; log in instead.")
    )


def user_register(*, email: str, password: str, full_name: str = "") -> User:
    """Create a user account; the email is unique and the password passes the validators."""
    email = User.objects.normalize_email(email).strip().lower()
    errors: dict[str, list[dict[str, str]]] = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _email_taken().params["errors"]["email"]
    try:
        validate_password(password, user=User(email=email, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = [
            {"code": problem.code or "invalid", "message": " ".join(problem.messages)}
            for problem in exc.error_list
        ]
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password, full_name=full_name)
    except IntegrityError as exc:  # registered by a concurrent request after our check
        raise _email_taken() from exc


def buyer_connect(*, brand: Brand, organization: BuyerOrganization) -> Buyer:
    """Return the brand's buyer record of the organisation, creating it with the brand's terms.

    Used when an organisation reaches a brand through an order link rather than an invitation.
    """
    with transaction.atomic():
        buyer = Buyer.objects.filter(brand=brand, organization=organization).first()
        if buyer is not None:
            return buyer
        try:
            with transaction.atomic():
                return Buyer.objects.create(
                    brand=brand,
                    organization=organization,
                    name=organization.name,
                    currency=brand.default_currency,
                    wholesale_rate=brand.default_wholesale_rate,
                )
        except IntegrityError:  # connected at the same moment by another request
            return Buyer.objects.get(brand=brand, organization=organization)


def _time_zone_checked(time_zone: str) -> str:
    """Return the zone's name, or refuse a name that is no time zone (field `time_zone`)."""
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise InvalidInput.field("time_zone", "invalid_time_zone", exc.messages[0]) from exc
    return time_zone


def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Show the user's times in `time_zone`; "" shows them in the zone of the brand or
    organisation a page works for."""
    user.time_zone = _time_zone_checked(time_zone) if time_zone else ""
    user.save(update_fields=["time_zone"])
    return user


def brand_set_time_zone(*, brand: Brand, time_zone: str) -> Brand:
    """Show the brand's times (to staff who chose none, and in its documents) in `time_zone`."""
    brand.time_zone = _time_zone_checked(time_zone)
    brand.save(update_fields=["time_zone"])
    return brand


def user_password_change(*, user: User, password: str) -> User:
    """Give the user a new password (checked by the caller); every API token is revoked."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def users_deactivate(*, users: QuerySet[User]) -> int:
    """Deactivate the users and revoke their API tokens; return how many were deactivated."""
    with transaction.atomic():
        ids = list(users.filter(is_active=True).values_list("pk", flat=True))
        User.objects.filter(pk__in=ids).update(is_active=False)
        ApiToken.objects.filter(user_id__in=ids).delete()
    return len(ids)
