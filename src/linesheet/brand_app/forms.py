"""Brand App forms: they parse input into what a service takes; the rules live in the service."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import LANGUAGE_CHOICES, Brand, Buyer, ShippingGroup
from linesheet.accounts.selectors import buyers_of_brand
from linesheet.catalog.models import CatalogStatus
from linesheet.catalog.selectors import catalogs_of_brand
from linesheet.catalog.services import SkuInput
from linesheet.ordering.models import OrderNumbering, OrderRoute
from linesheet.ordering.selectors import OrderFilters, tags_of_brand
from linesheet.ordering.statuses import status_labels
from linesheet.web.forms import DomainErrorForm, time_zone_field

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


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
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        help_text=_("Two-letter code (e.g. FR, JP): the buyer is taxed at your rates there."),
    )
    tax_id = forms.CharField(label=_("Tax ID"), max_length=40, required=False)


class BuyerTaxForm(DomainErrorForm):
    """Where the buyer is taxed and its tax ID, printed on the documents."""

    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        help_text=_("Two-letter code (e.g. FR, JP): the buyer is taxed at your rates there."),
    )
    tax_id = forms.CharField(label=_("Tax ID"), max_length=40, required=False)


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
    shipping_group_id = forms.ModelChoiceField(
        label=_("Shipping fees"),
        queryset=ShippingGroup.objects.none(),
        required=False,
        empty_label=_("No shipping fee"),
        help_text=_("The fee its carts and orders are charged, in the catalog's currency."),
    )

    def __init__(self, *args: Any, brand: Brand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shipping_group_id"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ShippingGroup.objects.filter(brand=brand)

    def clean_shipping_group_id(self) -> int | None:
        group = self.cleaned_data.get("shipping_group_id")
        return group.pk if group is not None else None

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class ProductForm(DomainErrorForm):
    model_number = forms.CharField(
        label=_("Model number"),
        max_length=60,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.CharField(
        label=_("Category"),
        max_length=60,
        required=False,
        help_text=_("Optional: what buyers filter the catalog by, e.g. Knitwear."),
    )


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


# --- Orders -----------------------------------------------------------------------------------

# The Archive filter's values: what it shows beside "" (the orders not archived).
ARCHIVED = "yes"
ARCHIVED_OR_NOT = "all"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _pick(message: StrOrPromise) -> dict[str, StrOrPromise]:
    """Say what to do about a value the list does not offer (an edited link, mostly)."""
    return {"invalid_choice": message}


class OrderFilterForm(forms.Form):
    """Order Management's search (GET): every field optional, a bad value is a field error."""

    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Order code or buyer"), "spellcheck": "false"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, error_messages=_pick(_("Choose a status from the list."))
    )
    buyer = forms.TypedChoiceField(
        label=_("Buyer"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_pick(_("Choose one of your buyers from the list.")),
    )
    catalog = forms.TypedChoiceField(
        label=_("Catalog"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_pick(_("Choose one of your catalogs from the list.")),
    )
    route = forms.ChoiceField(
        label=_("Route"),
        required=False,
        choices=[("", _("Any route")), *OrderRoute.choices],
        error_messages=_pick(_("Choose a route from the list.")),
    )
    code = forms.CharField(
        label=_("Code starts with"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )
    placed_from = forms.DateField(label=_("Placed from"), required=False, widget=_date_input())
    placed_to = forms.DateField(label=_("Placed to"), required=False, widget=_date_input())
    tag = forms.ChoiceField(
        label=_("Tag"), required=False, error_messages=_pick(_("Choose one of your tags."))
    )
    archived = forms.ChoiceField(
        label=_("Archive"),
        required=False,
        choices=[
            ("", _("Not archived")),
            (ARCHIVED, _("Archived")),
            (ARCHIVED_OR_NOT, _("All, archived or not")),
        ],
        error_messages=_pick(_("Choose archived, not archived or all.")),
    )

    # Shown behind "More filters" unless one of them is in use.
    MORE = ("buyer", "catalog", "route", "code", "placed_from", "placed_to", "tag", "archived")

    def __init__(self, *args: Any, brand: Brand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["status"].choices = [
            ("", _("Any status")),
            *status_labels(side="brand").items(),
        ]
        fields["buyer"].choices = [
            ("", _("Any buyer")),
            *buyers_of_brand(brand=brand).values_list("pk", "name"),
        ]
        fields["tag"].choices = [
            ("", _("Any tag")),
            *((name, name) for name in tags_of_brand(brand=brand).values_list("name", flat=True)),
        ]
        fields["catalog"].choices = [
            ("", _("Any catalog")),
            *(
                (pk, f"{code} · {name}")
                for pk, code, name in catalogs_of_brand(brand=brand).values_list(
                    "pk", "code", "name"
                )
            ),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("placed_from"), cleaned.get("placed_to")
        if start and end and end < start:
            self.add_error("placed_to", _("The end date is before the start date."))
        return cleaned

    @property
    def more_in_use(self) -> bool:
        """Say whether the secondary filters should start unfolded (in use, or wrong)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) or self.errors.get(name) for name in self.MORE)

    def filters(self) -> OrderFilters:
        """Return the search as the selector takes it. Call after is_valid()."""
        data = self.cleaned_data
        return OrderFilters(
            status=data["status"] or None,
            buyer_id=data["buyer"],
            catalog_id=data["catalog"],
            route=data["route"] or None,
            code_prefix=data["code"] or None,
            placed_from=data["placed_from"],
            placed_to=data["placed_to"],
            archived=None if data["archived"] == ARCHIVED_OR_NOT else data["archived"] == ARCHIVED,
            q=data["q"] or None,
            tag=data["tag"] or None,
        )


def order_search_query(filters: OrderFilters) -> str:
    """Return Order Management's query string for the search: what filters() reads back."""
    params: dict[str, object] = {
        "q": filters.q,
        "status": filters.status,
        "buyer": filters.buyer_id,
        "catalog": filters.catalog_id,
        "route": filters.route,
        "code": filters.code_prefix,
        "placed_from": filters.placed_from.isoformat() if filters.placed_from else None,
        "placed_to": filters.placed_to.isoformat() if filters.placed_to else None,
        "tag": filters.tag,
        "archived": {False: None, True: ARCHIVED, None: ARCHIVED_OR_NOT}[filters.archived],
    }
    return urlencode({name: value for name, value in params.items() if value is not None})


_AFFIX_ATTRS = {"spellcheck": "false", "autocapitalize": "characters", "maxlength": "12"}


class OrderNumberingForm(DomainErrorForm):
    """The brand's rule for order codes; the service checks the values."""

    date_format = forms.ChoiceField(
        label=_("Date prefix"), required=False, choices=OrderNumbering.DateFormat.choices
    )
    # Named as the service names it, so its errors land here. The metaclass moves fields off
    # the class, so this does not shadow Form.prefix at run time.
    prefix = forms.CharField(  # type: ignore[assignment]
        label=_("Prefix"), required=False, widget=forms.TextInput(attrs=_AFFIX_ATTRS)
    )
    width = forms.IntegerField(
        label=_("Digits"),
        widget=forms.NumberInput(attrs={"min": "1", "max": "12", "inputmode": "numeric"}),
    )
    suffix = forms.CharField(
        label=_("Suffix"), required=False, widget=forms.TextInput(attrs=_AFFIX_ATTRS)
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each date prefix with what it writes today, e.g. "Year (2027)".
        field: Any = self.fields["date_format"]
        field.choices = [
            (value, f"{label} ({today.strftime(value)})" if value else label)
            for value, label in OrderNumbering.DateFormat.choices
        ]


class BrandTimeZoneForm(DomainErrorForm):
    """The brand's time zone: its staff's times, unless they chose their own, and its
    documents'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(
            automatic=None,
            help_text=str(
                _(
                    "Times in the Brand App are shown in it to members who did not choose their "
                    "own, and the brand's PDFs and Excel exports show times in it."
                )
            ),
        )
