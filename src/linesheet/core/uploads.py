"""Refuse a multipart upload larger than UPLOAD_MAX_BYTES before any of it is read.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files: an upload of any size
was read to a temporary file before the view could look at it. The one file the app takes
is an order sheet of at most 5 MB.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


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
        if content_length > settings.UPLOAD_MAX_BYTES:
            raise RequestDataTooBig("The upload is larger than UPLOAD_MAX_BYTES.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data  # to the next handler

    def file_complete(self, file_size: int) -> None:
        return None
