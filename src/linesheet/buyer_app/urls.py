"""Routes at the site root: home, login, registration and the Buyer App."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from linesheet.buyer_app import views
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
    path("organizations/", views.organization_choose, name="organization-choose"),
    path("brands/", views.buyer_home, name="buyer-home"),
    path("catalogs/<int:pk>/", views.buyer_catalog, name="buyer-catalog"),
    path("invitations/<str:token>/", views.invitation_accept_page, name="invitation-accept"),
]
