"""Proxy orders: brand staff order for a buyer (connected or offline) from a catalog's grid."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linesheet.accounts.models import Buyer
from linesheet.accounts.permissions import Permission
from linesheet.accounts.selectors import buyer_get_for_brand
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.route_forms import OrderHeaderForm
from linesheet.catalog.models import Catalog
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.selectors import (
    catalog_with_products,
    catalogs_of_brand,
    product_main_images,
)
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.url_converters import id_of
from linesheet.ordering.models import OrderRoute
from linesheet.ordering.services import lines_resolve, order_place_for_buyer
from linesheet.web.catalog_grid import catalog_closed_error, product_grids
from linesheet.web.forms import QuantitiesForm


def _buyer_or_404(scope: BrandScope, pk: int) -> Buyer:
    buyer = buyer_get_for_brand(brand=scope.brand, buyer_id=pk)
    if buyer is None:
        raise Http404
    return buyer


def _catalog_id(request: HttpRequest) -> int | None:
    return id_of(request.GET.get("catalog", ""))


def _field_errors(error: DomainError) -> dict[str, list[dict[str, str]]]:
    return dict(error.params.get("errors", {})) if isinstance(error, InvalidInput) else {}


def _show_errors(
    error: DomainError, *, quantities: QuantitiesForm, header: OrderHeaderForm | None
) -> None:
    """Put each refusal where it is fixed: a line's on its grid cell, the header's on its field."""
    if not isinstance(error, InvalidInput):
        quantities.add_domain_error(error)
        return
    found = _field_errors(error)
    lines = {key: problems for key, problems in found.items() if key.startswith("lines.")}
    others = {key: problems for key, problems in found.items() if key not in lines}
    if lines:
        quantities.add_domain_error(InvalidInput(lines))
    if others and header is not None:
        header.add_domain_error(InvalidInput(others))


def _check_lines(catalog: Catalog, quantities: QuantitiesForm) -> None:
    """Show the other cells' problems too when the form stops short of placing the order.

    A cell that is no whole number stops the form; the lines that are numbers are checked as
    placing would check them (nothing is written), so every bad cell shows at once.
    """
    lines = quantities.quantities()
    if not lines:
        return
    try:
        lines_resolve(catalog=catalog, quantities=lines, allow_zero=False)
    except InvalidInput as error:
        _show_errors(error, quantities=quantities, header=None)


@brand_view(Permission.ORDER_WRITE, form_only=True)
def buyer_order(request: HttpRequest, scope: BrandScope, pk: int) -> HttpResponse:
    """Place an order on the buyer's behalf: choose a catalog, fill its grid, place it.

    A refused order keeps everything typed, with each bad line's message on its own cell.
    """
    buyer = _buyer_or_404(scope, pk)
    catalog_id = _catalog_id(request)
    if catalog_id is None:
        catalogs = list(catalogs_of_brand(brand=scope.brand))
        return render_brand(
            request,
            scope,
            "brand_app/proxy_order.html",
            {
                "buyer": buyer,
                "catalogs": [(catalog, catalog_closed_error(catalog)) for catalog in catalogs],
            },
            section="buyers",
        )
    catalog = (
        catalog_with_products(
            catalogs=catalogs_of_brand(brand=scope.brand).filter(pk=catalog_id),
            orderable_skus_only=True,
        )
        .select_related("brand")
        .first()
    )
    if catalog is None:
        raise Http404
    products = list(catalog.products.all())
    skus = [sku for product in products for sku in product.skus.all()]
    closed = catalog_closed_error(catalog)
    data = request.POST if request.method == "POST" else None
    quantities = QuantitiesForm(data, skus=skus, in_cart={})
    header = OrderHeaderForm(data, buyer=buyer)
    status = 200
    if request.method == "POST":
        status = 409 if closed is not None else 400
        valid = closed is None and all([quantities.is_valid(), header.is_valid()])
        if closed is None and not valid:
            _check_lines(catalog, quantities)
        if valid:
            lines = quantities.quantities()
            if not lines:
                quantities.add_error(None, _("Type a quantity for at least one SKU."))
            else:
                try:
                    order = order_place_for_buyer(
                        buyer=buyer,
                        catalog=catalog,
                        quantities=lines,
                        header=header.header(),
                        placed_by=scope.user,
                        route=OrderRoute.PROXY,
                    )
                except DomainError as error:
                    _show_errors(error, quantities=quantities, header=header)
                    if not any(key.startswith("lines.") for key in _field_errors(error)):
                        _check_lines(catalog, quantities)  # placing stopped before the lines
                    status = error.status
                else:
                    messages.success(
                        request,
                        ngettext(
                            "Order %(code)s was placed for %(buyer)s with %(count)d line.",
                            "Order %(code)s was placed for %(buyer)s with %(count)d lines.",
                            order.line_count,
                        )
                        % {"code": order.code, "buyer": buyer.name, "count": order.line_count},
                    )
                    return redirect("brand-order-detail", brand=scope.brand.slug, code=order.code)
    prices = {
        sku.pk: wholesale_price(retail_price=sku.retail_price, wholesale_rate=buyer.wholesale_rate)
        for sku in skus
    }
    return render_brand(
        request,
        scope,
        "brand_app/proxy_order.html",
        {
            "buyer": buyer,
            "catalog": catalog,
            "closed": closed,
            "form": quantities,
            "header_form": header,
            "products": product_grids(
                products=products,
                prices=prices,
                form=quantities,
                images=product_main_images(product_ids=[product.pk for product in products]),
            ),
        },
        section="buyers",
        status=status,
    )
