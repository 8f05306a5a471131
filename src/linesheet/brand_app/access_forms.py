"""Forms of who sees the brand's limited catalogs: buyer groups and a catalog's access list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import Buyer
from linesheet.catalog.models import BuyerGroup
from linesheet.web.forms import DomainErrorForm


def _buyer_label(buyer: Buyer) -> str:
    if buyer.organization_id is None:
        return f"{buyer.name} ({_('offline: sees no catalog until connected')})"
    return buyer.name


def _buyers_field(buyers: Sequence[Buyer], *, label: str, help_text: str) -> forms.Field:
    return forms.TypedMultipleChoiceField(
        label=label,
        required=False,
        coerce=int,
        choices=[(buyer.pk, _buyer_label(buyer)) for buyer in buyers],
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class BuyerGroupNewForm(DomainErrorForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_('For example "Key accounts" or "Japan". Add its buyers next.'),
    )


class BuyerGroupForm(DomainErrorForm):
    """The group's name and its buyers, the whole set."""

    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, buyers: Sequence[Buyer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyers"] = _buyers_field(
            buyers,
            label=str(_("Buyers in the group")),
            help_text=str(
                _(
                    "A buyer taken out loses the limited catalogs it saw only through this "
                    "group, and its open cart for them; it is told by email."
                )
            ),
        )


class CatalogAccessForm(DomainErrorForm):
    """A catalog's access list: groups, and buyers named one by one."""

    def __init__(
        self,
        *args: Any,
        buyers: Sequence[Buyer],
        groups: Sequence[BuyerGroup],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"] = forms.TypedMultipleChoiceField(
            label=_("Groups"),
            required=False,
            coerce=int,
            choices=[
                (group.pk, f"{group.name} ({getattr(group, 'buyer_count', 0)})") for group in groups
            ],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["buyers"] = _buyers_field(
            buyers,
            label=str(_("Buyers")),
            help_text=str(
                _(
                    "A buyer taken off the list keeps its placed orders but loses its open cart "
                    "for this catalog; it is told by email."
                )
            ),
        )
