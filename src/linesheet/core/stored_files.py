"""Private files (product images, brand logos) given to browsers, PDFs and emails.

The files are never public. A browser gets a link that carries a signature over the file's
name and a period of time (django.core.signing, SECRET_KEY): the file view serves the file to
whoever holds a valid link and nothing to anyone else. The link stays the same through one
period (FILE_LINK_PERIOD_SECONDS), so a browser that saw it keeps the file in its cache, and is
honoured until the end of the next one. On object storage that signs its own links (an S3
bucket: `querystring_auth`), the bucket's signed link is given instead and the bucket serves.
PDFs and emails take the bytes themselves (`stored_file_bytes`, `stored_file_data_uri`).
"""

from __future__ import annotations

import base64
import datetime
import posixpath
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from linesheet.core.images import CONTENT_TYPES_BY_EXTENSION

_SALT = "linesheet.stored-file"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT)


def _period() -> int:
    return max(1, settings.FILE_LINK_PERIOD_SECONDS)


def storage_signs_links() -> bool:
    """Say whether the file storage gives signed links of its own (an S3 bucket)."""
    return bool(getattr(default_storage, "querystring_auth", False))


def stored_file_token(name: str, *, now: float | None = None) -> str:
    """Return the signed token naming the file `name` for the current period."""
    now = time.time() if now is None else now
    return _signer().sign_object({"n": name, "p": int(now // _period())}, compress=False)


@dataclass(frozen=True)
class FileLink:
    name: str
    expires_at: float  # seconds since the epoch


def stored_file_link(token: str, *, now: float | None = None) -> FileLink | None:
    """Return the file a token names while it is honoured, else None (forged, expired)."""
    now = time.time() if now is None else now
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    name, period = payload.get("n"), payload.get("p")
    if not isinstance(name, str) or not name or not isinstance(period, int):
        return None
    expires_at = float((period + 2) * _period())
    if now >= expires_at or period * _period() > now + 60:
        return None
    return FileLink(name=name, expires_at=expires_at)


def stored_file_url(name: str) -> str:
    """Return a URL a browser can load the private file `name` from, for a while."""
    if storage_signs_links():
        return str(default_storage.url(name))
    return reverse("stored-file", kwargs={"token": stored_file_token(name)})


def stored_file_content_type(name: str) -> str:
    """Return the content type of a kept image file, by the extension it was stored with."""
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    return CONTENT_TYPES_BY_EXTENSION.get(extension, "application/octet-stream")


def stored_file_bytes(name: str) -> bytes | None:
    """Return the file's bytes, or None when the storage has no such file."""
    try:
        with default_storage.open(name, "rb") as file:
            return bytes(file.read())
    except (FileNotFoundError, OSError):
        return None


def stored_file_data_uri(name: str) -> str | None:
    """Return the file as a data: URI (for WeasyPrint, which fetches nothing), or None."""
    content = stored_file_bytes(name)
    if content is None:
        return None
    encoded = base64.b64encode(content).decode("ascii")
    return f"data:{stored_file_content_type(name)};base64,{encoded}"


def stored_files_delete(names: list[str]) -> None:
    """Delete the files (those already gone are no error)."""
    for name in names:
        if name:
            default_storage.delete(name)


def stored_files_under(folder: str) -> Iterator[str]:
    """Yield the name of every file under `folder`, at any depth (none if it does not exist)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield f"{folder}/{file}"
    for child in folders:
        yield from stored_files_under(f"{folder}/{child}")


def stored_files_delete_unreferenced(
    *, folder: str, referenced: Collection[str], older_than: datetime.timedelta
) -> int:
    """Delete the files under `folder` that no row names and that are older than `older_than`;
    return how many.

    What a request or a task stores before its transaction commits is named by no row for a
    moment, so only files older than that are taken: those a transaction that never committed
    (a killed process, a rollback after the service) left behind.
    """
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in stored_files_under(folder):
        if name in referenced:
            continue
        try:
            if default_storage.get_modified_time(name) > cutoff:
                continue
        except FileNotFoundError:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted
