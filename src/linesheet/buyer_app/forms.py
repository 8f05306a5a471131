"""Forms of the site root and the Buyer App: registration, organisation choice, invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import BuyerOrganization
from linesheet.core.errors import DomainError, InvalidInput

NEW_ORGANIZATION = "new"


class DomainErrorForm(forms.Form):
    """A form that shows a service's refusal: field errors on their fields, the rest on top."""

    def add_domain_error(self, error: DomainError) -> None:
        """Put the refusal's messages where the user looks for them."""
        if not isinstance(error, InvalidInput):
            self.add_error(None, error.message)
            return
        for field, problems in error.params.get("errors", {}).items():
            target = field if field in self.fields else None
            for problem in problems:
                self.add_error(target, problem["message"])


class EmailLoginForm(AuthenticationForm):
    """Log in by email, typed in any case (accounts store it in lower case)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email or password is not correct."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


class RegisterForm(DomainErrorForm):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class OrganizationChoiceForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organisation"), coerce=int)

    def __init__(self, *args: Any, organizations: list[BuyerOrganization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(org.pk, org.name) for org in organizations]  # type: ignore[attr-defined]


class InvitationAcceptForm(DomainErrorForm):
    """Accept for one of the user's organisations, or for a new one by name."""

    organization = forms.ChoiceField(
        label=_("Accept for"), widget=forms.RadioSelect, initial=NEW_ORGANIZATION
    )
    new_organization_name = forms.CharField(
        label=_("Name of the new organisation"),
        max_length=200,
        required=False,
        help_text=_("Your shop or company, when you accept for a new organisation."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[BuyerOrganization],
        preselect: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(str(org.pk), str(org.name)) for org in organizations]
        choices.append((NEW_ORGANIZATION, str(_("A new organisation"))))
        field = self.fields["organization"]
        field.choices = choices  # type: ignore[attr-defined]
        if organizations:
            ids = [org.pk for org in organizations]
            field.initial = str(preselect if preselect in ids else ids[0])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("organization") == NEW_ORGANIZATION
            and not cleaned.get("new_organization_name", "").strip()
        ):
            self.add_error("new_organization_name", _("Give the new organisation a name."))
        return cleaned

    @property
    def organization_id(self) -> int | None:
        """Return the chosen organisation's id, or None for a new organisation."""
        value = self.cleaned_data["organization"]
        return None if value == NEW_ORGANIZATION else int(value)
