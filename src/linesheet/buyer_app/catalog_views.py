"""Buyer App catalogs: a connected brand's catalog as a gallery of products, and each
product's order grid, added to the cart."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.models import Buyer
from linesheet.accounts.selectors import buyer_for_organization
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.refused import refuse, take
from linesheet.catalog.models import Catalog, CatalogStatus
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.selectors import (
    catalog_categories,
    catalog_colors,
    catalog_gallery_products,
    catalogs_reachable_by,
    catalogs_visible_to,
    product_images_of,
    product_main_images,
)
from linesheet.core.errors import DomainError
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering.models import Cart
from linesheet.ordering.order_sheets import order_sheet_filename
from linesheet.ordering.selectors import cart_for_catalog
from linesheet.ordering.services import cart_add, order_sheet_export
from linesheet.web.catalog_grid import catalog_closed_error, product_grids
from linesheet.web.forms import GalleryFilterForm, QuantitiesForm
from linesheet.web.gallery import color_pictures, gallery_page, product_cards


def _catalog_for_buyer(scope: BuyerScope, pk: int) -> tuple[Catalog, Buyer]:
    """Return the catalog (one the organisation sees, or saw before it closed) and the
    organisation's buyer record at its brand; 404 otherwise."""
    catalog = catalogs_reachable_by(organization=scope.organization).filter(pk=pk).first()
    if catalog is None:
        raise Http404
    buyer = buyer_for_organization(brand=catalog.brand, organization=scope.organization)
    if buyer is None:  # the connection went away between the two queries
        raise Http404
    return catalog, buyer


@buyer_view
def buyer_catalog(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """A catalog's products as a gallery at this organisation's wholesale prices.

    Searched by name or model number and filtered by colour and category (the query string);
    a page of cards costs the same statements whatever its size. Each card opens the
    product's order grid.
    """
    catalog, buyer = _catalog_for_buyer(scope, pk)
    closed = catalog_closed_error(catalog)
    cart = cart_for_catalog(organization=scope.organization, catalog_id=catalog.pk)
    context: dict[str, object] = {
        "catalog": catalog,
        "buyer": buyer,
        "cart": cart,
        "closed": closed,
    }
    # A closed catalog's page only says why it takes no orders: no products, no prices.
    if catalog.status != CatalogStatus.CLOSED:
        filters = GalleryFilterForm(
            request.GET,
            colors=catalog_colors(catalog_id=catalog.pk, orderable_skus_only=True),
            categories=catalog_categories(catalog_id=catalog.pk),
        )
        page = gallery_page(
            catalog_gallery_products(
                catalog_id=catalog.pk, orderable_skus_only=True, **filters.filters()
            ),
            number=request.GET.get("page"),
        )
        products = list(page.object_list)
        context |= {
            "filters": filters,
            "page": page,
            "cards": product_cards(
                products=products,
                images=product_main_images(product_ids=[product.pk for product in products]),
                wholesale_rate=buyer.wholesale_rate,
            ),
        }
    return render_buyer(request, scope, "buyer_app/catalog_detail.html", context, section="brands")


@buyer_view
def buyer_catalog_product(
    request: HttpRequest, scope: BuyerScope, pk: int, product_id: int
) -> HttpResponse:
    """A product's size x colour grid at this organisation's wholesale prices, with its image.

    The grid shows what the organisation's cart holds; "Add to cart" opens the cart when there
    is none and sets the SKUs the buyer changed (0 removes a line).
    """
    catalog, buyer = _catalog_for_buyer(scope, pk)
    if catalog.status == CatalogStatus.CLOSED:  # its page says why; no products, no prices
        return redirect("buyer-catalog", pk=catalog.pk)
    product = (
        catalog_gallery_products(catalog_id=catalog.pk, orderable_skus_only=True)
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise Http404
    skus = list(product.skus.all())
    cart = cart_for_catalog(organization=scope.organization, catalog_id=catalog.pk)
    in_cart = {line.sku_id: line.quantity for line in cart.lines.all()} if cart else {}
    closed = catalog_closed_error(catalog)
    here = reverse("buyer-catalog-product", args=[catalog.pk, product.pk])
    if request.method == "POST":
        form = QuantitiesForm(request.POST, skus=skus, in_cart=in_cart)
        if closed is not None:
            messages.error(request, closed.message)
            return redirect(here)
        if not form.is_valid():
            return refuse(request, to=here, forms_sent={"grid": form})
        quantities = form.quantities()
        if not quantities:
            messages.info(
                request, _("Nothing changed: type quantities into the grid, then add them.")
            )
            return redirect(here)
        try:
            cart = cart_add(organization=scope.organization, catalog=catalog, quantities=quantities)
        except DomainError as error:
            form.add_domain_error(error)
            return refuse(request, to=here, forms_sent={"grid": form})
        messages.success(request, _grid_saved_message(cart, quantities))
        return redirect(here)
    refused = take(request)
    form = QuantitiesForm(refused.data if refused else None, skus=skus, in_cart=in_cart)
    if refused is not None:
        refused.restore("grid", form)
    prices = {
        sku.pk: wholesale_price(retail_price=sku.retail_price, wholesale_rate=buyer.wholesale_rate)
        for sku in skus
    }
    images = product_images_of(product_ids=[product.pk]).get(product.pk, [])
    [grid] = product_grids(products=[product], prices=prices, form=form)
    pictures = color_pictures(images, size="l")
    return render_buyer(
        request,
        scope,
        "buyer_app/catalog_product.html",
        {
            "catalog": catalog,
            "buyer": buyer,
            "cart": cart,
            "cart_quantity": sum(in_cart.values()),
            "closed": closed,
            "form": form,
            "grid": grid,
            # The main image; while a colour's row is in use, that colour's own (app.js).
            "image": images[0] if images else None,
            "rows": [(row, pictures.get(row.color)) for row in grid.rows],
        },
        section="brands",
    )


def _grid_saved_message(cart: Cart, quantities: dict[str, int]) -> str:
    removed = sum(1 for quantity in quantities.values() if quantity == 0)
    changed = len(quantities) - removed
    parts = []
    if changed:
        parts.append(
            ngettext("%(count)s SKU added or changed", "%(count)s SKUs added or changed", changed)
            % {"count": changed}
        )
    if removed:
        parts.append(
            ngettext("%(count)s SKU removed", "%(count)s SKUs removed", removed)
            % {"count": removed}
        )
    return format_html(
        '{} {} <a href="{}">{}</a>',
        _("Cart updated:"),
        ", ".join(parts) + ".",
        reverse("buyer-cart", args=[cart.pk]),
        _("View the cart"),
    )


@buyer_view
def buyer_order_sheet(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The catalog's blank order sheet (xlsx), for a catalog the organisation sees."""
    catalog = catalogs_visible_to(organization=scope.organization).filter(pk=pk).first()
    if catalog is None:
        raise Http404
    response = HttpResponse(order_sheet_export(catalog=catalog), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=order_sheet_filename(code=catalog.code)
    )
    return response
