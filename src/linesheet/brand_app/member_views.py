"""Settings > Members: the brand's team, its waiting invitations, the roles' rights, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.errors import AccountsError
from linesheet.accounts.members import (
    brand_member_invitation_resend,
    brand_member_invitation_revoke,
    brand_member_invite,
    brand_member_remove,
    brand_member_role_change,
    brand_ownership_transfer,
)
from linesheet.accounts.models import BrandRole
from linesheet.accounts.permissions import (
    ROLES_BY_RANK,
    Permission,
    permission_refusal,
    permission_table,
)
from linesheet.accounts.selectors import brand_events, brand_member_invitations_open, brand_members
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.member_forms import MemberInviteForm, MemberRoleForm, OwnershipTransferForm
from linesheet.core.errors import DomainError

HISTORY_LENGTH = 50


def _why_not(scope: BrandScope, permission: Permission) -> str:
    """Return why the user may not do `permission`, or "" when they may."""
    if scope.permits(permission):
        return ""
    return permission_refusal(
        brand=scope.brand.name, role=scope.membership.role, permission=permission
    ).message


def _page(
    request: HttpRequest,
    scope: BrandScope,
    *,
    invite_form: MemberInviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(brand_members(brand=scope.brand))
    may_transfer = scope.permits(Permission.OWNERSHIP_TRANSFER)
    context: dict[str, Any] = {
        "members": members,
        "invitations": list(brand_member_invitations_open(brand=scope.brand)),
        "events": list(brand_events(brand=scope.brand)[:HISTORY_LENGTH]),
        "table": permission_table(),
        "roles": [(role, BrandRole(role).label) for role in ROLES_BY_RANK],
        "role_choices": [c for c in BrandRole.choices if c[0] != BrandRole.OWNER],
        "invite_form": invite_form or MemberInviteForm(may_invite_owner=may_transfer),
        "transfer_form": OwnershipTransferForm(members=members),
        "why_not_manage": _why_not(scope, Permission.MEMBERS_MANAGE),
        "why_not_transfer": _why_not(scope, Permission.OWNERSHIP_TRANSFER),
        "owner_reason": _(
            "A brand always keeps one owner: transfer the ownership before changing this role "
            "or removing this member."
        ),
    }
    return render_brand(
        request,
        scope,
        "brand_app/settings_members.html",
        context,
        section="settings",
        status=status,
    )


def _back(scope: BrandScope) -> HttpResponse:
    return redirect("brand-settings-members", brand=scope.brand.slug)


def _refused(request: HttpRequest, scope: BrandScope, error: DomainError) -> HttpResponse:
    """Show the refusal on the page; a member or invitation not of this brand is a 404."""
    if error.status == 404:
        raise Http404
    messages.error(request, error.message)
    return _back(scope)


@brand_view(Permission.MEMBERS_MANAGE)
def members(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The team and who may do what; an owner or admin invites someone here (POST)."""
    if request.method != "POST":
        return _page(request, scope)
    form = MemberInviteForm(
        request.POST, may_invite_owner=scope.permits(Permission.OWNERSHIP_TRANSFER)
    )
    if form.is_valid():
        try:
            invitation, _token = brand_member_invite(
                brand=scope.brand,
                actor=scope.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way. They join as %(role)s.")
                % {"email": invitation.email, "role": invitation.get_role_display().lower()},
            )
            return _back(scope)
    return _page(request, scope, invite_form=form, status=400)


@brand_view(Permission.MEMBERS_MANAGE, form_only=True)
@require_POST
def member_invitation_resend(
    request: HttpRequest, scope: BrandScope, invitation_id: int
) -> HttpResponse:
    try:
        invitation, _token = brand_member_invitation_resend(
            brand=scope.brand, actor=scope.user, invitation_id=invitation_id
        )
    except AccountsError as error:
        return _refused(request, scope, error)
    messages.success(
        request,
        _("The invitation to %(email)s was sent again, with a new link valid until %(date)s.")
        % {"email": invitation.email, "date": invitation.expires_at.date().isoformat()},
    )
    return _back(scope)


@brand_view(Permission.MEMBERS_MANAGE, form_only=True)
@require_POST
def member_invitation_revoke(
    request: HttpRequest, scope: BrandScope, invitation_id: int
) -> HttpResponse:
    try:
        invitation = brand_member_invitation_revoke(
            brand=scope.brand, actor=scope.user, invitation_id=invitation_id
        )
    except AccountsError as error:
        return _refused(request, scope, error)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return _back(scope)


@brand_view(Permission.MEMBERS_MANAGE, form_only=True)
@require_POST
def member_role(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose admin, staff or viewer."))
        return _back(scope)
    try:
        membership = brand_member_role_change(
            brand=scope.brand, actor=scope.user, member_id=pk, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        return _refused(request, scope, error)
    messages.success(
        request,
        _("%(member)s is now %(role)s.")
        % {"member": membership.user.email, "role": membership.get_role_display().lower()},
    )
    return _back(scope)


@brand_view(Permission.MEMBERS_MANAGE, form_only=True)
@require_POST
def member_remove(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    try:
        membership = brand_member_remove(brand=scope.brand, actor=scope.user, member_id=pk)
    except AccountsError as error:
        return _refused(request, scope, error)
    if membership.user_id == scope.user.pk:
        messages.success(request, _("You left %(brand)s.") % {"brand": scope.brand.name})
        return redirect("home")
    messages.success(
        request,
        _("%(member)s is no longer a member of %(brand)s.")
        % {"member": membership.user.email, "brand": scope.brand.name},
    )
    return _back(scope)


@brand_view(Permission.OWNERSHIP_TRANSFER, form_only=True)
@require_POST
def ownership_transfer(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    form = OwnershipTransferForm(request.POST, members=list(brand_members(brand=scope.brand)))
    if not form.is_valid():
        messages.error(request, _("Choose the member who becomes the owner."))
        return _back(scope)
    try:
        membership = brand_ownership_transfer(
            brand=scope.brand, actor=scope.user, member_id=form.cleaned_data["member"]
        )
    except AccountsError as error:
        return _refused(request, scope, error)
    messages.success(
        request,
        _("%(member)s is now the owner of %(brand)s; you stay on as an admin.")
        % {"member": membership.user.email, "brand": scope.brand.name},
    )
    return _back(scope)
