"""Brand App pages: parse the input, call one service, show its result or its refusal."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.models import Buyer, Invitation
from linesheet.accounts.selectors import (
    buyer_get_for_brand,
    buyers_of_brand,
    invitations_of_brand,
    invitations_of_buyer,
)
from linesheet.accounts.services import (
    brand_set_time_zone,
    buyer_create_offline,
    invitation_create,
)
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import (
    BaseSkuFormSet,
    BrandTimeZoneForm,
    CatalogForm,
    InvitationForm,
    OfflineBuyerForm,
    OrderFilterForm,
    OrderNumberingForm,
    ProductForm,
    SkuFormSet,
    brand_terms,
)
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import (
    catalog_get_for_brand,
    catalog_with_products,
    catalogs_of_brand,
)
from linesheet.catalog.services import catalog_create, catalog_update, product_create
from linesheet.core import clock
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.time_zones import time_zone_label
from linesheet.core.url_converters import id_of
from linesheet.notifications.services import absolute_url
from linesheet.ordering.models import OrderNumbering, Tag
from linesheet.ordering.numbering import order_code_format, order_numbering_update
from linesheet.ordering.selectors import (
    OrderFilters,
    order_numbering_get,
    orders_count,
    orders_of_brand,
    orders_page,
)

ORDERS_PER_PAGE = 50
# The list says how many orders match, counting no further than this ("more than 1,000").
ORDER_COUNT_CAP = 1_000


@brand_view()
def brand_home(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    return redirect("brand-orders", brand=scope.brand.slug)


# --- Transactions: Order Management --------------------------------------------------------


@brand_view()
def order_list(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """Order Management: the brand's orders, newest first, filtered, one keyset page at a time."""
    form = OrderFilterForm(request.GET or None, brand=scope.brand)
    page, count = None, 0
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else OrderFilters()
        # The rows show their tags: one query for the whole page, whatever its size.
        orders = orders_of_brand(brand=scope.brand, filters=filters).prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name"))
        )
        cursor = request.GET.get("cursor") or None
        try:
            page = orders_page(orders, cursor=cursor, limit=ORDERS_PER_PAGE)
        except InvalidInput:
            # A cursor only comes from our own "Next page" link: an edited or truncated one
            # is no reason to fail, so start again from the top.
            messages.warning(
                request, _("That page link is not valid any more, so this is the first page.")
            )
            cursor = None
            page = orders_page(orders, cursor=None, limit=ORDERS_PER_PAGE)
        if page.items:
            count = orders_count(orders, cap=ORDER_COUNT_CAP)
        filtered = form.is_bound and any(
            value not in (None, "") for value in form.cleaned_data.values()
        )
    else:
        cursor, filtered = None, True
    return render_brand(
        request,
        scope,
        "brand_app/order_list.html",
        {
            "form": form,
            "page": page,
            "cursor": cursor,
            "filtered": filtered,
            "count": min(count, ORDER_COUNT_CAP),
            "count_capped": count > ORDER_COUNT_CAP,
        },
        section="orders",
    )


# --- Settings ---------------------------------------------------------------------------------


def _numbering_initial(numbering: OrderNumbering) -> dict[str, Any]:
    return {name: getattr(numbering, name) for name in OrderNumberingForm.base_fields}


@brand_view(manages=True)
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


@brand_view(manages=True)
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


def _read_only_unless_manager(form: Form, scope: BrandScope) -> None:
    """Show a settings form to staff and viewers with every field disabled."""
    if not scope.can_manage:
        for field in form.fields.values():
            field.disabled = True


def _next_code(numbering: OrderNumbering) -> str:
    return order_code_format(numbering=numbering, value=numbering.next_value, today=clock.today())


# --- Buyers ---------------------------------------------------------------------------------


@brand_view()
def buyer_list(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    buyers = list(buyers_of_brand(brand=scope.brand))
    return render_brand(
        request, scope, "brand_app/buyer_list.html", {"buyers": buyers}, section="buyers"
    )


@brand_view(writes=True)
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


@brand_view()
def buyer_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    buyer = _buyer_or_404(scope, pk)
    return render_brand(
        request,
        scope,
        "brand_app/buyer_detail.html",
        {
            "buyer": buyer,
            "invitations": list(invitations_of_buyer(buyer=buyer)),
            "now": timezone.now(),
        },
        section="buyers",
    )


def _accept_url(invitation: Invitation) -> str:
    """Return the link exactly as the invitation email carries it."""
    return absolute_url(reverse("invitation-accept", args=[invitation.token]))


@brand_view(writes=True)
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


# --- Catalogs -------------------------------------------------------------------------------


@brand_view()
def catalog_list(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    catalogs = list(catalogs_of_brand(brand=scope.brand))
    return render_brand(
        request, scope, "brand_app/catalog_list.html", {"catalogs": catalogs}, section="catalogs"
    )


@brand_view(writes=True)
def catalog_new(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    form = CatalogForm(request.POST or None, initial={"currency": scope.brand.default_currency})
    if request.method == "POST" and form.is_valid():
        try:
            catalog = catalog_create(brand=scope.brand, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Catalog %(code)s was created.") % {"code": catalog.code})
            return redirect("brand-catalog-detail", brand=scope.brand.slug, pk=catalog.pk)
    return render_brand(
        request,
        scope,
        "brand_app/catalog_form.html",
        {"form": form, "catalog": None},
        section="catalogs",
    )


def _catalog_or_404(scope: BrandScope, pk: int) -> Catalog:
    catalog = catalog_get_for_brand(brand=scope.brand, catalog_id=pk)
    if catalog is None:
        raise Http404
    return catalog


@brand_view()
def catalog_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    catalog = (
        catalog_with_products(catalogs=catalogs_of_brand(brand=scope.brand)).filter(pk=pk).first()
    )
    if catalog is None:
        raise Http404
    return render_brand(
        request,
        scope,
        "brand_app/catalog_detail.html",
        {"catalog": catalog, "products": list(catalog.products.all())},
        section="catalogs",
    )


@brand_view(writes=True)
def catalog_edit(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    catalog = _catalog_or_404(scope, pk)
    initial = {name: getattr(catalog, name) for name in CatalogForm.base_fields}
    form = CatalogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog = catalog_update(catalog=catalog, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Catalog %(code)s was saved.") % {"code": catalog.code})
            return redirect("brand-catalog-detail", brand=scope.brand.slug, pk=catalog.pk)
    return render_brand(
        request,
        scope,
        "brand_app/catalog_form.html",
        {"form": form, "catalog": catalog},
        section="catalogs",
    )


@brand_view(writes=True)
def product_new(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    catalog = _catalog_or_404(scope, pk)
    data = request.POST if request.method == "POST" else None
    form = ProductForm(data)
    formset = cast(BaseSkuFormSet, SkuFormSet(data, prefix="skus"))
    sku_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            product = product_create(
                catalog=catalog,
                model_number=form.cleaned_data["model_number"],
                name=form.cleaned_data["name"],
                skus=formset.sku_inputs(),
            )
        except InvalidInput as error:
            # "skus" problems are about the rows as a whole: shown above the SKU table.
            problems = dict(error.params.get("errors", {}))
            sku_errors = [problem["message"] for problem in problems.pop("skus", [])]
            if problems:
                form.add_domain_error(InvalidInput(problems))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            count = len(formset.sku_inputs())
            messages.success(
                request,
                ngettext(
                    "%(model)s was added with %(count)d SKU.",
                    "%(model)s was added with %(count)d SKUs.",
                    count,
                )
                % {"model": product.model_number, "count": count},
            )
            return redirect("brand-catalog-detail", brand=scope.brand.slug, pk=catalog.pk)
    return render_brand(
        request,
        scope,
        "brand_app/product_form.html",
        {"catalog": catalog, "form": form, "formset": formset, "sku_errors": sku_errors},
        section="catalogs",
    )
