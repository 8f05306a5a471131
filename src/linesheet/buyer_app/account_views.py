"""The account page, shared by both apps: the time zone, the password, the user's API tokens.

A token made here is shown once, on the page the creation leads to (kept in the session until
then, like a new order link's passcode), and stored nowhere but as its digest.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.attempts import TooManyAttempts
from linesheet.accounts.forms import CheckedPasswordChangeForm
from linesheet.accounts.models import User
from linesheet.accounts.selectors import brand_memberships_of, organizations_of
from linesheet.accounts.services import user_password_change, user_set_time_zone
from linesheet.accounts.tokens import api_token_issue, api_token_revoke, api_tokens_of
from linesheet.buyer_app.account_forms import ApiTokenForm
from linesheet.buyer_app.forms import AccountForm
from linesheet.core.errors import DomainError
from linesheet.core.time_zones import time_zone_label

NEW_TOKEN_KEY = "linesheet.new_api_token"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    """Render the page with its three forms: any given bound, the others fresh."""
    user = _user(request)
    # Where "Automatic" shows times: each brand's and organisation's zone.
    workspace_zones = [
        (membership.brand.name, time_zone_label(membership.brand.time_zone))
        for membership in brand_memberships_of(user=user)
    ] + [
        (organization.name, time_zone_label(organization.time_zone))
        for organization in organizations_of(user=user)
    ]
    context = {
        "form": forms.get("form") or AccountForm(initial={"time_zone": user.time_zone}),
        "chosen": time_zone_label(user.time_zone) if user.time_zone else None,
        "workspace_zones": workspace_zones,
        "password_form": forms.get("password_form")
        or CheckedPasswordChangeForm(user, request=request),
        "token_form": forms.get("token_form") or ApiTokenForm(),
        "tokens": list(api_tokens_of(user=user)),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None) if status == 200 else None,
    }
    return render(request, "account/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Show the page; a POST sets the time zone times are shown in."""
    if request.method != "POST":
        return _page(request)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            user_set_time_zone(user=_user(request), time_zone=form.cleaned_data["time_zone"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your settings were saved."))
            return redirect("account")
    return _page(request, status=400, form=form)


@login_required
@require_POST
def account_password(request: HttpRequest) -> HttpResponse:
    """Change the password: this session stays logged in; other sessions and tokens end."""
    form = CheckedPasswordChangeForm(_user(request), request.POST, request=request)
    try:
        valid = form.is_valid()
    except TooManyAttempts as refusal:
        form.add_error(None, refusal.message)
        response = _page(request, status=429, password_form=form)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    if not valid:
        return _page(request, status=400, password_form=form)
    user = user_password_change(user=_user(request), password=form.cleaned_data["new_password1"])
    update_session_auth_hash(request, user)
    messages.success(
        request,
        _(
            "Your password is changed. Other sessions are logged out, and your API tokens are "
            "revoked: log in again from your integrations."
        ),
    )
    return redirect("account")


@login_required
@require_POST
def account_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, token_form=form)
    _token, secret = api_token_issue(user=_user(request), name=form.cleaned_data["name"])
    request.session[NEW_TOKEN_KEY] = secret
    return redirect("account")


@login_required
@require_POST
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(user=_user(request), token_id=pk)
    if token is None:
        raise Http404
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("account")
