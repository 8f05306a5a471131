"""A brand's logo: checked like every image, scaled down, its old file deleted on commit."""

from __future__ import annotations

import datetime
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from linesheet.accounts.logos import (
    LOGO_MAX_SIDE,
    brand_logo_bytes,
    brand_logo_data_uri,
    brand_logo_files_sweep,
    brand_logo_remove,
    brand_logo_set,
    brand_logo_url,
)
from linesheet.accounts.models import Brand
from linesheet.core.images import ImageError
from tests.image_files import image_bytes, upload

pytestmark = pytest.mark.django_db


def files_in(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_a_logo_is_kept_scaled_down_with_its_transparency(brand: Brand, stored_files: Path) -> None:
    brand_logo_set(
        brand=brand,
        file=upload(image_bytes(format="WEBP", mode="RGBA", size=(1200, 300))),
        actor=None,
    )

    brand.refresh_from_db()
    content = brand_logo_bytes(brand)
    assert content is not None
    with Image.open(io.BytesIO(content)) as logo:
        assert (logo.format, logo.mode, logo.size) == ("PNG", "RGBA", (LOGO_MAX_SIDE, 150))
    assert (brand_logo_data_uri(brand) or "").startswith("data:image/png;base64,")


def test_a_new_logo_replaces_the_old_one_and_its_file_on_commit(
    brand: Brand, stored_files: Path, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        brand_logo_set(brand=brand, file=upload(image_bytes()), actor=None)
    first = brand.logo
    with django_capture_on_commit_callbacks(execute=True):
        brand_logo_set(brand=brand, file=upload(image_bytes(format="PNG")), actor=None)

    assert [path.name for path in files_in(stored_files)] == [Path(brand.logo).name]
    assert first != brand.logo
    url = brand_logo_url(brand)
    assert url is not None and client.get(url)["Content-Type"] == "image/png"


def test_a_refused_logo_keeps_the_old_one_and_stores_nothing(
    brand: Brand, stored_files: Path
) -> None:
    brand_logo_set(brand=brand, file=upload(image_bytes()), actor=None)
    before = files_in(stored_files)

    with pytest.raises(ImageError) as caught:
        brand_logo_set(brand=brand, file=upload(b"<svg/>", name="logo.svg"), actor=None)

    assert caught.value.code == "image_type_not_allowed"
    assert files_in(stored_files) == before
    assert Brand.objects.get(pk=brand.pk).logo == brand.logo != ""


def test_a_removed_logo_leaves_nothing(
    brand: Brand, stored_files: Path, django_capture_on_commit_callbacks: Any
) -> None:
    brand_logo_set(brand=brand, file=upload(image_bytes()), actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        brand_logo_remove(brand=brand, actor=None)

    assert Brand.objects.get(pk=brand.pk).logo == ""
    assert brand_logo_url(brand) is None and brand_logo_bytes(brand) is None
    assert files_in(stored_files) == []


def test_logo_files_no_brand_names_are_swept_once_old(brand: Brand, stored_files: Path) -> None:
    brand_logo_set(brand=brand, file=upload(image_bytes()), actor=None)
    orphan = stored_files / "brand-logos" / str(brand.pk) / "left-behind.png"
    orphan.write_bytes(b"x")
    day_ago = time.time() - 24 * 3600
    for path in files_in(stored_files):
        os.utime(path, (day_ago, day_ago))

    assert brand_logo_files_sweep(older_than=datetime.timedelta(hours=6)) == 1
    assert files_in(stored_files) == [stored_files / brand.logo]
