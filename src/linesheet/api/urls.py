"""API routes under /api/v1/."""

from __future__ import annotations

from django.urls import path

from linesheet.api import views

urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("me", views.MeView.as_view(), name="api-me"),
]
