"""Support's view of users, brands, buyer organisations, buyers and invitations.

Read-mostly: connecting buyers, inviting and joining go through the services in the apps. A
user account is the exception support needs: reset a password, deactivate, grant staff rights.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from linesheet.accounts.models import (
    ApiToken,
    Brand,
    BrandEvent,
    BrandMemberInvitation,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    FailedAttempt,
    Invitation,
    OrganizationAddress,
    OrganizationEvent,
    OrganizationMemberInvitation,
    OrganizationMembership,
    OrganizationRecipient,
    ShippingGroup,
    ShippingRate,
    TaxRate,
    User,
)
from linesheet.accounts.services import users_deactivate
from linesheet.core.admin import ViewOnlyAdmin, ViewOnlyTabularInline


class BrandMemberInline(ViewOnlyTabularInline):
    model = BrandMembership
    fields = ["user", "role"]
    verbose_name = _("member")
    verbose_name_plural = _("members")


class UserBrandMembershipInline(ViewOnlyTabularInline):
    model = BrandMembership
    fields = ["brand", "role"]
    verbose_name = _("brand membership")
    verbose_name_plural = _("brand memberships")


class OrganizationMemberInline(ViewOnlyTabularInline):
    model = OrganizationMembership
    fields = ["user"]
    verbose_name = _("member")
    verbose_name_plural = _("members")


class UserOrganizationMembershipInline(ViewOnlyTabularInline):
    model = OrganizationMembership
    fields = ["organization"]
    verbose_name = _("buyer organisation")
    verbose_name_plural = _("buyer organisations")


class OrganizationRecipientInline(ViewOnlyTabularInline):
    model = OrganizationRecipient
    fields = ["email"]
    show_change_link = False
    verbose_name = _("email recipient")
    verbose_name_plural = _("email recipients")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Email-login users; the password is set through the admin's own change-password form."""

    list_display = [
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    filter_horizontal = ["groups", "user_permissions"]
    readonly_fields = ["email", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [UserBrandMembershipInline, UserOrganizationMembershipInline]
    actions = ["deactivate", "activate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People sign up or are invited; support accounts come from `linesheet createsuperuser`.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Deleting a user would take memberships (and their history) with it; deactivate instead.
        return False

    @admin.action(
        description=_("Deactivate the selected users (they can no longer log in; API tokens end)")
    )
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Locking yourself out of the admin is never what was meant.
        count = users_deactivate(users=queryset.exclude(pk=request.user.pk or 0))
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate the selected users"))
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = queryset.update(is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d user activated.", "%(count)d users activated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Brand)
class BrandAdmin(ViewOnlyAdmin):
    list_display = [
        "name",
        "slug",
        "default_currency",
        "default_wholesale_rate",
        "member_count",
        "buyer_count",
        "created_at",
    ]
    search_fields = ["name", "slug"]
    list_filter = ["default_currency"]
    inlines = [BrandMemberInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Brand]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                buyer_count=Count("buyers", distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, brand: Any) -> int:
        return int(brand.member_count)

    @admin.display(description=_("buyers"), ordering="buyer_count")
    def buyer_count(self, brand: Any) -> int:
        return int(brand.buyer_count)


@admin.register(TaxRate)
class TaxRateAdmin(ViewOnlyAdmin):
    """The brands' tax rates, for support to read; brands change them in their settings."""

    list_display = ["brand", "name", "rate", "reduced", "is_default", "countries"]
    list_filter = ["reduced", "is_default", "brand"]
    search_fields = ["name", "brand__name", "brand__slug"]
    list_select_related = ["brand"]


@admin.register(ShippingGroup)
class ShippingGroupAdmin(ViewOnlyAdmin):
    """The brands' shipping groups, for support to read; brands change them in their settings."""

    list_display = ["brand", "name", "currency"]
    list_filter = ["currency", "brand"]
    search_fields = ["name", "brand__name", "brand__slug"]
    list_select_related = ["brand"]


@admin.register(ShippingRate)
class ShippingRateAdmin(ViewOnlyAdmin):
    """A shipping group's fee bands per destination country ("" is everywhere else)."""

    list_display = ["group", "country", "bands"]
    list_filter = ["country"]
    search_fields = ["group__name", "group__brand__slug"]
    list_select_related = ["group"]


@admin.register(BrandMembership)
class BrandMembershipAdmin(ViewOnlyAdmin):
    list_display = ["user", "brand", "role"]
    list_filter = ["role", "brand"]
    search_fields = ["user__email", "user__full_name", "brand__name", "brand__slug"]
    list_select_related = ["user", "brand"]


@admin.register(BrandMemberInvitation)
class BrandMemberInvitationAdmin(ViewOnlyAdmin):
    """Invitations to brands' teams; the link's token is kept only as a digest."""

    list_display = ["email", "brand", "role", "created_by", "sent_at", "expires_at", "state"]
    list_filter = ["role", "brand"]
    search_fields = ["email", "brand__name", "brand__slug"]
    list_select_related = ["brand", "created_by"]
    exclude = ["digest"]

    @admin.display(description=_("state"))
    def state(self, invitation: BrandMemberInvitation) -> str:
        if invitation.accepted_at:
            return str(_("accepted"))
        if invitation.revoked_at:
            return str(_("withdrawn"))
        return str(_("expired") if invitation.is_expired else _("waiting"))


@admin.register(BrandEvent)
class BrandEventAdmin(ViewOnlyAdmin):
    """The brands' histories of team changes."""

    list_display = ["created_at", "brand", "kind", "subject", "actor"]
    list_filter = ["kind", "brand"]
    search_fields = ["subject", "actor__email", "brand__name", "brand__slug"]
    list_select_related = ["brand", "actor"]


@admin.register(BuyerOrganization)
class BuyerOrganizationAdmin(ViewOnlyAdmin):
    list_display = ["name", "member_count", "connected_brands", "created_at"]
    search_fields = ["name", "memberships__user__email", "recipients__email"]
    fields = ["name", "delivery_address", "billing_address", "connected_brands", "created_at"]
    readonly_fields = ["connected_brands"]
    inlines = [OrganizationMemberInline, OrganizationRecipientInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[BuyerOrganization]:
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", distinct=True))
            .prefetch_related("buyer_records__brand")
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, organization: Any) -> int:
        return int(organization.member_count)

    @admin.display(description=_("connected to"))
    def connected_brands(self, organization: BuyerOrganization) -> str:
        return ", ".join(sorted(buyer.brand.name for buyer in organization.buyer_records.all()))


class BuyerConnectionFilter(admin.SimpleListFilter):
    title = _("connection")
    parameter_name = "connection"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("connected", _("Connected")), ("offline", _("Offline"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "connected":
            return queryset.filter(organization__isnull=False)
        if self.value() == "offline":
            return queryset.filter(organization__isnull=True)
        return queryset


@admin.register(OrganizationMemberInvitation)
class OrganizationMemberInvitationAdmin(ViewOnlyAdmin):
    """Invitations to buyer organisations; the link's token is kept only as a digest."""

    list_display = ["email", "organization", "created_by", "sent_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization", "created_by"]
    exclude = ["digest"]


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ViewOnlyAdmin):
    """The buyer organisations' histories of member and address changes."""

    list_display = ["created_at", "organization", "kind", "subject", "actor"]
    list_filter = ["kind"]
    search_fields = ["subject", "actor__email", "organization__name"]
    list_select_related = ["organization", "actor"]


@admin.register(OrganizationAddress)
class OrganizationAddressAdmin(ViewOnlyAdmin):
    """Buyer organisations' address books."""

    list_display = ["organization", "kind", "label", "is_default"]
    list_filter = ["kind", "is_default"]
    search_fields = ["organization__name", "label", "text"]
    list_select_related = ["organization"]


@admin.register(Buyer)
class BuyerAdmin(ViewOnlyAdmin):
    list_display = [
        "name",
        "brand",
        "organization",
        "is_connected",
        "currency",
        "wholesale_rate",
        "language",
        "created_at",
    ]
    list_filter = [BuyerConnectionFilter, "brand", "currency", "language"]
    search_fields = ["name", "email", "organization__name", "brand__name"]
    list_select_related = ["brand", "organization"]

    @admin.display(description=_("connected"), boolean=True)
    def is_connected(self, buyer: Buyer) -> bool:
        return buyer.is_connected


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("pending", _("Pending")), ("accepted", _("Accepted")), ("expired", _("Expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "pending":
            return queryset.filter(accepted_at__isnull=True, expires_at__gt=now)
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(Q(accepted_at__isnull=True) & Q(expires_at__lte=now))
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyAdmin):
    list_display = ["email", "brand", "buyer", "state", "created_at", "expires_at", "accepted_at"]
    list_filter = [InvitationStateFilter, "brand"]
    search_fields = ["email", "brand__name", "buyer__name"]
    list_select_related = ["brand", "buyer"]
    # The token is the invitation link itself: whoever holds it can connect an organisation.
    fields = [
        "brand",
        "buyer",
        "email",
        "state",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]
    readonly_fields = ["state"]

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        if invitation.accepted_at is not None:
            return str(_("Accepted"))
        if invitation.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Pending"))


@admin.register(FailedAttempt)
class FailedAttemptAdmin(ViewOnlyAdmin):
    """Failed logins and passcodes still counting: who is locked out, and from where."""

    list_display = ["door", "subject", "address", "failed_at"]
    list_filter = ["door"]
    search_fields = ["subject", "address"]
    date_hierarchy = "failed_at"

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Deleting an email's failures lets its owner log in again before the window ends.
        return True


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin):
    """Users' API tokens (never the token itself: only its digest is stored); support revokes."""

    list_display = ["name", "user", "created_at", "last_used_at", "expires_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "created_at", "last_used_at", "expires_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True  # revoking a token
