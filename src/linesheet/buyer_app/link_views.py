"""An order link's pages: the landing, registration with a new organisation, opening the cart.

Anyone may open a link. A visitor logs in or registers (with the organisation that orders) and
comes back to the link; a logged-in user chooses the organisation, types the passcode when the
link has one, and lands in that organisation's cart for the link's catalog.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.accounts.attempts import TooManyAttempts, client_address
from linesheet.accounts.models import User
from linesheet.accounts.selectors import organizations_of
from linesheet.accounts.services import organization_create, user_register
from linesheet.buyer_app.link_forms import OrderLinkOpenForm, OrderLinkRegisterForm
from linesheet.core.errors import DomainError
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import OrderLink
from linesheet.ordering.services import order_link_check, order_link_land
from linesheet.web.workspaces import ACTIVE_ORGANIZATION_KEY, organization_activate

# Refusals about the link itself: its page has nothing left to offer but the reason.
LINK_REFUSALS = frozenset(
    {
        OrderErrorCode.LINK_NOT_FOUND,
        OrderErrorCode.LINK_REVOKED,
        OrderErrorCode.LINK_EXPIRED,
        OrderErrorCode.CATALOG_CLOSED,
    }
)
PASSCODE_REFUSALS = frozenset({OrderErrorCode.PASSCODE_REQUIRED, OrderErrorCode.PASSCODE_WRONG})


def _link_refused(request: HttpRequest, error: OrderError) -> HttpResponse:
    """Say why the link cannot be used, with the refusal's status (404, 410 or 409)."""
    return render(
        request,
        "buyer_app/order_link_unavailable.html",
        {"message": error.message, "code": error.code},
        status=error.status,
    )


def _context(link: OrderLink) -> dict[str, object]:
    return {"link": link, "brand": link.brand, "catalog": link.catalog}


def order_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the brand and catalog of the link; a logged-in user opens its cart from here."""
    try:
        link = order_link_check(token=token)
    except OrderError as error:
        return _link_refused(request, error)
    here = reverse("order-link", args=[token])
    context = _context(link)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(here)
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': here})}"
        context["register_url"] = reverse("order-link-register", args=[token])
        return render(request, "buyer_app/order_link.html", context)

    user = cast(User, request.user)
    organizations = list(organizations_of(user=user))
    form = OrderLinkOpenForm(
        request.POST or None,
        organizations=organizations,
        preselect=request.session.get(ACTIVE_ORGANIZATION_KEY),
        needs_passcode=link.has_passcode,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = form.organization_id
            try:
                # The passcode first, outside any transaction (its attempts are counted), so a
                # refused one leaves no new organisation behind.
                link = order_link_check(
                    token=token,
                    passcode=form.cleaned_data.get("passcode", ""),
                    address=client_address(request),
                )
                with transaction.atomic():
                    if chosen is None:
                        organization = organization_create(
                            user=user, name=form.cleaned_data["new_organization_name"].strip()
                        )
                    else:
                        # The form offers only the user's own organisations.
                        organization = next(org for org in organizations if org.pk == chosen)
                    cart, created = order_link_land(link=link, organization=organization)
            except TooManyAttempts as refusal:
                form.add_error("passcode" if "passcode" in form.fields else None, refusal.message)
                context.update(form=form, organizations=organizations)
                response = render(request, "buyer_app/order_link.html", context, status=429)
                response["Retry-After"] = str(refusal.retry_after)
                return response
            except OrderError as error:
                if error.code in LINK_REFUSALS:
                    return _link_refused(request, error)
                on_passcode = error.code in PASSCODE_REFUSALS and "passcode" in form.fields
                form.add_error("passcode" if on_passcode else None, error.message)
                status = error.status
            else:
                organization_activate(request, organization_id=organization.pk)
                if created:
                    message = _(
                        "%(organization)s is ordering from %(catalog)s of %(brand)s. Add SKUs "
                        "from the catalog, then place the order."
                    )
                else:
                    message = _(
                        "%(organization)s already had a cart for %(catalog)s of %(brand)s: "
                        "here it is."
                    )
                messages.success(
                    request,
                    message
                    % {
                        "organization": organization.name,
                        "catalog": link.catalog.name,
                        "brand": link.brand.name,
                    },
                )
                return redirect("buyer-cart", pk=cart.pk)
    context.update(form=form, organizations=organizations)
    return render(request, "buyer_app/order_link.html", context, status=status)


def order_link_register(request: HttpRequest, token: str) -> HttpResponse:
    """Create an account with the organisation that orders, log in, and go back to the link."""
    try:
        link = order_link_check(token=token)
    except OrderError as error:
        return _link_refused(request, error)
    here = reverse("order-link", args=[token])
    if request.user.is_authenticated:
        return redirect(here)
    form = OrderLinkRegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user = user_register(
                        email=data["email"], password=data["password"], full_name=data["full_name"]
                    )
                    organization = organization_create(user=user, name=data["organization_name"])
            except DomainError as error:
                form.add_domain_error(error)
                status = error.status
            else:
                login(request, user)
                organization_activate(request, organization_id=organization.pk)
                if link.has_passcode:
                    message = _(
                        "Your account and %(organization)s are ready. Enter the passcode "
                        "%(brand)s gave you to start ordering."
                    )
                else:
                    message = _(
                        "Your account and %(organization)s are ready. Start ordering from "
                        "%(brand)s."
                    )
                messages.success(
                    request, message % {"organization": organization.name, "brand": link.brand.name}
                )
                return redirect(here)
    context = _context(link)
    context.update(
        form=form,
        login_url=f"{reverse('login')}?{urlencode({'next': here})}",
        back_url=here,
    )
    return render(request, "buyer_app/order_link_register.html", context, status=status)
