"""The site root and the Buyer App: home, registration, organisations, brands, invitations."""

from __future__ import annotations

from collections import defaultdict
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.models import User
from linesheet.accounts.selectors import (
    brand_memberships_of,
    connected_brands_of,
    invitation_get_acceptable,
    organizations_of,
)
from linesheet.accounts.services import invitation_accept, invitation_check_email, user_register
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.forms import InvitationAcceptForm, OrganizationChoiceForm, RegisterForm
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import catalogs_visible_to
from linesheet.core.errors import DomainError
from linesheet.web.workspaces import ACTIVE_ORGANIZATION_KEY, Workspaces, organization_activate

# Refusals about the link itself: the accept page has nothing left to offer.
LINK_ERRORS = frozenset(
    {
        AccountsErrorCode.INVITATION_NOT_FOUND,
        AccountsErrorCode.INVITATION_USED,
        AccountsErrorCode.INVITATION_EXPIRED,
    }
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next_url(request: HttpRequest, default: str) -> str:
    """Return the `next` parameter when it points back into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user where they work; someone with several places to work picks one."""
    user = _user(request)
    memberships = list(brand_memberships_of(user=user))
    organizations = list(organizations_of(user=user))
    if organizations and not memberships:
        return redirect("buyer-home")
    if len(memberships) == 1 and not organizations:
        return redirect("brand-home", brand=memberships[0].brand.slug)
    workspaces = Workspaces(memberships=memberships, organizations=organizations)
    return render(request, "buyer_app/home.html", {"workspaces": workspaces})


def register(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("home"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = RegisterForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(**form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            login(request, user)
            messages.success(request, _("Welcome to linesheet. Your account is ready."))
            return redirect(next_url)
    return render(request, "registration/register.html", {"form": form, "next": next_url})


@login_required
def organization_choose(request: HttpRequest) -> HttpResponse:
    """List the user's organisations; choosing one makes the Buyer App act for it."""
    user = _user(request)
    organizations = list(organizations_of(user=user))
    form = OrganizationChoiceForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization_activate(request, organization_id=form.cleaned_data["organization"])
        return redirect(_next_url(request, reverse("buyer-home")))
    workspaces = Workspaces(
        memberships=list(brand_memberships_of(user=user)), organizations=organizations
    )
    return render(
        request,
        "buyer_app/organization_choose.html",
        {
            "form": form,
            "workspaces": workspaces,
            "next": _next_url(request, ""),
        },
        status=400 if form.is_bound else 200,
    )


# --- Pages that act for the active organisation ---------------------------------------------


@buyer_view
def buyer_home(request: HttpRequest, scope: BuyerScope) -> HttpResponse:
    """The brands the organisation is connected to, each with the catalogs it may browse."""
    brands = list(connected_brands_of(organization=scope.organization))
    catalogs: dict[int, list[Catalog]] = defaultdict(list)
    for catalog in catalogs_visible_to(organization=scope.organization):
        catalogs[catalog.brand_id].append(catalog)
    return render_buyer(
        request,
        scope,
        "buyer_app/buyer_home.html",
        {"brands": [(brand, catalogs.get(brand.pk, [])) for brand in brands]},
        section="brands",
    )


# --- Invitations ----------------------------------------------------------------------------


def _link_refused(request: HttpRequest, error: AccountsError) -> HttpResponse:
    status = 404 if error.code == AccountsErrorCode.INVITATION_NOT_FOUND else 410
    return render(
        request, "buyer_app/invitation_unavailable.html", {"message": error.message}, status=status
    )


def _other_email(
    request: HttpRequest, context: dict[str, object], error: AccountsError
) -> HttpResponse:
    """Say whom the invitation is for, and offer to log out and come back as them."""
    context.update(mismatch=error.message, here=request.get_full_path())
    return render(request, "buyer_app/invitation_accept.html", context, status=error.status)


def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the brand's invitation; a logged-in user accepts it for an organisation."""
    try:
        invitation = invitation_get_acceptable(token=token)
    except AccountsError as error:
        return _link_refused(request, error)
    context: dict[str, object] = {"invitation": invitation, "brand": invitation.brand}
    if not request.user.is_authenticated:
        here = request.get_full_path()
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': here})}"
        context["register_url"] = (
            f"{reverse('register')}?{urlencode({'next': here, 'email': invitation.email})}"
        )
        return render(request, "buyer_app/invitation_accept.html", context)

    user = _user(request)
    try:
        invitation_check_email(invitation=invitation, user=user)
    except AccountsError as error:
        return _other_email(request, context, error)
    organizations = list(organizations_of(user=user))
    form = InvitationAcceptForm(
        request.POST or None,
        organizations=organizations,
        preselect=request.session.get(ACTIVE_ORGANIZATION_KEY),
    )
    if request.method == "POST" and form.is_valid():
        try:
            buyer = invitation_accept(
                token=token,
                user=user,
                organization_id=form.organization_id,
                new_organization_name=form.cleaned_data["new_organization_name"].strip(),
            )
        except AccountsError as error:
            if error.code in LINK_ERRORS:
                return _link_refused(request, error)
            if error.code == AccountsErrorCode.INVITATION_EMAIL_MISMATCH:
                return _other_email(request, context, error)
            form.add_domain_error(error)
        else:
            assert buyer.organization_id is not None
            organization_activate(request, organization_id=buyer.organization_id)
            messages.success(
                request,
                _("%(organization)s is now connected to %(brand)s.")
                % {"organization": buyer.organization, "brand": invitation.brand.name},
            )
            return redirect("buyer-home")
    context.update(form=form, organizations=organizations)
    return render(request, "buyer_app/invitation_accept.html", context)
