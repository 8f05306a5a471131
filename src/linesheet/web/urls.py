"""Routes both apps share: joining a team from an invitation link."""

from __future__ import annotations

from django.urls import path

from linesheet.web import join_views

urlpatterns = [
    path("brand/<token:token>/", join_views.brand_invitation_page, name="member-invitation-accept"),
    path(
        "organization/<token:token>/",
        join_views.organization_invitation_page,
        name="organization-invitation-accept",
    ),
]
