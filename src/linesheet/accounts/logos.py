"""A brand's logo: set and removed in the Brand App's settings, shown on its pages and papers.

The upload goes through the one image check (core.images) and is kept at most LOGO_MAX_SIDE
pixels on its longest side (PNG when it came as PNG or WebP, so transparency stays; JPEG
otherwise). `Brand.logo` holds its storage name, blank when the brand has none.
"""

from __future__ import annotations

import datetime
import os
import uuid
from typing import IO, Final

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from linesheet.accounts.models import Brand, User
from linesheet.core.images import image_clean, image_thumbnail
from linesheet.core.stored_files import (
    stored_file_bytes,
    stored_file_data_uri,
    stored_file_url,
    stored_files_delete,
    stored_files_delete_unreferenced,
)

LOGO_MAX_SIDE: Final = 600
LOGOS_FOLDER: Final = "brand-logos"


def brand_logo_set(*, brand: Brand, file: IO[bytes], actor: User | None) -> Brand:
    """Give the brand this logo (checked, re-encoded, scaled down); the old one's file is
    deleted once the change is committed, the new one's if it is not."""
    clean = image_clean(file, name=os.path.basename(str(getattr(file, "name", "") or "")))
    kept = image_thumbnail(
        clean.content,
        longest_side=LOGO_MAX_SIDE,
        format="JPEG" if clean.format == "JPEG" else "PNG",
    )
    name = str(
        default_storage.save(
            f"{LOGOS_FOLDER}/{brand.pk}/{uuid.uuid4().hex}.{kept.extension}",
            ContentFile(kept.content),
        )
    )
    try:
        with transaction.atomic():
            locked = Brand.objects.select_for_update().get(pk=brand.pk)
            old = locked.logo
            locked.logo = name
            locked.save(update_fields=["logo"])
            transaction.on_commit(lambda: stored_files_delete([old]))
    except BaseException:
        stored_files_delete([name])
        raise
    brand.logo = name
    return brand


def brand_logo_remove(*, brand: Brand, actor: User | None) -> Brand:
    """Take the brand's logo away; its file is deleted once that is committed."""
    with transaction.atomic():
        locked = Brand.objects.select_for_update().get(pk=brand.pk)
        old = locked.logo
        if old:
            locked.logo = ""
            locked.save(update_fields=["logo"])
            transaction.on_commit(lambda: stored_files_delete([old]))
    brand.logo = ""
    return brand


def brand_logo_url(brand: Brand) -> str | None:
    """Return a URL a browser can load the brand's logo from, or None when it has none."""
    return stored_file_url(brand.logo) if brand.logo else None


def brand_logo_bytes(brand: Brand) -> bytes | None:
    """Return the logo's bytes (PNG or JPEG), or None when the brand has none."""
    return stored_file_bytes(brand.logo) if brand.logo else None


def brand_logo_data_uri(brand: Brand) -> str | None:
    """Return the logo as a data: URI (PDFs embed it), or None when the brand has none."""
    return stored_file_data_uri(brand.logo) if brand.logo else None


def brand_logo_files_sweep(*, older_than: datetime.timedelta) -> int:
    """Delete stored logo files no brand names (left by a transaction that never committed),
    older than `older_than`; return how many."""
    referenced = set(Brand.objects.exclude(logo="").values_list("logo", flat=True))
    return stored_files_delete_unreferenced(
        folder=LOGOS_FOLDER, referenced=referenced, older_than=older_than
    )
