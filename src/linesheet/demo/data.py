"""What the demo holds: two brands, their catalogs, three shops, two offline customers, orders.

Plain data, no database: `seeding.py` turns it into rows. Natural keys (emails, slugs, catalog
codes, model numbers, organisation names) are what makes a second seed find the first one's rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

DEMO_PASSWORD = "linesheet-demo"
SUPPORT_EMAIL = "support@linesheet.test"

COLOUR_CODES = {
    "Black": "BLK",
    "Ecru": "ECR",
    "Sand": "SND",
    "Sage": "SAG",
    "Navy": "NVY",
    "Terracotta": "TER",
    "Sky Blue": "SKY",
    "Charcoal": "CHR",
    "Camel": "CML",
    "Forest": "FOR",
    "Burgundy": "BUR",
    "Oatmeal": "OAT",
    "Slate": "SLT",
    "Ice": "ICE",
    "Rust": "RST",
    "Off White": "OWH",
}

APPAREL_SIZES = ("XS", "S", "M", "L", "XL")
ONE_SIZE = ("One size",)
SHOE_SIZES = ("37", "38", "39", "40", "41", "42", "43", "44")
SOCK_SIZES = ("36-40", "41-45")
ACCESSORY_WORDS = (
    "Bag",
    "Belt",
    "Hat",
    "Beanie",
    "Scarf",
    "Gloves",
    "Mittens",
    "Balaclava",
    "Headband",
)


def sizes_for(product_name: str) -> tuple[str, ...]:
    """Return the size run a product of that name comes in."""
    if "Socks" in product_name:
        return SOCK_SIZES
    if "Boots" in product_name:
        return SHOE_SIZES
    if any(word in product_name for word in ACCESSORY_WORDS):
        return ONE_SIZE
    return APPAREL_SIZES


def size_code(size: str) -> str:
    return "OS" if size == "One size" else size


# A product's category by the first words its name holds; "Tops" when none.
CATEGORY_WORDS = (
    ("Accessories", (*ACCESSORY_WORDS, "Socks")),
    ("Footwear", ("Boots",)),
    ("Knitwear", ("Knit", "Sweater", "Cardigan", "Neck", "Crew", "Cable", "Pullover", "Mohair")),
    ("Outerwear", ("Coat", "Peacoat", "Parka", "Jacket", "Blazer", "Vest")),
    ("Dresses & skirts", ("Dress", "Sundress", "Skirt")),
    ("Trousers & shorts", ("Trousers", "Pants", "Shorts", "Leggings")),
)


def category_for(product_name: str) -> str:
    """Return the category a demo product of that name is filed under."""
    for category, words in CATEGORY_WORDS:
        if any(word in product_name for word in words):
            return category
    return "Tops"


@dataclass(frozen=True)
class DemoCatalog:
    code: str
    name: str
    status: str
    deadline_in_days: int | None
    model_prefix: str
    palette: tuple[str, ...]
    products: tuple[tuple[str, str], ...]  # (name, retail price)
    # Who sees it when limited: the brand's buyer groups by name.
    access_groups: tuple[str, ...] = ()

    def order_deadline(self, today: datetime.date) -> datetime.date | None:
        if self.deadline_in_days is None:
            return None
        return today + datetime.timedelta(days=self.deadline_in_days)

    def colours_for(self, index: int) -> tuple[str, ...]:
        """Return two or three colours for the product at `index`, cycling the palette."""
        count = 2 + index % 2
        return tuple(self.palette[(index + 2 * step) % len(self.palette)] for step in range(count))


@dataclass(frozen=True)
class DemoNumbering:
    """The brand's order numbering rule, as `order_numbering_update` takes it."""

    date_format: str
    prefix: str
    width: int
    suffix: str = ""


@dataclass(frozen=True)
class DemoStory:
    """What happened to one demo order after it was placed: the steps `seeding` replays.

    Steps, in the order they happen: "oc" (the brand's OC, as ordered), "oc_changed" (an OC
    that changes quantities and drops a line), "approve" / "reject_oc" (the buyer's answer,
    which turns buyer approval on), "oc_update" (the brand answers a rejected OC), "confirm",
    "delivery_note", "partial_delivery" (part of the first line), "invoice", "backlog",
    "partner_slip", "reject" (the brand rejects the order), "return" (to the buyer's cart),
    "take_oc" (the buyer takes the OC quantities in the returned cart), "replace" (the buyer
    orders the returned cart again), "delete_cart" (the buyer deletes it), "archive".
    """

    steps: tuple[str, ...]
    tags: tuple[str, ...] = ()
    # Returns: whose order it is (a shop's name), and what the brand wrote to the buyer.
    organization: str | None = None
    message: str = ""
    # What the buyer wrote when rejecting the OC; the partner of a transfer slip.
    note: str = ""
    partner: str = ""

    @property
    def returned(self) -> bool:
        return "return" in self.steps

    @property
    def leaves_a_cart(self) -> bool:
        """Say whether the returned cart is still waiting for the buyer at the end."""
        return self.returned and not {"replace", "delete_cart"} & set(self.steps)


@dataclass(frozen=True)
class DemoBrand:
    slug: str
    name: str
    address: str
    members: tuple[tuple[str, str, str], ...]  # (email, full name, role)
    catalogs: tuple[DemoCatalog, ...]
    default_wholesale_rate: Decimal = Decimal("0.5000")
    numbering: DemoNumbering | None = None
    # How many orders the connected shops have placed with the brand, spread over ORDER_DAYS.
    order_count: int = 0
    # What happened to some of those orders since; the others still wait for their OC.
    stories: tuple[DemoStory, ...] = ()
    time_zone: str = "Europe/Paris"
    # The brand's buyer groups: (name, the names of the shops in it).
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    user_email: str
    user_name: str
    delivery_address: str
    billing_address: str
    extra_recipients: tuple[str, ...]
    # brand slug -> wholesale rate the brand grants this shop
    connections: dict[str, Decimal] = field(default_factory=dict)
    time_zone: str = "Europe/Paris"


@dataclass(frozen=True)
class DemoOfflineBuyer:
    brand_slug: str
    name: str
    email: str
    wholesale_rate: Decimal


# The life of Atelier's orders: the oldest go furthest (delivered, invoiced), returns are recent
# corrections, and the newest orders still wait for their OC. Each story takes the oldest order
# left, except returns, which take the newest order left of their shop.
ATELIER_STORIES = (
    # Returns first: a cart that waits blocks the next return to the same shop and catalog.
    DemoStory(
        steps=("oc_changed", "return", "take_oc", "replace"),
        organization="Maison Margaux",
        message="Our pre-packs changed after you ordered. Our OC quantities are next to yours "
        "in the cart: please take them over and order again.",
    ),
    DemoStory(steps=("return", "replace", "archive"), organization="Feld & Söhne"),
    DemoStory(
        steps=("oc_changed", "reject_oc", "return", "delete_cart", "archive"),
        organization="Bottega Rossi",
        note="We asked for the full size run.",
    ),
    DemoStory(
        steps=("oc_changed", "confirm", "return"),
        organization="Maison Margaux",
        message="Please correct the quantities before we confirm: our OC quantities are "
        "next to yours in the cart.",
    ),
    DemoStory(steps=("oc_changed", "approve", "return"), organization="Feld & Söhne"),
    DemoStory(steps=("return",), organization="Bottega Rossi"),
    # Delivered, invoiced, split: done with.
    DemoStory(steps=("oc_changed", "confirm", "delivery_note", "invoice"), tags=("Key account",)),
    DemoStory(steps=("oc", "confirm", "delivery_note", "invoice")),
    DemoStory(steps=("oc_changed", "approve", "confirm", "partial_delivery", "backlog")),
    DemoStory(steps=("oc", "confirm", "delivery_note"), tags=("Pre-pack",)),
    DemoStory(steps=("oc", "confirm", "invoice")),
    DemoStory(steps=("oc", "confirm", "backlog")),
    DemoStory(
        steps=("oc", "confirm", "partner_slip"),
        tags=("Consignment",),
        partner="Galeries Lafayette concession",
    ),
    DemoStory(steps=("oc", "confirm"), tags=("Key account",)),
    DemoStory(steps=("oc_changed", "approve", "confirm")),
    DemoStory(steps=("oc", "confirm")),
    # Rejected by the brand.
    DemoStory(steps=("reject", "archive")),
    DemoStory(steps=("reject",)),
    DemoStory(steps=("reject",), tags=("Credit hold",)),
    # The OC is with the buyer, or back from them.
    DemoStory(
        steps=("oc_changed", "reject_oc"), note="Please keep the M and L sizes of every colour."
    ),
    DemoStory(steps=("oc_changed", "reject_oc", "oc_update"), note="Too few pieces for a window."),
    DemoStory(steps=("oc_changed", "approve"), tags=("Priority",)),
    DemoStory(steps=("oc", "approve")),
    DemoStory(steps=("oc_changed",)),
    DemoStory(steps=("oc",)),
    # Waiting for their OC, labelled.
    DemoStory(steps=(), tags=("Window display",)),
    DemoStory(steps=(), tags=("Priority", "Pre-pack")),
)

ATELIER = DemoBrand(
    slug="atelier",
    name="Atelier",
    address="12 Rue des Filles du Calvaire\n75003 Paris\nFrance",
    members=(
        ("owner@atelier.test", "Camille Durand", "owner"),
        ("viewer@atelier.test", "Louis Martin", "viewer"),
        ("staff@atelier.test", "Inès Moreau", "staff"),
    ),
    numbering=DemoNumbering(date_format="%Y", prefix="AT-", width=5),
    order_count=60,
    stories=ATELIER_STORIES,
    groups=(("Key accounts", ("Maison Margaux", "Feld & Söhne")),),
    catalogs=(
        DemoCatalog(
            code="SS27",
            name="Spring/Summer 2027",
            status="open",
            deadline_in_days=None,
            model_prefix="AT-S27",
            palette=("Ecru", "Sand", "Sage", "Navy", "Terracotta", "Black", "Sky Blue"),
            products=(
                ("Linen Camp Shirt", "129.00"),
                ("Pleated Wide Trousers", "159.00"),
                ("Cotton Poplin Dress", "189.00"),
                ("Relaxed Denim Jacket", "219.00"),
                ("Seersucker Shorts", "89.00"),
                ("Silk Slip Skirt", "169.00"),
                ("Boxy Organic Tee", "45.00"),
                ("Striped Breton Top", "79.00"),
                ("Cropped Chore Jacket", "199.00"),
                ("Tailored Linen Blazer", "279.00"),
                ("Wrap Midi Skirt", "139.00"),
                ("Crochet Knit Vest", "119.00"),
                ("Drawstring Cargo Pants", "149.00"),
                ("Ribbed Tank Top", "39.00"),
                ("Oversized Oxford Shirt", "119.00"),
                ("Canvas Tote Bag", "59.00"),
                ("Woven Leather Belt", "69.00"),
                ("Cotton Bucket Hat", "49.00"),
                ("Terry Polo Shirt", "99.00"),
                ("Smocked Sundress", "159.00"),
            ),
        ),
        DemoCatalog(
            code="AW27-PRE",
            name="Autumn/Winter 2027 Pre-order",
            status="limited",
            access_groups=("Key accounts",),
            deadline_in_days=45,
            model_prefix="AT-W27",
            palette=("Charcoal", "Camel", "Navy", "Forest", "Burgundy", "Oatmeal", "Black"),
            products=(
                ("Merino Crewneck Sweater", "149.00"),
                ("Double-Faced Wool Coat", "549.00"),
                ("Corduroy Straight Trousers", "169.00"),
                ("Cable Knit Cardigan", "229.00"),
                ("Quilted Liner Jacket", "249.00"),
                ("Flannel Overshirt", "139.00"),
                ("Wool Pleated Skirt", "179.00"),
                ("Fine Turtleneck", "89.00"),
                ("Shearling Collar Parka", "499.00"),
                ("Brushed Cotton Hoodie", "129.00"),
                ("Herringbone Blazer", "329.00"),
                ("Ribbed Knit Beanie", "45.00"),
                ("Cashmere Scarf", "189.00"),
                ("Suede Chelsea Boots", "289.00"),
                ("Moleskin Work Jacket", "259.00"),
                ("Velvet Slip Dress", "209.00"),
                ("Chunky Rib Socks", "25.00"),
                ("Leather Gloves", "95.00"),
                ("Padded Vest", "179.00"),
                ("Wide Leg Wool Trousers", "199.00"),
            ),
        ),
    ),
)

NORDLYS = DemoBrand(
    slug="nordlys",
    name="Nordlys",
    address="Jægersborggade 41\n2200 København N\nDenmark",
    time_zone="Europe/Copenhagen",
    members=(("owner@nordlys.test", "Ingrid Solberg", "owner"),),
    default_wholesale_rate=Decimal("0.4500"),
    order_count=8,
    groups=(("Nordic stockists", ("Feld & Söhne",)),),
    catalogs=(
        DemoCatalog(
            code="CORE-27",
            name="Core Knitwear 2027",
            status="open",
            deadline_in_days=None,
            model_prefix="NL-K27",
            palette=("Off White", "Oatmeal", "Slate", "Navy", "Forest", "Rust"),
            products=(
                ("Fisherman Rib Sweater", "189.00"),
                ("Lambswool Crew", "149.00"),
                ("Mohair Cardigan", "239.00"),
                ("Alpaca Roll Neck", "219.00"),
                ("Merino Polo Knit", "159.00"),
                ("Nordic Pattern Sweater", "229.00"),
                ("Half-Zip Pullover", "169.00"),
                ("Waffle Knit Henley", "99.00"),
                ("Cotton Cable Vest", "119.00"),
                ("Seamless Knit Dress", "199.00"),
                ("Ribbed Knit Trousers", "149.00"),
                ("Boucle Jacket", "279.00"),
                ("Fair Isle Yoke Sweater", "249.00"),
                ("Chunky Knit Scarf", "89.00"),
                ("Wool Mittens", "49.00"),
                ("Rib Beanie", "39.00"),
                ("Cashmere Blend Hoodie", "259.00"),
                ("Textured Knit Shorts", "95.00"),
                ("Fine Gauge Turtleneck", "129.00"),
                ("Oversized Knit Coat", "329.00"),
            ),
        ),
        DemoCatalog(
            code="WC27",
            name="Winter Capsule 2027",
            status="limited",
            access_groups=("Nordic stockists",),
            deadline_in_days=30,
            model_prefix="NL-W27",
            palette=("Black", "Ice", "Slate", "Forest", "Rust", "Navy"),
            products=(
                ("Down Puffer Jacket", "429.00"),
                ("Insulated Ski Trousers", "299.00"),
                ("Fleece Zip Jacket", "149.00"),
                ("Thermal Base Layer Top", "69.00"),
                ("Thermal Leggings", "65.00"),
                ("Storm Shell Parka", "389.00"),
                ("Wool Blend Peacoat", "359.00"),
                ("Sherpa Lined Overshirt", "189.00"),
                ("Knitted Balaclava", "45.00"),
                ("Ear Warmer Headband", "35.00"),
                ("Padded Gloves", "59.00"),
                ("Lined Snow Boots", "229.00"),
                ("Waterproof Bucket Hat", "55.00"),
                ("Merino Hiking Socks", "29.00"),
                ("Quilted Midi Skirt", "169.00"),
                ("Expedition Vest", "199.00"),
                ("Softshell Jacket", "219.00"),
                ("Heavyweight Hoodie", "129.00"),
                ("Corduroy Cargo Pants", "159.00"),
                ("Wool Flannel Shirt", "139.00"),
            ),
        ),
    ),
)

BRANDS = (ATELIER, NORDLYS)

ORGANIZATIONS = (
    DemoOrganization(
        name="Maison Margaux",
        user_email="buyer@maison.test",
        user_name="Margaux Lefèvre",
        delivery_address="Maison Margaux\n48 Rue de Charonne\n75011 Paris\nFrance",
        billing_address=(
            "Maison Margaux SARL\nComptabilité\n48 Rue de Charonne\n75011 Paris\nFrance"
        ),
        extra_recipients=("orders@maison.test",),
        connections={"atelier": Decimal("0.4500"), "nordlys": Decimal("0.4500")},
    ),
    DemoOrganization(
        name="Feld & Söhne",
        user_email="buyer@feld.test",
        user_name="Jonas Feld",
        delivery_address="Feld & Söhne\nLager 3\nLinienstraße 114\n10115 Berlin\nGermany",
        time_zone="Europe/Berlin",
        billing_address="Feld & Söhne GmbH\nLinienstraße 114\n10115 Berlin\nGermany",
        extra_recipients=("einkauf@feld.test",),
        connections={"atelier": Decimal("0.5000"), "nordlys": Decimal("0.4800")},
    ),
    DemoOrganization(
        name="Bottega Rossi",
        user_email="buyer@bottega.test",
        user_name="Giulia Rossi",
        delivery_address="Bottega Rossi\nVia Tortona 27\n20144 Milano\nItaly",
        time_zone="Europe/Rome",
        billing_address="Bottega Rossi S.r.l.\nVia Tortona 27\n20144 Milano\nItaly",
        extra_recipients=("ordini@bottega.test", "amministrazione@bottega.test"),
        connections={"atelier": Decimal("0.5000")},
    ),
)

OFFLINE_BUYERS = (
    DemoOfflineBuyer(
        brand_slug="atelier",
        name="Boutique Solène (phone orders)",
        email="solene@boutique-solene.test",
        wholesale_rate=Decimal("0.5000"),
    ),
    DemoOfflineBuyer(
        brand_slug="atelier",
        name="Harbour Supply Co.",
        email="orders@harbour-supply.test",
        wholesale_rate=Decimal("0.5500"),
    ),
)


# --- Orders -------------------------------------------------------------------------------------

# Demo orders are spread over this many days before the day of seeding.
ORDER_DAYS = 90

# (route, weight): most orders come through the Buyer App.
ORDER_ROUTES = (("buyer_app", 14), ("order_link", 4), ("proxy", 2))

# What shops write in the comment of some orders.
ORDER_COMMENTS = (
    "Please ship the full order in one delivery.",
    "Deliver to the back entrance, Monday to Friday 9-12 only.",
    "Our window display changes on the 1st: anything you can send earlier helps.",
    "Same assortment as last season, one size run more in M.",
    "Please call before delivery.",
    "Split delivery is fine if some colours come later.",
    "Invoice to the billing address, not the shop.",
)

# Units of one SKU a shop orders: mostly small runs, now and then a deeper buy.
ORDER_QUANTITIES = (1, 2, 2, 2, 3, 3, 4, 4, 6, 8)
