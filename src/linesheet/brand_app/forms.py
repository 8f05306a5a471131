"""Brand App forms: they parse input into what a service takes; the rules live in the service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import LANGUAGE_CHOICES, Brand, Buyer
from linesheet.accounts.selectors import buyers_of_brand
from linesheet.buyer_app.forms import DomainErrorForm
from linesheet.catalog.models import CatalogStatus
from linesheet.catalog.services import SkuInput


class CurrencyField(forms.CharField):
    """An ISO 4217 code; typed in any case, kept in capitals."""

    default_validators = [
        RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter currency code, such as EUR."))
    ]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"size": 4, "autocapitalize": "characters", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


def wholesale_rate_field(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Wholesale rate"),
        min_value=Decimal("0.0001"),
        max_value=Decimal("1"),
        max_digits=5,
        decimal_places=4,
        help_text=_("The share of the retail price the buyer pays: 0.5 is 50 %."),
        widget=forms.NumberInput(attrs={"step": "0.0001", "min": "0.0001", "max": "1"}),
        **kwargs,
    )


def language_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")


def brand_terms(brand: Brand) -> dict[str, Any]:
    """Return the brand's default trading terms, to start a new buyer's form with."""
    return {"currency": brand.default_currency, "wholesale_rate": brand.default_wholesale_rate}


class OfflineBuyerForm(DomainErrorForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        help_text=_("Optional. Order confirmations for offline buyers go here."),
    )
    currency = CurrencyField()
    wholesale_rate = wholesale_rate_field()
    language = language_field()


class InvitationForm(DomainErrorForm):
    """Invite an address to connect: an existing offline buyer, or a new buyer with terms."""

    email = forms.EmailField(
        label=_("Email to invite"),
        help_text=_("The invitation link is sent here; you can also copy it afterwards."),
    )
    buyer = forms.ModelChoiceField(
        label=_("Buyer"),
        queryset=Buyer.objects.none(),
        required=False,
        empty_label=_("A new buyer (terms below)"),
        help_text=_("Connect one of your offline buyers, or create a new buyer."),
    )
    name = forms.CharField(
        label=_("Buyer name"),
        max_length=200,
        required=False,
        help_text=_("For a new buyer. Left empty, the email address is used."),
    )
    currency = CurrencyField()
    wholesale_rate = wholesale_rate_field()
    language = language_field()

    def __init__(self, *args: Any, brand: Brand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["buyer"]
        field.queryset = buyers_of_brand(brand=brand).filter(organization__isnull=True)  # type: ignore[attr-defined]


class CatalogForm(DomainErrorForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and unique within your brand, e.g. SS26."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=CatalogStatus.choices, initial=CatalogStatus.OPEN
    )
    order_deadline = forms.DateField(
        label=_("Order deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    currency = CurrencyField()
    consignment = forms.BooleanField(
        label=_("Consignment catalog"),
        required=False,
        help_text=_("Holds partner (consignment) inventory; its orders are tied to it."),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class ProductForm(DomainErrorForm):
    model_number = forms.CharField(
        label=_("Model number"),
        max_length=60,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Name"), max_length=200)


class SkuForm(forms.Form):
    """One SKU row: a colour x size of the product with its retail price."""

    sku_number = forms.CharField(
        label=_("SKU number"), max_length=60, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    color = forms.CharField(label=_("Colour"), max_length=60)
    size = forms.CharField(label=_("Size"), max_length=20)
    retail_price = forms.DecimalField(
        label=_("Retail price"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class BaseSkuFormSet(forms.BaseFormSet):
    """The SKU rows of a new product; blank rows are ignored (the service wants at least one)."""

    def sku_inputs(self) -> list[SkuInput]:
        """Return the filled rows, in the order shown; blank rows are left out."""
        return [
            SkuInput(
                sku_number=form.cleaned_data["sku_number"],
                color=form.cleaned_data["color"],
                size=form.cleaned_data["size"],
                retail_price=form.cleaned_data["retail_price"],
            )
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


SkuFormSet = forms.formset_factory(SkuForm, formset=BaseSkuFormSet, extra=4, max_num=200)
