"""Brand App catalogs: list, create and edit catalogs; their products as a gallery, each
product's page with its SKUs; add products with their SKUs."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import BaseSkuFormSet, CatalogForm, ProductForm, SkuFormSet
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import (
    catalog_access_summary,
    catalog_categories,
    catalog_colors,
    catalog_gallery_products,
    catalog_get_for_brand,
    catalogs_of_brand,
    product_images_of,
    product_main_images,
)
from linesheet.catalog.services import catalog_create, product_create
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.ordering.services import catalog_change
from linesheet.web.forms import GalleryFilterForm
from linesheet.web.gallery import gallery_page, product_cards


@brand_view()
def catalog_list(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    catalogs = list(catalogs_of_brand(brand=scope.brand))
    return render_brand(
        request, scope, "brand_app/catalog_list.html", {"catalogs": catalogs}, section="catalogs"
    )


@brand_view(Permission.CATALOG_WRITE, form_only=True)
def catalog_new(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    form = CatalogForm(
        request.POST or None,
        initial={"currency": scope.brand.default_currency},
        brand=scope.brand,
    )
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
    """The catalog's products as a gallery, searched and filtered like the buyer's; each card
    opens the product's page with its SKUs."""
    catalog = catalogs_of_brand(brand=scope.brand).filter(pk=pk).first()
    if catalog is None:
        raise Http404
    filters = GalleryFilterForm(
        request.GET,
        colors=catalog_colors(catalog_id=catalog.pk),
        categories=catalog_categories(catalog_id=catalog.pk),
    )
    page = gallery_page(
        catalog_gallery_products(catalog_id=catalog.pk, **filters.filters()),
        number=request.GET.get("page"),
    )
    products = list(page.object_list)
    return render_brand(
        request,
        scope,
        "brand_app/catalog_detail.html",
        {
            "catalog": catalog,
            "filters": filters,
            "page": page,
            "cards": product_cards(
                products=products,
                images=product_main_images(product_ids=[product.pk for product in products]),
            ),
            "access": catalog_access_summary(catalog=catalog),
        },
        section="catalogs",
    )


@brand_view()
def product_detail(
    request: HttpRequest, scope: BrandScope, pk: int, product_id: int
) -> HttpResponse:
    """A product of the catalog: its image and its SKUs, discontinued ones too."""
    catalog = _catalog_or_404(scope, pk)
    product = catalog_gallery_products(catalog_id=catalog.pk).filter(pk=product_id).first()
    if product is None:
        raise Http404
    images = product_images_of(product_ids=[product.pk]).get(product.pk, [])
    [card] = product_cards(products=[product], images={product.pk: images[0]} if images else {})
    return render_brand(
        request,
        scope,
        "brand_app/product_detail.html",
        {"catalog": catalog, "product": product, "card": card, "images": images},
        section="catalogs",
    )


@brand_view(Permission.CATALOG_WRITE, form_only=True)
def catalog_edit(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    catalog = _catalog_or_404(scope, pk)
    initial = {name: getattr(catalog, name) for name in CatalogForm.base_fields}
    form = CatalogForm(request.POST or None, initial=initial, brand=scope.brand)
    if request.method == "POST" and form.is_valid():
        try:
            catalog = catalog_change(catalog=catalog, actor=scope.user, **form.cleaned_data)
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


@brand_view(Permission.CATALOG_WRITE, form_only=True)
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
                category=form.cleaned_data["category"],
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
            return redirect(
                "brand-product-detail",
                brand=scope.brand.slug,
                pk=catalog.pk,
                product_id=product.pk,
            )
    return render_brand(
        request,
        scope,
        "brand_app/product_form.html",
        {"catalog": catalog, "form": form, "formset": formset, "sku_errors": sku_errors},
        section="catalogs",
    )
