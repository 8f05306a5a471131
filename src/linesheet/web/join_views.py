"""Joining a team from an invitation link: a brand's (and an organisation's) members.

The link's token finds the invitation; only a user logged in with the invited email accepts
it. Someone without an account creates one with that email and comes back here.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.members import (
    brand_member_invitation_accept,
    brand_member_invitation_get,
    invited_email_check,
)
from linesheet.accounts.models import User
from linesheet.accounts.organization_members import (
    organization_member_invitation_accept,
    organization_member_invitation_get,
)
from linesheet.web.workspaces import organization_activate

# Refusals about the link itself: the page has nothing left to offer.
LINK_ERRORS = frozenset(
    {
        AccountsErrorCode.INVITATION_NOT_FOUND,
        AccountsErrorCode.INVITATION_USED,
        AccountsErrorCode.INVITATION_EXPIRED,
        AccountsErrorCode.INVITATION_REVOKED,
    }
)


def link_refused(request: HttpRequest, error: AccountsError) -> HttpResponse:
    status = 404 if error.code == AccountsErrorCode.INVITATION_NOT_FOUND else 410
    return render(request, "join/unavailable.html", {"message": error.message}, status=status)


def sign_in_links(request: HttpRequest, email: str) -> dict[str, str]:
    """Return the login and registration links that lead back to this page."""
    here = request.get_full_path()
    return {
        "login_url": f"{reverse('login')}?{urlencode({'next': here})}",
        "register_url": f"{reverse('register')}?{urlencode({'next': here, 'email': email})}",
        "here": here,
    }


def brand_invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the invitation to a brand's team; the invited user joins with a POST."""
    try:
        invitation = brand_member_invitation_get(token=token)
    except AccountsError as error:
        return link_refused(request, error)
    context: dict[str, object] = {
        "invitation": invitation,
        "team": invitation.brand.name,
        "role": invitation.get_role_display(),
        "inviter": invitation.created_by,
        **sign_in_links(request, invitation.email),
    }
    if not request.user.is_authenticated:
        return render(request, "join/invitation.html", context)
    user = cast(User, request.user)
    try:
        invited_email_check(invited=invitation.email, user=user)
    except AccountsError as error:
        context["mismatch"] = error.message
        return render(request, "join/invitation.html", context, status=error.status)
    if request.method == "POST":
        try:
            membership = brand_member_invitation_accept(token=token, user=user)
        except AccountsError as error:
            if error.code in LINK_ERRORS:
                return link_refused(request, error)
            context["error"] = error.message
            return render(request, "join/invitation.html", context, status=error.status)
        messages.success(
            request,
            _("Welcome to %(brand)s. Your role is %(role)s.")
            % {"brand": invitation.brand.name, "role": membership.get_role_display().lower()},
        )
        return redirect("brand-home", brand=invitation.brand.slug)
    return render(request, "join/invitation.html", context)


def organization_invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the invitation to a buyer organisation; the invited user joins with a POST."""
    try:
        invitation = organization_member_invitation_get(token=token)
    except AccountsError as error:
        return link_refused(request, error)
    context: dict[str, object] = {
        "invitation": invitation,
        "team": invitation.organization.name,
        "inviter": invitation.created_by,
        **sign_in_links(request, invitation.email),
    }
    if not request.user.is_authenticated:
        return render(request, "join/invitation.html", context)
    user = cast(User, request.user)
    try:
        invited_email_check(invited=invitation.email, user=user)
    except AccountsError as error:
        context["mismatch"] = error.message
        return render(request, "join/invitation.html", context, status=error.status)
    if request.method == "POST":
        try:
            organization_member_invitation_accept(token=token, user=user)
        except AccountsError as error:
            if error.code in LINK_ERRORS:
                return link_refused(request, error)
            context["error"] = error.message
            return render(request, "join/invitation.html", context, status=error.status)
        organization_activate(request, organization_id=invitation.organization_id)
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": invitation.organization.name}
        )
        return redirect("buyer-home")
    return render(request, "join/invitation.html", context)
