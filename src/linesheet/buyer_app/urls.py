from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def _placeholder(request: HttpRequest, token: str = "") -> HttpResponse:
    return HttpResponse("linesheet")


urlpatterns = [
    path("", _placeholder, name="home"),
    path("invitations/<str:token>/", _placeholder, name="invitation-accept"),
]
