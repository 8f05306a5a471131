"""Form pieces both web apps use: refusals shown on the form, the time zone choice, the
quantity inputs of a catalog grid or a cart."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.catalog.models import SKU
from linesheet.core.errors import DomainError, InvalidInput
from linesheet.core.time_zones import time_zone_names


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


class GalleryFilters(TypedDict):
    """A gallery's filters as catalog.selectors.catalog_gallery_products takes them."""

    text: str
    color: str
    category: str


class GalleryFilterForm(forms.Form):
    """The filters of a catalog's gallery, read from the page's query string.

    Colours and categories are chosen from those the catalog has: anything else is refused
    on its field, and the filters that are valid still apply.
    """

    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or model number")}),
    )
    color = forms.ChoiceField(label=_("Colour"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(
        self, data: Mapping[str, Any], *, colors: Sequence[str], categories: Sequence[str]
    ) -> None:
        super().__init__(data)
        color = self.fields["color"]
        category = self.fields["category"]
        assert isinstance(color, forms.ChoiceField) and isinstance(category, forms.ChoiceField)
        color.choices = [("", _("All colours")), *((name, name) for name in colors)]
        category.choices = [("", _("All categories")), *((name, name) for name in categories)]

    def filters(self) -> GalleryFilters:
        """Return the valid filters as the gallery's selector takes them (blank: not set)."""
        self.is_valid()
        data = self.cleaned_data
        return GalleryFilters(
            text=data.get("q", ""), color=data.get("color", ""), category=data.get("category", "")
        )

    @property
    def filtering(self) -> bool:
        return any(self.filters().values())


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
