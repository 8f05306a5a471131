"""Forms of an order link's pages: register with a new organisation, open the link's cart."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import BuyerOrganization
from linesheet.buyer_app.forms import InvitationAcceptForm, RegisterForm

ORGANIZATION_NAME_MAX_LENGTH = 200


class OrderLinkRegisterForm(RegisterForm):
    """A new account together with the buyer organisation it orders for."""

    field_order = ["email", "full_name", "organization_name", "password"]

    organization_name = forms.CharField(
        label=_("Your shop or company"),
        max_length=ORGANIZATION_NAME_MAX_LENGTH,
        help_text=_(
            "The buyer organisation that orders. Its carts and orders are shared by its members."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Give your organisation a name.")},
    )


class OrderLinkOpenForm(InvitationAcceptForm):
    """Which organisation orders (one of the user's, or a new one) and the link's passcode."""

    passcode = forms.CharField(
        label=_("Passcode"),
        max_length=64,
        required=False,
        help_text=_("The brand gave it to you with the link."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[BuyerOrganization],
        preselect: int | None = None,
        needs_passcode: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, organizations=organizations, preselect=preselect, **kwargs)
        self.fields["organization"].label = _("Order for")
        self.fields["new_organization_name"].help_text = _(
            "Your shop or company, when a new organisation orders."
        )
        if needs_passcode:
            self.fields["passcode"].required = True
            self.fields["passcode"].error_messages["required"] = _(
                "Enter the passcode the brand gave you."
            )
        else:
            del self.fields["passcode"]
