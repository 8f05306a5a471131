"""The demo's line sheet: Maison Margaux's of Atelier's SS27, ready to download at once.

Made here through the function the task worker runs (reporting.tasks.document_render), after
the pictures' thumbnails it shows; a seed that finds it ready, showing the same, changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from linesheet.accounts.models import Buyer
from linesheet.catalog.images import product_image_thumbnails_make
from linesheet.catalog.models import Catalog
from linesheet.catalog.selectors import product_main_images
from linesheet.reporting.generation import document_request
from linesheet.reporting.line_sheet import LINE_SHEET_IMAGE_SIZE, line_sheet_for_buyer
from linesheet.reporting.models import DocumentStatus
from linesheet.reporting.tasks import document_render

BRAND, CATALOG, ORGANIZATION = "atelier", "SS27", "Maison Margaux"


def demo_line_sheet_seed(*, log: Callable[[str], None]) -> int:
    """Make the demo's line sheet unless it is ready; return how many were made (0 or 1)."""
    catalog = Catalog.objects.filter(brand__slug=BRAND, code=CATALOG).select_related("brand")
    buyer = Buyer.objects.filter(brand__slug=BRAND, organization__name=ORGANIZATION).first()
    found = catalog.first()
    if found is None or buyer is None:
        return 0
    # Only the main pictures, the ones it shows; the worker makes the others' thumbnails.
    products = found.products.values_list("pk", flat=True)
    for image in product_main_images(product_ids=products).values():
        if LINE_SHEET_IMAGE_SIZE not in image.thumbnails:
            product_image_thumbnails_make(image_id=image.pk)
    document = document_request(request=line_sheet_for_buyer(catalog=found, buyer=buyer), user=None)
    if document.status == DocumentStatus.READY:
        return 0
    document_render(document=document)
    log(f"Line sheet of {found.brand.name} {found.code} for {ORGANIZATION}: ready")
    return 1
