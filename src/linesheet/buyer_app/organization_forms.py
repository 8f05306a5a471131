"""The organisation page's forms: invite a member, add or change an address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import AddressKind
from linesheet.accounts.organization_members import ADDRESS_MAX_LENGTH
from linesheet.web.forms import DomainErrorForm


class OrganizationInviteForm(DomainErrorForm):
    email = forms.EmailField(label=_("Email"), max_length=254)


class AddressForm(DomainErrorForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    label = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("How you tell it apart at checkout, e.g. “Paris shop” or “Warehouse”."),
    )
    text = forms.CharField(
        label=_("Address"),
        max_length=ADDRESS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    is_default = forms.BooleanField(label=_("Make it the default"), required=False)


class AddressChangeForm(DomainErrorForm):
    label = forms.CharField(label=_("Name"), required=False, max_length=100)
    text = forms.CharField(
        label=_("Address"), max_length=ADDRESS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
