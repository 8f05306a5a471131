"""Brand App forms of the brand's tax settings: legal identity, rounding and tax rates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Brand, TaxRoundingMode, TaxRoundingScope
from linesheet.web.forms import DomainErrorForm

BANK_SLOTS = 3


class TaxIdentityForm(DomainErrorForm):
    """The legal identity printed on every document, how tax is rounded, and bank accounts."""

    legal_name = forms.CharField(label=_("Legal company name"), max_length=200, required=False)
    legal_address = forms.CharField(
        label=_("Registered address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tax_id = forms.CharField(
        label=_("Tax ID"),
        max_length=40,
        required=False,
        help_text=_("Your VAT or tax registration number, e.g. DE123456789."),
    )
    tax_rounding_mode = forms.ChoiceField(label=_("Round tax"), choices=TaxRoundingMode.choices)
    tax_rounding_scope = forms.ChoiceField(
        label=_("Round"),
        choices=TaxRoundingScope.choices,
        help_text=_(
            "Per line: each line's tax is rounded to the cent. Per document: each rate's tax is "
            "rounded once, over all the lines at that rate."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(1, BANK_SLOTS + 1):
            self.fields[f"bank_{slot}_label"] = forms.CharField(
                label=_("Account name"), max_length=60, required=False
            )
            self.fields[f"bank_{slot}_iban"] = forms.CharField(
                label=_("IBAN"), max_length=40, required=False
            )
            self.fields[f"bank_{slot}_bic"] = forms.CharField(
                label=_("BIC"), max_length=11, required=False
            )
            self.fields[f"bank_{slot}_details"] = forms.CharField(
                label=_("Or the account's details"),
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def bank_slots(self) -> list[list[forms.BoundField]]:
        """The bank account fields, a list per account, for the template."""
        return [
            [self[f"bank_{slot}_{name}"] for name in ("label", "iban", "bic", "details")]
            for slot in range(1, BANK_SLOTS + 1)
        ]

    def bank_accounts(self) -> list[dict[str, str]]:
        """Return the accounts filled in, as the service takes them."""
        accounts = []
        for slot in range(1, BANK_SLOTS + 1):
            account = {
                name: self.cleaned_data.get(f"bank_{slot}_{name}", "")
                for name in ("label", "iban", "bic", "details")
            }
            if any(account.values()):
                accounts.append(account)
        return accounts

    @classmethod
    def initial_of(cls, brand: Brand) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "legal_name": brand.legal_name,
            "legal_address": brand.legal_address,
            "tax_id": brand.tax_id,
            "tax_rounding_mode": brand.tax_rounding_mode,
            "tax_rounding_scope": brand.tax_rounding_scope,
        }
        for slot, account in enumerate(brand.bank_accounts[:BANK_SLOTS], 1):
            for name in ("label", "iban", "bic", "details"):
                initial[f"bank_{slot}_{name}"] = account.get(name, "")
        return initial


class TaxRateForm(DomainErrorForm):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("E.g. VAT, GST, JCT."))
    rate = forms.DecimalField(
        label=_("Rate (%)"), min_value=0, max_value=100, max_digits=6, decimal_places=3
    )
    reduced = forms.BooleanField(label=_("Reduced rate"), required=False)
    countries = forms.CharField(
        label=_("Countries"),
        max_length=400,
        required=False,
        help_text=_("Two-letter codes, separated by commas: buyers there get this rate."),
    )
    is_default = forms.BooleanField(
        label=_("Default of its kind"),
        required=False,
        help_text=_("For buyers in a country no rate names."),
    )

    def countries_list(self) -> list[str]:
        text = self.cleaned_data.get("countries", "")
        return [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part]
