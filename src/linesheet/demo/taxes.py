"""The demo's tax: EU VAT (standard and reduced) and Japan's consumption tax (10 % and 8 %),
the brands' legal identities, and buyers taxed in other countries than their brand's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from linesheet.accounts.models import Brand, Buyer, TaxRate
from linesheet.accounts.taxes import brand_set_tax_identity, tax_rate_create
from linesheet.catalog.models import Product

# (name, rate, reduced, countries, default) per brand.
RATES: Mapping[str, tuple[tuple[str, str, bool, tuple[str, ...], bool], ...]] = {
    "atelier": (
        ("TVA", "20", False, ("FR",), True),
        ("TVA", "5.5", True, ("FR",), True),
        ("MwSt", "19", False, ("DE",), False),
        ("MwSt", "7", True, ("DE",), False),
        ("IVA", "22", False, ("IT",), False),
        ("IVA", "10", True, ("IT",), False),
        ("JCT", "10", False, ("JP",), False),
        ("JCT", "8", True, ("JP",), False),
    ),
    "nordlys": (
        ("Moms", "25", False, ("DK",), True),
        ("JCT", "10", False, ("JP",), False),
        ("JCT", "8", True, ("JP",), False),
    ),
}
IDENTITIES: Mapping[str, dict[str, object]] = {
    "atelier": {
        "legal_name": "Atelier SAS",
        "legal_address": "12 Rue des Filles du Calvaire\n75003 Paris\nFrance",
        "tax_id": "FR40123456789",
        "bank_accounts": [
            {"label": "Euro", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"},
            {"label": "Yen", "details": "MUFG Bank, Tokyo branch, account 0123456"},
        ],
        "tax_rounding_mode": "half_up",
        "tax_rounding_scope": "line",
    },
    "nordlys": {
        "legal_name": "Nordlys ApS",
        "legal_address": "Jægersborggade 41\n2200 København N\nDenmark",
        "tax_id": "DK12345678",
        "bank_accounts": [{"label": "DKK", "iban": "DK5000400440116243", "bic": "NDEADKKK"}],
        "tax_rounding_mode": "half_up",
        "tax_rounding_scope": "document",
    },
}
# Where the shops are taxed, and their tax IDs: every brand's record of them.
BUYERS: Mapping[str, tuple[str, str]] = {
    "Maison Margaux": ("FR", "FR55987654321"),
    "Feld & Söhne": ("DE", "DE987654321"),
    "Bottega Rossi": ("IT", "IT01234567890"),
    "Harbour Supply Co.": ("JP", "T1234567890123"),
}
# Accessories at the reduced rate, so the demo's documents show both rates of a country.
REDUCED_PRODUCTS = ("Canvas Tote Bag", "Cotton Bucket Hat", "Rib Beanie", "Wool Mittens")


def demo_tax_seed(*, brands: Mapping[str, Brand], log: Callable[[str], None]) -> int:
    """Give the brands without rates theirs, their identity and their buyers' countries."""
    created = 0
    for slug, brand in brands.items():
        if slug not in RATES or TaxRate.objects.filter(brand=brand).exists():
            continue
        for name, rate, reduced, countries, default in RATES[slug]:
            tax_rate_create(
                brand=brand,
                name=name,
                rate=Decimal(rate),
                reduced=reduced,
                countries=countries,
                is_default=default,
            )
            created += 1
        brand_set_tax_identity(brand=brand, **IDENTITIES[slug])  # type: ignore[arg-type]
        Product.objects.filter(brand=brand, name__in=REDUCED_PRODUCTS).update(tax_class="reduced")
        for buyer in Buyer.objects.filter(brand=brand, name__in=list(BUYERS)):
            buyer.country, buyer.tax_id = BUYERS[buyer.name]
            buyer.save(update_fields=["country", "tax_id"])
        log(f"Tax of {brand.name}: {len(RATES[slug])} rates, legal identity, buyers' countries")
    return created
