"""Brand App buyers: the brand's buyers, offline buyers and the invitations to connect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Buyer, Invitation
from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import (
    buyer_get_for_brand,
    buyers_of_brand,
    invitations_of_brand,
    invitations_of_buyer,
)
from linesheet.accounts.services import buyer_create_offline, invitation_create
from linesheet.accounts.taxes import buyer_set_tax_details
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import BuyerTaxForm, InvitationForm, OfflineBuyerForm, brand_terms
from linesheet.core.errors import DomainError
from linesheet.core.url_converters import id_of
from linesheet.notifications.services import absolute_url


@brand_view()
def buyer_list(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    buyers = list(buyers_of_brand(brand=scope.brand))
    return render_brand(
        request, scope, "brand_app/buyer_list.html", {"buyers": buyers}, section="buyers"
    )


@brand_view(Permission.BUYER_WRITE, form_only=True)
def buyer_create(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    form = OfflineBuyerForm(request.POST or None, initial=brand_terms(scope.brand))
    if request.method == "POST" and form.is_valid():
        try:
            buyer = buyer_create_offline(brand=scope.brand, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("%(name)s was added as an offline buyer.") % {"name": buyer.name}
            )
            return redirect("brand-buyer-detail", brand=scope.brand.slug, pk=buyer.pk)
    return render_brand(
        request, scope, "brand_app/buyer_form.html", {"form": form}, section="buyers"
    )


def _buyer_or_404(scope: BrandScope, pk: int) -> Buyer:
    buyer = buyer_get_for_brand(brand=scope.brand, buyer_id=pk)
    if buyer is None:
        raise Http404
    return buyer


@brand_view(Permission.BUYER_WRITE)
def buyer_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """The buyer's terms and invitations; a POST sets where it is taxed and its tax ID."""
    buyer = _buyer_or_404(scope, pk)
    tax_form = BuyerTaxForm(
        request.POST or None, initial={"country": buyer.country, "tax_id": buyer.tax_id}
    )
    if request.method == "POST" and tax_form.is_valid():
        try:
            buyer_set_tax_details(
                buyer=buyer,
                country=tax_form.cleaned_data["country"],
                tax_id=tax_form.cleaned_data["tax_id"],
            )
        except DomainError as error:
            tax_form.add_domain_error(error)
        else:
            messages.success(request, _("The buyer's country and tax ID were saved."))
            return redirect("brand-buyer-detail", brand=scope.brand.slug, pk=buyer.pk)
    return render_brand(
        request,
        scope,
        "brand_app/buyer_detail.html",
        {
            "buyer": buyer,
            "tax_form": tax_form,
            "invitations": list(invitations_of_buyer(buyer=buyer)),
            "now": timezone.now(),
        },
        section="buyers",
        status=400 if tax_form.is_bound and tax_form.errors else 200,
    )


def _accept_url(invitation: Invitation) -> str:
    """Return the link exactly as the invitation email carries it."""
    return absolute_url(reverse("invitation-accept", args=[invitation.token]))


@brand_view(Permission.BUYER_WRITE, form_only=True)
def invitation_new(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    initial: dict[str, Any] = brand_terms(scope.brand)
    buyer_id = id_of(request.GET.get("buyer", "")) if request.method == "GET" else None
    if buyer_id is not None:
        offline = buyer_get_for_brand(brand=scope.brand, buyer_id=buyer_id)
        if offline is not None and not offline.is_connected:
            initial.update(buyer=offline.pk, email=offline.email)
    form = InvitationForm(request.POST or None, brand=scope.brand, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_create(
                brand=scope.brand,
                email=data["email"],
                created_by=scope.user,
                buyer=data["buyer"],
                name=data["name"],
                currency=data["currency"],
                wholesale_rate=data["wholesale_rate"],
                language=data["language"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s. You can also copy the link below.")
                % {"email": invitation.email},
            )
            return redirect("brand-invitation-detail", brand=scope.brand.slug, pk=invitation.pk)
    return render_brand(
        request, scope, "brand_app/invitation_form.html", {"form": form}, section="buyers"
    )


@brand_view()
def invitation_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    invitation = invitations_of_brand(brand=scope.brand).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return render_brand(
        request,
        scope,
        "brand_app/invitation_detail.html",
        {"invitation": invitation, "accept_url": _accept_url(invitation), "now": timezone.now()},
        section="buyers",
    )
