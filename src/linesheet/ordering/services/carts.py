"""Carts: the buyer organisation's Draft Order List, one per catalog."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from linesheet.accounts.models import Buyer, BuyerOrganization, User
from linesheet.catalog.models import SKU, Catalog
from linesheet.catalog.selectors import catalog_reachable_by
from linesheet.core.clock import today
from linesheet.core.errors import InvalidInput
from linesheet.ordering import rules, selectors
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import (
    MAX_CART_LINES,
    MAX_LINE_QUANTITY,
    Cart,
    CartLine,
    ClosedCart,
    Order,
)


def _buyer_of(*, organization: BuyerOrganization, catalog: Catalog) -> Buyer:
    buyer = Buyer.objects.filter(brand_id=catalog.brand_id, organization=organization).first()
    if buyer is None:
        raise OrderError(OrderErrorCode.NOT_CONNECTED, brand=catalog.brand.name)
    return buyer


def catalog_access_check(*, organization: BuyerOrganization | int, catalog_id: int) -> None:
    """Refuse with `catalog_not_available` unless the organisation may see the catalog.

    The access rule (catalog.selectors): a limited catalog only to the buyers on its list. A
    closed catalog passes for those who saw it, to be refused with its own reason
    (`catalog_closed`). Services that let a buyer change a cart or order from it call this in
    their transaction after the organisation's lock, which every access change takes first.
    """
    if not catalog_reachable_by(organization=organization, catalog_id=catalog_id):
        raise OrderError(OrderErrorCode.CATALOG_NOT_AVAILABLE, status=404)


def _catalog_open_check(*, organization: BuyerOrganization, catalog: Catalog) -> None:
    """Refuse a new cart for a catalog the organisation cannot order from now."""
    _buyer_of(organization=organization, catalog=catalog)
    catalog_access_check(organization=organization, catalog_id=catalog.pk)
    reason = rules.catalog_closed_reason(
        status=catalog.status, order_deadline=catalog.order_deadline, today=today()
    )
    if reason is not None:
        raise OrderError(
            OrderErrorCode.CATALOG_CLOSED,
            catalog=catalog.name,
            reason=str(rules.CLOSED_REASONS[reason]),
        )


def _cart_insert(*, organization: BuyerOrganization, catalog: Catalog) -> Cart:
    """Insert the organisation's cart for the catalog, with its addresses as defaults.

    Inside the caller's transaction, after it locked the organisation and found no cart.
    """
    return Cart.objects.create(
        organization=organization,
        catalog=catalog,
        brand_id=catalog.brand_id,
        delivery_address=organization.delivery_address,
        billing_address=organization.billing_address,
    )


def cart_create(
    *,
    organization: BuyerOrganization,
    catalog: Catalog,
    quantities: Mapping[str, int] | None = None,
) -> Cart:
    """Open the organisation's cart for a catalog, with `quantities` as its lines, or empty.

    One transaction: lines that are refused open no cart. A second cart for the same catalog is
    refused with `cart_exists`.
    """
    resolved = lines_resolve(catalog=catalog, quantities=quantities or {}, allow_zero=False)
    try:
        with transaction.atomic():
            # Lock order: organisation first (see order_for_action).
            BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
            _catalog_open_check(organization=organization, catalog=catalog)
            if Cart.objects.filter(organization=organization, catalog=catalog).exists():
                raise OrderError(OrderErrorCode.CART_EXISTS, catalog=catalog.name)
            cart = _cart_insert(organization=organization, catalog=catalog)
            if resolved:
                _lines_write(cart=cart, quantities={}, resolved=resolved, replace=False)
            return cart
    except IntegrityError as exc:  # the unique constraint: another request won the race
        raise OrderError(OrderErrorCode.CART_EXISTS, catalog=catalog.name) from exc


def cart_add(
    *, organization: BuyerOrganization, catalog: Catalog, quantities: Mapping[str, int]
) -> Cart:
    """Set the given SKUs in the organisation's cart for the catalog, opening it when there is none.

    The catalog grid's "Add to cart": only the given SKUs change, and 0 removes a line. One
    transaction: bad input opens no cart and changes no line.
    """
    resolved = lines_resolve(catalog=catalog, quantities=quantities, allow_zero=True)
    with transaction.atomic():
        # Lock order: organisation first; under its lock no other request opens the cart.
        BuyerOrganization.objects.select_for_update().filter(pk=organization.pk).first()
        cart = (
            Cart.objects.select_for_update()
            .filter(organization=organization, catalog=catalog)
            .first()
        )
        if cart is None:
            if not resolved:
                raise InvalidInput.field(
                    "lines", "empty", _("Nothing to add: give at least one quantity from 1.")
                )
            _catalog_open_check(organization=organization, catalog=catalog)
            cart = _cart_insert(organization=organization, catalog=catalog)
        else:
            catalog_access_check(organization=organization, catalog_id=catalog.pk)
        _lines_write(cart=cart, quantities=quantities, resolved=resolved, replace=False)
    return cart


def _cart_lock(*, cart_id: int) -> Cart:
    """Lock the cart; refuse with `cart_not_found` when it was ordered or deleted meanwhile.

    The caller found the cart a moment ago, before its transaction: an order placed since
    deleted it, and writing to it would fail on its foreign keys at commit.
    """
    cart = Cart.objects.select_for_update().filter(pk=cart_id).first()
    if cart is None:
        raise OrderError(OrderErrorCode.CART_NOT_FOUND, status=404)
    return cart


CART_HEADER_FIELDS = frozenset(
    {"desired_delivery_date", "comment", "delivery_address", "billing_address"}
)


def cart_update(*, cart: Cart, **changes: object) -> Cart:
    """Change the cart's header: desired delivery date, comment, addresses."""
    return cart_save(cart=cart, header=changes)


def cart_save(
    *,
    cart: Cart,
    quantities: Mapping[str, int] | None = None,
    header: Mapping[str, object] | None = None,
) -> Cart:
    """Save the buyer's edits of the cart in one transaction: lines and header together.

    `quantities` changes only the given SKUs (0 removes a line), as the cart page sends them;
    `header` sets the desired delivery date, comment and addresses. Bad input refuses both and
    changes nothing.
    """
    header = dict(header or {})
    unknown = set(header) - CART_HEADER_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    date = header.get("desired_delivery_date")
    if isinstance(date, datetime.date) and date < today():
        raise InvalidInput.field(
            "desired_delivery_date", "in_past", _("The desired delivery date is in the past.")
        )
    quantities = quantities or {}
    resolved = (
        lines_resolve(catalog=cart.catalog, quantities=quantities, allow_zero=True)
        if quantities
        else {}
    )
    with transaction.atomic():
        locked = _cart_lock(cart_id=cart.pk)
        catalog_access_check(organization=locked.organization_id, catalog_id=locked.catalog_id)
        if quantities:
            _lines_write(cart=locked, quantities=quantities, resolved=resolved, replace=False)
        for name, value in header.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*sorted(header), "updated_at"])
    return locked


def lines_resolve(
    *, catalog: Catalog, quantities: Mapping[str, int], allow_zero: bool
) -> dict[str, tuple[SKU, int]]:
    """Check {sku_number: quantity} against the catalog; return SKU and quantity per number.

    Every problem is reported at once, keyed `lines.<index>.<field>` by the position in
    `quantities`: quantities that are not whole numbers from 1 (0 with `allow_zero`, meaning
    "remove") to MAX_LINE_QUANTITY, SKU numbers not of this catalog, SKUs no longer orderable.
    Lines with quantity 0 are left out of the result.
    """
    low = 0 if allow_zero else 1
    numbers = list(quantities)
    found = {
        sku.sku_number: sku
        for sku in SKU.objects.filter(
            brand_id=catalog.brand_id, product__catalog_id=catalog.pk, sku_number__in=numbers
        ).select_related("product")
    }
    errors: dict[str, list[dict[str, str]]] = {}
    resolved: dict[str, tuple[SKU, int]] = {}
    for index, (number, quantity) in enumerate(quantities.items()):
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            errors[f"lines.{index}.quantity"] = [
                {
                    "code": "invalid_quantity",
                    "message": _("The quantity of %(sku)s must be a whole number.")
                    % {"sku": number},
                }
            ]
            continue
        if not low <= quantity <= MAX_LINE_QUANTITY:
            errors[f"lines.{index}.quantity"] = [
                {
                    "code": "invalid_quantity",
                    "message": _("The quantity of %(sku)s must be between %(low)s and %(high)s.")
                    % {"sku": number, "low": low, "high": MAX_LINE_QUANTITY},
                }
            ]
            continue
        if quantity == 0:
            continue
        sku = found.get(number)
        if sku is None:
            errors[f"lines.{index}.sku_number"] = [
                {
                    "code": "unknown_sku",
                    "message": _("%(sku)s is not a SKU of this catalog.") % {"sku": number},
                }
            ]
        elif not sku.is_active:
            errors[f"lines.{index}.sku_number"] = [
                {
                    "code": OrderErrorCode.SKU_NOT_ORDERABLE,
                    "message": _("%(sku)s can no longer be ordered.") % {"sku": number},
                }
            ]
        else:
            resolved[number] = (sku, quantity)
    if errors:
        raise InvalidInput(errors)
    return resolved


def cart_set_lines(
    *, cart: Cart, quantities: Mapping[str, int], replace: bool = True
) -> list[CartLine]:
    """Set the cart's lines from {sku_number: quantity}.

    With `replace`, the given lines become the whole cart (quantities 1..MAX). Without it, only
    the given SKUs change and a quantity of 0 removes a line (the catalog grid works this way).
    Bad input refuses everything and changes nothing.
    """
    resolved = lines_resolve(catalog=cart.catalog, quantities=quantities, allow_zero=not replace)
    with transaction.atomic():
        locked = _cart_lock(cart_id=cart.pk)
        catalog_access_check(organization=locked.organization_id, catalog_id=locked.catalog_id)
        _lines_write(cart=cart, quantities=quantities, resolved=resolved, replace=replace)
    return list(CartLine.objects.filter(cart=cart).select_related("sku"))


def _lines_write(
    *,
    cart: Cart,
    quantities: Mapping[str, int],
    resolved: Mapping[str, tuple[SKU, int]],
    replace: bool,
) -> None:
    """Write the resolved lines into the locked cart: all of them, or only the given SKUs."""
    lines = CartLine.objects.filter(cart=cart)
    if replace:
        lines.delete()
    else:
        lines.filter(sku__sku_number__in=list(quantities)).delete()
    CartLine.objects.bulk_create(
        CartLine(cart=cart, sku=sku, quantity=quantity) for sku, quantity in resolved.values()
    )
    if CartLine.objects.filter(cart=cart).count() > MAX_CART_LINES:
        raise OrderError(OrderErrorCode.TOO_MANY_LINES, limit=MAX_CART_LINES, status=400)
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())


def cart_delete(*, cart: Cart, deleted_by: User | None = None) -> None:
    """Delete the cart and its lines; a cart already ordered or deleted is left as it is.

    The lock first: a request setting the cart's lines meanwhile commits before the lines are
    collected for deletion, instead of leaving lines of a deleted cart. What became of the cart
    is kept (`ClosedCart`), so that links to it say so.
    """
    with transaction.atomic():
        # The project's lock order, organisation first: what became of the cart is written with
        # a reference to the organisation, which waits on its lock, so taking the cart's lock
        # first would deadlock with an order being placed from the cart.
        BuyerOrganization.objects.select_for_update().filter(pk=cart.organization_id).first()
        locked = Cart.objects.select_for_update().filter(pk=cart.pk).first()
        if locked is not None:
            cart_close(cart=locked, outcome=ClosedCart.Outcome.DELETED, closed_by=deleted_by)


def cart_close(
    *, cart: Cart, outcome: str, closed_by: User | None, order: Order | None = None
) -> ClosedCart:
    """Delete the locked cart and keep what became of it. Inside the caller's transaction."""
    cart_id = cart.pk
    cart.delete()
    return ClosedCart.objects.create(
        cart_id=cart_id,
        organization_id=cart.organization_id,
        catalog_id=cart.catalog_id,
        outcome=outcome,
        order=order,
        returned_order_id=cart.source_order_id,
        closed_by=closed_by if closed_by is not None and closed_by.is_authenticated else None,
    )


def cart_gone(*, organization: BuyerOrganization, cart_id: int) -> OrderError:
    """Return the refusal for the organisation's cart that is not there: what became of it.

    `cart_ordered` (with the order), `cart_deleted`, or `cart_withdrawn` (the brand ended the
    organisation's access to the catalog) when the cart was closed, answered as 410 Gone;
    `cart_not_found` (404) when no such cart of the organisation is known.
    """
    closed = selectors.cart_closed(organization=organization, cart_id=cart_id)
    if closed is None:
        return OrderError(OrderErrorCode.CART_NOT_FOUND, status=404)
    when = {
        # In the time zone active for the reader, named, as pages show times.
        "when": dateformat.format(timezone.localtime(closed.closed_at), "Y-m-d H:i T"),
        "closed_at": closed.closed_at.isoformat(),
    }
    if closed.order is not None:
        return OrderError(
            OrderErrorCode.CART_ORDERED,
            status=410,
            order_id=closed.order.pk,
            order_code=closed.order.code,
            **when,
        )
    if closed.outcome == ClosedCart.Outcome.WITHDRAWN:
        return OrderError(
            OrderErrorCode.CART_WITHDRAWN,
            status=410,
            brand=closed.catalog.brand.name,
            catalog=closed.catalog.name,
            **when,
        )
    return OrderError(OrderErrorCode.CART_DELETED, status=410, **when)


def cart_take_oc_quantities(*, cart: Cart, sku_numbers: list[str] | None = None) -> list[CartLine]:
    """Set the returned cart's lines to the brand's OC quantities: the given SKUs, or all."""
    proposals = {p.sku_number: p for p in selectors.cart_oc_proposals(cart=cart)}
    chosen = (
        proposals
        if sku_numbers is None
        else {n: proposals[n] for n in sku_numbers if n in proposals}
    )
    if not chosen:
        return list(CartLine.objects.filter(cart=cart).select_related("sku"))
    return cart_set_lines(
        cart=cart,
        quantities={number: p.oc_quantity for number, p in chosen.items()},
        replace=False,
    )
