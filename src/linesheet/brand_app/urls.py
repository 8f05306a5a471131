"""Brand App routes, all under /brand/<brand slug>/."""

from __future__ import annotations

from django.urls import path

from linesheet.brand_app import views

urlpatterns = [
    path("<slug:brand>/", views.brand_home, name="brand-home"),
    path("<slug:brand>/orders/", views.order_list, name="brand-orders"),
    # Codes may hold "/" (a numbering prefix such as "AT/"), hence path, not str.
    path("<slug:brand>/orders/<path:code>/", views.order_detail, name="brand-order-detail"),
    path(
        "<slug:brand>/settings/numbering/",
        views.numbering_settings,
        name="brand-settings-numbering",
    ),
    path("<slug:brand>/buyers/", views.buyer_list, name="brand-buyers"),
    path("<slug:brand>/buyers/new/", views.buyer_create, name="brand-buyer-create"),
    path("<slug:brand>/buyers/<int:pk>/", views.buyer_detail, name="brand-buyer-detail"),
    path("<slug:brand>/invitations/new/", views.invitation_new, name="brand-invitation-create"),
    path(
        "<slug:brand>/invitations/<int:pk>/",
        views.invitation_detail,
        name="brand-invitation-detail",
    ),
    path("<slug:brand>/catalogs/", views.catalog_list, name="brand-catalogs"),
    path("<slug:brand>/catalogs/new/", views.catalog_new, name="brand-catalog-create"),
    path("<slug:brand>/catalogs/<int:pk>/", views.catalog_detail, name="brand-catalog-detail"),
    path("<slug:brand>/catalogs/<int:pk>/edit/", views.catalog_edit, name="brand-catalog-edit"),
    path(
        "<slug:brand>/catalogs/<int:pk>/products/new/",
        views.product_new,
        name="brand-product-create",
    ),
]
