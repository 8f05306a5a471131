"""Private files reach a browser only through a signed link, for a while, cached privately."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.test import Client

from linesheet.catalog.images import product_image_url
from linesheet.catalog.services import product_images_add
from linesheet.core.stored_files import stored_file_token, stored_file_url
from tests.image_files import image_bytes, upload

PERIOD = 3600


@pytest.fixture
def kept(stored_files: Path, settings: Any) -> str:
    settings.FILE_LINK_PERIOD_SECONDS = PERIOD
    return str(
        default_storage.save("product-images/1/2/photo.jpg", ContentFile(b"\xff\xd8\xffJPEG"))
    )


def test_a_signed_link_serves_the_file_with_its_type_cached_privately(
    client: Client, kept: str
) -> None:
    response = client.get(stored_file_url(kept))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xffJPEG"  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/jpeg"
    cache = response["Cache-Control"]
    assert cache.startswith("private, max-age=")
    assert PERIOD <= int(cache.split("=")[1]) <= 2 * PERIOD


def test_the_link_stays_the_same_through_a_period_so_browsers_cache_it(kept: str) -> None:
    start = (int(time.time()) // PERIOD) * PERIOD

    assert stored_file_token(kept, now=start) == stored_file_token(kept, now=start + PERIOD - 1)
    assert stored_file_token(kept, now=start) != stored_file_token(kept, now=start + PERIOD)


def test_a_link_from_two_periods_ago_is_expired(client: Client, kept: str) -> None:
    old = stored_file_token(kept, now=time.time() - 2 * PERIOD)
    recent = stored_file_token(kept, now=time.time() - PERIOD)

    assert client.get(f"/files/{old}").status_code == 404
    assert client.get(f"/files/{recent}").status_code == 200


def test_a_link_from_the_future_is_refused(client: Client, kept: str) -> None:
    assert (
        client.get(f"/files/{stored_file_token(kept, now=time.time() + 3 * PERIOD)}").status_code
        == 404
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),
        lambda token: "not-a-token",
        lambda token: "",
    ],
    ids=["signature", "payload", "garbage", "empty"],
)
def test_a_forged_or_altered_link_serves_nothing(client: Client, kept: str, tamper: Any) -> None:
    token = stored_file_token(kept)

    response = client.get(f"/files/{tamper(token)}")

    assert response.status_code == 404
    assert b"JPEG" not in response.content


def test_a_file_is_never_served_by_its_name_alone(client: Client, kept: str) -> None:
    assert client.get(f"/files/{kept}").status_code == 404
    assert client.get("/files/").status_code == 404


def test_a_link_to_a_file_that_is_gone_answers_404(client: Client, kept: str) -> None:
    url = stored_file_url(kept)
    default_storage.delete(kept)

    assert client.get(url).status_code == 404


def test_a_link_signed_with_another_key_is_refused(
    client: Client, kept: str, settings: Any
) -> None:
    settings.SECRET_KEY = "another-key-" + "x" * 40
    foreign = stored_file_token(kept)
    settings.SECRET_KEY = "the-real-key-" + "y" * 40

    assert client.get(f"/files/{foreign}").status_code == 404


@pytest.mark.django_db
def test_the_thumb_tag_shows_a_placeholder_until_the_thumbnail_is_made_then_the_image(
    catalog: Any, stored_files: Path, run_worker: Any, client: Client
) -> None:
    product = catalog.products.get()
    [image] = product_images_add(
        product=product, files=[upload(image_bytes(size=(640, 480)))], color="", actor=None
    )
    template = Template('{% load product_images %}{% product_thumb image "m" alt %}')
    context = {"image": image, "alt": 'Shirt <"Ecru">'}

    placeholder = template.render(Context(context))
    assert 'class="thumb thumb-m thumb-placeholder"' in placeholder
    assert "Shirt &lt;&quot;Ecru&quot;&gt;" in placeholder
    assert "<img" not in placeholder
    assert "thumb-s thumb-placeholder" in Template(
        '{% load product_images %}{% product_thumb None "s" "" %}'
    ).render(Context())

    run_worker()
    image.refresh_from_db()
    shown = template.render(Context(context))

    url = product_image_url(image, "m")
    assert url is not None
    assert f'<img class="thumb thumb-m" src="{url}" width="320" height="240"' in shown
    assert client.get(url)["Content-Type"] == "image/jpeg"
