"""Routes at the site root: home, login, registration and the Buyer App."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from linesheet.buyer_app import (
    account_views,
    cart_views,
    catalog_views,
    document_views,
    link_views,
    order_views,
    organization_views,
    report_views,
    views,
)
from linesheet.buyer_app.forms import EmailLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("account/", account_views.account, name="account"),
    path("account/password/", account_views.account_password, name="account-password"),
    path("account/tokens/", account_views.account_token_create, name="account-tokens"),
    path(
        "account/tokens/<id:pk>/revoke/",
        account_views.account_token_revoke,
        name="account-token-revoke",
    ),
    path("organizations/", views.organization_choose, name="organization-choose"),
    path("brands/", views.buyer_home, name="buyer-home"),
    path("catalogs/<id:pk>/", catalog_views.buyer_catalog, name="buyer-catalog"),
    path(
        "catalogs/<id:pk>/products/<id:product_id>/",
        catalog_views.buyer_catalog_product,
        name="buyer-catalog-product",
    ),
    path(
        "catalogs/<id:pk>/order-sheet.xlsx",
        catalog_views.buyer_order_sheet,
        name="buyer-order-sheet",
    ),
    path(
        "catalogs/<id:pk>/line-sheet/",
        document_views.line_sheet_request,
        name="buyer-line-sheet",
    ),
    path("documents/<id:pk>/", document_views.document_detail, name="buyer-document"),
    path("documents/<id:pk>/status/", document_views.document_status, name="buyer-document-status"),
    path("documents/<id:pk>/file/", document_views.document_file, name="buyer-document-file"),
    path(
        "documents/<id:pk>/retry/", document_views.document_retry_view, name="buyer-document-retry"
    ),
    path("carts/", cart_views.cart_list, name="buyer-carts"),
    path("carts/<id:pk>/", cart_views.cart_detail, name="buyer-cart"),
    path("carts/<id:pk>/lines/", cart_views.cart_lines_update, name="buyer-cart-lines"),
    path("carts/<id:pk>/details/", cart_views.cart_details_update, name="buyer-cart-details"),
    path("carts/<id:pk>/take-oc/", cart_views.cart_take_oc, name="buyer-cart-take-oc"),
    path("carts/<id:pk>/delete/", cart_views.cart_delete_view, name="buyer-cart-delete"),
    path("carts/<id:pk>/place/", cart_views.cart_place, name="buyer-cart-place"),
    path("orders/", order_views.order_list, name="buyer-orders"),
    path("orders/<id:pk>/", order_views.order_detail_page, name="buyer-order"),
    path("orders/<id:pk>/oc/approve/", order_views.order_oc_approve, name="buyer-oc-approve"),
    path("orders/<id:pk>/oc/reject/", order_views.order_oc_reject, name="buyer-oc-reject"),
    path("orders/<id:pk>/placed/", order_views.order_placed, name="buyer-order-placed"),
    path("invitations/<token:token>/", views.invitation_accept_page, name="invitation-accept"),
]

# The organisation: its members, their invitations and its address book

urlpatterns += [
    path("organization/", organization_views.organization_page, name="buyer-organization"),
    path(
        "organization/members/<id:member_id>/remove/",
        organization_views.member_remove,
        name="buyer-organization-member-remove",
    ),
    path(
        "organization/invitations/<id:invitation_id>/resend/",
        organization_views.invitation_resend,
        name="buyer-organization-invitation-resend",
    ),
    path(
        "organization/invitations/<id:invitation_id>/revoke/",
        organization_views.invitation_revoke,
        name="buyer-organization-invitation-revoke",
    ),
    path(
        "organization/addresses/",
        organization_views.address_add,
        name="buyer-organization-addresses",
    ),
    path(
        "organization/addresses/<id:address_id>/",
        organization_views.address_change,
        name="buyer-organization-address-change",
    ),
    path(
        "organization/addresses/<id:address_id>/default/",
        organization_views.address_default,
        name="buyer-organization-address-default",
    ),
    path(
        "organization/addresses/<id:address_id>/remove/",
        organization_views.address_remove,
        name="buyer-organization-address-remove",
    ),
]

# Order links: a brand's link to one catalog, open to anyone who has it

urlpatterns += [
    path("l/<token:token>/", link_views.order_link_page, name="order-link"),
    path("l/<token:token>/register/", link_views.order_link_register, name="order-link-register"),
]

# Reporting: an order's PDF documents (read-only)

urlpatterns += [
    path("orders/<id:pk>/order.pdf", report_views.order_pdf, name="buyer-order-pdf"),
    path(
        "orders/<id:pk>/confirmation.pdf",
        report_views.order_confirmation_pdf,
        name="buyer-order-confirmation-pdf",
    ),
]
