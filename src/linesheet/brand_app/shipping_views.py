"""Brand App settings: the brand's shipping groups, their rates and amount bands."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.models import ShippingGroup
from linesheet.accounts.permissions import Permission
from linesheet.accounts.shipping import (
    shipping_group_create,
    shipping_group_delete,
    shipping_group_update,
)
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.shipping_forms import ShippingGroupForm
from linesheet.core.errors import DomainError


def _group_or_404(scope: BrandScope, group_id: int) -> ShippingGroup:
    group = ShippingGroup.objects.filter(brand=scope.brand, pk=group_id).first()
    if group is None:
        raise Http404
    return group


def _disabled_unless_manager(scope: BrandScope, form: ShippingGroupForm) -> ShippingGroupForm:
    if not scope.can_manage:
        for field in form.fields.values():
            field.disabled = True
    return form


@brand_view(Permission.SETTINGS_MANAGE)
def shipping_settings(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's shipping groups, and a form to add one."""
    form = ShippingGroupForm(
        request.POST or None, initial={"currency": scope.brand.default_currency}
    )
    if request.method == "POST" and form.is_valid():
        try:
            shipping_group_create(brand=scope.brand, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The shipping group was added."))
            return redirect("brand-settings-shipping", brand=scope.brand.slug)
    return render_brand(
        request,
        scope,
        "brand_app/settings_shipping.html",
        {
            "form": _disabled_unless_manager(scope, form),
            "groups": list(
                ShippingGroup.objects.filter(brand=scope.brand).prefetch_related(
                    "rates", "catalogs"
                )
            ),
        },
        section="settings",
        status=400 if form.is_bound and form.errors else 200,
    )


@brand_view(Permission.SETTINGS_MANAGE)
def shipping_group_edit(
    request: HttpRequest, scope: BrandScope, shipping_group_id: int
) -> HttpResponse:
    """Change a group's name, currency and rates; placed orders keep their fee."""
    group = _group_or_404(scope, shipping_group_id)
    form = ShippingGroupForm(request.POST or None, initial=ShippingGroupForm.initial_of(group))
    if request.method == "POST" and form.is_valid():
        try:
            shipping_group_update(group=group, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The shipping group was saved."))
            return redirect("brand-settings-shipping", brand=scope.brand.slug)
    return render_brand(
        request,
        scope,
        "brand_app/settings_shipping_group.html",
        {"form": _disabled_unless_manager(scope, form), "group": group},
        section="settings",
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@brand_view(Permission.SETTINGS_MANAGE, form_only=True)
def shipping_group_remove(
    request: HttpRequest, scope: BrandScope, shipping_group_id: int
) -> HttpResponse:
    shipping_group_delete(group=_group_or_404(scope, shipping_group_id))
    messages.success(
        request, _("The shipping group was removed: its catalogs charge no fee from now on.")
    )
    return redirect("brand-settings-shipping", brand=scope.brand.slug)
