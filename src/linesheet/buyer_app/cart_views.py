"""Buyer App carts: the Draft Order List and a cart, its edits and placing its order.

Every POST answers with a redirect: a refusal comes back on the cart's page through
`refused`, with what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.accounts.selectors import organization_addresses
from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.forms import CartDetailsForm, TakeOcQuantitiesForm
from linesheet.buyer_app.oc_comparison import cart_proposal_rows
from linesheet.buyer_app.refused import refuse, take
from linesheet.catalog.selectors import sku_line_images
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.documents.selectors import confirmation_of_order
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import Cart
from linesheet.ordering.selectors import (
    PricedCart,
    cart_get,
    cart_oc_proposals,
    cart_organization,
    cart_priced,
    cart_summaries,
)
from linesheet.ordering.services import (
    cart_delete,
    cart_gone,
    cart_save,
    cart_take_oc_quantities,
    order_place,
)
from linesheet.web.catalog_grid import catalog_closed_error
from linesheet.web.forms import QuantitiesForm, quantity_field_name
from linesheet.web.workspaces import organization_activate

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


def _cart_url(cart_id: int) -> str:
    return reverse("buyer-cart", args=[cart_id])


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


def _details_form(cart: Cart, data: QueryDict | None = None) -> CartDetailsForm:
    """Return the form of the cart's order details, starting from what the cart holds."""
    return CartDetailsForm(
        data,
        initial={name: getattr(cart, name) for name in CartDetailsForm.base_fields},
        addresses=list(organization_addresses(organization_id=cart.organization_id)),
    )


def _render_cart(request: HttpRequest, scope: BuyerScope, cart: Cart) -> HttpResponse:
    """Show the cart; after a refused POST, its forms as they were sent, with the refusals."""
    priced = cart_priced(cart=cart)
    refused = take(request)
    lines_form = _lines_form(priced)
    details_form = _details_form(cart)
    take_form: TakeOcQuantitiesForm | None = None
    if refused is not None:
        if refused.sent("lines"):
            lines_form = refused.restore("lines", _lines_form(priced, refused.data))
        if refused.sent("details"):
            details_form = refused.restore("details", _details_form(cart, refused.data))
        if refused.sent("take_oc"):
            take_form = refused.restore("take_oc", TakeOcQuantitiesForm(refused.data))
    # The brand's OC quantities beside the cart's, while they differ (a returned cart only).
    proposals = cart_oc_proposals(cart=cart) if cart.returned_by_brand else []
    confirmation = (
        confirmation_of_order(order_id=cart.source_order_id)
        if proposals and cart.source_order_id is not None
        else None
    )
    # The pictures of the lines, and of the proposals' SKUs the OC added: one query.
    images = sku_line_images(
        sku_ids=[entry.line.sku_id for entry in priced.lines]
        + [line.sku_id for line in (confirmation.lines.all() if confirmation else [])]
    )
    rows = [
        (
            entry,
            lines_form[name]
            if (name := quantity_field_name(entry.line.sku)) in lines_form.fields
            else None,
            images.get(entry.line.sku_id),
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
            "closed": catalog_closed_error(cart.catalog),
            "refusals": refused.refusals if refused is not None else [],
            "proposal_rows": cart_proposal_rows(
                proposals=proposals, priced=priced, confirmation=confirmation, images=images
            ),
            "take_form": take_form,
            "source_order": source
            if source is not None and source.organization_id == scope.organization.pk
            else None,
        },
        section="carts",
    )


@buyer_view
def cart_detail(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """The cart; a link to a cart that is gone leads to the order it became, or says why."""
    cart = cart_get(organization=scope.organization, cart_id=pk)
    if cart is None:
        return _cart_missing(request, scope, pk)
    return _render_cart(request, scope, cart)


def _cart_missing(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Answer a link to a cart the organisation no longer has, or has not, here.

    An ordered cart leads to its order; a deleted one says so. A cart of another of the user's
    organisations (a link from an email to that organisation) switches to it. Anything else is
    not found.
    """
    gone = cart_gone(organization=scope.organization, cart_id=pk)
    if gone.code == OrderErrorCode.CART_ORDERED:
        messages.info(request, gone.message)
        return redirect("buyer-order", pk=gone.params["order_id"])
    if gone.code in (OrderErrorCode.CART_DELETED, OrderErrorCode.CART_WITHDRAWN):
        return render_buyer(
            request,
            scope,
            "buyer_app/cart_gone.html",
            {"message": gone.message},
            section="carts",
            status=410,
        )
    others = [org for org in scope.workspaces.organizations if org.pk != scope.organization.pk]
    owner = cart_organization(cart_id=pk, organizations=others)
    if owner is None:
        raise Http404
    organization_activate(request, organization_id=owner.pk)
    messages.info(
        request,
        _("You are now working for %(organization)s, whose cart this is.")
        % {"organization": owner.name},
    )
    return redirect(_cart_url(pk))


def _cart_for_post(scope: BuyerScope, pk: int) -> Cart | HttpResponse:
    """Return the cart a POST is for; a cart that is gone sends the browser to its page."""
    cart = cart_get(organization=scope.organization, cart_id=pk)
    if cart is not None:
        return cart
    if cart_gone(organization=scope.organization, cart_id=pk).code == OrderErrorCode.CART_NOT_FOUND:
        raise Http404
    return redirect(_cart_url(pk))


def _cart_edits(
    request: HttpRequest, cart: Cart
) -> tuple[dict[str, CartDetailsForm | QuantitiesForm], dict[str, int], dict[str, object]]:
    """Bind the cart page's forms to the POST; return them, the changed lines and header.

    The page sends its quantities and its order details together, whichever button was
    clicked; a POST without the details (another client) leaves them alone.
    """
    lines_form = _lines_form(cart_priced(cart=cart), request.POST)
    sent: dict[str, CartDetailsForm | QuantitiesForm] = {"lines": lines_form}
    if any(name in request.POST for name in CartDetailsForm.base_fields):
        sent["details"] = _details_form(cart, request.POST)
    if not all(form.is_valid() for form in sent.values()):
        return sent, {}, {}
    details = sent.get("details")
    header = dict(details.cleaned_data) if details is not None and details.has_changed() else {}
    return sent, lines_form.quantities(), header


def _save_cart(request: HttpRequest, scope: BuyerScope, pk: int, done: str) -> HttpResponse:
    """Save what the cart page sent (quantities, order details), then show the cart again."""
    cart = _cart_for_post(scope, pk)
    if isinstance(cart, HttpResponse):
        return cart
    sent, quantities, header = _cart_edits(request, cart)
    if any(form.errors for form in sent.values()):
        return refuse(request, to=_cart_url(cart.pk), forms_sent=sent)
    if not quantities and not header:
        messages.info(request, _("Nothing changed in the cart."))
        return redirect(_cart_url(cart.pk))
    try:
        cart_save(cart=cart, quantities=quantities, header=header)
    except DomainError as error:
        _add_cart_error(sent, error)
        return refuse(request, to=_cart_url(cart.pk), forms_sent=sent)
    removed = [number for number, quantity in quantities.items() if quantity == 0]
    if len(removed) == 1 and len(quantities) == 1 and not header:
        messages.success(request, _("%(sku)s was removed.") % {"sku": removed[0]})
    else:
        messages.success(request, done)
    return redirect(_cart_url(cart.pk))


def _add_cart_error(
    sent: Mapping[str, CartDetailsForm | QuantitiesForm], error: DomainError
) -> None:
    """Put a refusal of the cart's edits on the form it is about: the lines, or the details."""
    keys = error.params.get("errors", {}) if isinstance(error, InvalidInput) else {}
    about_details = bool(keys) and all(key in CartDetailsForm.base_fields for key in keys)
    target = sent.get("details") if about_details else None
    (target or sent["lines"]).add_domain_error(error)


@require_POST
@buyer_view
def cart_lines_update(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Save the quantities typed into the cart's lines; 0, an empty input or Remove drops one."""
    return _save_cart(request, scope, pk, _("The quantities were saved."))


@require_POST
@buyer_view
def cart_details_update(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Save the cart's desired delivery date, comment and addresses."""
    return _save_cart(request, scope, pk, _("The order details were saved."))


@require_POST
@buyer_view
def cart_take_oc(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Take the brand's OC quantity into the returned cart: for one line, or for all of them."""
    cart = _cart_for_post(scope, pk)
    if isinstance(cart, HttpResponse):
        return cart
    form = TakeOcQuantitiesForm(request.POST)
    if not form.is_valid():
        return refuse(request, to=_cart_url(cart.pk), forms_sent={"take_oc": form})
    numbers = form.sku_numbers()
    try:
        cart_take_oc_quantities(cart=cart, sku_numbers=numbers)
    except DomainError as error:
        form.add_domain_error(error)
        return refuse(request, to=_cart_url(cart.pk), forms_sent={"take_oc": form})
    if numbers is None:
        messages.success(request, _("The cart now holds the brand's OC quantities."))
    else:
        messages.success(
            request, _("%(sku)s now has the brand's OC quantity.") % {"sku": numbers[0]}
        )
    return redirect(_cart_url(cart.pk))


@require_POST
@buyer_view
def cart_delete_view(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    cart = _cart_for_post(scope, pk)
    if isinstance(cart, HttpResponse):
        return cart
    cart_delete(cart=cart, deleted_by=scope.user)
    messages.success(
        request,
        _("The cart for %(catalog)s was deleted.") % {"catalog": cart.catalog.name},
    )
    return redirect("buyer-carts")


@require_POST
@buyer_view
def cart_place(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Place the order from the cart as the page shows it: unsaved edits are saved first.

    A refusal comes back on the cart's page with every reason; edits that were saved stay.
    """
    cart = _cart_for_post(scope, pk)
    if isinstance(cart, HttpResponse):
        return cart
    here = _cart_url(cart.pk)
    sent, quantities, header = _cart_edits(request, cart)
    if any(form.errors for form in sent.values()):
        return refuse(
            request,
            to=here,
            forms_sent=sent,
            refusals=[_("Correct the cart first; nothing was saved.")],
        )
    saved = bool(quantities or header)
    if saved:
        try:
            cart_save(cart=cart, quantities=quantities, header=header)
        except DomainError as error:
            _add_cart_error(sent, error)
            return refuse(
                request,
                to=here,
                forms_sent=sent,
                refusals=[_("Correct the cart first; nothing was saved.")],
            )
    try:
        order = order_place(cart_id=cart.pk, organization=scope.organization, placed_by=scope.user)
    except OrderError as error:
        if error.code in GONE:
            return redirect(here)  # ordered by a first click or a colleague, or deleted
        blockers = error.params.get("blockers") or [error.as_dict()]
        reasons = [blocker["message"] for blocker in blockers]
        if saved:
            reasons.append(_("Your changes to the cart were saved."))
        return refuse(request, to=here, refusals=reasons)
    return redirect("buyer-order-placed", pk=order.pk)


GONE = frozenset(
    {
        OrderErrorCode.CART_NOT_FOUND,
        OrderErrorCode.CART_ORDERED,
        OrderErrorCode.CART_DELETED,
        OrderErrorCode.CART_WITHDRAWN,
    }
)
