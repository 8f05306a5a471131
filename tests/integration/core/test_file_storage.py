"""The files the app keeps: a folder outside the code by default, an S3-compatible bucket when set.

The bucket is a real S3 API server on loopback (moto's), spoken to over HTTP by the same client
library and storage class production uses.
"""

from __future__ import annotations

import datetime
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from linesheet.catalog.images import (
    product_image_bytes,
    product_image_files,
    product_image_files_sweep,
    product_image_url,
)
from linesheet.catalog.services import product_images_add
from linesheet.settings import file_storage
from tests.image_files import image_bytes, upload
from tests.smtp_inbox import free_loopback_port

CODE = Path(django_settings.BASE_DIR)


def test_nothing_the_app_writes_goes_into_the_code_tree() -> None:
    written = [
        Path(django_settings.MEDIA_ROOT),
        Path(django_settings.STATIC_ROOT),
        Path(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
    ]
    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        written.append(Path(django_settings.DATABASES["default"]["NAME"]))

    assert [path for path in written if path.resolve().is_relative_to(CODE)] == []


def test_by_default_files_are_kept_on_disk_under_the_var_folder() -> None:
    storage = file_storage({})

    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["location"] == django_settings.MEDIA_ROOT


def test_a_file_saved_on_disk_is_read_back(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": file_storage({"FILES_ROOT": "unused"})}
    settings.STORAGES["default"]["OPTIONS"]["location"] = tmp_path / "files"

    name = default_storage.save("order-sheets/sheet.xlsx", ContentFile(b"PK sheet"))

    assert (tmp_path / "files" / name).read_bytes() == b"PK sheet"
    with default_storage.open(name) as kept:
        assert kept.read() == b"PK sheet"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An S3 API server on loopback with an empty bucket `linesheet-files`."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "linesheet-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "linesheet-test-secret")
    port = free_loopback_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # The server keeps its buckets in the process: start each test from none.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
        client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1")
        client.create_bucket(
            Bucket="linesheet-files",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
        )
        yield endpoint
    finally:
        server.stop()


def test_with_a_bucket_set_files_go_to_it_privately_under_the_prefix(
    settings: Any, s3_endpoint: str
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": file_storage(
            {
                "FILES_S3_BUCKET": "linesheet-files",
                "FILES_S3_ENDPOINT_URL": s3_endpoint,
                "FILES_S3_REGION": "eu-west-1",
                "FILES_S3_PREFIX": "/production/",
            }
        ),
    }

    first = default_storage.save("order-sheets/sheet.xlsx", ContentFile(b"PK first"))
    second = default_storage.save("order-sheets/sheet.xlsx", ContentFile(b"PK second"))

    assert first != second  # a second file of the same name keeps the first
    with default_storage.open(first) as kept:
        assert kept.read() == b"PK first"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1")
    listed = client.list_objects_v2(Bucket="linesheet-files")["Contents"]
    keys = sorted(item["Key"] for item in listed)
    assert keys == sorted(f"production/{name}" for name in (first, second))
    grants = client.get_object_acl(Bucket="linesheet-files", Key=f"production/{first}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    url = default_storage.url(first)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url


@pytest.mark.django_db
def test_on_a_bucket_images_get_its_signed_links_and_their_files_are_swept(
    settings: Any, s3_endpoint: str, catalog: Any, run_worker: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": file_storage(
            {
                "FILES_S3_BUCKET": "linesheet-files",
                "FILES_S3_ENDPOINT_URL": s3_endpoint,
                "FILES_S3_REGION": "eu-west-1",
            }
        ),
    }
    product = catalog.products.get()
    [image] = product_images_add(
        product=product, files=[upload(image_bytes(size=(500, 400)))], color="", actor=None
    )
    run_worker()
    image.refresh_from_db()

    url = product_image_url(image, "m")
    assert url is not None and url.startswith(s3_endpoint)
    assert "X-Amz-Signature=" in url
    assert urllib.request.urlopen(url).read() == product_image_bytes(image, "m")
    orphan = default_storage.save(
        f"product-images/{product.brand_id}/x/left.jpg", ContentFile(b"x")
    )
    assert product_image_files_sweep(older_than=datetime.timedelta(0)) == 1
    assert not default_storage.exists(orphan)
    assert all(default_storage.exists(name) for name in product_image_files(image))
