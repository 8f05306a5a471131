"""The admin site: Django's, with the current password of a password change checked like a login."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from linesheet.accounts.forms import CheckedPasswordChangeForm


class CheckedPasswordChangeView(PasswordChangeView):
    """Django's password change view with `CheckedPasswordChangeForm`."""

    form_class = CheckedPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class AdminSite(admin.AdminSite):
    def password_change(  # type: ignore[override]  # a redirect once changed, as Django's
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseBase:
        """Change one's own password as Django's admin does, the current one checked by
        `authenticate()` so that its attempts are limited like any login's."""
        request.current_app = self.name
        view = CheckedPasswordChangeView.as_view(
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
            **(
                {"template_name": self.password_change_template}
                if self.password_change_template is not None
                else {}
            ),
        )
        return view(request)
