"""Forms of the brand's own order routes: a proxy order for a buyer, an imported order sheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, Buyer
from linesheet.accounts.selectors import buyers_of_brand
from linesheet.core.spreadsheets import XLSX_CONTENT_TYPE
from linesheet.ordering.services import OrderHeader
from linesheet.web.forms import DomainErrorForm


def _date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Desired delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _comment_field() -> forms.CharField:
    return forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        help_text=_("Shown on the order, to your team and to the buyer."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrderHeaderForm(DomainErrorForm):
    """What a proxy order carries besides its lines."""

    desired_delivery_date = _date_field()
    comment = _comment_field()
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    billing_address = forms.CharField(
        label=_("Billing address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, buyer: Buyer, **kwargs: Any) -> None:
        organization = buyer.organization
        if organization is not None:
            kwargs.setdefault(
                "initial",
                {
                    "delivery_address": organization.delivery_address,
                    "billing_address": organization.billing_address,
                },
            )
            hint = _("From %(organization)s's settings; change it for this order only.") % {
                "organization": organization.name
            }
        else:
            hint = _("%(buyer)s is offline: type the address for this order.") % {
                "buyer": buyer.name
            }
        super().__init__(*args, **kwargs)
        for name in ("delivery_address", "billing_address"):
            self.fields[name].help_text = hint

    def header(self) -> OrderHeader:
        """Return the header as the service takes it. Call after is_valid()."""
        data = self.cleaned_data
        return OrderHeader(
            desired_delivery_date=data["desired_delivery_date"],
            comment=data["comment"],
            delivery_address=data["delivery_address"],
            billing_address=data["billing_address"],
        )


class BuyerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        buyer: Buyer = obj
        if buyer.is_connected:
            return buyer.name
        return str(_("%(name)s (offline)") % {"name": buyer.name})


class SheetImportForm(DomainErrorForm):
    """The buyer to order for, the filled sheet, and what the sheet does not carry."""

    buyer = BuyerChoiceField(
        label=_("Buyer"),
        queryset=Buyer.objects.none(),
        empty_label=_("Choose a buyer"),
        error_messages={"invalid_choice": _("Choose one of your buyers from the list.")},
    )
    file = forms.FileField(
        label=_("Filled order sheet (.xlsx)"),
        help_text=_("The sheet downloaded from the catalog, with the quantities filled in."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    desired_delivery_date = _date_field()
    comment = _comment_field()

    def __init__(self, *args: Any, brand: Brand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["buyer"]
        field.queryset = buyers_of_brand(brand=brand)  # type: ignore[attr-defined]

    def header(self) -> OrderHeader:
        """Return the header as the service takes it. Call after is_valid()."""
        return OrderHeader(
            desired_delivery_date=self.cleaned_data["desired_delivery_date"],
            comment=self.cleaned_data["comment"],
        )
