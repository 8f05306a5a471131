"""Buyer App orders: the organisation's orders, an order's page and the answer to its OC."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linesheet.buyer_app.access import BuyerScope, buyer_view, render_buyer
from linesheet.buyer_app.forms import OcRejectForm, OrderFilterForm
from linesheet.buyer_app.oc_comparison import order_oc_comparison
from linesheet.buyer_app.refused import refuse, take
from linesheet.catalog.selectors import sku_line_images
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.documents.selectors import confirmation_of_order, confirmation_tax_totals
from linesheet.documents.services import confirmation_approve, confirmation_reject
from linesheet.ordering.models import Cart, Order
from linesheet.ordering.selectors import (
    order_changes_of,
    order_detail,
    orders_of_organization,
    orders_page,
)
from linesheet.ordering.statuses import OrderAction, is_allowed
from linesheet.ordering.taxes import order_tax_totals

ORDERS_PER_PAGE = 25


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
    order = _order_or_404(scope, pk)
    return render_buyer(
        request,
        scope,
        "buyer_app/order_placed.html",
        {"order": order, "order_totals": order_tax_totals(order)},
        section="orders",
    )


def _render_order(request: HttpRequest, scope: BuyerScope, order: Order) -> HttpResponse:
    """Show the order; after a refused answer to the OC, the note as typed and the refusal."""
    own = scope.organization.pk

    def related(attribute: str) -> Any:
        # A reverse one-to-one that is not set raises instead of returning None.
        try:
            other = getattr(order, attribute)
        except (Order.DoesNotExist, Cart.DoesNotExist):
            return None
        return other if other is not None and other.organization_id == own else None

    refused = take(request)
    reject_form = OcRejectForm()
    if refused is not None and refused.sent("oc_reject"):
        reject_form = refused.restore("oc_reject", OcRejectForm(refused.data))
    confirmation = confirmation_of_order(order_id=order.pk)
    lines = list(order.lines.all())
    skus = {line.sku_id for line in lines}
    if confirmation is not None:
        skus.update(line.sku_id for line in confirmation.lines.all())
    images = sku_line_images(sku_ids=skus)  # one query for every line's picture
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
            "line_rows": [(line, images.get(line.sku_id)) for line in lines],
            "comparison": order_oc_comparison(order=order, confirmation=confirmation, images=images)
            if confirmation is not None
            else None,
            "answerable": answerable,
            "order_totals": order_tax_totals(order),
            "oc_totals": confirmation_tax_totals(confirmation, currency=order.currency)
            if confirmation is not None
            else None,
            "reject_form": reject_form,
            "refusals": refused.refusals if refused is not None else [],
        },
        section="orders",
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
    here = reverse("buyer-order", args=[order.pk])
    try:
        confirmation_approve(order_id=order.pk, organization=scope.organization, actor=scope.user)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    except DomainError as error:
        return refuse(request, to=here, refusals=_refusal_messages(error))
    messages.success(
        request,
        _("You approved the OC. %(brand)s can now confirm it.") % {"brand": order.brand.name},
    )
    return redirect(here)


@require_POST
@buyer_view
def order_oc_reject(request: HttpRequest, scope: BuyerScope, pk: int) -> HttpResponse:
    """Reject the brand's OC with an optional note; the brand may then update it."""
    order = _order_or_404(scope, pk)
    here = reverse("buyer-order", args=[order.pk])
    form = OcRejectForm(request.POST)
    if not form.is_valid():
        return refuse(request, to=here, forms_sent={"oc_reject": form})
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
        return refuse(request, to=here, forms_sent={"oc_reject": form})
    except DomainError as error:
        return refuse(
            request, to=here, forms_sent={"oc_reject": form}, refusals=_refusal_messages(error)
        )
    messages.success(
        request,
        _("You rejected the OC. %(brand)s can now update it.") % {"brand": order.brand.name},
    )
    return redirect(here)
