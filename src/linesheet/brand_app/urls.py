"""Brand App routes, all under /brand/<brand slug>/."""

from __future__ import annotations

from django.urls import URLPattern, path

from linesheet.brand_app import (
    access_views,
    buyer_views,
    catalog_views,
    document_views,
    image_views,
    link_views,
    member_views,
    order_views,
    proxy_views,
    report_views,
    returns,
    settings_views,
    sheet_views,
    shipping_views,
    tax_views,
)
from linesheet.ordering.statuses import OrderAction

ORDER = "<slug:brand>/orders/<order_code:code>/"


def order_operation(suffix: str, action: OrderAction, name: str) -> URLPattern:
    """Route a POST of one of the order page's operations (before the page, see below)."""
    return path(
        f"{ORDER}{suffix}/",
        order_views.order_operation,
        {"operation": str(action)},
        name=f"brand-order-{name}",
    )


urlpatterns = [
    path("<slug:brand>/", order_views.brand_home, name="brand-home"),
    path("<slug:brand>/orders/", order_views.order_list, name="brand-orders"),
    # Before the order page: its <order_code:code> would take "…/return" for part of the code.
    path(
        "<slug:brand>/orders/<order_code:code>/return/",
        returns.order_return,
        name="brand-order-return",
    ),
    # The same goes for the order page's operations.
    path(f"{ORDER}confirmation/", order_views.confirmation_edit, name="brand-order-confirmation"),
    order_operation("confirm", OrderAction.CONFIRM_OC, "confirm"),
    order_operation("reopen", OrderAction.REOPEN_OC, "reopen"),
    order_operation("reject", OrderAction.REJECT, "reject"),
    order_operation("archive", OrderAction.ARCHIVE, "archive"),
    order_operation("tags", OrderAction.SET_TAGS, "tags"),
    order_operation("backlog-skus", OrderAction.CREATE_BACKLOG_SKUS, "backlog-skus"),
    order_operation("delivery-notes", OrderAction.CREATE_DELIVERY_NOTE, "delivery-notes"),
    path(
        f"{ORDER}delivery-notes/<id:pk>/delete/",
        order_views.delivery_note_delete,
        name="brand-order-delivery-note-delete",
    ),
    order_operation("invoices", OrderAction.CREATE_INVOICE, "invoices"),
    order_operation(
        "partner-inventory-slips", OrderAction.CREATE_PARTNER_INVENTORY_SLIP, "partner-slips"
    ),
    # Codes issued before the code alphabet may hold "/" (see OrderCodeConverter).
    path(ORDER, order_views.order_detail, name="brand-order-detail"),
    path(
        "<slug:brand>/settings/numbering/",
        settings_views.numbering_settings,
        name="brand-settings-numbering",
    ),
    path("<slug:brand>/settings/logo/", settings_views.logo_settings, name="brand-settings-logo"),
    path("<slug:brand>/settings/tax/", tax_views.tax_settings, name="brand-settings-tax"),
    path(
        "<slug:brand>/settings/tax/rates/",
        tax_views.tax_rate_add,
        name="brand-settings-tax-rate-add",
    ),
    path(
        "<slug:brand>/settings/tax/rates/<id:rate_id>/remove/",
        tax_views.tax_rate_remove,
        name="brand-settings-tax-rate-remove",
    ),
    path(
        "<slug:brand>/settings/shipping/",
        shipping_views.shipping_settings,
        name="brand-settings-shipping",
    ),
    path(
        "<slug:brand>/settings/shipping/<id:shipping_group_id>/",
        shipping_views.shipping_group_edit,
        name="brand-settings-shipping-group",
    ),
    path(
        "<slug:brand>/settings/shipping/<id:shipping_group_id>/remove/",
        shipping_views.shipping_group_remove,
        name="brand-settings-shipping-group-remove",
    ),
    path(
        "<slug:brand>/settings/time-zone/",
        settings_views.time_zone_settings,
        name="brand-settings-time-zone",
    ),
    path("<slug:brand>/settings/members/", member_views.members, name="brand-settings-members"),
    path(
        "<slug:brand>/settings/members/<id:pk>/role/",
        member_views.member_role,
        name="brand-member-role",
    ),
    path(
        "<slug:brand>/settings/members/<id:pk>/remove/",
        member_views.member_remove,
        name="brand-member-remove",
    ),
    path(
        "<slug:brand>/settings/members/invitations/<id:invitation_id>/resend/",
        member_views.member_invitation_resend,
        name="brand-member-invitation-resend",
    ),
    path(
        "<slug:brand>/settings/members/invitations/<id:invitation_id>/revoke/",
        member_views.member_invitation_revoke,
        name="brand-member-invitation-revoke",
    ),
    path(
        "<slug:brand>/settings/members/ownership/",
        member_views.ownership_transfer,
        name="brand-ownership-transfer",
    ),
    path("<slug:brand>/buyers/", buyer_views.buyer_list, name="brand-buyers"),
    path("<slug:brand>/buyers/new/", buyer_views.buyer_create, name="brand-buyer-create"),
    path("<slug:brand>/buyers/groups/", access_views.buyer_groups, name="brand-buyer-groups"),
    path(
        "<slug:brand>/buyers/groups/<id:pk>/",
        access_views.buyer_group_detail,
        name="brand-buyer-group",
    ),
    path(
        "<slug:brand>/buyers/groups/<id:pk>/delete/",
        access_views.buyer_group_delete_view,
        name="brand-buyer-group-delete",
    ),
    path("<slug:brand>/buyers/<id:pk>/", buyer_views.buyer_detail, name="brand-buyer-detail"),
    path(
        "<slug:brand>/invitations/new/", buyer_views.invitation_new, name="brand-invitation-create"
    ),
    path(
        "<slug:brand>/invitations/<id:pk>/",
        buyer_views.invitation_detail,
        name="brand-invitation-detail",
    ),
    path("<slug:brand>/catalogs/", catalog_views.catalog_list, name="brand-catalogs"),
    path("<slug:brand>/catalogs/new/", catalog_views.catalog_new, name="brand-catalog-create"),
    path(
        "<slug:brand>/catalogs/<id:pk>/", catalog_views.catalog_detail, name="brand-catalog-detail"
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/edit/", catalog_views.catalog_edit, name="brand-catalog-edit"
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/access/",
        access_views.catalog_access,
        name="brand-catalog-access",
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/products/new/",
        catalog_views.product_new,
        name="brand-product-create",
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/products/<id:product_id>/",
        catalog_views.product_detail,
        name="brand-product-detail",
    ),
]

# A product's images

PRODUCT = "<slug:brand>/catalogs/<id:pk>/products/<id:product_id>/"
urlpatterns += [
    path(f"{PRODUCT}images/", image_views.product_images, name="brand-product-images"),
    path(
        f"{PRODUCT}images/order/",
        image_views.product_images_order,
        name="brand-product-images-order",
    ),
    path(
        f"{PRODUCT}images/<id:image_id>/<slug:action>/",
        image_views.product_image_action,
        name="brand-product-image-action",
    ),
]

# Order links of a catalog

urlpatterns += [
    path(
        "<slug:brand>/catalogs/<id:pk>/order-links/",
        link_views.order_links,
        name="brand-catalog-order-links",
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/order-links/<id:link_id>/revoke/",
        link_views.order_link_revoke_view,
        name="brand-order-link-revoke",
    ),
]

# Proxy orders and Excel order sheets

urlpatterns += [
    path(
        "<slug:brand>/buyers/<id:pk>/order/",
        proxy_views.buyer_order,
        name="brand-buyer-order",
    ),
    path(
        "<slug:brand>/catalogs/<id:pk>/order-sheet.xlsx",
        sheet_views.order_sheet_download,
        name="brand-order-sheet",
    ),
]
# First in the list: the order page's "orders/<order_code:code>/" would take "import" for a code.
urlpatterns[:0] = [
    path("<slug:brand>/orders/import/", sheet_views.sheet_import, name="brand-sheet-import"),
    path(
        "<slug:brand>/orders/import/<order_code:code>/",
        sheet_views.sheet_import_result,
        name="brand-sheet-import-result",
    ),
]

# Reporting: the order's PDF documents, the Excel export and analytics (all read-only).
# Under exports/, not orders/<code>/: the order page's <order_code:code> would take the rest.

urlpatterns += [
    path("<slug:brand>/analytics/", report_views.analytics, name="brand-analytics"),
    path(
        "<slug:brand>/exports/orders.xlsx",
        report_views.orders_xlsx_export,
        name="brand-orders-xlsx",
    ),
    path(
        "<slug:brand>/exports/orders/<order_code:code>/order.pdf",
        report_views.order_pdf,
        name="brand-order-pdf",
    ),
    path(
        "<slug:brand>/exports/orders/<order_code:code>/confirmation.pdf",
        report_views.order_confirmation_pdf,
        name="brand-order-confirmation-pdf",
    ),
]

# Documents made in the background: the line sheet; their progress, file and retry.

urlpatterns += [
    path(
        "<slug:brand>/catalogs/<id:pk>/line-sheet/",
        document_views.line_sheet_request,
        name="brand-line-sheet",
    ),
    path("<slug:brand>/documents/<id:pk>/", document_views.document_detail, name="brand-document"),
    path(
        "<slug:brand>/documents/<id:pk>/status/",
        document_views.document_status,
        name="brand-document-status",
    ),
    path(
        "<slug:brand>/documents/<id:pk>/file/",
        document_views.document_file,
        name="brand-document-file",
    ),
    path(
        "<slug:brand>/documents/<id:pk>/retry/",
        document_views.document_retry_view,
        name="brand-document-retry",
    ),
]
