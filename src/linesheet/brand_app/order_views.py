"""The Brand App's orders: Order Management (the list), the order page and its operations.

Parse the input, call one service, show the result (after a redirect) or the refusal on the form
that was sent, with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from linesheet.accounts.models import User
from linesheet.accounts.permissions import Permission
from linesheet.brand_app.access import BrandScope, brand_view, render_brand
from linesheet.brand_app.forms import OrderFilterForm
from linesheet.brand_app.order_actions import OrderPage, delete_key, order_page, status_reason
from linesheet.brand_app.order_forms import (
    ConfirmationForm,
    DeliveryNoteForm,
    InvoiceForm,
    NotifyMixin,
    PartnerSlipForm,
    TagsForm,
)
from linesheet.brand_app.order_page import line_skus, oc_rows
from linesheet.brand_app.timeline import order_timeline
from linesheet.catalog.models import ProductImage
from linesheet.catalog.selectors import catalog_with_products, catalogs_of_brand, sku_line_images
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.documents import services as documents
from linesheet.documents.errors import DocumentErrorCode
from linesheet.documents.models import DeliveryNote, OrderConfirmation
from linesheet.documents.selectors import confirmation_of_order, confirmation_tax_totals
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order, Tag
from linesheet.ordering.selectors import (
    OrderFilters,
    order_changes_of,
    order_of_brand,
    orders_count,
    orders_of_brand,
    orders_page,
)
from linesheet.ordering.statuses import OrderAction, is_allowed
from linesheet.ordering.taxes import order_tax_totals

# --- Order Management -------------------------------------------------------------------------

ORDERS_PER_PAGE = 50
# The list says how many orders match, counting no further than this ("more than 1,000").
ORDER_COUNT_CAP = 1_000


@brand_view()
def brand_home(request: HttpRequest, scope: BrandScope) -> HttpResponse:
    return redirect("brand-orders", brand=scope.brand.slug)


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


# --- The order page ---------------------------------------------------------------------------

A = OrderAction


def _order_or_404(scope: BrandScope, code: str) -> Order:
    order = order_of_brand(brand=scope.brand, code=code)
    if order is None:
        raise Http404
    return order


def _page_url(order: Order, anchor: str = "") -> str:
    url = reverse("brand-order-detail", args=[order.brand.slug, order.code])
    return f"{url}#{anchor}" if anchor else url


def _render_order(
    request: HttpRequest, scope: BrandScope, page: OrderPage, *, status: int = 200
) -> HttpResponse:
    order = page.order
    try:
        replaced_by: Order | None = order.replaced_by
    except Order.DoesNotExist:
        replaced_by = None
    return render_brand(
        request,
        scope,
        "brand_app/order_detail.html",
        {
            "order": order,
            "page": page,
            "lines": page.lines,
            "replaced_by": replaced_by,
            "changes": order_changes_of(order=order),
            "timeline": order_timeline(order.events.all()),
            "order_totals": order_tax_totals(order),
            "oc_totals": confirmation_tax_totals(page.confirmation, currency=order.currency)
            if page.confirmation is not None
            else None,
        },
        section="orders",
        status=status,
    )


@brand_view()
def order_detail(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    order = _order_or_404(scope, code)
    return _render_order(request, scope, order_page(order=order, can_write=scope.can_write))


def notified(form: NotifyMixin) -> str:
    """Say whether the buyer hears about the change."""
    if form.cleaned_data["notify"]:
        return _("The buyer will get an email about it.")
    return _("The buyer was not emailed.")


# --- Operations on the order page ---------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """Call one service with the parsed form; return the success message."""

    run: Callable[[Any, OrderPage, User], str]
    anchor: str = "actions"


def _confirm(form: Any, page: OrderPage, actor: User) -> str:
    documents.confirmation_confirm(order_id=page.order.pk, actor=actor, **form.notification())
    return f"{_('The OC was confirmed.')} {notified(form)}"


def _reopen(form: Any, page: OrderPage, actor: User) -> str:
    documents.confirmation_reopen(order_id=page.order.pk, actor=actor, **form.notification())
    return f"{_('The OC is editable again.')} {notified(form)}"


def _reject(form: Any, page: OrderPage, actor: User) -> str:
    ordering.order_reject(order_id=page.order.pk, actor=actor, **form.notification())
    return f"{_('The order was rejected.')} {notified(form)}"


def _archive(form: Any, page: OrderPage, actor: User) -> str:
    ordering.order_archive(order_id=page.order.pk, actor=actor)
    return _("The order was archived. Order Management lists it under the “Archived” filter.")


def _set_tags(form: TagsForm, page: OrderPage, actor: User) -> str:
    tags = ordering.order_set_tags(order_id=page.order.pk, actor=actor, names=form.names())
    if not tags:
        return _("The order has no tags now.")
    return _("Tags saved: %(tags)s.") % {"tags": ", ".join(tag.name for tag in tags)}


def _backlog(form: Any, page: OrderPage, actor: User) -> str:
    backlog = documents.backlog_skus_create(order_id=page.order.pk, actor=actor)
    return _("Backlog SKUs %(number)s were created.") % {"number": backlog.number}


def _delivery_note(form: DeliveryNoteForm, page: OrderPage, actor: User) -> str:
    note = documents.delivery_note_create(
        order_id=page.order.pk, actor=actor, quantities=form.quantities()
    )
    return _("Delivery note %(number)s was created.") % {"number": note.number}


def _invoice(form: InvoiceForm, page: OrderPage, actor: User) -> str:
    invoice = documents.invoice_create(
        order_id=page.order.pk, actor=actor, delivery_note_ids=form.delivery_note_ids()
    )
    return _("Invoice %(number)s was created.") % {"number": invoice.number}


def _partner_slip(form: PartnerSlipForm, page: OrderPage, actor: User) -> str:
    slip = documents.partner_inventory_slip_create(
        order_id=page.order.pk, actor=actor, partner=form.cleaned_data["partner"]
    )
    return _("Partner-inventory transfer slip %(number)s was created.") % {"number": slip.number}


OPERATIONS: dict[str, Operation] = {
    A.CONFIRM_OC: Operation(_confirm),
    A.REOPEN_OC: Operation(_reopen),
    A.REJECT: Operation(_reject),
    A.ARCHIVE: Operation(_archive),
    A.SET_TAGS: Operation(_set_tags, anchor="tags"),
    A.CREATE_BACKLOG_SKUS: Operation(_backlog, anchor="documents"),
    A.CREATE_DELIVERY_NOTE: Operation(_delivery_note, anchor="documents"),
    A.CREATE_INVOICE: Operation(_invoice, anchor="documents"),
    A.CREATE_PARTNER_INVENTORY_SLIP: Operation(_partner_slip, anchor="documents"),
}


def _operate(
    request: HttpRequest,
    scope: BrandScope,
    code: str,
    *,
    key: str,
    run: Callable[[Any, OrderPage, User], str],
    anchor: str,
) -> HttpResponse:
    """Bind the posted form of `key`, call its service, and redirect or show the refusal."""
    order = _order_or_404(scope, code)
    if request.method != "POST":
        return redirect(_page_url(order, anchor))
    page = order_page(order=order, can_write=True, data=request.POST, bound=key)
    form = page.forms.get(key)
    if form is None:  # a delivery note deleted meanwhile
        messages.warning(request, _("That document no longer exists; nothing was changed."))
        return redirect(_page_url(order, anchor))
    status = 400
    if form.is_valid():
        try:
            message = run(form, page, scope.user)
        except (Order.DoesNotExist, DeliveryNote.DoesNotExist) as exc:
            raise Http404 from exc
        except DomainError as error:
            cast(Any, form).add_domain_error(error)
            status = error.status
        else:
            messages.success(request, message)
            return redirect(_page_url(order, anchor))
    return _render_order(request, scope, page, status=status)


@brand_view(Permission.ORDER_WRITE, form_only=True)
def order_operation(
    request: HttpRequest, scope: BrandScope, code: str, operation: str
) -> HttpResponse:
    """POST one of the order page's operations (named by the route)."""
    chosen = OPERATIONS[operation]
    return _operate(request, scope, code, key=operation, run=chosen.run, anchor=chosen.anchor)


@brand_view(Permission.ORDER_WRITE, form_only=True)
def delivery_note_delete(
    request: HttpRequest, scope: BrandScope, code: str, pk: int
) -> HttpResponse:
    def run(form: Any, page: OrderPage, actor: User) -> str:
        note = next(note for note in page.documents.delivery_notes if note.pk == pk)
        documents.delivery_note_delete(delivery_note_id=pk, actor=actor)
        return _("Delivery note %(number)s was deleted.") % {"number": note.number}

    return _operate(request, scope, code, key=delete_key(pk), run=run, anchor="documents")


# --- The OC editor ------------------------------------------------------------------------------


def _catalog_skus(order: Order) -> list[Any]:
    """Return the SKUs of the order's catalog that can still be ordered, to suggest adding."""
    catalog = (
        catalog_with_products(
            catalogs=catalogs_of_brand(brand=order.brand), orderable_skus_only=True
        )
        .filter(pk=order.catalog_id)
        .first()
    )
    if catalog is None:
        return []
    return [sku for product in catalog.products.all() for sku in product.skus.all()]


@brand_view(Permission.ORDER_WRITE, form_only=True)
def confirmation_edit(request: HttpRequest, scope: BrandScope, code: str) -> HttpResponse:
    """Create or update the OC: the original quantities beside the OC's, SKUs to add.

    A save refused because a colleague saved the OC meanwhile comes back with what was typed,
    the OC as it is now beside it, and the form set to that version: saving again then
    replaces it knowingly.
    """
    order = _order_or_404(scope, code)
    confirmation = confirmation_of_order(order_id=order.pk)
    action = A.UPDATE_OC if confirmation is not None else A.CREATE_OC
    if request.method != "POST" and not is_allowed(order.status, action):
        messages.warning(request, f"{action.label}: {status_reason(order.status)}")
        return redirect(_page_url(order, "actions"))
    lines = list(order.lines.all())
    images = sku_line_images(sku_ids=line_skus(lines=lines, confirmation=confirmation))
    form = _confirmation_form(
        order, lines, confirmation, request.POST if request.method == "POST" else None, images
    )
    status = 200
    conflict = False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _saved, created = documents.confirmation_save(
                    order_id=order.pk,
                    quantities=form.quantities(),
                    allow_buyer_approval=form.cleaned_data["allow_buyer_approval"],
                    actor=scope.user,
                    version=form.cleaned_data["version"],
                    shipping=form.cleaned_data["shipping"],
                    **form.notification(),
                )
            except DomainError as error:
                status = error.status
                if error.code == DocumentErrorCode.STALE_CONFIRMATION:
                    confirmation = confirmation_of_order(order_id=order.pk)
                    conflict = True
                    form = _confirmation_form(
                        order,
                        lines,
                        confirmation,
                        _typed_over(request.POST, confirmation),
                        images,
                    )
                    form.is_valid()
                form.add_domain_error(error)
            else:
                done = _("The OC was created.") if created else _("The OC was updated.")
                messages.success(request, f"{done} {notified(form)}")
                return redirect(_page_url(order, "oc"))
    return render_brand(
        request,
        scope,
        "brand_app/confirmation_form.html",
        {
            "order": order,
            "confirmation": confirmation,
            "form": form,
            "conflict": conflict,
            "catalog_skus": _catalog_skus(order),
            "creating": confirmation is None,
        },
        section="orders",
        status=status,
    )


def _confirmation_form(
    order: Order,
    lines: list[Any],
    confirmation: OrderConfirmation | None,
    data: QueryDict | None,
    images: dict[int, ProductImage],
) -> ConfirmationForm:
    """Return the OC editor over the order's lines and the OC as it is (or none yet)."""
    return ConfirmationForm(
        data,
        rows=oc_rows(lines=lines, confirmation=confirmation, images=images),
        allow_buyer_approval=confirmation.allow_buyer_approval if confirmation else False,
        version=confirmation.version if confirmation else 0,
        shipping=(
            confirmation_tax_totals(confirmation, currency=order.currency)
            if confirmation is not None
            else order_tax_totals(order)
        ).shipping,
    )


def _typed_over(data: QueryDict, confirmation: OrderConfirmation | None) -> QueryDict:
    """Return what was typed, set to the OC's current version, for the editor shown again.

    A row of the current OC that was not sent (a SKU a colleague added) starts at the OC's
    quantity, so that saving again does not remove it unseen.
    """
    kept = data.copy()
    kept["version"] = str(confirmation.version if confirmation else 0)
    for row in oc_rows(lines=[], confirmation=confirmation):
        name = ConfirmationForm.row_field(row)
        if name not in data:
            kept[name] = str(row.oc_quantity or 0)
    return kept
