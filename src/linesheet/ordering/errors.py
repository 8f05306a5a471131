"""Refusals of ordering operations, each with a stable code and a message that says what to do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError


class OrderErrorCode:
    ACTION_NOT_ALLOWED = "action_not_allowed"
    CART_EXISTS = "cart_exists"
    CART_NOT_FOUND = "cart_not_found"
    EMPTY_CART = "empty_cart"
    CATALOG_CLOSED = "catalog_closed"
    SKU_NOT_ORDERABLE = "sku_not_orderable"
    NOT_CONNECTED = "not_connected"
    TOO_MANY_LINES = "too_many_lines"


class OrderError(DomainError):
    messages = {
        OrderErrorCode.ACTION_NOT_ALLOWED: _(
            "“%(action_label)s” is not possible while the order is “%(status_label)s”."
        ),
        OrderErrorCode.CART_EXISTS: _(
            "There is already a cart for the catalog %(catalog)s. Open it, or delete it first."
        ),
        OrderErrorCode.CART_NOT_FOUND: _("That cart does not exist (it may have been ordered)."),
        OrderErrorCode.EMPTY_CART: _("The cart is empty: add at least one SKU before ordering."),
        OrderErrorCode.CATALOG_CLOSED: _(
            "The catalog %(catalog)s no longer takes orders (%(reason)s)."
        ),
        OrderErrorCode.SKU_NOT_ORDERABLE: _(
            "These SKUs can no longer be ordered: %(skus)s. Remove them from the cart to order."
        ),
        OrderErrorCode.NOT_CONNECTED: _(
            "Your organisation is not connected to %(brand)s, so it cannot order from it."
        ),
        OrderErrorCode.TOO_MANY_LINES: _("A cart holds at most %(limit)s lines."),
    }
