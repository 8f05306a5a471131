"""Brand App: who sees the brand's limited catalogs — buyer groups and each catalog's list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyers_of_brand
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.access_forms import BuyerGroupForm, BuyerGroupNewForm, CatalogAccessForm
from linesheet.catalog.models import BuyerGroup, Catalog
from linesheet.catalog.selectors import (
    access_history_of_brand,
    buyer_group_get_for_brand,
    buyer_groups_of_brand,
    catalog_access_history,
    catalog_access_summary,
    catalog_get_for_brand,
)
from linesheet.core.errors import DomainError
from linesheet.ordering.services import (
    WithdrawnCart,
    buyer_group_create,
    buyer_group_delete,
    buyer_group_update,
    catalog_access_set,
)

HISTORY_ROWS = 50


def _ended_message(ended: list[WithdrawnCart]) -> str:
    return ngettext(
        "%(count)s open cart ended (%(organizations)s); the buyer was told by email.",
        "%(count)s open carts ended (%(organizations)s); the buyers were told by email.",
        len(ended),
    ) % {
        "count": len(ended),
        "organizations": ", ".join(sorted({cart.organization_name for cart in ended})),
    }


@brand_view(Permission.BUYER_WRITE)
def buyer_groups(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    """The brand's buyer groups; a writer creates one here."""
    form = BuyerGroupNewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                group = buyer_group_create(
                    brand=scope.brand, name=form.cleaned_data["name"], actor=scope.user
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request,
                    _("The group %(name)s was created: choose its buyers.") % {"name": group.name},
                )
                return redirect("brand-buyer-group", brand=scope.brand.slug, pk=group.pk)
    return render_brand(
        request,
        scope,
        "brand_app/buyer_groups.html",
        {
            "groups": list(buyer_groups_of_brand(brand=scope.brand)),
            "form": form,
            "history": list(access_history_of_brand(brand=scope.brand)[:HISTORY_ROWS]),
        },
        section="buyers",
        status=status,
    )


def _group_or_404(scope: BrandScope, pk: int) -> BuyerGroup:
    group = buyer_group_get_for_brand(brand=scope.brand, group_id=pk)
    if group is None:
        raise Http404
    return group


@brand_view(Permission.BUYER_WRITE)
def buyer_group_detail(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """A group: rename it and choose its buyers; the catalogs it opens."""
    group = _group_or_404(scope, pk)
    buyers = list(buyers_of_brand(brand=scope.brand))
    initial = {"name": group.name, "buyers": list(group.buyers.values_list("pk", flat=True))}
    form = BuyerGroupForm(request.POST or None, initial=initial, buyers=buyers)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ended = buyer_group_update(
                    group=group,
                    actor=scope.user,
                    name=form.cleaned_data["name"],
                    buyer_ids=form.cleaned_data["buyers"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("The group was saved."))
                if ended:
                    messages.warning(request, _ended_message(ended))
                return redirect("brand-buyer-group", brand=scope.brand.slug, pk=group.pk)
    return render_brand(
        request,
        scope,
        "brand_app/buyer_group.html",
        {
            "group": group,
            "form": form,
            "catalogs": list(group.catalogs.order_by("name")),
        },
        section="buyers",
        status=status,
    )


@require_POST
@brand_view(Permission.BUYER_WRITE, form_only=True)
def buyer_group_delete_view(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """Delete the group; catalogs lose it from their access lists."""
    group = _group_or_404(scope, pk)
    ended = buyer_group_delete(group=group, actor=scope.user)
    messages.success(request, _("The group %(name)s was deleted.") % {"name": group.name})
    if ended:
        messages.warning(request, _ended_message(ended))
    return redirect("brand-buyer-groups", brand=scope.brand.slug)


def _catalog_or_404(scope: BrandScope, pk: int) -> Catalog:
    catalog = catalog_get_for_brand(brand=scope.brand, catalog_id=pk)
    if catalog is None:
        raise Http404
    return catalog


@brand_view(Permission.CATALOG_WRITE)
def catalog_access(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """Who sees the catalog when it is limited: its groups and buyers, and the history."""
    catalog = _catalog_or_404(scope, pk)
    initial = {
        "groups": list(catalog.access_groups.values_list("pk", flat=True)),
        "buyers": list(catalog.access_buyers.values_list("pk", flat=True)),
    }
    form = CatalogAccessForm(
        request.POST or None,
        initial=initial,
        buyers=list(buyers_of_brand(brand=scope.brand)),
        groups=list(buyer_groups_of_brand(brand=scope.brand)),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ended = catalog_access_set(
                    catalog=catalog,
                    buyer_ids=form.cleaned_data["buyers"],
                    group_ids=form.cleaned_data["groups"],
                    actor=scope.user,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("The access list was saved."))
                if ended:
                    messages.warning(request, _ended_message(ended))
                return redirect("brand-catalog-access", brand=scope.brand.slug, pk=catalog.pk)
    return render_brand(
        request,
        scope,
        "brand_app/catalog_access.html",
        {
            "catalog": catalog,
            "form": form,
            "summary": catalog_access_summary(catalog=catalog),
            "history": list(catalog_access_history(catalog=catalog)[:HISTORY_ROWS]),
        },
        section="catalogs",
        status=status,
    )
