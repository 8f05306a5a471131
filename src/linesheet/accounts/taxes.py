"""A brand's tax rates, how it rounds tax, and its legal identity printed on documents.

Changing a rate never changes a placed order or a saved OC: they keep the rates they were
written with (ordering.taxes). Every refusal is an InvalidInput with a code per field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linesheet.accounts.models import (
    Brand,
    Buyer,
    TaxRate,
    TaxRoundingMode,
    TaxRoundingScope,
)
from linesheet.core.errors import InvalidInput

COUNTRY = re.compile(r"^[A-Z]{2}$")
IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
MAX_BANK_ACCOUNTS = 5
MAX_COUNTRIES = 60
BANK_FIELDS = ("label", "iban", "bic", "details")


def countries_checked(countries: Iterable[str], *, field: str = "countries") -> list[str]:
    """Return ISO 3166-1 alpha-2 codes, upper case, each once; refuse anything else."""
    result: list[str] = []
    for country in countries:
        code = str(country).strip().upper()
        if not COUNTRY.match(code):
            raise InvalidInput.field(
                field,
                "invalid_country",
                _("%(country)s is not a two-letter country code (ISO 3166-1), e.g. DE or JP.")
                % {"country": str(country)[:20]},
            )
        if code not in result:
            result.append(code)
    if len(result) > MAX_COUNTRIES:
        raise InvalidInput.field(
            field, "too_many", _("A rate names at most %(max)s countries.") % {"max": MAX_COUNTRIES}
        )
    return result


def country_checked(country: str, *, field: str = "country") -> str:
    """Return a country code upper case, or "" for none."""
    country = (country or "").strip().upper()
    return countries_checked([country], field=field)[0] if country else ""


def rate_checked(rate: Any) -> Decimal:
    """Return a percentage from 0 to 100 with at most three decimals."""
    try:
        value = rate if isinstance(rate, Decimal) else Decimal(str(rate))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if (
        isinstance(rate, float)
        or not value.is_finite()
        or not (0 <= value <= 100)
        or value != value.quantize(Decimal("0.001"))
    ):
        raise InvalidInput.field(
            "rate",
            "invalid_rate",
            _("A tax rate is a percentage from 0 to 100, with at most three decimals."),
        )
    return value


def bank_accounts_checked(accounts: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Return the accounts with their IBAN and BIC upper case without spaces; refuse bad ones."""
    if len(accounts) > MAX_BANK_ACCOUNTS:
        raise InvalidInput.field(
            "bank_accounts",
            "too_many",
            _("A brand keeps at most %(max)s bank accounts.") % {"max": MAX_BANK_ACCOUNTS},
        )
    result = []
    for index, account in enumerate(accounts):
        unknown = set(account) - set(BANK_FIELDS)
        if unknown:
            raise InvalidInput.field(
                f"bank_accounts.{index}",
                "unknown_field",
                _("A bank account has a label, an IBAN, a BIC and details; nothing else."),
            )
        cleaned = {name: str(account.get(name) or "").strip() for name in BANK_FIELDS}
        cleaned["iban"] = re.sub(r"\s+", "", cleaned["iban"]).upper()
        cleaned["bic"] = re.sub(r"\s+", "", cleaned["bic"]).upper()
        if cleaned["iban"] and not IBAN.match(cleaned["iban"]):
            raise InvalidInput.field(
                f"bank_accounts.{index}.iban", "invalid_iban", _("This is not an IBAN.")
            )
        if cleaned["bic"] and not BIC.match(cleaned["bic"]):
            raise InvalidInput.field(
                f"bank_accounts.{index}.bic", "invalid_bic", _("This is not a BIC.")
            )
        if not (cleaned["iban"] or cleaned["details"]):
            raise InvalidInput.field(
                f"bank_accounts.{index}",
                "empty",
                _("A bank account needs an IBAN or its details as text."),
            )
        if len(cleaned["label"]) > 60 or len(cleaned["details"]) > 500:
            raise InvalidInput.field(
                f"bank_accounts.{index}", "too_long", _("A bank account's text is too long.")
            )
        result.append(cleaned)
    return result


def brand_set_tax_identity(
    *,
    brand: Brand,
    legal_name: str,
    legal_address: str,
    tax_id: str,
    bank_accounts: Sequence[Mapping[str, Any]],
    tax_rounding_mode: str,
    tax_rounding_scope: str,
) -> Brand:
    """Set the brand's legal identity (printed on its documents) and how it rounds tax."""
    if tax_rounding_mode not in TaxRoundingMode.values:
        raise InvalidInput.field(
            "tax_rounding_mode", "invalid_choice", _("Round tax half up, down or up.")
        )
    if tax_rounding_scope not in TaxRoundingScope.values:
        raise InvalidInput.field(
            "tax_rounding_scope", "invalid_choice", _("Round tax per line or per document.")
        )
    brand.legal_name = legal_name.strip()[:200]
    brand.legal_address = legal_address.strip()[:1000]
    brand.tax_id = tax_id.strip()[:40]
    brand.bank_accounts = bank_accounts_checked(bank_accounts)
    brand.tax_rounding_mode = tax_rounding_mode
    brand.tax_rounding_scope = tax_rounding_scope
    brand.save(
        update_fields=[
            "legal_name",
            "legal_address",
            "tax_id",
            "bank_accounts",
            "tax_rounding_mode",
            "tax_rounding_scope",
        ]
    )
    return brand


def _name_checked(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput.field(
            "name", "invalid_name", _("A tax rate needs a name of at most 60 characters.")
        )
    return name


def _default_taken_over(*, brand: Brand, reduced: bool, keep: int | None) -> None:
    """Make the brand's other default rate of the class an ordinary one (one default each)."""
    others = TaxRate.objects.filter(brand=brand, reduced=reduced, is_default=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    others.update(is_default=False)


def tax_rate_create(
    *,
    brand: Brand,
    name: str,
    rate: Any,
    reduced: bool = False,
    countries: Iterable[str] = (),
    is_default: bool = False,
) -> TaxRate:
    """Add a rate; made the default of its class, it takes over from the one before."""
    checked_name = _name_checked(name)
    checked_rate = rate_checked(rate)
    checked_countries = countries_checked(countries)
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()
        if is_default:
            _default_taken_over(brand=brand, reduced=bool(reduced), keep=None)
        return TaxRate.objects.create(
            brand=brand,
            name=checked_name,
            rate=checked_rate,
            reduced=bool(reduced),
            countries=checked_countries,
            is_default=bool(is_default),
        )


def tax_rate_update(*, brand: Brand, rate_id: int, **changes: Any) -> TaxRate:
    """Change a rate's name, percentage, class, countries or default; orders keep theirs."""
    checks = {
        "name": _name_checked,
        "rate": rate_checked,
        "reduced": bool,
        "countries": countries_checked,
        "is_default": bool,
    }
    unknown = set(changes) - set(checks)
    if unknown:
        raise ValueError(f"tax rates have no fields {sorted(unknown)}")
    with transaction.atomic():
        Brand.objects.select_for_update().filter(pk=brand.pk).first()
        tax_rate = TaxRate.objects.filter(brand=brand, pk=rate_id).first()
        if tax_rate is None:
            raise TaxRate.DoesNotExist(f"tax rate {rate_id}")
        for field, value in changes.items():
            setattr(tax_rate, field, checks[field](value))
        if tax_rate.is_default:
            _default_taken_over(brand=brand, reduced=tax_rate.reduced, keep=tax_rate.pk)
        tax_rate.save(update_fields=list(changes))
    return tax_rate


def tax_rate_delete(*, brand: Brand, rate_id: int) -> None:
    """Remove a rate; orders and OCs taxed at it keep it as they were written."""
    deleted, _count = TaxRate.objects.filter(brand=brand, pk=rate_id).delete()
    if not deleted:
        raise TaxRate.DoesNotExist(f"tax rate {rate_id}")


def buyer_set_tax_details(*, buyer: Buyer, country: str, tax_id: str) -> Buyer:
    """Set where the buyer is taxed and its tax ID (printed on the documents)."""
    buyer.country = country_checked(country)
    buyer.tax_id = (tax_id or "").strip()[:40]
    buyer.save(update_fields=["country", "tax_id"])
    return buyer
