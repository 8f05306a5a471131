"""The organisation page: its members and their invitations, its address book, its history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.errors import AccountsError
from linesheet.accounts.organization_members import (
    organization_address_add,
    organization_address_make_default,
    organization_address_remove,
    organization_address_update,
    organization_member_invitation_resend,
    organization_member_invitation_revoke,
    organization_member_invite,
    organization_member_remove,
)
from linesheet.accounts.selectors import (
    organization_addresses,
    organization_events,
    organization_member_invitations_open,
    organization_members,
)
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.organization_forms import (
    AddressChangeForm,
    AddressForm,
    OrganizationInviteForm,
)
from linesheet.core.errors import DomainError

HISTORY_LENGTH = 50


def _page(
    request: HttpRequest,
    scope: BuyerScope,
    *,
    invite_form: OrganizationInviteForm | None = None,
    address_form: AddressForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(organization_members(organization=scope.organization))
    context: dict[str, Any] = {
        "members": members,
        "last_member": len(members) == 1,
        "invitations": list(organization_member_invitations_open(organization=scope.organization)),
        "addresses": list(organization_addresses(organization_id=scope.organization.pk)),
        "events": list(organization_events(organization=scope.organization)[:HISTORY_LENGTH]),
        "invite_form": invite_form or OrganizationInviteForm(),
        "address_form": address_form or AddressForm(),
    }
    return render_buyer(
        request,
        scope,
        "buyer_app/organization.html",
        context,
        section="organization",
        status=status,
    )


def _back() -> HttpResponse:
    return redirect("buyer-organization")


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    """Show the refusal on the page; what is not of this organisation is a 404."""
    if error.status == 404:
        raise Http404
    messages.error(request, error.message)
    return _back()


@buyer_view
def organization_page(request: HttpRequest, scope: BuyerScope) -> HttpResponse:
    """The organisation's team and addresses; a POST invites someone."""
    if request.method != "POST":
        return _page(request, scope)
    form = OrganizationInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = organization_member_invite(
                organization=scope.organization, actor=scope.user, email=form.cleaned_data["email"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is on its way.") % {"email": invitation.email},
            )
            return _back()
    return _page(request, scope, invite_form=form, status=400)


@require_POST
@buyer_view
def invitation_resend(request: HttpRequest, scope: BuyerScope, invitation_id: int) -> HttpResponse:
    try:
        invitation, _token = organization_member_invitation_resend(
            organization=scope.organization, actor=scope.user, invitation_id=invitation_id
        )
    except AccountsError as error:
        return _refused(request, error)
    messages.success(
        request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email}
    )
    return _back()


@require_POST
@buyer_view
def invitation_revoke(request: HttpRequest, scope: BuyerScope, invitation_id: int) -> HttpResponse:
    try:
        invitation = organization_member_invitation_revoke(
            organization=scope.organization, actor=scope.user, invitation_id=invitation_id
        )
    except AccountsError as error:
        return _refused(request, error)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return _back()


@require_POST
@buyer_view
def member_remove(request: HttpRequest, scope: BuyerScope, member_id: int) -> HttpResponse:
    try:
        membership = organization_member_remove(
            organization=scope.organization, actor=scope.user, member_id=member_id
        )
    except AccountsError as error:
        return _refused(request, error)
    if membership.user_id == scope.user.pk:
        messages.success(request, _("You left %(name)s.") % {"name": scope.organization.name})
        return redirect("home")
    messages.success(
        request,
        _("%(email)s is no longer a member of %(name)s.")
        % {"email": membership.user.email, "name": scope.organization.name},
    )
    return _back()


@require_POST
@buyer_view
def address_add(request: HttpRequest, scope: BuyerScope) -> HttpResponse:
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            organization_address_add(
                organization=scope.organization, actor=scope.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The address was added."))
            return _back()
    return _page(request, scope, address_form=form, status=400)


@require_POST
@buyer_view
def address_change(request: HttpRequest, scope: BuyerScope, address_id: int) -> HttpResponse:
    form = AddressChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back()
    try:
        organization_address_update(
            organization=scope.organization,
            actor=scope.user,
            address_id=address_id,
            **form.cleaned_data,
        )
    except DomainError as error:
        return _refused(request, error)
    messages.success(request, _("The address was saved. Carts and orders keep what they had."))
    return _back()


@require_POST
@buyer_view
def address_default(request: HttpRequest, scope: BuyerScope, address_id: int) -> HttpResponse:
    try:
        address = organization_address_make_default(
            organization=scope.organization, actor=scope.user, address_id=address_id
        )
    except AccountsError as error:
        return _refused(request, error)
    messages.success(
        request,
        _("New carts now start with this %(kind)s address.")
        % {"kind": address.get_kind_display().lower()},
    )
    return _back()


@require_POST
@buyer_view
def address_remove(request: HttpRequest, scope: BuyerScope, address_id: int) -> HttpResponse:
    try:
        organization_address_remove(
            organization=scope.organization, actor=scope.user, address_id=address_id
        )
    except AccountsError as error:
        return _refused(request, error)
    messages.success(request, _("The address was removed. Carts and orders keep what they had."))
    return _back()
