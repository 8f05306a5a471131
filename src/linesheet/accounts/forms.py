"""Forms about one's own credentials, shared by the account page and the admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from linesheet.accounts.models import User


class CheckedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, the current password checked like a login.

    Django's own form asks the user object (`check_password`), which no attempt limit sees; a
    stolen session could then guess the password freely. Through `authenticate()` the check is
    counted at the login door, and a locked email raises `TooManyAttempts`.
    """

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["new_password1"].help_text = _("At least 8 characters; not a common password.")

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = str(self.cleaned_data["old_password"])
        if authenticate(self.request, username=self.user.email, password=old_password) is None:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password
