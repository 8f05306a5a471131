"""Refuse a multipart upload larger than its view allows before any of it is read.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files: an upload of any size
was read to a temporary file before the view could look at it. An upload is at most
UPLOAD_MAX_BYTES (an order sheet of at most 5 MB, with its form) unless the view it goes to
names a bound of its own with `upload_limit` (images: IMAGE_UPLOAD_MAX_BYTES). The bound is
read from the route, because the CSRF check reads a form's body before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import Resolver404, resolve

View = TypeVar("View", bound=Callable[..., Any])


def upload_limit(max_bytes: Callable[[], int]) -> Callable[[View], View]:
    """Let the decorated view (a function, or a class-based view's class) take uploads of up
    to `max_bytes()` bytes (read at each request, so settings may change it)."""

    def mark(view: View) -> View:
        view.upload_max_bytes = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


def upload_max_bytes(path_info: str) -> int:
    """Return the largest body a multipart request to `path_info` may have."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return settings.UPLOAD_MAX_BYTES
    for holder in (
        match.func,
        getattr(match.func, "cls", None),
        getattr(match.func, "view_class", None),
    ):
        limit = getattr(holder, "upload_max_bytes", None)
        if callable(limit):
            return int(limit())
    return settings.UPLOAD_MAX_BYTES


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: checks the body's declared length, handles no file."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        path_info = self.request.path_info if self.request is not None else ""
        if content_length > upload_max_bytes(path_info):
            raise RequestDataTooBig("The upload is larger than its view allows.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data  # to the next handler

    def file_complete(self, file_size: int) -> None:
        return None
