"""Ordering operations, one module per concern; import them from here.

Every order-changing service opens with `order_for_action` (the buyer organisation's and the
order's row locks, the ACTIONS policy) inside its transaction and writes its event in
the same transaction.
"""

from __future__ import annotations

from linesheet.ordering.services.access import (
    WithdrawnCart,
    buyer_group_create,
    buyer_group_delete,
    buyer_group_rename,
    buyer_group_set_buyers,
    buyer_group_update,
    carts_end_without_access,
    carts_withdrawn,
    catalog_access_set,
    catalog_change,
)
from linesheet.ordering.services.carts import (
    CART_HEADER_FIELDS,
    cart_add,
    cart_close,
    cart_create,
    cart_delete,
    cart_gone,
    cart_save,
    cart_set_lines,
    cart_take_oc_quantities,
    cart_update,
    catalog_access_check,
    lines_resolve,
)
from linesheet.ordering.services.guard import (
    OrderCode,
    action_not_allowed,
    order_for_action,
    order_lock,
    order_set_status,
)
from linesheet.ordering.services.links import (
    cart_open_from_link,
    order_link_check,
    order_link_create,
    order_link_land,
    order_link_open,
    order_link_revoke,
)
from linesheet.ordering.services.operations import order_archive, order_reject, order_set_tags
from linesheet.ordering.services.placing import OrderHeader, order_place, order_place_for_buyer
from linesheet.ordering.services.returns import order_return_to_cart
from linesheet.ordering.services.sheets import (
    SheetImport,
    order_import_sheet,
    order_sheet_export,
)

__all__ = [
    "CART_HEADER_FIELDS",
    "OrderCode",
    "OrderHeader",
    "SheetImport",
    "WithdrawnCart",
    "action_not_allowed",
    "buyer_group_create",
    "buyer_group_delete",
    "buyer_group_rename",
    "buyer_group_set_buyers",
    "buyer_group_update",
    "cart_add",
    "cart_close",
    "cart_create",
    "cart_delete",
    "cart_gone",
    "cart_open_from_link",
    "cart_save",
    "cart_set_lines",
    "cart_take_oc_quantities",
    "cart_update",
    "carts_end_without_access",
    "carts_withdrawn",
    "catalog_access_check",
    "catalog_access_set",
    "catalog_change",
    "lines_resolve",
    "order_archive",
    "order_for_action",
    "order_import_sheet",
    "order_link_check",
    "order_link_create",
    "order_link_land",
    "order_link_open",
    "order_link_revoke",
    "order_lock",
    "order_place",
    "order_place_for_buyer",
    "order_reject",
    "order_return_to_cart",
    "order_set_status",
    "order_set_tags",
    "order_sheet_export",
]
