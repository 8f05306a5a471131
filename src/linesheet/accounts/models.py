"""Users, brands and their members, buyer organisations, buyers and invitations."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.permissions import role_permits, writes_anything
from linesheet.core.shipping import ShippingBand
from linesheet.core.shipping import ShippingRate as ShippingRateRule
from linesheet.core.tax import AppliedRate, Rounding, RoundingMode, RoundingScope
from linesheet.core.time_zones import default_time_zone, validate_time_zone

LANGUAGE_CHOICES = [("en", "English")]


class TaxRoundingMode(models.TextChoices):
    HALF_UP = RoundingMode.HALF_UP.value, _("Half up")
    DOWN = RoundingMode.DOWN.value, _("Down")
    UP = RoundingMode.UP.value, _("Up")


class TaxRoundingScope(models.TextChoices):
    LINE = RoundingScope.LINE.value, _("Per line")
    DOCUMENT = RoundingScope.DOCUMENT.value, _("Per document, once per rate")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        """Find the user by email whatever its case: emails are stored lower-case."""
        return self.get(email=(username or "").lower())

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address: brand staff, buyer users, support staff."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("support staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Where times are shown to the user; blank: in the zone of the brand or organisation the
    # page works for.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a new password or a deactivation revokes every API token of the user.

        Every way a password is set goes through here (the account page, the admin's forms,
        `changepassword`), so no token outlives the password it was issued for, and a user
        deactivated then activated again does not get old tokens back. A hash upgraded on login
        (`check_password`) is the same password: it keeps the tokens.
        """
        revoke_tokens = not self._state.adding and (
            getattr(self, "_password", None) is not None or not self.is_active
        )
        super().save(*args, **kwargs)
        if revoke_tokens:
            ApiToken.objects.filter(user=self).delete()


class Brand(models.Model):
    """A label that publishes catalogs to the shops buying from it."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    default_currency = models.CharField(_("default currency"), max_length=3, default="EUR")
    default_wholesale_rate = models.DecimalField(
        _("default wholesale rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5000"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    # Where its staff see times unless they chose a zone, and its documents show them.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    # The storage name of the brand's logo (accounts.logos), blank when it has none.
    logo = models.CharField(_("logo"), max_length=255, blank=True, default="")
    # The legal identity printed on every document (order PDFs, OCs; invoices later).
    legal_name = models.CharField(_("legal company name"), max_length=200, blank=True, default="")
    legal_address = models.TextField(
        _("registered address"), blank=True, default="", max_length=1000
    )
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True, default="")
    # A list of {"label", "iban", "bic", "details"}: IBAN and BIC, or free text, per account.
    bank_accounts = models.JSONField(_("bank accounts"), default=list, blank=True)
    # How tax is rounded on the brand's documents (core.tax.Rounding). Database defaults let
    # bulk loads leave them out.
    tax_rounding_mode = models.CharField(
        _("tax rounding"),
        max_length=10,
        choices=TaxRoundingMode.choices,
        default=TaxRoundingMode.HALF_UP,
        db_default=TaxRoundingMode.HALF_UP,
    )
    tax_rounding_scope = models.CharField(
        _("tax rounded"),
        max_length=10,
        choices=TaxRoundingScope.choices,
        default=TaxRoundingScope.LINE,
        db_default=TaxRoundingScope.LINE,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tax_rounding(self) -> Rounding:
        return Rounding(
            mode=RoundingMode(self.tax_rounding_mode), scope=RoundingScope(self.tax_rounding_scope)
        )


class TaxClass(models.TextChoices):
    """Which of the brand's rates a product is taxed at: the standard one or the reduced one."""

    STANDARD = "standard", _("Standard rate")
    REDUCED = "reduced", _("Reduced rate")


class TaxRate(models.Model):
    """One of the brand's tax rates: a percentage, standard or reduced, and where it applies.

    A product of a class is taxed, for a buyer in a country, at the brand's rate of that class
    whose countries name the buyer's; else at the class's default rate; else at none.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="tax_rates")
    name = models.CharField(_("name"), max_length=60)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    reduced = models.BooleanField(_("reduced rate"), default=False)
    # ISO 3166-1 alpha-2 codes, upper case: buyers there are taxed at this rate by default.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Applies to buyers in a country no rate of its class names."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-rate", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "reduced"],
                condition=Q(is_default=True),
                name="tax_rate_one_default_per_class",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return self.applied.label

    @property
    def applied(self) -> AppliedRate:
        return AppliedRate(name=self.name, rate=self.rate, reduced=self.reduced)


class ShippingGroup(models.Model):
    """A brand's shipping fees in one currency: a rate per destination country, with bands.

    A catalog names its group (no group: no shipping fee). Changing a group never changes a
    placed order or a saved OC: they keep the fee they were written with.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="shipping_groups")
    name = models.CharField(_("name"), max_length=60)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"

    def rates_for_fee(self) -> list[ShippingRateRule]:
        """Return the rates as the fee computation reads them (one query)."""
        return [rate.rule for rate in self.rates.all()]


class ShippingRate(models.Model):
    """A group's fee bands for a destination country ("" for everywhere else, at most one).

    `bands` is a list of {"from": amount, "fee": amount} (decimal strings, cents), ordered by
    threshold: from a net amount of goods (inclusive) the fee is the band's; fee 0 ships free.
    Written only through accounts.shipping, which checks it.
    """

    # Indexed first in shipping_rate_one_per_country.
    group = models.ForeignKey(
        ShippingGroup, on_delete=models.CASCADE, related_name="rates", db_index=False
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    bands = models.JSONField(_("bands"), default=list)

    class Meta:
        ordering = ["country", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "country"], name="shipping_rate_one_per_country"
            ),
        ]

    def __str__(self) -> str:
        return self.country or "*"

    @property
    def rule(self) -> ShippingRateRule:
        return ShippingRateRule(
            country=self.country,
            bands=tuple(
                ShippingBand(threshold=Decimal(band["from"]), fee=Decimal(band["fee"]))
                for band in self.bands
            ),
        )


class BrandRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Viewer")


class BrandMembership(models.Model):
    """A user's place in a brand's team, with the role that says what they may do there.

    What each role may do is `accounts.permissions.ROLE_PERMISSIONS`. A brand keeps exactly one
    owner: the database allows no second one, and the member services refuse to take the last
    one away (`last_owner`).
    """

    # Indexed first in brand_membership_unique.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="brand_memberships")
    role = models.CharField(max_length=10, choices=BrandRole.choices, default=BrandRole.STAFF)
    joined_at = models.DateTimeField(_("member since"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "user"], name="brand_membership_unique"),
            models.UniqueConstraint(
                fields=["brand"], condition=Q(role="owner"), name="brand_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.brand} ({self.role})"

    @property
    def can_write(self) -> bool:
        """Say whether the role may change anything of the brand (a viewer may not)."""
        return writes_anything(self.role)

    def permits(self, permission: str) -> bool:
        return role_permits(self.role, permission)


MEMBER_INVITATION_VALIDITY_DAYS = 14


class BrandMemberInvitation(models.Model):
    """An invitation to join a brand's team with a role, bound to the invited email.

    Only the SHA-256 digest of the link's token is kept; resending issues a new link (the old
    one stops working). Open while neither accepted nor revoked; one open invitation per email.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="member_invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=BrandRole.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    sent_count = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="brand_member_invitation_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} -> {self.brand} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class BrandEventKind(models.TextChoices):
    MEMBER_INVITED = "member_invited", _("Invited a member")
    INVITATION_RESENT = "invitation_resent", _("Resent an invitation")
    INVITATION_REVOKED = "invitation_revoked", _("Withdrew an invitation")
    MEMBER_JOINED = "member_joined", _("Joined")
    ROLE_CHANGED = "role_changed", _("Changed a role")
    MEMBER_REMOVED = "member_removed", _("Removed a member")
    MEMBER_LEFT = "member_left", _("Left the brand")
    OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Transferred the ownership")


class BrandEvent(models.Model):
    """One change of the brand's team (who, when, what, about whom), in its own transaction."""

    # Indexed first in brand_event_recent.
    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=BrandEventKind.choices)
    # Whom it is about, by email: it outlives the membership and the account.
    subject = models.CharField(max_length=254, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["brand", "-created_at", "-id"], name="brand_event_recent")]

    def __str__(self) -> str:
        return f"{self.brand} {self.kind} {self.subject}"


class BuyerOrganization(models.Model):
    """A shop (or group of shops) that buys; carts and orders belong to it, not to a user."""

    name = models.CharField(_("name"), max_length=200)
    delivery_address = models.TextField(_("delivery address"), blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    # Where its members see times unless they chose a zone, and its emails show them.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationMembership(models.Model):
    # Indexed first in org_membership_unique.
    organization = models.ForeignKey(
        BuyerOrganization, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    joined_at = models.DateTimeField(_("member since"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="org_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class OrganizationMemberInvitation(models.Model):
    """An invitation to join a buyer organisation, bound to the invited email.

    Like a brand's: only the link's digest is kept, resending issues a new link, one open
    invitation per email.
    """

    organization = models.ForeignKey(
        "BuyerOrganization", on_delete=models.CASCADE, related_name="member_invitations"
    )
    email = models.EmailField(_("email"))
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    sent_count = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="org_member_invitation_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} -> {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class OrganizationEventKind(models.TextChoices):
    MEMBER_INVITED = "member_invited", _("Invited a member")
    INVITATION_RESENT = "invitation_resent", _("Resent an invitation")
    INVITATION_REVOKED = "invitation_revoked", _("Withdrew an invitation")
    MEMBER_JOINED = "member_joined", _("Joined")
    MEMBER_REMOVED = "member_removed", _("Removed a member")
    MEMBER_LEFT = "member_left", _("Left the organisation")
    ADDRESS_ADDED = "address_added", _("Added an address")
    ADDRESS_CHANGED = "address_changed", _("Changed an address")
    ADDRESS_REMOVED = "address_removed", _("Removed an address")
    ADDRESS_DEFAULT = "address_default", _("Chose a default address")


class OrganizationEvent(models.Model):
    """One change of an organisation's team or addresses (who, when, what), in its transaction."""

    # Indexed first in org_event_recent.
    organization = models.ForeignKey(
        "BuyerOrganization", on_delete=models.CASCADE, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=OrganizationEventKind.choices)
    subject = models.CharField(max_length=254, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at", "-id"], name="org_event_recent")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.kind} {self.subject}"


class AddressKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    BILLING = "billing", _("Billing")


class OrganizationAddress(models.Model):
    """One of an organisation's delivery or billing addresses; one of each kind is the default.

    The default's text is also kept on the organisation (`delivery_address`,
    `billing_address`), which is what a new cart, a proxy order or a sheet import starts with;
    the address services write both in one transaction. A cart and an order keep the text they
    were given: changing or removing an address never changes them.
    """

    organization = models.ForeignKey(
        "BuyerOrganization", on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AddressKind.choices)
    label = models.CharField(_("name"), max_length=100, blank=True)
    text = models.TextField(_("address"), max_length=1000)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-is_default", "label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(is_default=True),
                name="org_address_one_default",
            )
        ]

    def __str__(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return f"{self.label} ({first})" if self.label else first


class OrganizationRecipient(models.Model):
    """An address that receives the organisation's notifications (returns, OCs, ...)."""

    # Indexed first in org_recipient_unique.
    organization = models.ForeignKey(
        BuyerOrganization, on_delete=models.CASCADE, related_name="recipients", db_index=False
    )
    email = models.EmailField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], name="org_recipient_unique")
        ]

    def __str__(self) -> str:
        return self.email


class Buyer(models.Model):
    """The brand's record of a customer and its trading terms.

    Connected when `organization` is set (the organisation accepted an invitation and can log
    in); offline otherwise (orders taken by phone, mail or Excel).
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="buyers")
    organization = models.ForeignKey(
        BuyerOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buyer_records",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("contact email"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    wholesale_rate = models.DecimalField(
        _("wholesale rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5000"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="en")
    # Where the buyer is taxed (ISO 3166-1 alpha-2; blank: the brand's default rates) and its
    # tax ID, printed on the documents.
    country = models.CharField(_("country"), max_length=2, blank=True, default="", db_default="")
    tax_id = models.CharField(_("tax ID"), max_length=40, blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "organization"],
                condition=Q(organization__isnull=False),
                name="buyer_one_record_per_brand_and_org",
            ),
            models.CheckConstraint(
                condition=Q(wholesale_rate__gt=0) & Q(wholesale_rate__lte=1),
                name="buyer_wholesale_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_connected(self) -> bool:
        return self.organization_id is not None


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A brand's invitation to an email address; accepting it connects a buyer record."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="invitations")
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.brand} -> {self.email}"


class AttemptDoor(models.TextChoices):
    """Where a secret is checked: each door counts its failed attempts apart."""

    LOGIN = "login", _("Password")
    PASSCODE = "passcode", _("Order link passcode")


class FailedAttempt(models.Model):
    """A failed attempt at a door, kept while it counts against its subject and its address.

    The subject is what the attempt was at: the email of a login, the id of an order link.
    """

    door = models.CharField(max_length=10, choices=AttemptDoor.choices, default=AttemptDoor.LOGIN)
    subject = models.CharField(max_length=254)
    address = models.GenericIPAddressField(null=True, blank=True)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["door", "subject", "failed_at"], name="failed_attempt_subject"),
            models.Index(fields=["door", "address", "failed_at"], name="failed_attempt_address"),
            models.Index(fields=["failed_at"], name="failed_attempt_age"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.door} {self.subject} from {self.address} at {self.failed_at:%Y-%m-%d %H:%M:%S}"
        )


class ApiToken(models.Model):
    """A bearer token of the API: its user, a name, a lifetime and when it was last used.

    Only the SHA-256 digest of the token is kept (the token itself is shown once, when it is
    issued), so the database holds nothing a client could authenticate with.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
