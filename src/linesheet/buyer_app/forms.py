"""Forms of the site root and the Buyer App: registration, organisations, invitations, ordering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import AddressKind, BuyerOrganization, OrganizationAddress
from linesheet.ordering.statuses import BUYER_LABELS
from linesheet.web.forms import DomainErrorForm, time_zone_field

NEW_ORGANIZATION = "new"


class AccountForm(DomainErrorForm):
    """The user's own settings: the time zone times are shown in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(
            automatic=str(_("Automatic")),
            help_text=str(
                _(
                    "Where the times you see are shown. Automatic: the time zone of the brand "
                    "or the organisation you work for on the page."
                )
            ),
        )


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


# --- Ordering ---------------------------------------------------------------------------------


SAVED_ADDRESS_LABELS: dict[str, Any] = {
    AddressKind.DELIVERY: _("Saved delivery address"),
    AddressKind.BILLING: _("Saved billing address"),
}


class CartDetailsForm(DomainErrorForm):
    desired_delivery_date = forms.DateField(
        label=_("Desired delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Comment for the brand"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "shipping street-address"}),
    )
    billing_address = forms.CharField(
        label=_("Billing address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "billing street-address"}),
    )

    def __init__(
        self, *args: Any, addresses: Sequence[OrganizationAddress] = (), **kwargs: Any
    ) -> None:
        """Offer the organisation's saved addresses of each kind beside the typed ones."""
        super().__init__(*args, **kwargs)
        self.addresses = {address.pk: address for address in addresses}
        for kind in AddressKind.values:
            saved = [address for address in addresses if address.kind == kind]
            if saved:
                self.fields[f"{kind}_address_from"] = forms.TypedChoiceField(
                    label=SAVED_ADDRESS_LABELS[kind],
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", _("As written below")), *[(a.pk, str(a)) for a in saved]],
                )

    def clean(self) -> dict[str, Any]:
        """A saved address chosen replaces what is typed: the cart keeps a copy of its text."""
        data = super().clean() or {}
        for kind in AddressKind.values:
            chosen = data.pop(f"{kind}_address_from", None)
            if chosen is not None and chosen in self.addresses:
                data[f"{kind}_address"] = self.addresses[chosen].text
        return data


class OrderFilterForm(DomainErrorForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *BUYER_LABELS.items()],
    )
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)


# --- The OC and the returned cart -------------------------------------------------------------

MAX_OC_NOTE_LENGTH = 2000  # as confirmation_reject allows


class OcRejectForm(DomainErrorForm):
    note = forms.CharField(
        label=_("Note to the brand"),
        required=False,
        max_length=MAX_OC_NOTE_LENGTH,
        help_text=_("What should change, so that the brand can update the OC."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TakeOcQuantitiesForm(DomainErrorForm):
    """Which of the brand's OC quantities to take into the returned cart: one SKU's, or all."""

    sku = forms.CharField(required=False, max_length=60)
    every = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("sku") and not cleaned.get("every"):
            raise forms.ValidationError(_("Choose a line, or take all of the brand's quantities."))
        return cleaned

    def sku_numbers(self) -> list[str] | None:
        """Return the SKU number to take, or None for all of them."""
        return None if self.cleaned_data["every"] else [self.cleaned_data["sku"]]
