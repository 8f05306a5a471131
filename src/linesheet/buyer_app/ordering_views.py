"""Buyer App ordering: the catalog's order grid, the Draft Order List, carts and orders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linesheet.accounts.selectors import buyer_for_organization
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.catalog_grid import product_grids
from linesheet.buyer_app.forms import (
    CartDetailsForm,
    OcRejectForm,
    OrderFilterForm,
    QuantitiesForm,
    TakeOcQuantitiesForm,
    quantity_field_name,
)
from linesheet.buyer_app.oc_comparison import cart_proposal_rows, order_oc_comparison
from linesheet.catalog.models import Catalog
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.selectors import catalog_with_products, catalogs_of_connected_brands
from linesheet.core.clock import today
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.documents.selectors import confirmation_of_order
from linesheet.documents.services import confirmation_approve, confirmation_reject
from linesheet.ordering import rules
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.selectors import (
    PricedCart,
    cart_for_catalog,
    cart_get,
    cart_oc_proposals,
    cart_priced,
    cart_summaries,
    order_changes_of,
    order_detail,
    orders_of_organization,
    orders_page,
)
from linesheet.ordering.services import (
    cart_add,
    cart_delete,
    cart_set_lines,
    cart_take_oc_quantities,
    cart_update,
    order_place,
)
from linesheet.ordering.statuses import OrderAction, is_allowed

ORDERS_PER_PAGE = 25


def _closed_error(catalog: Catalog) -> OrderError | None:
    """Say why the catalog takes no orders today, as the services would; None when it does.

    A hint for the page (no inputs, a notice); the services decide for themselves.
    """
    reason = rules.catalog_closed_reason(
        status=catalog.status, order_deadline=catalog.order_deadline, today=today()
    )
    if reason is None:
        return None
    return OrderError(
        OrderErrorCode.CATALOG_CLOSED,
        catalog=catalog.name,
        reason=str(rules.CLOSED_REASONS[reason]),
    )


# --- The catalog and its order grid ---------------------------------------------------------


@buyer_view
def buyer_catalog(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """A catalog's products as size x colour grids at this organisation's wholesale prices.

    The grid shows what the organisation's cart holds; "Add to cart" opens the cart when there
    is none and sets the SKUs the buyer changed (0 removes a line).
    """
    catalogs = catalogs_of_connected_brands(organization=scope.organization)
    catalog = (
        catalog_with_products(catalogs=catalogs, orderable_skus_only=True).filter(pk=pk).first()
    )
    if catalog is None:
        raise Http404
    buyer = buyer_for_organization(brand=catalog.brand, organization=scope.organization)
    if buyer is None:  # the connection went away between the two queries
        raise Http404
    products = list(catalog.products.all())
    skus = [sku for product in products for sku in product.skus.all()]
    cart = cart_for_catalog(organization=scope.organization, catalog_id=catalog.pk)
    in_cart = {line.sku_id: line.quantity for line in cart.lines.all()} if cart else {}
    closed = _closed_error(catalog)
    form = QuantitiesForm(request.POST or None, skus=skus, in_cart=in_cart)
    status = 200
    if request.method == "POST":
        if closed is not None:
            status = 409
        elif not form.is_valid():
            status = 400
        else:
            quantities = form.quantities()
            if not quantities:
                messages.info(
                    request, _("Nothing changed: type quantities into the grid, then add them.")
                )
                return redirect("buyer-catalog", pk=catalog.pk)
            try:
                cart = cart_add(
                    organization=scope.organization, catalog=catalog, quantities=quantities
                )
            except DomainError as error:
                form.add_domain_error(error)
                status = error.status
            else:
                messages.success(request, _grid_saved_message(cart, quantities))
                return redirect("buyer-catalog", pk=catalog.pk)
    prices = {
        sku.pk: wholesale_price(retail_price=sku.retail_price, wholesale_rate=buyer.wholesale_rate)
        for sku in skus
    }
    return render_buyer(
        request,
        scope,
        "buyer_app/catalog_detail.html",
        {
            "catalog": catalog,
            "buyer": buyer,
            "cart": cart,
            "cart_quantity": sum(in_cart.values()),
            "closed": closed,
            "form": form,
            "products": product_grids(products=products, prices=prices, form=form),
        },
        section="brands",
        status=status,
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


# --- The Draft Order List and a cart ----------------------------------------------------------


@buyer_view
def cart_list(request: HttpRequest, scope: BuyerScope) -> HttpResponse:
    """The organisation's carts (its Draft Order List), most recently changed first."""
    return render_buyer(
        request,
        scope,
        "buyer_app/cart_list.html",
        {"summaries": cart_summaries(organization=scope.organization)},
        section="carts",
    )


def _cart_or_404(scope: BuyerScope, pk: int) -> Cart:
    cart = cart_get(organization=scope.organization, cart_id=pk)
    if cart is None:
        raise Http404
    return cart


def _lines_form(priced: PricedCart, data: QueryDict | None = None) -> QuantitiesForm:
    """Return the quantities form over the cart's lines as they are now.

    A line that can no longer be ordered is locked: it keeps its quantity and can only go.
    """
    return QuantitiesForm(
        data,
        skus=[entry.line.sku for entry in priced.lines],
        in_cart={entry.line.sku_id: entry.line.quantity for entry in priced.lines},
        locked={entry.line.sku_id for entry in priced.lines if not entry.orderable},
    )


def _render_cart(
    request: HttpRequest,
    scope: BuyerScope,
    cart: Cart,
    *,
    lines_form: QuantitiesForm | None = None,
    details_form: CartDetailsForm | None = None,
    take_form: TakeOcQuantitiesForm | None = None,
    refusals: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    priced = cart_priced(cart=cart)
    # The brand's OC quantities beside the cart's, while they differ (a returned cart only).
    proposals = cart_oc_proposals(cart=cart) if cart.returned_by_brand else []
    confirmation = (
        confirmation_of_order(order_id=cart.source_order_id)
        if proposals and cart.source_order_id is not None
        else None
    )
    if lines_form is None:
        lines_form = _lines_form(priced)
    if details_form is None:
        details_form = CartDetailsForm(
            initial={
                "desired_delivery_date": cart.desired_delivery_date,
                "comment": cart.comment,
                "delivery_address": cart.delivery_address,
                "billing_address": cart.billing_address,
            }
        )
    rows = [
        (
            entry,
            lines_form[name]
            if (name := quantity_field_name(entry.line.sku)) in lines_form.fields
            else None,
        )
        for entry in priced.lines
    ]
    source = cart.source_order
    return render_buyer(
        request,
        scope,
        "buyer_app/cart_detail.html",
        {
            "cart": cart,
            "priced": priced,
            "rows": rows,
            "unorderable_count": sum(1 for entry in priced.lines if not entry.orderable),
            "lines_form": lines_form,
            "details_form": details_form,
            "closed": _closed_error(cart.catalog),
            "refusals": refusals or [],
            "proposal_rows": cart_proposal_rows(
                proposals=proposals, priced=priced, confirmation=confirmation
            ),
            "take_form": take_form,
            "source_order": source
            if source is not None and source.organization_id == scope.organization.pk
            else None,
        },
        section="carts",
        status=status,
    )


@buyer_view
def cart_detail(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    return _render_cart(request, scope, _cart_or_404(scope, pk))


@require_POST
@buyer_view
def cart_lines_update(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Save the quantities typed into the cart's lines; 0, an empty input or Remove drops one."""
    cart = _cart_or_404(scope, pk)
    form = _lines_form(cart_priced(cart=cart), request.POST)
    if form.is_valid():
        quantities = form.quantities()
        if not quantities:
            messages.info(request, _("Nothing changed in the quantities."))
            return redirect("buyer-cart", pk=cart.pk)
        try:
            cart_set_lines(cart=cart, quantities=quantities, replace=False)
        except DomainError as error:
            form.add_domain_error(error)
            return _render_cart(request, scope, cart, lines_form=form, status=error.status)
        else:
            removed = [number for number, quantity in quantities.items() if quantity == 0]
            if len(removed) == 1 and len(quantities) == 1:
                messages.success(request, _("%(sku)s was removed.") % {"sku": removed[0]})
            else:
                messages.success(request, _("The quantities were saved."))
            return redirect("buyer-cart", pk=cart.pk)
    return _render_cart(request, scope, cart, lines_form=form, status=400)


@require_POST
@buyer_view
def cart_details_update(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Save the cart's desired delivery date, comment and addresses."""
    cart = _cart_or_404(scope, pk)
    form = CartDetailsForm(request.POST)
    if form.is_valid():
        try:
            cart_update(cart=cart, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
            return _render_cart(request, scope, cart, details_form=form, status=error.status)
        else:
            messages.success(request, _("The order details were saved."))
            return redirect("buyer-cart", pk=cart.pk)
    return _render_cart(request, scope, cart, details_form=form, status=400)


@require_POST
@buyer_view
def cart_take_oc(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Take the brand's OC quantity into the returned cart: for one line, or for all of them."""
    cart = _cart_or_404(scope, pk)
    form = TakeOcQuantitiesForm(request.POST)
    if form.is_valid():
        numbers = form.sku_numbers()
        try:
            cart_take_oc_quantities(cart=cart, sku_numbers=numbers)
        except DomainError as error:
            form.add_domain_error(error)
            return _render_cart(request, scope, cart, take_form=form, status=error.status)
        if numbers is None:
            messages.success(request, _("The cart now holds the brand's OC quantities."))
        else:
            messages.success(
                request, _("%(sku)s now has the brand's OC quantity.") % {"sku": numbers[0]}
            )
        return redirect("buyer-cart", pk=cart.pk)
    return _render_cart(request, scope, cart, take_form=form, status=400)


@require_POST
@buyer_view
def cart_delete_view(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    cart = _cart_or_404(scope, pk)
    cart_delete(cart=cart)
    messages.success(
        request,
        _("The cart for %(catalog)s was deleted.") % {"catalog": cart.catalog.name},
    )
    return redirect("buyer-carts")


@require_POST
@buyer_view
def cart_place(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Place the order from the cart; show every reason it cannot be ordered yet."""
    try:
        order = order_place(cart_id=pk, organization=scope.organization, placed_by=scope.user)
    except OrderError as error:
        cart = cart_get(organization=scope.organization, cart_id=pk)
        if error.code == OrderErrorCode.CART_NOT_FOUND or cart is None:
            # Gone: ordered by a first click or a colleague, deleted, or never this org's.
            return render_buyer(
                request,
                scope,
                "buyer_app/cart_gone.html",
                {"message": error.message},
                section="carts",
                status=404,
            )
        blockers = error.params.get("blockers") or [error.as_dict()]
        return _render_cart(
            request,
            scope,
            cart,
            refusals=[blocker["message"] for blocker in blockers],
            status=409,
        )
    return redirect("buyer-order-placed", pk=order.pk)


# --- Orders -----------------------------------------------------------------------------------


@buyer_view
def order_list(request: HttpRequest, scope: BuyerScope) -> HttpResponse:
    """The organisation's orders, newest first, a page at a time, optionally by status."""
    form = OrderFilterForm(request.GET)
    page = None
    if form.is_valid():
        try:
            page = orders_page(
                orders_of_organization(
                    organization=scope.organization, status=form.cleaned_data["status"] or None
                ),
                cursor=form.cleaned_data["cursor"] or None,
                limit=ORDERS_PER_PAGE,
            )
        except InvalidInput as error:
            form.add_domain_error(error)
    chosen = form.cleaned_data.get("status") or ""

    def page_url(cursor: str | None) -> str | None:
        if cursor is None:
            return None
        query = {"status": chosen, "cursor": cursor} if chosen else {"cursor": cursor}
        return f"{reverse('buyer-orders')}?{urlencode(query)}"

    return render_buyer(
        request,
        scope,
        "buyer_app/order_list.html",
        {
            "form": form,
            "orders": page.items if page is not None else [],
            "next_url": page_url(page.next_cursor) if page else None,
            "previous_url": page_url(page.previous_cursor) if page else None,
            "chosen_status": chosen,
        },
        section="orders",
        status=200 if page is not None else 400,
    )


def _order_or_404(scope: BuyerScope, pk: int) -> Order:
    order = order_detail(
        orders=orders_of_organization(organization=scope.organization).select_related(
            "replaced_by", "returned_cart"
        ),
        order_id=pk,
    )
    if order is None:
        raise Http404
    return order


@buyer_view
def order_placed(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The confirmation after placing: the new order's code and where to find it."""
    return render_buyer(
        request,
        scope,
        "buyer_app/order_placed.html",
        {"order": _order_or_404(scope, pk)},
        section="orders",
    )


def _render_order(
    request: HttpRequest,
    scope: BuyerScope,
    order: Order,
    *,
    reject_form: OcRejectForm | None = None,
    refusals: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    own = scope.organization.pk

    def related(attribute: str) -> Any:
        # A reverse one-to-one that is not set raises instead of returning None.
        try:
            other = getattr(order, attribute)
        except (Order.DoesNotExist, Cart.DoesNotExist):
            return None
        return other if other is not None and other.organization_id == own else None

    confirmation = confirmation_of_order(order_id=order.pk)
    # The status table says whether the OC may be answered now; the OC says whether it is asked.
    answerable = (
        confirmation is not None
        and confirmation.allow_buyer_approval
        and is_allowed(order.status, OrderAction.APPROVE_OC)
    )
    return render_buyer(
        request,
        scope,
        "buyer_app/order_detail.html",
        {
            "order": order,
            "replaces": related("replaces"),
            "changes": order_changes_of(order=order, organization_id=own),
            "replaced_by": related("replaced_by"),
            "returned_cart": related("returned_cart"),
            "comparison": order_oc_comparison(order=order, confirmation=confirmation)
            if confirmation is not None
            else None,
            "answerable": answerable,
            "reject_form": reject_form or OcRejectForm(),
            "refusals": refusals or [],
        },
        section="orders",
        status=status,
    )


def _refusal_messages(error: DomainError) -> list[str]:
    """Return every message of a refusal: each blocker's, each field's, or its own."""
    if isinstance(error, InvalidInput):
        return [
            problem["message"]
            for problems in error.params.get("errors", {}).values()
            for problem in problems
        ]
    blockers = error.params.get("blockers")
    if blockers:
        return [blocker["message"] for blocker in blockers]
    return [error.message]


@buyer_view
def order_detail_page(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """One order as placed (the Original Order), its OC beside it, and the orders it replaces
    or was replaced by."""
    return _render_order(request, scope, _order_or_404(scope, pk))


@require_POST
@buyer_view
def order_oc_approve(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Approve the brand's OC, when the brand asked for approval."""
    order = _order_or_404(scope, pk)
    try:
        confirmation_approve(order_id=order.pk, organization=scope.organization, actor=scope.user)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    except DomainError as error:
        return _render_order(
            request, scope, order, refusals=_refusal_messages(error), status=error.status
        )
    messages.success(
        request,
        _("You approved the OC. %(brand)s can now confirm it.") % {"brand": order.brand.name},
    )
    return redirect("buyer-order", pk=order.pk)


@require_POST
@buyer_view
def order_oc_reject(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Reject the brand's OC with an optional note; the brand may then update it."""
    order = _order_or_404(scope, pk)
    form = OcRejectForm(request.POST)
    if not form.is_valid():
        return _render_order(request, scope, order, reject_form=form, status=400)
    try:
        confirmation_reject(
            order_id=order.pk,
            organization=scope.organization,
            actor=scope.user,
            note=form.cleaned_data["note"],
        )
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    except InvalidInput as error:
        form.add_domain_error(error)
        return _render_order(request, scope, order, reject_form=form, status=error.status)
    except DomainError as error:
        return _render_order(
            request,
            scope,
            order,
            reject_form=form,
            refusals=_refusal_messages(error),
            status=error.status,
        )
    messages.success(
        request,
        _("You rejected the OC. %(brand)s can now update it.") % {"brand": order.brand.name},
    )
    return redirect("buyer-order", pk=order.pk)
