"""Which tax rate a product is taxed at for a buyer: the brand's rate of the product's class
(standard or reduced) for the buyer's country, else the class's default, else none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from linesheet.accounts.models import Brand, TaxClass, TaxRate
from linesheet.core.tax import AppliedRate, Rounding


@dataclass(frozen=True)
class TaxRules:
    """A brand's rates as they apply to buyers of one country, and its rounding."""

    standard: AppliedRate | None
    reduced: AppliedRate | None
    rounding: Rounding

    def rate_for(self, tax_class: str) -> AppliedRate | None:
        """Return the rate a product of `tax_class` is taxed at (None: not taxed)."""
        if tax_class == TaxClass.REDUCED:
            return self.reduced
        return self.standard


def rates_for_country(
    rates: Iterable[TaxRate], *, country: str
) -> tuple[TaxRate | None, TaxRate | None]:
    """Return the (standard, reduced) rates for a buyer in `country`.

    The rates that name the country when any does, else the defaults. A class without a rate
    there is taxed at the other's standard rate: a product marked reduced is never untaxed
    because the brand keeps no reduced rate.
    """
    rates = list(rates)
    country = country.upper()
    named = [rate for rate in rates if country and country in rate.countries]
    pool = named or [rate for rate in rates if rate.is_default]
    standard = next((rate for rate in pool if not rate.reduced), None)
    reduced = next((rate for rate in pool if rate.reduced), None)
    return standard, reduced or standard


def tax_rules_for(*, brand: Brand, country: str) -> TaxRules:
    """Return the brand's tax rules today for a buyer in `country` (one query)."""
    rates = list(TaxRate.objects.filter(brand=brand))
    standard, reduced = rates_for_country(rates, country=country)
    return TaxRules(
        standard=standard.applied if standard else None,
        reduced=reduced.applied if reduced else None,
        rounding=brand.tax_rounding,
    )
