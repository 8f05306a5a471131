"""Refusals of ordering operations, each with a stable code and a message that says what to do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError


class OrderErrorCode:
    ACTION_NOT_ALLOWED = "action_not_allowed"
    CART_EXISTS = "cart_exists"
    CART_NOT_FOUND = "cart_not_found"
    CART_ORDERED = "cart_ordered"
    CART_DELETED = "cart_deleted"
    EMPTY_CART = "empty_cart"
    CATALOG_CLOSED = "catalog_closed"
    CATALOG_NOT_AVAILABLE = "catalog_not_available"
    CART_WITHDRAWN = "cart_withdrawn"
    SKU_NOT_ORDERABLE = "sku_not_orderable"
    NOT_CONNECTED = "not_connected"
    TOO_MANY_LINES = "too_many_lines"
    LINK_NOT_FOUND = "link_not_found"
    LINK_EXPIRED = "link_expired"
    LINK_REVOKED = "link_revoked"
    PASSCODE_REQUIRED = "passcode_required"
    PASSCODE_WRONG = "passcode_wrong"
    NOT_RETURNABLE = "not_returnable"
    NOT_REJECTABLE = "not_rejectable"
    # Return-to-cart blockers.
    ALREADY_RETURNED = "already_returned"
    ORDER_REJECTED = "order_rejected"
    OFFLINE_BUYER = "offline_buyer"
    HAS_DELIVERY_NOTE = "has_delivery_note"
    HAS_INVOICE = "has_invoice"
    HAS_BACKLOG_SKUS = "has_backlog_skus"
    PARTNER_INVENTORY = "partner_inventory"


class OrderError(DomainError):
    messages = {
        OrderErrorCode.ACTION_NOT_ALLOWED: _(
            "“%(action_label)s” is not possible while the order's status is “%(status_label)s”."
        ),
        OrderErrorCode.CART_EXISTS: _(
            "There is already a cart for the catalog %(catalog)s. Open it, or delete it first."
        ),
        OrderErrorCode.CART_NOT_FOUND: _("That cart does not exist (it may have been ordered)."),
        OrderErrorCode.CART_ORDERED: _(
            "This cart was ordered on %(when)s: it became order %(order_code)s."
        ),
        OrderErrorCode.CART_DELETED: _(
            "This cart was deleted on %(when)s, and nothing was ordered from it."
        ),
        OrderErrorCode.EMPTY_CART: _("The cart is empty: add at least one SKU before ordering."),
        OrderErrorCode.CATALOG_CLOSED: _(
            "The catalog %(catalog)s no longer takes orders (%(reason)s)."
        ),
        OrderErrorCode.SKU_NOT_ORDERABLE: _(
            "These SKUs can no longer be ordered: %(skus)s. Remove them from the cart to order."
        ),
        OrderErrorCode.CATALOG_NOT_AVAILABLE: _(
            "This catalog is not available to your organisation. Ask the brand if you should "
            "have access to it."
        ),
        OrderErrorCode.CART_WITHDRAWN: _(
            "This cart was closed on %(when)s: %(brand)s no longer offers the catalog "
            "%(catalog)s to your organisation. Your placed orders are not affected."
        ),
        OrderErrorCode.NOT_CONNECTED: _(
            "Your organisation is not connected to %(brand)s, so it cannot order from it."
        ),
        OrderErrorCode.TOO_MANY_LINES: _("A cart holds at most %(limit)s lines."),
        OrderErrorCode.LINK_NOT_FOUND: _(
            "This order link is not valid. Ask the brand for a new link."
        ),
        OrderErrorCode.LINK_EXPIRED: _(
            "This order link expired on %(expired_at)s. Ask %(brand)s for a new link."
        ),
        OrderErrorCode.LINK_REVOKED: _(
            "%(brand)s has withdrawn this order link. Ask %(brand)s for a new link."
        ),
        OrderErrorCode.PASSCODE_REQUIRED: _(
            "This order link needs the passcode the brand gave you."
        ),
        OrderErrorCode.PASSCODE_WRONG: _("The passcode is not correct."),
        OrderErrorCode.NOT_RETURNABLE: _(
            "This order cannot be returned to the buyer's cart: %(reasons)s"
        ),
        OrderErrorCode.NOT_REJECTABLE: _("This order cannot be rejected: %(reasons)s"),
        OrderErrorCode.ALREADY_RETURNED: _(
            "The order has already been returned to the buyer's cart; a return cannot be undone "
            "or repeated."
        ),
        OrderErrorCode.ORDER_REJECTED: _(
            "The order was rejected, and a rejected order cannot be returned to the cart."
        ),
        OrderErrorCode.OFFLINE_BUYER: _(
            "%(buyer)s is an offline buyer with no Buyer App access, so there is no cart to "
            "return to. Invite them to connect first."
        ),
        OrderErrorCode.HAS_DELIVERY_NOTE: _(
            "Delivery note %(numbers)s references this order. Delete it before returning the order."
        ),
        OrderErrorCode.HAS_INVOICE: _(
            "Invoice %(numbers)s references this order, so it can no longer be returned."
        ),
        OrderErrorCode.HAS_BACKLOG_SKUS: _(
            "Backlog SKUs %(numbers)s were created from this order, which locks it for split "
            "delivery."
        ),
        OrderErrorCode.PARTNER_INVENTORY: _(
            "The order is tied to partner inventory (%(reason)s), so it cannot be returned."
        ),
    }


class ReturnBlocker(OrderError):
    """A reason an order cannot be returned, worded for the brand staff who want to return it."""

    messages = {
        **OrderError.messages,
        OrderErrorCode.CART_EXISTS: _(
            "%(organization)s already has a cart for the catalog %(catalog)s. The buyer must "
            "order or delete that cart before this order can be returned."
        ),
        OrderErrorCode.CATALOG_NOT_AVAILABLE: _(
            "%(buyer)s is not on the access list of the limited catalog %(catalog)s, so it could "
            "not order from the returned cart. Add it to the list (or to a group on it) first."
        ),
    }


class RejectBlocker(OrderError):
    """A reason an order cannot be rejected, worded for the brand staff who want to reject it."""

    messages = {
        OrderErrorCode.HAS_BACKLOG_SKUS: _(
            "Backlog SKUs %(numbers)s were created from this order, so it is being delivered "
            "and can no longer be rejected."
        ),
        OrderErrorCode.HAS_DELIVERY_NOTE: _(
            "Delivery note %(numbers)s references this order. Delete it before rejecting the order."
        ),
        OrderErrorCode.HAS_INVOICE: _(
            "Invoice %(numbers)s references this order, so it can no longer be rejected: a "
            "declined order never has an invoice."
        ),
    }


class ReturnWarning(OrderError):
    """Not a blocker: what the buyer will meet in the returned cart."""

    messages = {}  # filled below, once the codes exist


class ReturnWarningCode:
    """Not blockers: what the buyer will meet in the returned cart."""

    SKU_NOT_ORDERABLE = "sku_not_orderable"
    CATALOG_CLOSED = "catalog_closed"


ReturnWarning.messages = {
    ReturnWarningCode.SKU_NOT_ORDERABLE: _(
        "%(skus)s can no longer be ordered. They go back to the cart flagged, and the buyer must "
        "remove them before ordering again."
    ),
    ReturnWarningCode.CATALOG_CLOSED: _(
        "The catalog %(catalog)s no longer takes orders (%(reason)s): the buyer cannot order the "
        "returned cart until it reopens."
    ),
}
