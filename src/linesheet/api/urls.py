"""API routes under /api/v1/."""

from __future__ import annotations

from django.urls import path

from linesheet.api.access import views as access
from linesheet.api.accounts import views as accounts
from linesheet.api.buyers import views as buyers
from linesheet.api.carts import views as carts
from linesheet.api.catalogs import views as catalogs
from linesheet.api.documents import views as documents
from linesheet.api.images import views as images
from linesheet.api.links import views as links
from linesheet.api.members import organization_views as org_members
from linesheet.api.members import views as members
from linesheet.api.orders import operation_views as ops
from linesheet.api.orders import return_views as returns
from linesheet.api.orders import route_views as routes
from linesheet.api.orders import views as orders
from linesheet.api.reports import views as reports
from linesheet.api.shipping import views as shipping
from linesheet.api.taxes import views as taxes

brand = "brands/<slug:brand>/"
organization = "buyer-orgs/<id:org>/"

urlpatterns = [
    path("auth/token", accounts.TokenView.as_view(), name="api-token"),
    path("auth/tokens", accounts.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<id:token_id>", accounts.TokenDetailView.as_view(), name="api-token-detail"),
    path("me", accounts.MeView.as_view(), name="api-me"),
    path(
        "member-invitations/<token:token>/accept",
        members.MemberInvitationAcceptView.as_view(),
        name="api-member-invitation-accept",
    ),
    path(
        "organization-invitations/<token:token>/accept",
        org_members.OrganizationInvitationAcceptView.as_view(),
        name="api-organization-invitation-accept",
    ),
    # A buyer organisation's team and addresses
    path(
        f"{organization}members",
        org_members.OrganizationMemberListView.as_view(),
        name="api-org-members",
    ),
    path(
        f"{organization}members/<id:member_id>",
        org_members.OrganizationMemberDetailView.as_view(),
        name="api-org-member",
    ),
    path(
        f"{organization}member-invitations",
        org_members.OrganizationInvitationListView.as_view(),
        name="api-org-member-invitations",
    ),
    path(
        f"{organization}member-invitations/<id:invitation_id>",
        org_members.OrganizationInvitationDetailView.as_view(),
        name="api-org-member-invitation",
    ),
    path(
        f"{organization}member-invitations/<id:invitation_id>/resend",
        org_members.OrganizationInvitationResendView.as_view(),
        name="api-org-member-invitation-resend",
    ),
    path(
        f"{organization}addresses", org_members.AddressListView.as_view(), name="api-org-addresses"
    ),
    path(
        f"{organization}addresses/<id:address_id>",
        org_members.AddressDetailView.as_view(),
        name="api-org-address",
    ),
    path(
        f"{organization}history",
        org_members.OrganizationHistoryView.as_view(),
        name="api-org-history",
    ),
    # A brand's team
    path(f"{brand}members", members.MemberListView.as_view(), name="api-brand-members"),
    path(
        f"{brand}members/<id:member_id>",
        members.MemberDetailView.as_view(),
        name="api-brand-member",
    ),
    path(
        f"{brand}member-invitations",
        members.MemberInvitationListView.as_view(),
        name="api-brand-member-invitations",
    ),
    path(
        f"{brand}member-invitations/<id:invitation_id>",
        members.MemberInvitationDetailView.as_view(),
        name="api-brand-member-invitation",
    ),
    path(
        f"{brand}member-invitations/<id:invitation_id>/resend",
        members.MemberInvitationResendView.as_view(),
        name="api-brand-member-invitation-resend",
    ),
    path(f"{brand}ownership", members.OwnershipView.as_view(), name="api-brand-ownership"),
    path(f"{brand}roles", members.RolesView.as_view(), name="api-brand-roles"),
    path(f"{brand}history", members.BrandHistoryView.as_view(), name="api-brand-history"),
    path(f"{brand}tax-settings", taxes.TaxSettingsView.as_view(), name="api-brand-tax-settings"),
    path(f"{brand}tax-rates", taxes.TaxRateListView.as_view(), name="api-brand-tax-rates"),
    path(
        f"{brand}shipping-groups",
        shipping.ShippingGroupListView.as_view(),
        name="api-brand-shipping-groups",
    ),
    path(
        f"{brand}shipping-groups/<id:shipping_group_id>",
        shipping.ShippingGroupDetailView.as_view(),
        name="api-brand-shipping-group",
    ),
    path(
        f"{brand}tax-rates/<id:rate_id>",
        taxes.TaxRateDetailView.as_view(),
        name="api-brand-tax-rate",
    ),
    # Brand side
    path(f"{brand}catalogs", catalogs.CatalogListView.as_view(), name="api-brand-catalogs"),
    path(
        f"{brand}products/<id:product_id>/images",
        images.ProductImageListView.as_view(),
        name="api-product-images",
    ),
    path(
        f"{brand}products/<id:product_id>/images/order",
        images.ProductImageOrderView.as_view(),
        name="api-product-images-order",
    ),
    path(
        f"{brand}products/<id:product_id>/images/<id:image_id>",
        images.ProductImageDetailView.as_view(),
        name="api-product-image",
    ),
    path(
        f"{brand}catalogs/<id:catalog_id>",
        catalogs.CatalogDetailView.as_view(),
        name="api-brand-catalog",
    ),
    path(
        f"{brand}catalogs/<id:catalog_id>/products",
        catalogs.CatalogProductsView.as_view(),
        name="api-brand-catalog-products",
    ),
    path(
        f"{brand}catalogs/<id:catalog_id>/access",
        access.CatalogAccessView.as_view(),
        name="api-brand-catalog-access",
    ),
    path(
        f"{brand}buyer-groups", access.BuyerGroupListView.as_view(), name="api-brand-buyer-groups"
    ),
    path(
        f"{brand}buyer-groups/<id:group_id>",
        access.BuyerGroupDetailView.as_view(),
        name="api-brand-buyer-group",
    ),
    path(f"{brand}buyers", buyers.BuyerListView.as_view(), name="api-brand-buyers"),
    path(
        f"{brand}buyers/<id:buyer_id>",
        buyers.BuyerDetailView.as_view(),
        name="api-brand-buyer",
    ),
    path(
        f"{brand}invitations",
        buyers.InvitationCreateView.as_view(),
        name="api-brand-invitations",
    ),
    # Buyer side
    path(
        "invitations/<token:token>/accept",
        buyers.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path(
        f"{organization}catalogs",
        catalogs.OrganizationCatalogListView.as_view(),
        name="api-org-catalogs",
    ),
    path(
        f"{organization}catalogs/<id:catalog_id>",
        catalogs.OrganizationCatalogDetailView.as_view(),
        name="api-org-catalog",
    ),
    path(
        f"{organization}catalogs/<id:catalog_id>/order-sheet",
        catalogs.OrganizationCatalogOrderSheetView.as_view(),
        name="api-org-catalog-order-sheet",
    ),
]

# Orders and carts
urlpatterns += [
    # Search, and POST a proxy order.
    path(f"{brand}orders", routes.BrandOrdersView.as_view(), name="api-brand-orders"),
    # Before orders/<order_code:code>, which would take "import" for a code.
    path(
        f"{brand}orders/import",
        routes.OrderSheetImportView.as_view(),
        name="api-brand-orders-import",
    ),
    path(
        f"{brand}catalogs/<id:catalog_id>/order-sheet",
        routes.OrderSheetView.as_view(),
        name="api-brand-catalog-order-sheet",
    ),
    path(f"{organization}carts", carts.CartListView.as_view(), name="api-org-carts"),
    path(
        f"{organization}carts/<id:cart_id>",
        carts.CartDetailView.as_view(),
        name="api-org-cart",
    ),
    path(
        f"{organization}carts/<id:cart_id>/lines",
        carts.CartLinesView.as_view(),
        name="api-org-cart-lines",
    ),
    path(
        f"{organization}carts/<id:cart_id>/order",
        carts.CartOrderView.as_view(),
        name="api-org-cart-order",
    ),
    path(f"{organization}orders", orders.BuyerOrderListView.as_view(), name="api-org-orders"),
    path(
        f"{organization}orders/<id:order_id>",
        orders.BuyerOrderDetailView.as_view(),
        name="api-org-order",
    ),
]

# Operations on a placed order
brand_order = f"{brand}orders/<order_code:code>/"
org_order = f"{organization}orders/<id:order_id>/"
urlpatterns += [
    path(
        f"{brand_order}confirmation",
        ops.ConfirmationView.as_view(),
        name="api-brand-order-confirmation",
    ),
    path(
        f"{brand_order}confirmation/confirm",
        ops.ConfirmationConfirmView.as_view(),
        name="api-brand-order-confirmation-confirm",
    ),
    path(
        f"{brand_order}confirmation/reopen",
        ops.ConfirmationReopenView.as_view(),
        name="api-brand-order-confirmation-reopen",
    ),
    path(f"{brand_order}reject", ops.OrderRejectView.as_view(), name="api-brand-order-reject"),
    path(f"{brand_order}archive", ops.OrderArchiveView.as_view(), name="api-brand-order-archive"),
    path(f"{brand_order}tags", ops.OrderTagsView.as_view(), name="api-brand-order-tags"),
    path(
        f"{brand_order}backlog-skus",
        ops.BacklogSkusView.as_view(),
        name="api-brand-order-backlog-skus",
    ),
    path(
        f"{brand_order}delivery-notes",
        ops.DeliveryNoteListView.as_view(),
        name="api-brand-order-delivery-notes",
    ),
    path(
        f"{brand_order}delivery-notes/<number:number>",
        ops.DeliveryNoteDetailView.as_view(),
        name="api-brand-order-delivery-note",
    ),
    path(f"{brand_order}invoices", ops.InvoiceListView.as_view(), name="api-brand-order-invoices"),
    path(
        f"{brand_order}partner-inventory-slips",
        ops.PartnerInventorySlipListView.as_view(),
        name="api-brand-order-partner-inventory-slips",
    ),
    path(
        f"{org_order}confirmation/approve",
        ops.BuyerConfirmationApproveView.as_view(),
        name="api-org-order-confirmation-approve",
    ),
    path(
        f"{org_order}confirmation/reject",
        ops.BuyerConfirmationRejectView.as_view(),
        name="api-org-order-confirmation-reject",
    ),
]

# Return to the buyer's cart
urlpatterns += [
    path(
        f"{brand}orders/<order_code:code>/return-to-cart",
        returns.ReturnToCartView.as_view(),
        name="api-brand-order-return",
    ),
    path(
        f"{organization}carts/<id:cart_id>/take-oc-quantities",
        carts.CartTakeOcQuantitiesView.as_view(),
        name="api-org-cart-take-oc",
    ),
]

# Order links

urlpatterns += [
    path(f"{brand}order-links", links.OrderLinkListView.as_view(), name="api-brand-order-links"),
    path(
        f"{brand}order-links/<id:link_id>",
        links.OrderLinkDetailView.as_view(),
        name="api-brand-order-link",
    ),
]

# Reporting: PDF documents, the xlsx export and analytics (read-only)

urlpatterns += [
    path(
        f"{brand}orders.xlsx",
        reports.BrandOrdersXlsxView.as_view(),
        name="api-brand-orders-xlsx",
    ),
    # Before orders/<code>/pdf: a code may hold "/" (see OrderCodeConverter).
    path(
        f"{brand}orders/<order_code:code>/confirmation/pdf",
        reports.BrandConfirmationPdfView.as_view(),
        name="api-brand-order-confirmation-pdf",
    ),
    path(
        f"{brand}orders/<order_code:code>/pdf",
        reports.BrandOrderPdfView.as_view(),
        name="api-brand-order-pdf",
    ),
    path(
        f"{brand}analytics/orders",
        reports.BrandOrderAnalyticsView.as_view(),
        name="api-brand-analytics-orders",
    ),
    path(
        f"{organization}orders/<id:order_id>/pdf",
        reports.BuyerOrderPdfView.as_view(),
        name="api-org-order-pdf",
    ),
    path(
        f"{organization}orders/<id:order_id>/confirmation/pdf",
        reports.BuyerConfirmationPdfView.as_view(),
        name="api-org-order-confirmation-pdf",
    ),
]

# Documents made in the background: line sheets, large order PDFs and exports

urlpatterns += [
    path(
        f"{brand}catalogs/<id:catalog_id>/line-sheet",
        documents.BrandLineSheetView.as_view(),
        name="api-brand-line-sheet",
    ),
    path(
        f"{brand}documents/<id:document_id>",
        documents.BrandDocumentView.as_view(),
        name="api-brand-document",
    ),
    path(
        f"{brand}documents/<id:document_id>/file",
        documents.BrandDocumentFileView.as_view(),
        name="api-brand-document-file",
    ),
    path(
        f"{brand}documents/<id:document_id>/retry",
        documents.BrandDocumentRetryView.as_view(),
        name="api-brand-document-retry",
    ),
    path(
        f"{organization}catalogs/<id:catalog_id>/line-sheet",
        documents.OrganizationLineSheetView.as_view(),
        name="api-org-line-sheet",
    ),
    path(
        f"{organization}documents/<id:document_id>",
        documents.OrganizationDocumentView.as_view(),
        name="api-org-document",
    ),
    path(
        f"{organization}documents/<id:document_id>/file",
        documents.OrganizationDocumentFileView.as_view(),
        name="api-org-document-file",
    ),
    path(
        f"{organization}documents/<id:document_id>/retry",
        documents.OrganizationDocumentRetryView.as_view(),
        name="api-org-document-retry",
    ),
]

# Last: a code may hold "/" (issued before the code alphabet, see OrderCodeConverter), so the
# order's own URL would take every route above that adds to it.
urlpatterns += [
    path(
        f"{brand}orders/<order_code:code>",
        orders.BrandOrderDetailView.as_view(),
        name="api-brand-order",
    ),
]
