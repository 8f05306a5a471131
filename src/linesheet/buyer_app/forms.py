"""Forms of the site root and the Buyer App: registration, organisations, invitations, ordering."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import BuyerOrganization
from linesheet.catalog.models import SKU
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.time_zones import time_zone_names
from linesheet.ordering.statuses import BUYER_LABELS

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


def time_zone_field(*, automatic: str | None, help_text: str) -> forms.ChoiceField:
    """Return a choice of time zone; `automatic` names a first, empty choice, if any."""
    zones = [(name, name.replace("_", " ")) for name in time_zone_names()]
    return forms.ChoiceField(
        label=_("Time zone"),
        required=automatic is None,
        choices=[("", automatic), *zones] if automatic is not None else zones,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("Choose a time zone from the list."),
            "required": _("Choose a time zone from the list."),
        },
    )


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


def quantity_field_name(sku: SKU) -> str:
    return f"q{sku.pk}"  # QuantitiesForm.quantities() relies on this shape


class QuantitiesForm(DomainErrorForm):
    """One quantity input per SKU, pre-filled with what the cart holds.

    Only what the buyer changed goes to the cart: each input carries the value it was shown with
    in a hidden twin, so a colleague's change to another SKU while this page was open stays. An
    emptied input means 0, which removes the line. A remove button names one SKU to remove.
    """

    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        skus: Sequence[SKU],
        in_cart: Mapping[int, int],
        locked: Collection[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.skus = {quantity_field_name(sku): sku for sku in skus}
        self.in_cart = in_cart
        self.sent: list[str] = []
        for name, sku in self.skus.items():
            self.fields[name] = forms.IntegerField(
                label=_("%(color)s, %(size)s (%(sku)s)")
                % {"color": sku.color, "size": sku.size, "sku": sku.sku_number},
                required=False,
                initial=in_cart.get(sku.pk),
                show_hidden_initial=True,
                # A line that can no longer be ordered keeps its quantity; it can only go.
                disabled=sku.pk in locked,
                widget=forms.NumberInput(
                    attrs={"min": 0, "step": 1, "inputmode": "numeric", "class": "qty"}
                ),
            )

    def clean_remove(self) -> int | None:
        sku_id = self.cleaned_data.get("remove")
        if sku_id is not None and not any(sku.pk == sku_id for sku in self.skus.values()):
            return None  # that line is gone already (a colleague removed it): nothing to do
        return sku_id

    def quantities(self) -> dict[str, int]:
        """Return {SKU number: quantity} for what changed; 0 removes a line."""
        changed: dict[str, int] = {}
        for name in self.changed_data:
            if name in self.skus:
                changed[name] = self.cleaned_data.get(name) or 0
        remove = self.cleaned_data.get("remove")
        if remove is not None:
            changed[f"q{remove}"] = 0  # clean_remove made sure it is one of the inputs
        # A 0 where the cart holds nothing has nothing to remove.
        changed = {
            name: quantity
            for name, quantity in changed.items()
            if quantity != 0 or self.skus[name].pk in self.in_cart
        }
        # Positive quantities first: the cart service numbers its field errors (lines.N...)
        # among all lines sent, or among the positive ones only; with those leading, both
        # numberings point at the same input.
        self.sent = sorted(changed, key=lambda name: changed[name] == 0)
        return {self.skus[name].sku_number: changed[name] for name in self.sent}

    def add_domain_error(self, error: DomainError) -> None:
        """Put a refused line's message on its own input (`lines.3.quantity`), the rest on top."""
        if not isinstance(error, InvalidInput):
            super().add_domain_error(error)
            return
        for key, problems in error.params.get("errors", {}).items():
            target = self._field_of(key)
            for problem in problems:
                self.add_error(target, problem["message"])

    def _field_of(self, key: str) -> str | None:
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.sent):
                return self.sent[index]
        return None


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
