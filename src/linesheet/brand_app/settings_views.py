"""Brand App settings: the order numbering rule, the brand's time zone and its logo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from linesheet.accounts.logos import brand_logo_remove, brand_logo_set
from linesheet.accounts.permissions import Permission
from linesheet.accounts.services import brand_set_time_zone
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import BrandTimeZoneForm, OrderNumberingForm
from linesheet.brand_app.image_forms import BrandLogoForm
from linesheet.core import clock
from linesheet.core.errors import DomainError
from linesheet.core.time_zones import time_zone_label
from linesheet.core.uploads import upload_limit
from linesheet.ordering.models import OrderNumbering
from linesheet.ordering.numbering import order_code_format, order_numbering_update
from linesheet.ordering.selectors import order_numbering_get


def _numbering_initial(numbering: OrderNumbering) -> dict[str, Any]:
    return {name: getattr(numbering, name) for name in OrderNumberingForm.base_fields}


@brand_view(Permission.SETTINGS_MANAGE)
def numbering_settings(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's order numbering rule with the next code it will issue."""
    numbering = order_numbering_get(brand=scope.brand)
    today = clock.today()
    form = OrderNumberingForm(
        request.POST or None, initial=_numbering_initial(numbering), today=today
    )
    if request.method == "POST" and form.is_valid():
        try:
            numbering = order_numbering_update(brand=scope.brand, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The numbering rule was saved. The next order code is %(code)s.")
                % {"code": _next_code(numbering)},
            )
            return redirect("brand-settings-numbering", brand=scope.brand.slug)
    _read_only_unless_manager(form, scope)
    return render_brand(
        request,
        scope,
        "brand_app/settings_numbering.html",
        {
            "form": form,
            "numbering": numbering,
            "next_code": _next_code(numbering),
            # What each date prefix looks like today, for the live preview.
            "preview": {
                "next_value": numbering.next_value,
                "dates": {
                    value: today.strftime(value) if value else ""
                    for value in OrderNumbering.DateFormat.values
                },
            },
        },
        section="settings",
    )


@brand_view(Permission.SETTINGS_MANAGE)
def time_zone_settings(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's time zone: its staff's times (unless they chose their own) and documents'."""
    form = BrandTimeZoneForm(request.POST or None, initial={"time_zone": scope.brand.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            brand_set_time_zone(brand=scope.brand, time_zone=form.cleaned_data["time_zone"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The time zone was saved."))
            return redirect("brand-settings-time-zone", brand=scope.brand.slug)
    _read_only_unless_manager(form, scope)
    return render_brand(
        request,
        scope,
        "brand_app/settings_time_zone.html",
        {"form": form, "zone": time_zone_label(scope.brand.time_zone)},
        section="settings",
        status=400 if form.is_bound and form.errors else 200,
    )


def _image_limit() -> int:
    return settings.IMAGE_UPLOAD_MAX_BYTES


@upload_limit(_image_limit)
@brand_view(Permission.SETTINGS_MANAGE)
def logo_settings(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's logo: on its pages and its papers; upload one, replace it or remove it."""
    form = BrandLogoForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and "remove" in request.POST:
        brand_logo_remove(brand=scope.brand, actor=scope.user)
        messages.success(request, _("The logo was removed."))
        return redirect("brand-settings-logo", brand=scope.brand.slug)
    if request.method == "POST" and form.is_valid():
        try:
            brand_logo_set(brand=scope.brand, file=form.cleaned_data["logo"], actor=scope.user)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The logo was saved."))
            return redirect("brand-settings-logo", brand=scope.brand.slug)
    _read_only_unless_manager(form, scope)
    return render_brand(
        request,
        scope,
        "brand_app/settings_logo.html",
        {"form": form},
        section="settings",
        status=400 if form.is_bound and form.errors else 200,
    )


def _read_only_unless_manager(form: Form, scope: BrandScope) -> None:
    """Show a settings form to staff and viewers with every field disabled."""
    if not scope.can_manage:
        for field in form.fields.values():
            field.disabled = True


def _next_code(numbering: OrderNumbering) -> str:
    return order_code_format(numbering=numbering, value=numbering.next_value, today=clock.today())
