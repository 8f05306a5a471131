"""Brand App settings: the brand's legal identity, tax rounding and tax rates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.models import TaxRate
from linesheet.accounts.permissions import Permission
from linesheet.accounts.taxes import brand_set_tax_identity, tax_rate_create, tax_rate_delete
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.tax_forms import TaxIdentityForm, TaxRateForm
from linesheet.core.errors import DomainError


def _render(
    request: HttpRequest,
    scope: BrandScope,
    *,
    identity: TaxIdentityForm,
    rate_form: TaxRateForm,
    status: int = 200,
) -> HttpResponse:
    if not scope.can_manage:
        for form in (identity, rate_form):
            for field in form.fields.values():
                field.disabled = True
    return render_brand(
        request,
        scope,
        "brand_app/settings_tax.html",
        {
            "form": identity,
            "rate_form": rate_form,
            "rates": list(TaxRate.objects.filter(brand=scope.brand)),
        },
        section="settings",
        status=status,
    )


@brand_view(Permission.SETTINGS_MANAGE)
def tax_settings(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's legal identity and tax rounding, and its tax rates."""
    form = TaxIdentityForm(request.POST or None, initial=TaxIdentityForm.initial_of(scope.brand))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            brand_set_tax_identity(
                brand=scope.brand,
                legal_name=data["legal_name"],
                legal_address=data["legal_address"],
                tax_id=data["tax_id"],
                bank_accounts=form.bank_accounts(),
                tax_rounding_mode=data["tax_rounding_mode"],
                tax_rounding_scope=data["tax_rounding_scope"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The legal identity and tax rounding were saved."))
            return redirect("brand-settings-tax", brand=scope.brand.slug)
    return _render(
        request,
        scope,
        identity=form,
        rate_form=TaxRateForm(),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@brand_view(Permission.SETTINGS_MANAGE, form_only=True)
def tax_rate_add(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    form = TaxRateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tax_rate_create(
                brand=scope.brand,
                name=data["name"],
                rate=data["rate"],
                reduced=data["reduced"],
                countries=form.countries_list(),
                is_default=data["is_default"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The tax rate was added."))
            return redirect("brand-settings-tax", brand=scope.brand.slug)
    identity = TaxIdentityForm(initial=TaxIdentityForm.initial_of(scope.brand))
    return _render(request, scope, identity=identity, rate_form=form, status=400)


@require_POST
@brand_view(Permission.SETTINGS_MANAGE, form_only=True)
def tax_rate_remove(request: HttpRequest, scope: BrandScope, rate_id: int) -> HttpResponse:
    try:
        tax_rate_delete(brand=scope.brand, rate_id=rate_id)
    except TaxRate.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(request, _("The tax rate was removed. Placed orders keep their tax."))
    return redirect("brand-settings-tax", brand=scope.brand.slug)
