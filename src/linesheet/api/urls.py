"""API routes under /api/v1/."""

from __future__ import annotations

from django.urls import path

from linesheet.api import brand_views, buyer_views, order_views, views

brand = "brands/<slug:brand>/"
organization = "buyer-orgs/<int:org>/"

urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("me", views.MeView.as_view(), name="api-me"),
    # Brand side
    path(f"{brand}catalogs", brand_views.CatalogListView.as_view(), name="api-brand-catalogs"),
    path(
        f"{brand}catalogs/<int:catalog_id>",
        brand_views.CatalogDetailView.as_view(),
        name="api-brand-catalog",
    ),
    path(
        f"{brand}catalogs/<int:catalog_id>/products",
        brand_views.CatalogProductsView.as_view(),
        name="api-brand-catalog-products",
    ),
    path(f"{brand}buyers", brand_views.BuyerListView.as_view(), name="api-brand-buyers"),
    path(
        f"{brand}buyers/<int:buyer_id>",
        brand_views.BuyerDetailView.as_view(),
        name="api-brand-buyer",
    ),
    path(
        f"{brand}invitations",
        brand_views.InvitationCreateView.as_view(),
        name="api-brand-invitations",
    ),
    # Buyer side
    path(
        "invitations/<str:token>/accept",
        buyer_views.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path(
        f"{organization}catalogs",
        buyer_views.OrganizationCatalogListView.as_view(),
        name="api-org-catalogs",
    ),
    path(
        f"{organization}catalogs/<int:catalog_id>",
        buyer_views.OrganizationCatalogDetailView.as_view(),
        name="api-org-catalog",
    ),
]

# Orders and carts
urlpatterns += [
    path(f"{brand}orders", order_views.BrandOrderListView.as_view(), name="api-brand-orders"),
    path(
        f"{brand}orders/<str:code>",
        order_views.BrandOrderDetailView.as_view(),
        name="api-brand-order",
    ),
    path(f"{organization}carts", order_views.CartListView.as_view(), name="api-org-carts"),
    path(
        f"{organization}carts/<int:cart_id>",
        order_views.CartDetailView.as_view(),
        name="api-org-cart",
    ),
    path(
        f"{organization}carts/<int:cart_id>/lines",
        order_views.CartLinesView.as_view(),
        name="api-org-cart-lines",
    ),
    path(
        f"{organization}carts/<int:cart_id>/order",
        order_views.CartOrderView.as_view(),
        name="api-org-cart-order",
    ),
    path(f"{organization}orders", order_views.BuyerOrderListView.as_view(), name="api-org-orders"),
    path(
        f"{organization}orders/<int:order_id>",
        order_views.BuyerOrderDetailView.as_view(),
        name="api-org-order",
    ),
]
