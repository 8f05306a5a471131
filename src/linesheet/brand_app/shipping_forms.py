"""The shipping group form of the Brand App settings: a name, a currency and its rates as text,
one line per destination: `DE: 0 = 9.90, 200 = 0` (from a net amount, the fee; `*` for
everywhere else)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import ShippingGroup
from linesheet.brand_app.forms import CurrencyField
from linesheet.web.forms import DomainErrorForm

EVERYWHERE_ELSE = "*"
BAND = re.compile(r"^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$")


def rates_text(group: ShippingGroup) -> str:
    """Write a group's rates as the form reads them."""
    return "\n".join(
        f"{rate.country or EVERYWHERE_ELSE}: "
        + ", ".join(f"{band['from']} = {band['fee']}" for band in rate.bands)
        for rate in group.rates.all()
    )


class ShippingGroupForm(DomainErrorForm):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("E.g. Standard, Express."))
    currency = CurrencyField()
    rates = forms.CharField(
        label=_("Rates"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            "One line per country: its code, then bands as net amount = fee, e.g. "
            "“DE: 0 = 9.90, 200 = 0” (free from 200). “*” is everywhere else."
        ),
    )

    @classmethod
    def initial_of(cls, group: ShippingGroup) -> dict[str, Any]:
        return {"name": group.name, "currency": group.currency, "rates": rates_text(group)}

    def clean_rates(self) -> list[dict[str, Any]]:
        """Read the lines into rates for the service, which checks codes and amounts."""
        rates = []
        for line in str(self.cleaned_data["rates"]).splitlines():
            if not line.strip():
                continue
            country, colon, bands = line.partition(":")
            matches = [BAND.match(part) for part in bands.split(",") if part.strip()]
            if not colon or not matches or not all(matches):
                raise forms.ValidationError(
                    _("Write each line as a country code, a colon and bands: DE: 0 = 9.90."),
                    code="invalid_rates",
                )
            code = country.strip()
            rates.append(
                {
                    "country": "" if code == EVERYWHERE_ELSE else code,
                    "bands": [{"from": m[1], "fee": m[2]} for m in matches if m],
                }
            )
        return rates
