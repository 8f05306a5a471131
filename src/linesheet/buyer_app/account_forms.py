"""Forms of the account page (the password change form is `accounts.forms`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the integration that will use it."),
        error_messages={"required": _("Name the token.")},
    )
